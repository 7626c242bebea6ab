/**
 * Reads a response envelope without regard to key case: the commercial endpoints send
 * `{Value, @nextLink, TotalCount}`, the legacy ones `{totalCount, items, attributes}` (and some
 * older collections `links.next.uri`). Returns undefined when the body is not an envelope.
 */
export interface RawEnvelope {
  readonly items: unknown;
  readonly hasItems: boolean;
  readonly nextLink: unknown;
  readonly totalCount: unknown;
}

export function readEnvelope(body: unknown): RawEnvelope | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  let items: unknown;
  let hasItems = false;
  let nextLink: unknown = null;
  let totalCount: unknown;
  for (const key in record) {
    switch (key.toLowerCase()) {
      case 'value':
      case 'items':
        items = record[key];
        hasItems = true;
        break;
      case '@nextlink':
      case '@odata.nextlink':
      case 'nextlink':
        if (record[key] !== null && record[key] !== undefined) nextLink = record[key];
        break;
      case 'totalcount':
      case '@odata.count':
        totalCount = record[key];
        break;
      case 'links': {
        const links = record[key] as { next?: { uri?: unknown } } | null;
        if (nextLink === null && typeof links?.next?.uri === 'string') nextLink = links.next.uri;
        break;
      }
      default:
        break;
    }
  }
  return { items, hasItems, nextLink, totalCount };
}

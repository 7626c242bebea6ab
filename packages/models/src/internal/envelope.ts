/**
 * Reads a response envelope without regard to key case: the commercial endpoints send
 * `{Value, @nextLink, TotalCount}`, the legacy ones `{totalCount, items, attributes}` (and some
 * older collections `links.next` with `uri` and `headers`). Returns undefined when the body is
 * not an envelope.
 */
export interface RawEnvelope {
  readonly items: unknown;
  readonly hasItems: boolean;
  /** The key the rows came under, as sent (`Value`, `items`), for JSON paths in messages. */
  readonly itemsKey: string;
  readonly nextLink: unknown;
  /** `links.next.headers` as a name/value record, or null. */
  readonly nextLinkHeaders: Readonly<Record<string, string>> | null;
  readonly totalCount: unknown;
}

/** Header names a server may ask us to send with the next request (no credentials, no framing). */
const forbiddenHeaders = new Set([
  'authorization',
  'host',
  'cookie',
  'connection',
  'content-length',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'keep-alive',
  'expect',
  'ms-requestid',
]);
const headerName = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: a header value must not carry them
const headerValue = /^[^\u0000-\u0008\u000a-\u001f\u007f]*$/;

/**
 * `links.next.headers` in either form the Partner Center SDKs know: a list of `{key, value}`
 * (the REST `Link` resource) or a plain object. Names that would carry credentials or change the
 * framing are dropped, and so are values with control characters.
 */
function readLinkHeaders(value: unknown): Record<string, string> | null {
  const out: Record<string, string> = {};
  const add = (name: unknown, text: unknown): void => {
    if (typeof name !== 'string' || typeof text !== 'string') return;
    if (!headerName.test(name) || !headerValue.test(text) || forbiddenHeaders.has(name.toLowerCase())) return;
    if (name.toLowerCase().startsWith('proxy-')) return;
    out[name] = text;
  };
  if (Array.isArray(value)) {
    for (const entry of value) {
      if (typeof entry !== 'object' || entry === null) continue;
      const record = entry as Record<string, unknown>;
      add(record.key ?? record.Key ?? record.name ?? record.Name, record.value ?? record.Value);
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [name, text] of Object.entries(value as Record<string, unknown>)) add(name, text);
  }
  return Object.keys(out).length === 0 ? null : out;
}

/**
 * A legacy `links.next.uri`: the Partner Center SDKs append it to `.../v1`, so `/customers/...`
 * means `/v1/customers/...`; a uri already rooted at `/v1/`, a relative one or an absolute one
 * is kept as is.
 */
function legacyUri(uri: string): string {
  if (!uri.startsWith('/') || uri.startsWith('//')) return uri;
  if (/^\/v1(?:[/?#]|$)/i.test(uri) || /^\/partner\//i.test(uri)) return uri;
  return `/v1${uri}`;
}

export function readEnvelope(body: unknown): RawEnvelope | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  let items: unknown;
  let hasItems = false;
  let itemsKey = 'Value';
  let nextLink: unknown = null;
  let legacyLink: string | undefined;
  let nextLinkHeaders: Record<string, string> | null = null;
  let totalCount: unknown;
  for (const key in record) {
    switch (key.toLowerCase()) {
      case 'value':
      case 'items':
        items = record[key];
        hasItems = true;
        itemsKey = key;
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
        const links = record[key];
        if (typeof links !== 'object' || links === null) break;
        let next: unknown;
        for (const name in links)
          if (name.toLowerCase() === 'next') next = (links as Record<string, unknown>)[name];
        if (typeof next !== 'object' || next === null) break;
        for (const [name, value] of Object.entries(next as Record<string, unknown>)) {
          const lower = name.toLowerCase();
          if (lower === 'uri' && typeof value === 'string' && value !== '') legacyLink = legacyUri(value);
          else if (lower === 'headers') nextLinkHeaders = readLinkHeaders(value);
        }
        break;
      }
      default:
        break;
    }
  }
  if (nextLink === null && legacyLink !== undefined) nextLink = legacyLink;
  if (legacyLink === undefined) nextLinkHeaders = null;
  return { items, hasItems, itemsKey, nextLink, nextLinkHeaders, totalCount };
}

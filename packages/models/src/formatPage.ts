import type { EndpointDescriptor } from './defineEndpoint.js';

/** Options of {@link formatPage}. */
export interface FormatPageOptions {
  readonly nextLink?: string | null;
  /** Defaults to the number of rows. */
  readonly totalCount?: number;
}

/**
 * Serializes rows into the endpoint's envelope, exactly as the service sends it: `{"Value": [...],
 * "@nextLink": ..., "TotalCount": n}` for the commercial endpoints, `{"totalCount": n, "items":
 * [...], "attributes": {"objectType": "Collection"}}` for the legacy ones (each item carrying its
 * `attributes.objectType`). Parsing the result with `descriptor.page` gives the rows back.
 */
export function formatPage(
  descriptor: Pick<EndpointDescriptor, 'envelope' | 'objectType'>,
  rows: readonly object[],
  options: FormatPageOptions = {},
): string {
  const totalCount = options.totalCount ?? rows.length;
  if (descriptor.envelope === 'odata') {
    return JSON.stringify({ Value: rows, '@nextLink': options.nextLink ?? null, TotalCount: totalCount });
  }
  const objectType = descriptor.objectType;
  const items =
    objectType === undefined
      ? rows
      : rows.map((row) => ('attributes' in row ? row : { ...row, attributes: { objectType } }));
  const body: Record<string, unknown> = { totalCount, items };
  if (options.nextLink) body.links = { next: { uri: options.nextLink, method: 'GET', headers: [] } };
  body.attributes = { objectType: 'Collection' };
  return JSON.stringify(body);
}

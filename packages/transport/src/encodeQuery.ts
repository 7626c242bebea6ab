/** Query parameters as ordered name/value pairs (a name may repeat). */
export type QueryParams = ReadonlyArray<readonly [string, string]>;

/**
 * Encodes query parameters per RFC 3986: `encodeURIComponent` on every name and value, `%20` for
 * spaces (never `+`), joined with `&`, without a leading `?`. This is the only place that encodes.
 *
 * @example encodeQuery([['filter', "serviceCode eq 'O365'"], ['top', '100']])
 * // "filter=serviceCode%20eq%20'O365'&top=100"
 */
export function encodeQuery(query: QueryParams): string {
  let out = '';
  for (const [name, value] of query) {
    if (out.length > 0) out += '&';
    out += `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
  }
  return out;
}

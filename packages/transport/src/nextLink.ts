import { PartnerCenterError } from './errors.js';
import { resolveTarget } from './internal/requestTarget.js';

/**
 * Resolves a `@nextLink` (absolute, root-relative or relative, raw text with spaces and quotes
 * included) against the URL of the page that carried it, and checks it may receive the token.
 * Returns the absolute URL to request: the server's text verbatim when it can be sent as is,
 * else its WHATWG-normalized form (spaces become `%20`).
 *
 * @param link - the link as the server sent it.
 * @param pageUrl - the absolute URL of the page that carried it.
 * @param origin - the only origin a request may go to (the base URL's, e.g. `https://api.partnercenter.microsoft.com`).
 * @throws PartnerCenterError with code `FOREIGN_NEXT_LINK` for another origin, a protocol-relative
 * link (`//host/...`), user information (`user:pass@`) or a scheme other than http(s), before any
 * request is sent; `DECODE` for text that is not a URL.
 */
export function resolveNextLink(link: string, pageUrl: string, origin: string): string {
  if (typeof link !== 'string') {
    throw new PartnerCenterError({ code: 'DECODE', message: 'The @nextLink is not a string' });
  }
  return resolveTarget({
    raw: link,
    relativeTo: pageUrl,
    origin,
    foreignCode: 'FOREIGN_NEXT_LINK',
    context: ' (in a @nextLink)',
  }).href;
}

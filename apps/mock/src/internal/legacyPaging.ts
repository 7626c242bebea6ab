import type { EndpointDescriptor } from '@pc/models';
import { partnerCenterError } from './httpError.js';
import type { LegacyNextLink } from './profiles.js';

/** The header Partner Center's collections carry their continuation in (research §5.1, [S16]). */
export const continuationHeader = 'MS-ContinuationToken';

interface TokenContent {
  /** Endpoint id. */
  readonly e: string;
  /** Customer id of the path, lower case (`''` for partner-level endpoints). */
  readonly c: string;
  /** Offset of the next page's first item. */
  readonly o: number;
}

function tokenOf(content: TokenContent): string {
  return Buffer.from(JSON.stringify(content), 'utf8').toString('base64');
}

function readToken(text: string): TokenContent | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as Partial<TokenContent>;
    if (typeof parsed.e === 'string' && typeof parsed.c === 'string' && Number.isSafeInteger(parsed.o))
      return parsed as TokenContent;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
  }
  return undefined;
}

/**
 * One page of a legacy collection, as Partner Center's seek-based collections page (research §5.1,
 * [S16]): `links.next = {uri, method: "GET", headers: [{key: "MS-ContinuationToken", value}]}`, the
 * `uri` relative to `/v1` (`/customers/{id}/...?seekOperation=Next`) or to the root
 * (`/v1/customers/...`). A request with `seekOperation=Next` must carry the token of the page before
 * (400 otherwise); `totalCount` counts the items of the page, as the .NET SDK computes it.
 * @throws MockHttpError 400 for a missing, malformed or foreign continuation token.
 */
export function legacyPage(options: {
  readonly descriptor: EndpointDescriptor;
  readonly items: readonly Record<string, unknown>[];
  readonly style: Exclude<LegacyNextLink, 'none'>;
  readonly pageSize: number;
  /** The request path (`/v1/...`). */
  readonly pathname: string;
  readonly params: Readonly<Record<string, string>>;
  readonly seekNext: boolean;
  readonly continuationToken: string | undefined;
}): string {
  const { descriptor, items, pageSize } = options;
  const customer = (options.params.customerId ?? '').toLowerCase();
  let offset = 0;
  if (options.seekNext) {
    if (options.continuationToken === undefined || options.continuationToken.trim() === '') {
      throw partnerCenterError({
        status: 400,
        code: 400,
        description: `The ${continuationHeader} header is required with seekOperation=Next: send the headers of the previous page's links.next.`,
        data: [{ header: continuationHeader }],
      });
    }
    const token = readToken(options.continuationToken.trim());
    if (token === undefined || token.e !== descriptor.id || token.c !== customer || token.o < 0) {
      throw partnerCenterError({
        status: 400,
        code: 400,
        description: `Invalid ${continuationHeader}: it does not continue this collection.`,
        data: [{ header: continuationHeader }],
      });
    }
    offset = token.o;
  }
  const end = Math.min(items.length, offset + pageSize);
  const page = items
    .slice(offset, end)
    .map((item) =>
      descriptor.objectType === undefined || 'attributes' in item
        ? item
        : { ...item, attributes: { objectType: descriptor.objectType } },
    );
  const body: Record<string, unknown> = { totalCount: page.length, items: page };
  if (end < items.length) {
    const path = options.pathname.replace(/\/+$/, '');
    const uri = options.style === 'v1' ? path.replace(/^\/v1(?=\/)/i, '') : path;
    body.links = {
      next: {
        uri: `${uri}?seekOperation=Next`,
        method: 'GET',
        headers: [{ key: continuationHeader, value: tokenOf({ e: descriptor.id, c: customer, o: end }) }],
      },
    };
  }
  body.attributes = { objectType: 'Collection' };
  return JSON.stringify(body);
}

import { request } from 'undici';
import type { MockServer } from '../src/index.js';

/**
 * A plain HTTP answer read the way a careful client without our SDK reads it: the raw bytes, whether
 * they start with a UTF-8 BOM, and the text after it.
 */
export interface PlainAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly bytes: Buffer;
  readonly bom: boolean;
  /** The body as UTF-8, without a leading BOM. */
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

/** A request with undici only (no schema checks, no SDK): the contract tests' client. */
export async function plainGet(
  url: string,
  options: { token?: string; headers?: Record<string, string>; method?: 'GET' | 'POST' } = {},
): Promise<PlainAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const send = () => request(url, { method: options.method ?? 'GET', headers });
  let response: Awaited<ReturnType<typeof send>>;
  try {
    response = await send();
  } catch (error) {
    // A keep-alive socket the server closed while idle (its keepAliveTimeout) races a new GET: retry once.
    if ((error as { code?: string }).code !== 'ECONNRESET' || options.method === 'POST') throw error;
    response = await send();
  }
  const bytes = Buffer.from(await response.body.arrayBuffer());
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = bytes.subarray(bom ? 3 : 0).toString('utf8');
  return {
    status: response.statusCode,
    headers: response.headers,
    bytes,
    bom,
    text,
    json<T>() {
      return JSON.parse(text) as T;
    },
  };
}

/** One OData page as sent. */
export interface ODataPage {
  readonly Value: Record<string, unknown>[];
  readonly '@nextLink': string | null;
  readonly TotalCount: number;
}

/**
 * Follows `@nextLink` from `path` to the end, resolving each link against the URL of the page that
 * carried it (as a browser resolves an href): every page, with its URL, as sent.
 */
export async function followPages(
  server: MockServer,
  path: string,
  token: string,
  maxPages = 10_000,
): Promise<{ url: string; page: ODataPage }[]> {
  const pages: { url: string; page: ODataPage }[] = [];
  let url: string | undefined = `${server.url}${path}`;
  while (url !== undefined) {
    if (pages.length >= maxPages) throw new Error(`more than ${maxPages} pages from ${path}`);
    const answer = await plainGet(url, { token });
    if (answer.status !== 200) throw new Error(`${url}: ${answer.status} ${answer.text}`);
    const page = answer.json<ODataPage>();
    pages.push({ url, page });
    const link = page['@nextLink'];
    url = link === null || link === undefined ? undefined : new URL(link, url).href;
  }
  return pages;
}

/** The rows of every page, in order. */
export function rowsOf(pages: readonly { page: ODataPage }[]): Record<string, unknown>[] {
  return pages.flatMap(({ page }) => page.Value);
}

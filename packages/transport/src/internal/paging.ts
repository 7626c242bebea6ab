import { PartnerCenterError } from '../errors.js';
import type {
  ByPageOptions,
  JsonResponse,
  Page,
  PagedAsyncIterable,
  PageRequestOptions,
  RequestOptions,
} from '../types.js';
import { type RequestTarget, resolveTarget } from './requestTarget.js';
import { sanitizeUrl } from './sanitize.js';

/** What the pager needs from the transport. */
export interface PagerDependencies {
  /** The base URL's origin: the only origin a next link may point at. */
  readonly origin: string;
  /** Resolves the first page's path and query (and checks its origin). */
  readonly resolve: (pathOrUrl: string, query: RequestOptions['query']) => RequestTarget;
  /** GETs one target as one logical call. */
  readonly fetchTarget: (target: RequestTarget, options: RequestOptions) => Promise<JsonResponse>;
  /** Runs the page parser. */
  readonly parse: <TItem>(response: JsonResponse, options: PageRequestOptions<TItem>) => Page<TItem>;
}

/** Builds `paginate`: follows `@nextLink` verbatim (absolute or relative), same origin only. */
export function createPager(deps: PagerDependencies): {
  paginate<TItem>(pathOrUrl: string, options: PageRequestOptions<TItem>): PagedAsyncIterable<TItem>;
} {
  /** Resolves a next link against the page that carried it and refuses any other origin. */
  function nextTarget(link: string, current: string, response: JsonResponse | undefined): RequestTarget {
    try {
      return resolveTarget({
        raw: link,
        relativeTo: current,
        origin: deps.origin,
        foreignCode: 'FOREIGN_NEXT_LINK',
        ...(response ? { context: ` (@nextLink of request id ${response.requestId})` } : {}),
      });
    } catch (error) {
      if (response === undefined || !(error instanceof PartnerCenterError)) throw error;
      throw new PartnerCenterError({
        code: error.code,
        message: error.message,
        requestId: response.requestId,
        correlationId: response.correlationId,
        ...(error.url !== undefined ? { url: error.url } : {}),
        cause: error.cause,
      });
    }
  }

  async function* pages<TItem>(
    pathOrUrl: string,
    options: PageRequestOptions<TItem>,
    byPageOptions: ByPageOptions | undefined,
  ): AsyncGenerator<Page<TItem>> {
    const callOptions: RequestOptions = {
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      ...(options.correlationId !== undefined ? { correlationId: options.correlationId } : {}),
      ...(options.headers !== undefined ? { headers: options.headers } : {}),
    };
    const first = deps.resolve(pathOrUrl, options.query);
    // A saved relative link resolves against the first page's URL, as it did when it was followed.
    let target =
      byPageOptions?.continuationToken !== undefined
        ? nextTarget(byPageOptions.continuationToken, first.href, undefined)
        : first;
    const seen = new Set<string>([target.href]);
    for (;;) {
      const response = await deps.fetchTarget(target, callOptions);
      const page = deps.parse(response, options);
      yield page;
      const link = page.nextLink;
      if (typeof link !== 'string' || link.length === 0) return;
      const next = nextTarget(link, target.href, response);
      if (seen.has(next.href)) {
        throw new PartnerCenterError({
          code: 'PAGING',
          message: `The @nextLink points at a page read before (a loop): ${sanitizeUrl(next.href)} [request id ${response.requestId}]`,
          requestId: response.requestId,
          correlationId: response.correlationId,
          url: sanitizeUrl(target.href),
        });
      }
      seen.add(next.href);
      target = next;
    }
  }

  return {
    paginate<TItem>(pathOrUrl: string, options: PageRequestOptions<TItem>): PagedAsyncIterable<TItem> {
      return {
        byPage: (byPageOptions?: ByPageOptions) => pages(pathOrUrl, options, byPageOptions),
        async *[Symbol.asyncIterator]() {
          for await (const page of pages(pathOrUrl, options, undefined)) yield* page.items;
        },
      };
    },
  };
}

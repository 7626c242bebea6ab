import { randomUUID } from 'node:crypto';
import type { Page as ModelPage, RejectedRow } from '@pc/models';
import { buildQuery } from '@pc/odata-query';
import type { DeferredJsonResponse, JsonResponse, RequestOptions, Transport } from '@pc/transport';
import { isPartnerCenterError, PartnerCenterError, resolveNextLink } from '@pc/transport';
import type { RowPage } from '../rowStream.js';
import { decodeError } from './decodeError.js';
import { canonicalUrl, predictRun, withSkip } from './linkPrediction.js';
import { schedulePages } from './pageScheduler.js';
import type { ReadPlan } from './readPlan.js';
import { ReadGuard, SnapshotWatch } from './readGuards.js';
import type { ThrottleState } from './throttleState.js';

type Row = Record<string, unknown>;

/** The progress event of each page a read yields. */
export interface PageEvent {
  readonly endpointId: string;
  readonly pageIndex: number;
  readonly rows: number;
  readonly rowsSoFar: number;
  readonly totalCount: number | null;
}

/** The rows of one page set aside as unusable (`invalidRows: 'report'`). */
export interface InvalidRowsEvent {
  readonly endpointId: string;
  /** 0-based index of the page in the read. */
  readonly pageIndex: number;
  /** The `MS-RequestId` of the page's response. */
  readonly requestId: string;
  /** The rows set aside, each with its JSON path in the page body and what is wrong with it. */
  readonly rows: readonly RejectedRow[];
}

/** What a read needs from its client. */
export interface ReaderContext {
  readonly transport: Transport;
  readonly throttle: ThrottleState;
  readonly onPage?: ((event: PageEvent) => void) | undefined;
  /** Rows set aside under `invalidRows: 'report'`. */
  readonly onInvalidRows?: ((event: InvalidRowsEvent) => void) | undefined;
  /** A read restarted because the data was refreshed under it. */
  readonly onWarning?: ((message: string) => void) | undefined;
  /** `MS-CorrelationId` of the read's requests; default a new one per read (one read = one operation). */
  readonly correlationId?: string | undefined;
  /** Called once when the read starts (the deprecation warning). */
  readonly onStart?: (() => void) | undefined;
}

/** A page read and validated, with the response it came in and the URL it was asked at. */
interface FetchedPage {
  readonly page: ModelPage<Row>;
  readonly response: Omit<JsonResponse<unknown>, 'body'>;
}

type PageQuery = ReadonlyArray<readonly [string, string]>;

const emptyPage: ModelPage<Row> = Object.freeze({
  items: [],
  nextLink: null,
  nextLinkHeaders: null,
  totalCount: null,
  rejected: [],
}) as ModelPage<Row>;

function requestOptions(
  context: ReaderContext,
  signal: AbortSignal | undefined,
  query?: PageQuery,
  headers?: Readonly<Record<string, string>> | null,
): RequestOptions {
  return {
    ...(query === undefined ? {} : { query }),
    ...(signal === undefined ? {} : { signal }),
    ...(context.correlationId === undefined ? {} : { correlationId: context.correlationId }),
    ...(headers === undefined || headers === null ? {} : { headers }),
  };
}

/** Validates and normalizes a page body; `204 No Content` is an empty last page. */
function parsePage(plan: ReadPlan, body: unknown, response: FetchedPage['response']): FetchedPage {
  if (response.status === 204) return { page: emptyPage, response };
  const result = plan.pageSchema.safeParse(body);
  if (!result.success) throw decodeError({ endpointId: plan.descriptor.id, error: result.error, response });
  return { page: result.data as ModelPage<Row>, response };
}

async function fetchPage(
  plan: ReadPlan,
  context: ReaderContext,
  target: string,
  options: RequestOptions,
): Promise<FetchedPage> {
  const response = await context.transport.getJson<unknown>(target, options);
  return parsePage(plan, response.body, response);
}

/** A page fetched ahead: its body's bytes (parsed when its turn comes), or the page itself. */
type AheadPage = { readonly deferred: DeferredJsonResponse<unknown> } | { readonly fetched: FetchedPage };

/**
 * Fetches a page ahead of its turn. With a transport that can defer the parse, the page waits in
 * the window as bytes (off the JS heap); a transport without `getDeferredJson` parses at once.
 */
async function fetchAhead(
  plan: ReadPlan,
  context: ReaderContext,
  target: string,
  signal: AbortSignal,
): Promise<AheadPage> {
  const { transport } = context;
  const options = requestOptions(context, signal);
  if (transport.getDeferredJson === undefined)
    return { fetched: await fetchPage(plan, context, target, options) };
  return { deferred: await transport.getDeferredJson<unknown>(target, options) };
}

/**
 * Parses a page fetched ahead. A body that is not JSON is asked for again through `getJson`, whose
 * retries cover malformed bodies, as an eager read would have done.
 */
async function decodeAhead(
  plan: ReadPlan,
  ahead: AheadPage,
  again: () => Promise<FetchedPage>,
): Promise<FetchedPage> {
  if ('fetched' in ahead) return ahead.fetched;
  let body: unknown;
  try {
    body = ahead.deferred.json();
  } catch (error) {
    if (isPartnerCenterError(error) && error.code === 'DECODE') return again();
    throw error;
  }
  return parsePage(plan, body, ahead.deferred);
}

function snapshotOf(rows: readonly Row[]): string | undefined {
  const value = rows[0]?.processedDateTime;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The caller's snapshot in the rows' form (ISO-8601 UTC; a date-time without offset is UTC). */
function snapshotText(value: string | Date | undefined): string | null {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  const time = Date.parse(/T[^Z+-]*$/.test(value) ? `${value}Z` : value);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

/** Raised inside a read when a service's processing date changed between pages. */
class SnapshotMoved extends Error {
  constructor(readonly change: { service: string; before: string | null; after: string | null }) {
    super('snapshot moved');
  }
}

/**
 * Reads an endpoint page by page, by the server's word: the read ends when a page's next link is
 * null or absent, and at nothing else (not a short page, not `TotalCount`). See decision 0009.
 *
 * - Page 0 is requested with the caller's query (a `processedDateTime` only when the caller gave
 *   one). Every later page is the one the previous page's link names, resolved against the page's
 *   URL and refused before sending when it leaves the base URL's origin.
 * - With `concurrency` > 1, on an endpoint that takes `skip`, when a link has the predictable form
 *   (the same query with `skip` advanced by the rows returned), the pages after it are fetched
 *   ahead by `skip`; each is used only once the page before it has named exactly its URL. At the
 *   first mismatch the read drops the speculation and follows the links one by one.
 * - A link seen twice, a page that repeats an earlier one, clearly more rows than `TotalCount`, or
 *   more than `maxPages` pages end the read with a `PAGING` error.
 * - Each service's processing date is watched across pages; on a change the read restarts once
 *   from page 0 (the first page of the new read has `restarted: true`), and a second change ends
 *   it with `SNAPSHOT_CHANGED`. Not when the caller chose the snapshot.
 * - Unusable rows go through `invalidRows`: `throw` (an `INVALID_ROW` error), `skip`, or `report`
 *   (the `onInvalidRows` hook); every page lists its rejected rows either way.
 */
export async function* readPages(
  plan: ReadPlan,
  readerContext: ReaderContext,
  signal: AbortSignal | undefined,
): AsyncGenerator<RowPage<Row>, void, undefined> {
  signal?.throwIfAborted();
  readerContext.onStart?.();
  const context: ReaderContext = {
    ...readerContext,
    correlationId: readerContext.correlationId ?? randomUUID(),
  };
  const id = plan.descriptor.id;
  for (let restarts = 0; ; restarts++) {
    const watch = plan.processedDateTime === undefined ? new SnapshotWatch() : undefined;
    let rowsSoFar = 0;
    let restarted = restarts > 0;
    try {
      for await (const page of readOnce(plan, context, signal)) {
        const change = watch?.check(page.items);
        if (change !== undefined) throw new SnapshotMoved(change);
        rowsSoFar += page.items.length;
        context.onPage?.({
          endpointId: id,
          pageIndex: page.pageIndex,
          rows: page.items.length,
          rowsSoFar,
          totalCount: page.totalCount,
        });
        yield restarted ? { ...page, restarted } : page;
        restarted = false;
      }
      return;
    } catch (error) {
      if (!(error instanceof SnapshotMoved)) throw error;
      const { service, before, after } = error.change;
      if (restarts >= 1) {
        throw new PartnerCenterError({
          code: 'SNAPSHOT_CHANGED',
          message: `${id}: the ${service} data was refreshed again during the read (processedDateTime ${before} -> ${after}), after one restart; try again later, or choose a snapshot (processedDateTime / --processed-date)`,
          retryable: true,
        });
      }
      context.onWarning?.(
        `${id}: the ${service} data was refreshed during the read (processedDateTime ${before} -> ${after}); reading again from the first page`,
      );
    }
  }
}

/** One pass over the pages, without the snapshot watch. */
async function* readOnce(
  plan: ReadPlan,
  context: ReaderContext,
  signal: AbortSignal | undefined,
): AsyncGenerator<RowPage<Row>, void, undefined> {
  const id = plan.descriptor.id;
  const origin = new URL(context.transport.baseUrl).origin;
  const guard = new ReadGuard({ endpointId: id, maxPages: plan.maxPages });
  const takesTop = plan.descriptor.queryOptions.includes('top');
  const wanted = plan.top ?? Number.POSITIVE_INFINITY;
  let yielded = 0;
  let pageIndex = 0;

  /** Applies the row policy, the guards and `top`; returns the page to hand out. */
  const toRowPage = (fetched: FetchedPage): RowPage<Row> => {
    const { page, response } = fetched;
    if (page.rejected.length > 0) {
      if (plan.invalidRows === 'throw') {
        const first = page.rejected[0]!;
        throw new PartnerCenterError({
          code: 'INVALID_ROW',
          message: `${id}: page ${pageIndex + 1} holds ${page.rejected.length === 1 ? 'an unusable row' : `${page.rejected.length} unusable rows`}, the first at ${first.path}: ${first.message} [request id ${response.requestId}]`,
          requestId: response.requestId,
          correlationId: response.correlationId,
          status: response.status,
          retryable: false,
        });
      }
      if (plan.invalidRows === 'report') {
        context.onInvalidRows?.({
          endpointId: id,
          pageIndex,
          requestId: response.requestId,
          rows: page.rejected,
        });
      }
    }
    guard.page(page.items, page.totalCount, response.requestId);
    const room = wanted - yielded;
    const items = page.items.length > room ? page.items.slice(0, room) : page.items;
    const rowPage: RowPage<Row> = {
      items,
      pageIndex,
      skip: yielded,
      totalCount: page.totalCount,
      processedDateTime: snapshotOf(items) ?? snapshotText(plan.processedDateTime),
      requestId: response.requestId,
      rejected: page.rejected,
      restarted: false,
    };
    yielded += items.length;
    pageIndex += 1;
    return rowPage;
  };

  /** The absolute URL a page's link names (refused before sending when it leaves the origin). */
  const nextHref = (fetched: FetchedPage): string => {
    try {
      return resolveNextLink(fetched.page.nextLink as string, fetched.response.url, origin);
    } catch (error) {
      if (!isPartnerCenterError(error)) throw error;
      throw new PartnerCenterError({
        code: error.code,
        message: `${id}: ${error.message} [request id ${fetched.response.requestId}]`,
        requestId: fetched.response.requestId,
        correlationId: fetched.response.correlationId,
        retryable: false,
        cause: error,
      });
    }
  };
  const finished = (fetched: FetchedPage): boolean => fetched.page.nextLink === null || yielded >= wanted;

  const firstQuery = buildQuery({
    ...(plan.filter === undefined ? {} : { filter: plan.filter }),
    ...(plan.groupby === undefined ? {} : { groupby: plan.groupby }),
    ...(takesTop ? { top: Math.min(plan.pageSize, wanted) } : {}),
    ...(plan.processedDateTime === undefined ? {} : { processedDateTime: plan.processedDateTime }),
  });
  guard.beforePage(undefined);
  let current = await fetchPage(plan, context, plan.path, requestOptions(context, signal, firstQuery));
  guard.link(current.response.url, current.response.requestId);
  yield toRowPage(current);

  let speculate = plan.skipPaging && plan.concurrency > 1;
  const startThrottle = context.throttle.events;
  while (!finished(current)) {
    const href = nextHref(current);
    const run =
      speculate && current.page.nextLinkHeaders === null
        ? predictRun(current.response.url, current.page.items.length + current.page.rejected.length, href)
        : undefined;
    if (run === undefined) {
      guard.beforePage(current.response.requestId);
      guard.link(href, current.response.requestId);
      current = await fetchPage(
        plan,
        context,
        href,
        requestOptions(context, signal, undefined, current.page.nextLinkHeaders),
      );
      yield toRowPage(current);
      continue;
    }
    // Speculation: page k of the run is `run.first` with skip advanced by k steps; it is used
    // only after page k - 1 has named exactly that URL.
    const predicted = (k: number): string =>
      k === 0 ? run.first : withSkip(run.first, run.firstSkip + k * run.step);
    const confirmedBy = (fetched: FetchedPage, k: number): boolean => {
      if (fetched.page.nextLink === null || fetched.page.nextLinkHeaders !== null) return false;
      try {
        return canonicalUrl(nextHref(fetched)) === canonicalUrl(predicted(k + 1));
      } catch {
        // A link that cannot be followed is refused by the sequential path, after this page.
        return false;
      }
    };
    const pagesBefore = pageIndex;
    const largestTotal = current.page.totalCount;
    const pages = schedulePages<FetchedPage, AheadPage>({
      firstIndex: 0,
      signal,
      fetch: (k, pageSignal) => fetchAhead(plan, context, predicted(k), pageSignal),
      decode: (ahead, k) =>
        decodeAhead(plan, ahead, () =>
          fetchPage(plan, context, predicted(k), requestOptions(context, signal)),
        ),
      isLast: (fetched, k) => yielded + fetched.page.items.length >= wanted || !confirmedBy(fetched, k),
      concurrency: () => (context.throttle.events > startThrottle ? 1 : plan.concurrency),
      shouldLaunch: (k) => {
        const skip = run.firstSkip + k * run.step;
        return (
          skip - run.firstSkip + yielded < wanted &&
          (largestTotal === null || skip < largestTotal) &&
          pagesBefore + k < plan.maxPages
        );
      },
    });
    for await (const fetched of pages) {
      guard.beforePage(current.response.requestId);
      guard.link(fetched.response.url, current.response.requestId);
      current = fetched;
      yield toRowPage(fetched);
    }
    // The run ended: at the last page, at `top`, or at a link that broke the prediction. From
    // here on, the links are followed one by one.
    speculate = false;
  }
}

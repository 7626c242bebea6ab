import { randomUUID } from 'node:crypto';
import type { Page as ModelPage } from '@pc/models';
import { buildQuery } from '@pc/odata-query';
import type { DeferredJsonResponse, JsonResponse, Transport } from '@pc/transport';
import { isPartnerCenterError, PartnerCenterError } from '@pc/transport';
import type { RowPage } from '../rowStream.js';
import { decodeError } from './decodeError.js';
import { schedulePages } from './pageScheduler.js';
import type { ReadPlan } from './readPlan.js';
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

/** What a read needs from its client. */
export interface ReaderContext {
  readonly transport: Transport;
  readonly throttle: ThrottleState;
  readonly onPage?: ((event: PageEvent) => void) | undefined;
  /** `MS-CorrelationId` of the read's requests; default a new one per read (one read = one operation). */
  readonly correlationId?: string | undefined;
  /** Called once when the read starts (the deprecation warning). */
  readonly onStart?: (() => void) | undefined;
}

interface FetchedPage {
  readonly page: ModelPage<Row>;
  readonly response: Omit<JsonResponse<unknown>, 'body'>;
}

type PageQuery = ReadonlyArray<readonly [string, string]>;

function requestOptions(context: ReaderContext, query: PageQuery, signal: AbortSignal | undefined) {
  const correlation = context.correlationId === undefined ? {} : { correlationId: context.correlationId };
  return signal === undefined ? { query, ...correlation } : { query, signal, ...correlation };
}

/** Validates and normalizes a page body (a `DECODE` error naming the bad field otherwise). */
function parsePage(plan: ReadPlan, body: unknown, response: FetchedPage['response']): FetchedPage {
  const result = plan.pageSchema.safeParse(body);
  if (!result.success) throw decodeError({ endpointId: plan.descriptor.id, error: result.error, response });
  return { page: result.data, response };
}

async function fetchPage(
  plan: ReadPlan,
  context: ReaderContext,
  target: string,
  query: PageQuery,
  signal: AbortSignal | undefined,
): Promise<FetchedPage> {
  const response = await context.transport.getJson<unknown>(target, requestOptions(context, query, signal));
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
  query: PageQuery,
  signal: AbortSignal,
): Promise<AheadPage> {
  const { transport } = context;
  if (transport.getDeferredJson === undefined)
    return { fetched: await fetchPage(plan, context, target, query, signal) };
  return {
    deferred: await transport.getDeferredJson<unknown>(target, requestOptions(context, query, signal)),
  };
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

/**
 * Reads an endpoint page by page.
 *
 * Endpoints that take `top`/`skip`: page 0 is requested with the caller's query; the snapshot is
 * then pinned (the caller's `processedDateTime`, or that of page 0's rows) and the remaining pages
 * are requested by `skip` through {@link schedulePages}: at most `concurrency` requests in flight
 * (1 once the server throttles), yielded in order, stopping at the first short or empty page, a
 * null `nextLink`, or `top` rows. The result is the same as a sequential read.
 *
 * Other endpoints (the legacy ones, or a module's without `skip`): one request with the query
 * options the endpoint takes, then `nextLink` verbatim, one page at a time; `top` trims locally.
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
  let rowsSoFar = 0;
  const emit = (page: RowPage<Row>): RowPage<Row> => {
    rowsSoFar += page.items.length;
    context.onPage?.({
      endpointId: plan.descriptor.id,
      pageIndex: page.pageIndex,
      rows: page.items.length,
      rowsSoFar,
      totalCount: page.totalCount,
    });
    return page;
  };
  if (plan.skipPaging) {
    for await (const page of readBySkip(plan, context, signal)) yield emit(page);
  } else {
    for await (const page of readByNextLink(plan, context, signal)) yield emit(page);
  }
}

/** What the rest of a `skip` read needs from page 0 (not page 0's rows). */
interface FirstPageFacts {
  /** The snapshot later pages ask for. */
  readonly pinned: string | Date | undefined;
  readonly reportedSnapshot: string | null;
  readonly totalCount: number | null;
  readonly last: boolean;
}

/** Returns the page a holder holds and empties the holder. */
function takePage(holder: { page?: RowPage<Row> }): RowPage<Row> {
  const page = holder.page!;
  delete holder.page;
  return page;
}

async function* readBySkip(
  plan: ReadPlan,
  context: ReaderContext,
  signal: AbortSignal | undefined,
): AsyncGenerator<RowPage<Row>, void, undefined> {
  const { pageSize, top } = plan;
  const requestedTop = (index: number): number =>
    top === undefined ? pageSize : Math.min(pageSize, top - index * pageSize);
  const queryFor = (index: number, snapshot: string | Date | undefined) =>
    buildQuery({
      ...(plan.filter === undefined ? {} : { filter: plan.filter }),
      ...(plan.groupby === undefined ? {} : { groupby: plan.groupby }),
      top: requestedTop(index),
      ...(index === 0 ? {} : { skip: index * pageSize }),
      ...(snapshot === undefined ? {} : { processedDateTime: snapshot }),
    });
  const isLast = (fetched: FetchedPage, index: number): boolean => {
    const count = fetched.page.items.length;
    return (
      count === 0 ||
      count < requestedTop(index) ||
      fetched.page.nextLink === null ||
      (top !== undefined && (index + 1) * pageSize >= top)
    );
  };
  const startThrottle = context.throttle.events;
  const toRowPage = (fetched: FetchedPage, index: number, head: FirstPageFacts): RowPage<Row> => {
    const wanted = requestedTop(index);
    const items =
      fetched.page.items.length > wanted ? fetched.page.items.slice(0, wanted) : fetched.page.items;
    return {
      items,
      pageIndex: index,
      skip: index * pageSize,
      totalCount: fetched.page.totalCount ?? head.totalCount,
      processedDateTime: head.reportedSnapshot,
      requestId: fetched.response.requestId,
    };
  };
  // Page 0 is read by a helper and handed over through `head.page`, emptied as it is yielded: a
  // generator's locals stay alive for the whole read, and page 0 must not outlive its turn (the
  // concurrency + 1 pages bound).
  const head = await (async (): Promise<FirstPageFacts & { page?: RowPage<Row> }> => {
    const first = await fetchPage(plan, context, plan.path, queryFor(0, plan.processedDateTime), signal);
    const firstSnapshot = snapshotOf(first.page.items);
    const facts: FirstPageFacts = {
      pinned: plan.processedDateTime ?? (plan.canPin ? firstSnapshot : undefined),
      reportedSnapshot: firstSnapshot ?? snapshotText(plan.processedDateTime),
      totalCount: first.page.totalCount,
      last: isLast(first, 0),
    };
    return { ...facts, page: toRowPage(first, 0, facts) };
  })();
  yield takePage(head);
  if (head.last) return;
  const pages = schedulePages<FetchedPage, AheadPage>({
    firstIndex: 1,
    signal,
    fetch: (index, pageSignal) =>
      fetchAhead(plan, context, plan.path, queryFor(index, head.pinned), pageSignal),
    decode: (ahead, index) =>
      decodeAhead(plan, ahead, () =>
        fetchPage(plan, context, plan.path, queryFor(index, head.pinned), signal),
      ),
    isLast,
    concurrency: () => (context.throttle.events > startThrottle ? 1 : plan.concurrency),
    shouldLaunch: (index) =>
      (top === undefined || index * pageSize < top) &&
      (head.totalCount === null || index * pageSize < head.totalCount),
  });
  let index = 1;
  for await (const fetched of pages) {
    yield toRowPage(fetched, index, head);
    index += 1;
  }
}

async function* readByNextLink(
  plan: ReadPlan,
  context: ReaderContext,
  signal: AbortSignal | undefined,
): AsyncGenerator<RowPage<Row>, void, undefined> {
  const seen = new Set<string>();
  const takesTop = plan.descriptor.queryOptions.includes('top');
  // The first request carries the query options the endpoint takes (none on the legacy ones; a
  // module's endpoint may take filter or groupby without skip); the nextLinks carry them on.
  let query: ReadonlyArray<readonly [string, string]> = buildQuery({
    ...(plan.filter === undefined ? {} : { filter: plan.filter }),
    ...(plan.groupby === undefined ? {} : { groupby: plan.groupby }),
    ...(plan.top === undefined || !takesTop ? {} : { top: Math.min(plan.top, plan.pageSize) }),
    ...(plan.processedDateTime === undefined ? {} : { processedDateTime: plan.processedDateTime }),
  });
  let target = plan.path;
  let skip = 0;
  let pageIndex = 0;
  while (true) {
    const fetched = await fetchPage(plan, context, target, query, signal);
    query = [];
    let items = fetched.page.items;
    const remaining = plan.top === undefined ? Number.POSITIVE_INFINITY : plan.top - skip;
    if (items.length > remaining) items = items.slice(0, remaining);
    yield {
      items,
      pageIndex,
      skip,
      totalCount: fetched.page.totalCount,
      processedDateTime: snapshotOf(items) ?? null,
      requestId: fetched.response.requestId,
    };
    skip += items.length;
    pageIndex += 1;
    const next = fetched.page.nextLink;
    if (next === null || items.length === 0 || skip >= (plan.top ?? Number.POSITIVE_INFINITY)) return;
    if (seen.has(next)) {
      throw new PartnerCenterError({
        code: 'DECODE',
        message: `${plan.descriptor.id}: the server sent the same nextLink twice; stopping to avoid a loop [request id ${fetched.response.requestId}]`,
        requestId: fetched.response.requestId,
        retryable: false,
      });
    }
    seen.add(next);
    target = next;
  }
}

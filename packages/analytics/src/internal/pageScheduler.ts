/**
 * The ordered sliding window behind concurrent paging: pages are fetched by index with at most
 * `concurrency()` requests in flight, and yielded strictly in index order. The window never runs
 * ahead of the consumer by more than `concurrency` pages, so memory stays bounded by
 * `concurrency + 1` pages (the window plus the page the consumer holds), whatever the total.
 * A fetch may return the page in a compact form (`R`, the body's bytes) that `decode` turns into
 * the page (`P`) only when it is the page's turn: the pages waiting in the window then cost their
 * bytes, not a parsed object graph that V8 would promote to the old generation.
 */
export interface PageSchedulerOptions<P, R = P> {
  /** Fetches page `index` (0-based). The signal aborts when the read ends early or fails. */
  fetch(index: number, signal: AbortSignal): Promise<R>;
  /** Turns a fetched page into the page, in index order when its turn comes (default: as is). */
  decode?(fetched: R, index: number): P | Promise<P>;
  /** True when `page` (at `index`) is the last one: no later page is fetched or yielded. */
  isLast(page: P, index: number): boolean;
  /** The number of requests allowed in flight now; read before each launch (it may drop mid-read). */
  concurrency(): number;
  /**
   * Whether to launch page `index` speculatively (e.g. not beyond the server's total). When it says
   * no and nothing is in flight, the page is fetched anyway: the hint never ends a read.
   */
  shouldLaunch?(index: number): boolean;
  /** Index of the first page to fetch, default 0. */
  readonly firstIndex?: number;
  /** Aborts the read and every request in flight. */
  readonly signal?: AbortSignal | undefined;
}

type Settled<P> = { readonly ok: true; readonly page: P } | { readonly ok: false; readonly error: unknown };

/** Yields the pages in order; see {@link PageSchedulerOptions}. */
export async function* schedulePages<P, R = P>(
  options: PageSchedulerOptions<P, R>,
): AsyncGenerator<P, void, undefined> {
  const controller = new AbortController();
  const signal =
    options.signal === undefined ? controller.signal : AbortSignal.any([options.signal, controller.signal]);
  const inFlight = new Map<number, Promise<Settled<R>>>();
  let nextToLaunch = options.firstIndex ?? 0;
  let nextToYield = nextToLaunch;

  const launch = (index: number): void => {
    // A signal per request: the HTTP client hangs its abort listener on it, not on the read's
    // shared signal (which would collect one per request in flight and trip Node's listener warning).
    const requestSignal = AbortSignal.any([signal]);
    const settled = Promise.resolve()
      .then(() => options.fetch(index, requestSignal))
      .then(
        (page): Settled<R> => ({ ok: true, page }),
        (error: unknown): Settled<R> => ({ ok: false, error }),
      );
    inFlight.set(index, settled);
  };

  /** Launches requests until `concurrency()` are in flight (or the hint says the end is near). */
  const fill = (): void => {
    const limit = Math.max(1, Math.floor(options.concurrency()));
    while (inFlight.size < limit) {
      if (inFlight.size > 0 && options.shouldLaunch !== undefined && !options.shouldLaunch(nextToLaunch))
        break;
      launch(nextToLaunch);
      nextToLaunch += 1;
    }
  };

  try {
    while (true) {
      signal.throwIfAborted();
      fill();
      // nextToYield <= nextToLaunch - 1 always holds here, so its request is in the window.
      const result = await inFlight.get(nextToYield)!;
      inFlight.delete(nextToYield);
      if (!result.ok) throw result.error;
      const index = nextToYield;
      nextToYield += 1;
      const page =
        options.decode === undefined
          ? (result.page as unknown as P)
          : await options.decode(result.page, index);
      if (options.isLast(page, index)) {
        controller.abort();
        yield page;
        return;
      }
      // Refill the window before handing the page over, not once the consumer is done with it:
      // `concurrency` requests stay in flight while it works (the bound stays concurrency + 1 pages).
      fill();
      yield page;
    }
  } finally {
    // Early exit (break, error, abort): cancel what is still running. Settled promises never reject.
    if (!controller.signal.aborted) controller.abort();
  }
}

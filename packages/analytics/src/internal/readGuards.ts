import { createHash } from 'node:crypto';
import { PartnerCenterError } from '@pc/transport';
import { canonicalUrl } from './linkPrediction.js';

type Row = Record<string, unknown>;

/** The default page limit of one read (`maxPages`): 10^4 pages, 10^8 rows at full pages. */
export const defaultMaxPages = 10_000;

function pagingError(message: string, requestId?: string): PartnerCenterError {
  return new PartnerCenterError({
    code: 'PAGING',
    message,
    retryable: false,
    ...(requestId === undefined ? {} : { requestId }),
  });
}

/**
 * Keeps a read from running away when the server breaks its own paging (issue 20, "Runaway
 * reads"): a link seen twice, a page that repeats an earlier page (a server that ignores `skip`),
 * clearly more rows than the server's `TotalCount`, or more pages than `maxPages`.
 */
export class ReadGuard {
  readonly #endpointId: string;
  readonly #maxPages: number;
  readonly #links = new Set<string>();
  readonly #pages = new Set<string>();
  #pageCount = 0;
  #rows = 0;
  #largestTotal = -1;
  #largestPage = 0;

  constructor(options: { readonly endpointId: string; readonly maxPages: number }) {
    this.#endpointId = options.endpointId;
    this.#maxPages = options.maxPages;
  }

  /** Records a URL about to be requested as the read's next page; a second visit is an error. */
  link(href: string, requestId: string | undefined): void {
    const key = canonicalUrl(href);
    if (this.#links.has(key)) {
      throw pagingError(
        `${this.#endpointId}: the server's next link points at a page already read (${new URL(href).pathname}...); stopping instead of looping${requestId === undefined ? '' : ` [request id ${requestId}]`}`,
        requestId,
      );
    }
    this.#links.add(key);
  }

  /** Whether the page after `pages` pages may still be requested (throws past `maxPages`). */
  beforePage(requestId: string | undefined): void {
    if (this.#pageCount >= this.#maxPages) {
      throw pagingError(
        `${this.#endpointId}: the server still sends a next link after ${this.#maxPages} pages (${this.#rows} rows); stopping. Raise the page limit (maxPages, --max-pages) if the data really is this large${requestId === undefined ? '' : ` [request id ${requestId}]`}`,
        requestId,
      );
    }
  }

  /** Checks a page before it is handed out (its rows are the usable rows the read will yield). */
  page(rows: readonly Row[], totalCount: number | null, requestId: string): void {
    this.#pageCount += 1;
    if (totalCount !== null && totalCount > this.#largestTotal) this.#largestTotal = totalCount;
    if (rows.length > this.#largestPage) this.#largestPage = rows.length;
    if (rows.length > 0) {
      const fingerprint = createHash('sha1')
        .update(
          `${rows.length}\u0000${JSON.stringify(rows[0])}\u0000${JSON.stringify(rows[rows.length - 1])}`,
        )
        .digest('base64');
      if (this.#pages.has(fingerprint)) {
        throw pagingError(
          `${this.#endpointId}: page ${this.#pageCount} repeats an earlier page (the server may be ignoring skip); stopping instead of writing the same rows again [request id ${requestId}]`,
          requestId,
        );
      }
      this.#pages.add(fingerprint);
    }
    this.#rows += rows.length;
    if (this.#largestTotal >= 0) {
      const limit = this.#largestTotal + Math.max(Math.ceil(this.#largestTotal / 10), this.#largestPage);
      if (this.#rows > limit) {
        throw pagingError(
          `${this.#endpointId}: the server sent ${this.#rows} rows so far, clearly more than its TotalCount of ${this.#largestTotal}; stopping [request id ${requestId}]`,
          requestId,
        );
      }
    }
  }
}

/**
 * Watches each service's processing date across the pages of a read (fidelity finding A1: the
 * date differs by service, and a refresh moves one service at a time). Reports the first service
 * whose date changes.
 */
export class SnapshotWatch {
  readonly #dates = new Map<string, string | null>();
  #lastService: unknown = Symbol('none');
  #lastDate: unknown = Symbol('none');

  /** The first change in these rows, or undefined. */
  check(
    rows: readonly Row[],
  ): { readonly service: string; readonly before: string | null; readonly after: string | null } | undefined {
    for (let index = 0; index < rows.length; index++) {
      const row = rows[index]!;
      const service = row.serviceCode ?? row.serviceName ?? null;
      const date = row.processedDateTime ?? null;
      // A row without a date (grouped rows, a quirky null) says nothing about a refresh.
      if (date === null || (service === this.#lastService && date === this.#lastDate)) continue;
      const key = service === null ? '' : String(service);
      const text = String(date);
      if (!this.#dates.has(key)) this.#dates.set(key, text);
      else if (this.#dates.get(key) !== text) {
        return {
          service: key === '' ? '(no service)' : key,
          before: this.#dates.get(key) ?? null,
          after: text,
        };
      }
      this.#lastService = service;
      this.#lastDate = date;
    }
    return undefined;
  }
}

import type { Dispatcher } from 'undici';
import type { QueryParams } from './encodeQuery.js';
import type { PartnerCenterErrorCode } from './errors.js';
import type { TokenProvider } from './tokenProvider.js';

/** Retry settings; every field has a default. */
export interface RetryOptions {
  /** Attempts per logical call, the first included; default 6. `1` disables retries. */
  readonly maxAttempts?: number;
  /** Base of the exponential backoff (equal jitter), default 500 ms. */
  readonly baseDelayMs?: number;
  /** Cap of one backoff wait, default 30000 ms. */
  readonly maxDelayMs?: number;
  /** The longest `Retry-After` honoured, default 120000 ms; a longer one fails fast with `THROTTLED`. */
  readonly maxRetryAfterMs?: number;
}

/** Fired when an attempt is about to be sent. */
export interface RequestEvent {
  readonly method: string;
  /** The URL with non-allow-listed query values redacted. */
  readonly url: string;
  readonly requestId: string;
  readonly correlationId: string;
  /** 1-based attempt number. */
  readonly attempt: number;
}

/** Fired when an attempt's response (body included) has been read. */
export interface ResponseEvent {
  readonly status: number;
  /** The sanitized URL. */
  readonly url: string;
  readonly requestId: string;
  readonly attempt: number;
  /** From sending to the end of the body. */
  readonly durationMs: number;
  /** Body size in bytes. */
  readonly bytes: number;
}

/**
 * Fired when an attempt that was sent ends without a complete response: a connection error, a
 * truncated body, a timeout or an abort. With {@link ResponseEvent} it closes every
 * {@link RequestEvent}, except for a 2xx body that is not JSON (its `onResponse` already fired).
 */
export interface AttemptErrorEvent {
  readonly method: string;
  /** The sanitized URL. */
  readonly url: string;
  readonly requestId: string;
  /** 1-based attempt number. */
  readonly attempt: number;
  /** From sending to the failure. */
  readonly durationMs: number;
  /** The error code the attempt would fail with (`NETWORK`, `TIMEOUT`, `ABORTED`...). */
  readonly code: PartnerCenterErrorCode;
  /** A short reason: `'connection reset'`, `'truncated body'`, `'timeout'`, `'aborted'`... */
  readonly reason: string;
}

/** Fired before each retry wait. */
export interface RetryEvent {
  /** The attempt that failed, 1-based. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** The wait before the next attempt. */
  readonly delayMs: number;
  /** Why: `'503'`, `'ECONNRESET'`-style reasons such as `'connection reset'`, `'timeout'`, `'truncated body'`. */
  readonly reason: string;
  /** The HTTP status, when a response arrived. */
  readonly status?: number;
  readonly requestId: string;
  /** True when the wait comes from a 429 or a `Retry-After` header. */
  readonly throttled: boolean;
}

/** Observability hooks; a hook that throws is reported as a process warning and ignored. */
export interface TransportHooks {
  /** Before each attempt is sent. */
  onRequest?(event: RequestEvent): void;
  /** After each response body has been read. */
  onResponse?(event: ResponseEvent): void;
  /** Before each retry wait (including throttle waits). */
  onRetry?(event: RetryEvent): void;
  /** When a sent attempt ends without a response: reset, truncated body, timeout, abort. */
  onAttemptError?(event: AttemptErrorEvent): void;
}

/** Options of {@link createTransport}. */
export interface TransportOptions {
  /** e.g. `https://api.partnercenter.microsoft.com` or `http://127.0.0.1:4010`. Tokens go to this origin only. */
  readonly baseUrl: string;
  /** Supplies the bearer tokens. */
  readonly tokenProvider: TokenProvider;
  /** `X-Locale`, default `en-US`. */
  readonly locale?: string;
  /** `MS-CorrelationId` of every call, default a new UUID per transport; override per call. */
  readonly correlationId?: string;
  /** `MS-PartnerCenter-Application`, sent when set. */
  readonly applicationName?: string;
  /** `User-Agent`, default `pc-transport (Node.js <version>; <platform>)`. */
  readonly userAgent?: string;
  /** Retry settings. */
  readonly retry?: RetryOptions;
  /**
   * Timeout of one attempt, every phase (DNS, connect, proxy tunnel, TLS, headers, body), default 180000 (3 minutes, as the official SDKs); `Infinity` turns it off. */
  readonly attemptTimeoutMs?: number;
  /** Overall deadline of one logical call, retries and waits included; default 900000 (15 minutes). */
  readonly deadlineMs?: number;
  /** An explicit proxy URL; `false` ignores the environment; default: `EnvHttpProxyAgent` when HTTP(S)_PROXY is set. */
  readonly proxy?: string | false;
  /** Keep-alive sockets per origin, default 8. */
  readonly connections?: number;
  /** Observability hooks. */
  readonly hooks?: TransportHooks;
  /** Use this undici dispatcher instead of creating one (it is not closed by `close()`). */
  readonly dispatcher?: Dispatcher;
  /**
   * Extra PEM certificate(s) to trust besides Node's bundled roots, e.g. a corporate TLS-inspecting
   * proxy's CA or `pc-mock --tls`'s certificate. Ignored when `dispatcher` is given.
   */
  readonly ca?: string;
  /**
   * Allow a plain `http://` baseUrl to a host that is not loopback. Off by default: the bearer
   * token would travel in clear (`INVALID_REQUEST` otherwise). Loopback (`localhost`, 127.0.0.0/8,
   * `::1`) is always allowed.
   */
  readonly allowInsecureHttp?: boolean;
  /**
   * The largest response body accepted, in bytes, counted after decompression (gzip, deflate and br
   * are asked for and decoded); default 67108864 (64 MiB). A larger body fails with
   * `RESPONSE_TOO_LARGE`, naming the limit.
   */
  readonly maxResponseBytes?: number;
}

/** Per-call options. */
export interface RequestOptions {
  /** Query parameters, appended to any query the path already has (encoded by {@link encodeQuery}). */
  readonly query?: QueryParams;
  /** Aborts the call, including retry and throttle waits. */
  readonly signal?: AbortSignal;
  /** `MS-CorrelationId` for this call (one operation), instead of the transport's. */
  readonly correlationId?: string;
  /** Extra request headers; they cannot replace `Authorization` or `MS-RequestId`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A parsed JSON response. */
export interface JsonResponse<T = unknown> {
  readonly status: number;
  /** The parsed body (a BOM is stripped first); `null` for an empty body. */
  readonly body: T;
  /** Response headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The `MS-RequestId` the server echoed, or the one sent. */
  readonly requestId: string;
  readonly correlationId: string;
  /** Attempts it took (1 = no retry). */
  readonly attempts: number;
  /** The URL requested (not sanitized: it is the caller's own URL). */
  readonly url: string;
}

/**
 * A 2xx response whose JSON body is kept as bytes until {@link DeferredJsonResponse.json} is
 * called (see {@link Transport.getDeferredJson}).
 */
export interface DeferredJsonResponse<T = unknown> extends Omit<JsonResponse<T>, 'body'> {
  /** Body size in bytes. */
  readonly bytes: number;
  /**
   * Decodes and parses the body (a BOM is stripped; `null` for an empty body) and lets go of the
   * bytes, so call it once: a second call throws.
   *
   * @throws PartnerCenterError with code `DECODE` (retryable) when the body is not JSON.
   */
  json(): T;
}

/** One page of a paged collection. */
export interface Page<TItem> {
  readonly items: readonly TItem[];
  /** The `@nextLink` as the server sent it, or `null` on the last page. */
  readonly nextLink: string | null;
  /** The total the server reported, if any (informational only). */
  readonly totalCount?: number | undefined;
  readonly response: JsonResponse<unknown>;
}

/** Extracts items, next link and total from a page body (the SDK knows the envelopes). */
export type PageParser<TItem> = (body: unknown) => {
  items: readonly TItem[];
  nextLink: string | null;
  totalCount?: number | undefined;
};

/** Options of {@link PagedAsyncIterable.byPage}. */
export interface ByPageOptions {
  /**
   * Resume from a saved `nextLink` instead of the first page (same-origin rule applies); a relative
   * link resolves against the first page's URL.
   */
  readonly continuationToken?: string;
}

/** Iterate items with `for await`, or pages with `.byPage()`. Each iteration starts afresh. */
export interface PagedAsyncIterable<TItem> extends AsyncIterable<TItem> {
  /** The pages, each with its items, `nextLink` and response. */
  byPage(options?: ByPageOptions): AsyncIterable<Page<TItem>>;
}

/** Options of {@link Transport.fetchPage} and {@link Transport.paginate}. */
export interface PageRequestOptions<TItem> extends RequestOptions {
  /** Reads items and the next link from a page body. */
  readonly parsePage: PageParser<TItem>;
}

/** A Partner Center HTTP client over one keep-alive undici dispatcher. */
export interface Transport {
  /** The base URL; relative paths resolve against it and tokens go to its origin only. */
  readonly baseUrl: string;
  /** GET and parse JSON, retried; absolute URLs must share the base URL's origin. */
  getJson<T = unknown>(pathOrUrl: string, options?: RequestOptions): Promise<JsonResponse<T>>;
  /**
   * GET with the same headers, retries and errors as {@link Transport.getJson}, but the 2xx body
   * stays compact bytes (off the JS heap) until `json()` is called: a caller that fetches ahead
   * (the SDK's concurrent pages) parses each body only when it is its turn. A body that turns out
   * not to be JSON is not retried here (`json()` throws `DECODE`); ask again with `getJson`.
   * Optional: transports written before it may leave it out.
   */
  getDeferredJson?<T = unknown>(
    pathOrUrl: string,
    options?: RequestOptions,
  ): Promise<DeferredJsonResponse<T>>;
  /** Fetches and parses one page (the SDK runs these concurrently with `skip`/`top`). */
  fetchPage<TItem>(pathOrUrl: string, options: PageRequestOptions<TItem>): Promise<Page<TItem>>;
  /** Follows `@nextLink` verbatim, same origin only, until it is null. */
  paginate<TItem>(pathOrUrl: string, options: PageRequestOptions<TItem>): PagedAsyncIterable<TItem>;
  /** Closes the dispatcher the transport created (not one passed in). */
  close(): Promise<void>;
}

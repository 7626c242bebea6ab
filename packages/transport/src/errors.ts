/**
 * The one error class of `@pc/transport`, its closed union of codes and a type guard that still
 * works when the package is installed twice.
 */

/**
 * What went wrong, as a closed union.
 *
 * - `HTTP_ERROR`: a non-2xx answer other than 401/403/429 (see `status`).
 * - `THROTTLED`: 429 after the retries ran out, or a `Retry-After` longer than `maxRetryAfterMs`.
 * - `TIMEOUT`: an attempt timed out and no retry was left, or the overall deadline passed.
 * - `NETWORK`: connection refused/reset, socket closed, truncated body, DNS failure.
 * - `DECODE`: the body is not valid JSON, or the page parser rejected it.
 * - `AUTH`: 401/403 from the API, or the token endpoint refused the credentials.
 * - `ABORTED`: the caller's `AbortSignal` fired.
 * - `FOREIGN_NEXT_LINK`: a `@nextLink` points at another origin (never followed).
 * - `INVALID_REQUEST`: the call itself is wrong (bad URL, URL of another origin, bad options,
 *   plain http to a host that is not loopback without `allowInsecureHttp`).
 * - `RESPONSE_TOO_LARGE`: one response body passed `maxResponseBytes` (not retried).
 * - `PAGING`: the server's paging broke its own rules, so the read stopped rather than run away:
 *   a next link seen twice, a page that repeats an earlier one, clearly more rows than its
 *   `TotalCount`, or more pages than the caller's limit.
 * - `SNAPSHOT_CHANGED`: the data was refreshed during a read, again after one restart.
 * - `INVALID_ROW`: a row could not be used and the caller's policy says to stop (`invalidRows: 'throw'`).
 */
export type PartnerCenterErrorCode =
  | 'HTTP_ERROR'
  | 'THROTTLED'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'DECODE'
  | 'AUTH'
  | 'ABORTED'
  | 'FOREIGN_NEXT_LINK'
  | 'INVALID_REQUEST'
  | 'RESPONSE_TOO_LARGE'
  | 'PAGING'
  | 'SNAPSHOT_CHANGED'
  | 'INVALID_ROW';

/** The fields a {@link PartnerCenterError} is built from. */
export interface PartnerCenterErrorInit {
  /** The machine-readable error code. */
  code: PartnerCenterErrorCode;
  /** A human-readable message; it must never hold a token or a secret. */
  message: string;
  /** The HTTP status, when a response arrived. */
  status?: number;
  /** Partner Center's own error code (`code` or `statusCode` of the error body). */
  pcCode?: string | number;
  /** Partner Center's error text (`description` or `message` of the error body). */
  description?: string;
  /** The `MS-RequestId` the server echoed, or the one sent. */
  requestId?: string;
  /** The `MS-CorrelationId` sent. */
  correlationId?: string;
  /** Whether trying again later may help. Defaults to `false`. */
  retryable?: boolean;
  /** How many attempts were made. Defaults to `0`. */
  attempts?: number;
  /** The request URL, sanitized. */
  url?: string;
  /** The server's requested wait, in ms, when it sent one. */
  retryAfterMs?: number;
  /** The underlying error. */
  cause?: unknown;
}

const brand = Symbol.for('@pc/transport.PartnerCenterError');

/**
 * Every failure of `@pc/transport` (and of the SDK built on it) is a `PartnerCenterError`.
 * Switch on `code`; read `status`, `pcCode`, `description`, `requestId` and `correlationId` for
 * diagnostics. `message` never contains a token, a secret or a refresh token.
 */
export class PartnerCenterError extends Error {
  override readonly name = 'PartnerCenterError' as const;
  /** The machine-readable error code. */
  readonly code: PartnerCenterErrorCode;
  /** The HTTP status, when a response arrived. */
  readonly status?: number;
  /** Partner Center's own error code, when the body carried one (may be a number). */
  readonly pcCode?: string | number;
  /** Partner Center's error text, when the body carried one. */
  readonly description?: string;
  /** The `MS-RequestId` of the failed call. */
  readonly requestId?: string;
  /** The `MS-CorrelationId` of the failed call. */
  readonly correlationId?: string;
  /** Whether trying again later may help. */
  readonly retryable: boolean;
  /** How many attempts were made before giving up. */
  readonly attempts: number;
  /** The request URL, with every query value not on the allow-list redacted. */
  readonly url?: string;
  /** The wait the server asked for (`Retry-After`), in ms. */
  readonly retryAfterMs?: number;

  /** Builds an error; see {@link PartnerCenterErrorInit} for the fields. */
  constructor(init: PartnerCenterErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    if (init.status !== undefined) this.status = init.status;
    if (init.pcCode !== undefined) this.pcCode = init.pcCode;
    if (init.description !== undefined) this.description = init.description;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.correlationId !== undefined) this.correlationId = init.correlationId;
    this.retryable = init.retryable ?? false;
    this.attempts = init.attempts ?? 0;
    if (init.url !== undefined) this.url = init.url;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    Object.defineProperty(this, brand, { value: true });
  }

  /** `instanceof` that also recognizes errors made by another copy of this package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isPartnerCenterError(value);
  }
}

/**
 * Tells whether `value` is a {@link PartnerCenterError}, also when it was made by another copy of
 * `@pc/transport` (duplicate installs): the check reads a `Symbol.for` brand, not the prototype.
 */
export function isPartnerCenterError(value: unknown): value is PartnerCenterError {
  return typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true;
}

/**
 * Retry decisions: which statuses and errors are transient, the backoff with equal jitter, and
 * `Retry-After` parsing. Pure functions, so they are tested without a network.
 */

/** The resolved retry settings (defaults applied). */
export interface RetrySettings {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterMs: number;
}

/** Retry defaults: 6 attempts, 500 ms base, 30 s cap, 120 s maximum `Retry-After`. */
export const defaultRetrySettings: RetrySettings = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/** 408, 429 and every 5xx except 501 (Not Implemented) and 505 (HTTP Version Not Supported). */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

/** Only idempotent reads are retried. */
export function isRetryableMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

/**
 * The wait before retry number `attempt` (1-based: the attempt that failed), with "equal jitter":
 * half of `min(maxDelay, base * 2^(attempt-1))` plus a random amount up to the other half.
 */
export function backoffDelay(
  attempt: number,
  settings: Pick<RetrySettings, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const clamped = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** exponent);
  const half = clamped / 2;
  return Math.round(half + random() * half);
}

const digitsOnly = /^\s*\d+(\.\d+)?\s*$/;

/**
 * Reads the server's requested wait in ms from `retry-after-ms`, `x-ms-retry-after-ms` or
 * `Retry-After` (delta seconds or an HTTP date; a date in the past means 0). Returns `undefined`
 * when no header is present or none parses.
 */
export function parseRetryAfter(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  now: number = Date.now(),
): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = first(headers[name]);
    if (value !== undefined && digitsOnly.test(value)) return Math.max(0, Math.ceil(Number(value)));
  }
  const value = first(headers['retry-after']);
  if (value === undefined) return undefined;
  if (digitsOnly.test(value)) return Math.max(0, Math.ceil(Number(value) * 1000));
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const networkReasons: Readonly<Record<string, string>> = {
  ECONNRESET: 'connection reset',
  ECONNREFUSED: 'connection refused',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'broken pipe',
  ETIMEDOUT: 'connect timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  ENOTFOUND: 'host not found',
  UND_ERR_SOCKET: 'socket closed',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_HEADERS_TIMEOUT: 'headers timed out',
  UND_ERR_BODY_TIMEOUT: 'body timed out',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'truncated body',
  UND_ERR_CLOSED: 'client closed',
  UND_ERR_DESTROYED: 'client destroyed',
  EPROTO: 'TLS or protocol error',
  UND_ERR_INVALID_ARG: 'invalid request',
  UND_ERR_NOT_SUPPORTED: 'invalid request',
};

const nonRetryableNetworkCodes = new Set([
  'ENOTFOUND',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
]);

/** What a low-level error means for the retry loop. */
export interface NetworkFailure {
  /** The error code (`ECONNRESET`, `UND_ERR_SOCKET`...), or `UNKNOWN`. */
  readonly errorCode: string;
  /** A short reason for hooks and messages (`connection reset`, `truncated body`...). */
  readonly reason: string;
  /** Whether another attempt may succeed. */
  readonly retryable: boolean;
}

/**
 * Classifies an error thrown by undici or the socket. `duringBody` marks failures after the
 * headers arrived: any connection failure then means a truncated body (retried). Before the
 * headers, only the connection errors listed above are retried: an unknown error (a TLS
 * certificate refused, a bug) would fail the same way again, so it fails at once.
 */
export function classifyNetworkError(error: unknown, duringBody: boolean): NetworkFailure {
  const errorCode = findErrorCode(error) ?? 'UNKNOWN';
  const known = networkReasons[errorCode];
  if (known === undefined) {
    return { errorCode, reason: duringBody ? 'truncated body' : 'network error', retryable: duringBody };
  }
  const retryable = !nonRetryableNetworkCodes.has(errorCode);
  return { errorCode, reason: duringBody && retryable ? 'truncated body' : known, retryable };
}

function findErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

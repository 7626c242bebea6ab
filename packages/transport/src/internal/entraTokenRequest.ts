import { STATUS_CODES } from 'node:http';
import type { Dispatcher } from 'undici';
import { undici } from './undici.js';
import { PartnerCenterError } from '../errors.js';
import type { AccessToken } from '../tokenProvider.js';
import { SecretRedactor } from '../redaction.js';
import { abortableDelay, maxTimerMs, raceWithSignal } from './abortableDelay.js';
import { joinChunks, readBody } from './bodyReader.js';
import { proxyFromEnvironment } from './dispatcher.js';
import { guardedProxyClientFactory } from './proxyGuard.js';
import { backoffDelay, classifyNetworkError, isRetryableStatus, parseRetryAfter } from './retryPolicy.js';
import { cleanServerText, sanitizeUrl } from './sanitize.js';

/** One token request to an Entra ID token endpoint. */
export interface EntraTokenRequest {
  readonly tokenUrl: URL;
  /** Form fields, sent as `application/x-www-form-urlencoded`. */
  readonly form: Readonly<Record<string, string>>;
  /** Values that must never appear in a message (secret, refresh token). */
  readonly secrets: ReadonlyArray<string | undefined>;
  readonly dispatcher?: Dispatcher | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs: number;
}

/** The parsed token reply. */
export interface EntraTokenReply {
  readonly accessToken: AccessToken;
  /** A rotated refresh token, when the endpoint sent one. */
  readonly refreshToken?: string;
}

const maxTokenAttempts = 3;
const maxTokenRetryAfterMs = 10_000;
let environmentDispatcher: Dispatcher | undefined;

function defaultDispatcher(): Dispatcher {
  const { EnvHttpProxyAgent, getGlobalDispatcher } = undici();
  if (!proxyFromEnvironment()) return getGlobalDispatcher();
  environmentDispatcher ??= new EnvHttpProxyAgent({ clientFactory: guardedProxyClientFactory() });
  return environmentDispatcher;
}

/**
 * POSTs the form to the token endpoint and parses the reply (v1 sends numbers as strings, v2 as
 * numbers). Network failures, 429 and 5xx are retried up to 3 attempts; an Entra error reply
 * (400 `{error, error_description, error_codes}`) becomes an `AUTH` error naming the error and its
 * AADSTS code, never the secret.
 */
export async function requestEntraToken(request: EntraTokenRequest): Promise<EntraTokenReply> {
  const redactor = new SecretRedactor(request.secrets);
  try {
    return await requestEntraTokenOnce(request, redactor);
  } catch (error) {
    // Every field and the cause chain: a proxy or endpoint may echo the form in any encoding.
    throw redactor.redactError(error);
  }
}

/** The largest token reply read (a real one is a few kB). */
const maxTokenReplyBytes = 1024 * 1024;

async function requestEntraTokenOnce(
  request: EntraTokenRequest,
  redactor: SecretRedactor,
): Promise<EntraTokenReply> {
  const safeUrl = sanitizeUrl(request.tokenUrl);
  const body = new URLSearchParams(request.form).toString();
  const dispatcher = request.dispatcher ?? defaultDispatcher();
  for (let attempt = 1; ; attempt++) {
    if (request.signal?.aborted) throw abortedError(safeUrl, attempt - 1, request.signal.reason);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        controller.abort(new Error('token request timed out'));
      },
      Math.min(request.timeoutMs, maxTimerMs),
    );
    const onAbort = (): void => controller.abort(request.signal?.reason);
    request.signal?.addEventListener('abort', onAbort, { once: true });
    let failure: PartnerCenterError;
    let retryAfterMs: number | undefined;
    try {
      const pending = dispatcher.request({
        origin: request.tokenUrl.origin,
        path: `${request.tokenUrl.pathname}${request.tokenUrl.search}`,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: controller.signal,
      });
      // undici can hold a request queued past its signal (a proxy tunnel loop): the race settles it.
      pending.catch(() => undefined);
      const response = await raceWithSignal(pending, controller.signal);
      const headerValue = response.headers['content-encoding'];
      const raw = joinChunks(
        await readBody(response.body, {
          contentEncoding: Array.isArray(headerValue) ? headerValue.join(', ') : headerValue,
          maxBytes: maxTokenReplyBytes,
        }),
      ).toString('utf8');
      const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      const status = response.statusCode;
      if (status >= 200 && status < 300) return parseReply(text, safeUrl, attempt);
      failure = entraError({ status, text, safeUrl, attempt, redactor });
      retryAfterMs = parseRetryAfter(response.headers);
      if (!isRetryableStatus(status)) throw failure;
    } catch (error) {
      if (error instanceof PartnerCenterError) throw error;
      if (request.signal?.aborted) throw abortedError(safeUrl, attempt, error);
      const network = classifyNetworkError(error, false);
      const reason = timedOut ? `timed out after ${request.timeoutMs} ms` : network.reason;
      failure = new PartnerCenterError({
        code: timedOut ? 'TIMEOUT' : 'NETWORK',
        message: `Token request to ${safeUrl} failed: ${reason}${timedOut ? '' : ` (${network.errorCode})`} after ${attempt} attempt(s)`,
        retryable: timedOut || network.retryable,
        attempts: attempt,
        url: safeUrl,
        cause: error,
      });
      if (!failure.retryable) throw failure;
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
    }
    if (attempt >= maxTokenAttempts) throw failure;
    const delay = retryAfterMs ?? backoffDelay(attempt, { baseDelayMs: 250, maxDelayMs: 2_000 });
    if (delay > maxTokenRetryAfterMs) throw failure;
    try {
      await abortableDelay(delay, request.signal);
    } catch (error) {
      throw abortedError(safeUrl, attempt, error);
    }
  }
}

function abortedError(safeUrl: string, attempts: number, cause: unknown): PartnerCenterError {
  return new PartnerCenterError({
    code: 'ABORTED',
    message: `Token request to ${safeUrl} was aborted`,
    attempts,
    url: safeUrl,
    cause,
  });
}

function parseReply(text: string, safeUrl: string, attempts: number): EntraTokenReply {
  let reply: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) throw new TypeError('not a JSON object');
    reply = parsed as Record<string, unknown>;
  } catch (error) {
    throw new PartnerCenterError({
      code: 'AUTH',
      message: `Token request to ${safeUrl} returned a body that is not a JSON object`,
      attempts,
      url: safeUrl,
      cause: error,
    });
  }
  const token = reply.access_token;
  if (typeof token !== 'string' || token.length === 0) {
    throw new PartnerCenterError({
      code: 'AUTH',
      message: `Token request to ${safeUrl} returned no access_token`,
      attempts,
      url: safeUrl,
    });
  }
  const expiresIn = toNumber(reply.expires_in);
  const expiresOn = toNumber(reply.expires_on);
  const expiresAt =
    expiresIn !== undefined
      ? Date.now() + expiresIn * 1000
      : expiresOn !== undefined
        ? expiresOn * 1000
        : Date.now() + 3_600_000;
  const refreshToken = reply.refresh_token;
  return {
    accessToken: { token, expiresAt },
    ...(typeof refreshToken === 'string' && refreshToken.length > 0 ? { refreshToken } : {}),
  };
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

function entraError(init: {
  status: number;
  text: string;
  safeUrl: string;
  attempt: number;
  redactor: SecretRedactor;
}): PartnerCenterError {
  let error: string | undefined;
  let description: string | undefined;
  let aadsts: string | undefined;
  try {
    const parsed = JSON.parse(init.text) as Record<string, unknown> | null;
    if (typeof parsed?.error === 'string') error = cleanServerText(parsed.error, 128);
    if (typeof parsed?.error_description === 'string')
      description = cleanServerText(parsed.error_description, 1024);
    const codes = parsed?.error_codes;
    if (Array.isArray(codes) && codes.length > 0) aadsts = `AADSTS${String(codes[0])}`;
  } catch {
    // Not JSON (a proxy or gateway page): report the status alone.
    description = undefined;
  }
  const firstLine = description?.split(/\r?\n/)[0]?.trim();
  aadsts ??= /AADSTS\d+/.exec(description ?? '')?.[0];
  const detail = firstLine ?? aadsts;
  const hint =
    error === 'invalid_grant'
      ? '; the refresh token is expired or revoked: sign in again to get a new one'
      : '';
  const message = init.redactor.redact(
    `Token request to ${init.safeUrl} failed: ${init.status} ${error ?? STATUS_CODES[init.status] ?? ''}${detail ? ` (${detail})` : ''}${hint}`,
  );
  const clean = description === undefined ? undefined : init.redactor.redact(description);
  return new PartnerCenterError({
    code: init.status === 429 || init.status >= 500 ? 'HTTP_ERROR' : 'AUTH',
    message,
    status: init.status,
    ...(aadsts !== undefined ? { pcCode: aadsts } : error !== undefined ? { pcCode: error } : {}),
    ...(clean !== undefined ? { description: clean } : {}),
    retryable: isRetryableStatus(init.status),
    attempts: init.attempt,
    url: init.safeUrl,
  });
}

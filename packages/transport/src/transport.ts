import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { PartnerCenterError, type PartnerCenterErrorCode } from './errors.js';
import { abortableDelay, maxTimerMs, raceWithSignal } from './internal/abortableDelay.js';
import {
  acceptEncoding,
  BodyTooLargeError,
  type BodyChunks,
  ContentEncodingError,
  joinChunks,
  readBody,
} from './internal/bodyReader.js';
import {
  attemptErrorChannel,
  requestChannel,
  responseChannel,
  retryChannel,
} from './internal/diagnostics.js';
import { chooseDispatcher } from './internal/dispatcher.js';
import { readErrorBody } from './internal/errorBody.js';
import { refuseInsecureHttp } from './internal/insecureHttp.js';
import { defaultTunnelTimeoutMs } from './internal/proxyGuard.js';
import { createPager } from './internal/paging.js';
import {
  backoffDelay,
  classifyNetworkError,
  defaultRetrySettings,
  isRetryableMethod,
  isRetryableStatus,
  parseRetryAfter,
  type RetrySettings,
} from './internal/retryPolicy.js';
import { type RequestTarget, resolveTarget } from './internal/requestTarget.js';
import { sanitizePath, sanitizeUrl } from './internal/sanitize.js';
import { ThrottleGate } from './internal/throttleGate.js';
import { SecretRedactor } from './redaction.js';
import type { AccessToken } from './tokenProvider.js';
import type {
  AttemptErrorEvent,
  DeferredJsonResponse,
  JsonResponse,
  Page,
  PageRequestOptions,
  RequestOptions,
  RetryEvent,
  Transport,
  TransportHooks,
  TransportOptions,
} from './types.js';

/** The default cap of one response body: 64 MiB (a full page of 10000 rows is about 5 MB). */
const defaultMaxResponseBytes = 64 * 1024 * 1024;

/** `MS-PartnerCenter-Client` value. */
const clientName = 'pc-transport';

/** Why an attempt failed, when it may be retried. */
interface AttemptFailure {
  readonly error: PartnerCenterError;
  readonly reason: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  /** 401: refresh the token once and retry at once. */
  readonly unauthorized?: boolean;
}

/**
 * Creates a Partner Center transport: undici `request` on a keep-alive pool, bearer tokens from
 * `tokenProvider`, Partner Center headers, retries with jitter and `Retry-After`, per-attempt
 * timeouts and an overall deadline, one-pass JSON bodies, same-origin paging and typed errors.
 */
export function createTransport(options: TransportOptions): Transport {
  let base: URL;
  try {
    base = new URL(options.baseUrl);
  } catch (error) {
    throw new PartnerCenterError({
      code: 'INVALID_REQUEST',
      message: `Invalid baseUrl: ${sanitizeUrl(options.baseUrl)}`,
      cause: error,
    });
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw new PartnerCenterError({
      code: 'INVALID_REQUEST',
      message: `baseUrl must be http(s): ${base.protocol}`,
    });
  }
  refuseInsecureHttp(base, { allow: options.allowInsecureHttp === true, what: 'baseUrl' });
  const origin = base.origin;
  const maxResponseBytes = options.maxResponseBytes ?? defaultMaxResponseBytes;
  const gate = new ThrottleGate();
  const redactor = new SecretRedactor();
  /** Removes every credential the token provider knows, in every encoding, from an error. */
  const scrub = <E>(error: E): E => {
    for (const secret of tokenProvider.secrets?.() ?? []) redactor.add(secret);
    return redactor.redactError(error);
  };
  const retry: RetrySettings = {
    maxAttempts: Math.max(1, Math.floor(options.retry?.maxAttempts ?? defaultRetrySettings.maxAttempts)),
    baseDelayMs: options.retry?.baseDelayMs ?? defaultRetrySettings.baseDelayMs,
    maxDelayMs: options.retry?.maxDelayMs ?? defaultRetrySettings.maxDelayMs,
    maxRetryAfterMs: options.retry?.maxRetryAfterMs ?? defaultRetrySettings.maxRetryAfterMs,
  };
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 180_000;
  const deadlineMs = options.deadlineMs ?? 900_000;
  const transportCorrelationId = options.correlationId ?? randomUUID();
  const tokenProvider = options.tokenProvider;
  const hooks = options.hooks;
  const { dispatcher, owned } = chooseDispatcher({
    dispatcher: options.dispatcher,
    proxy: options.proxy,
    connections: options.connections ?? 8,
    ca: options.ca,
    tunnelTimeoutMs: Math.min(defaultTunnelTimeoutMs, options.attemptTimeoutMs ?? defaultTunnelTimeoutMs),
  });
  const locale = options.locale ?? 'en-US';
  const userAgent = options.userAgent ?? `${clientName} (Node.js ${process.version}; ${process.platform})`;
  const applicationName = options.applicationName;
  let closed = false;

  function resolve(pathOrUrl: string, query: RequestOptions['query']): RequestTarget {
    return resolveTarget({ raw: pathOrUrl, relativeTo: base, origin, foreignCode: 'INVALID_REQUEST', query });
  }

  async function getJson<T>(pathOrUrl: string, requestOptions?: RequestOptions): Promise<JsonResponse<T>> {
    return (await execute(
      'GET',
      resolve(pathOrUrl, requestOptions?.query),
      requestOptions,
    )) as JsonResponse<T>;
  }

  async function getDeferredJson<T>(
    pathOrUrl: string,
    requestOptions?: RequestOptions,
  ): Promise<DeferredJsonResponse<T>> {
    return (await execute(
      'GET',
      resolve(pathOrUrl, requestOptions?.query),
      requestOptions,
      true,
    )) as DeferredJsonResponse<T>;
  }

  function execute(
    method: string,
    target: RequestTarget,
    requestOptions: RequestOptions | undefined,
    deferred: true,
  ): Promise<DeferredJsonResponse>;
  function execute(
    method: string,
    target: RequestTarget,
    requestOptions?: RequestOptions,
    deferred?: false,
  ): Promise<JsonResponse>;
  async function execute(
    method: string,
    target: RequestTarget,
    requestOptions?: RequestOptions,
    deferred = false,
  ): Promise<JsonResponse | DeferredJsonResponse> {
    try {
      return await executeAttempts(method, target, requestOptions, deferred);
    } catch (error) {
      throw scrub(error);
    }
  }

  async function executeAttempts(
    method: string,
    target: RequestTarget,
    requestOptions: RequestOptions | undefined,
    deferred: boolean,
  ): Promise<JsonResponse | DeferredJsonResponse> {
    if (closed) {
      throw new PartnerCenterError({ code: 'INVALID_REQUEST', message: 'The transport is closed' });
    }
    const signal = requestOptions?.signal;
    const requestId = randomUUID();
    const correlationId = requestOptions?.correlationId ?? transportCorrelationId;
    const { href, path } = target;
    let sanitized: string | undefined;
    const safeUrl = (): string => {
      sanitized ??= sanitizeUrl(href);
      return sanitized;
    };
    const deadlineAt = Date.now() + deadlineMs;
    const retriesAllowed = isRetryableMethod(method);
    let refreshedAfter401 = false;
    let forceRefresh = false;
    let staleToken: string | undefined;
    let sentToken: string | undefined;

    const fail = (init: {
      code: PartnerCenterErrorCode;
      detail: string;
      attempts: number;
      status?: number;
      pcCode?: string | number;
      description?: string;
      serverRequestId?: string;
      retryable?: boolean;
      retryAfterMs?: number;
      cause?: unknown;
    }): PartnerCenterError => {
      const shownId = init.serverRequestId ?? requestId;
      return scrub(
        new PartnerCenterError({
          code: init.code,
          message: `${method} ${safeUrl().slice(origin.length)} failed: ${init.detail}${init.attempts > 1 ? ` after ${init.attempts} attempts` : ''} [request id ${shownId}]`,
          requestId: shownId,
          correlationId,
          attempts: init.attempts,
          url: safeUrl(),
          retryable: init.retryable ?? false,
          ...(init.status !== undefined ? { status: init.status } : {}),
          ...(init.pcCode !== undefined ? { pcCode: init.pcCode } : {}),
          ...(init.description !== undefined ? { description: init.description } : {}),
          ...(init.retryAfterMs !== undefined ? { retryAfterMs: init.retryAfterMs } : {}),
          ...(init.cause !== undefined ? { cause: init.cause } : {}),
        }),
      );
    };
    const aborted = (attempts: number, cause: unknown): PartnerCenterError =>
      fail({ code: 'ABORTED', detail: 'aborted by the caller', attempts, cause });

    if (signal?.aborted) throw aborted(0, signal.reason);
    /** Attempts that count against `maxAttempts` (a 429 caused by another request's pause does not). */
    let counted = 0;
    let sharedThrottleRetries = 0;
    let lastFailure: PartnerCenterError | undefined;

    for (let attempt = 1; ; attempt++) {
      // The shared throttle: wait while another request's 429 pauses the origin.
      for (let pausedFor = gate.remaining(); pausedFor > 0; pausedFor = gate.remaining()) {
        if (Date.now() + pausedFor >= deadlineAt) {
          throw (
            lastFailure ??
            fail({
              code: 'THROTTLED',
              detail: `the server throttled this client for another ${Math.ceil(pausedFor / 1000)} s, past the deadline of ${deadlineMs} ms`,
              attempts: attempt - 1,
              retryable: true,
              retryAfterMs: pausedFor,
            })
          );
        }
        try {
          await abortableDelay(pausedFor, signal);
        } catch (error) {
          throw aborted(attempt - 1, error);
        }
      }
      const sentEpoch = gate.epoch;
      const remaining = deadlineAt - Date.now();
      const limitedByDeadline = remaining < attemptTimeoutMs;
      // Clamped to what setTimeout honours: `attemptTimeoutMs: Infinity` must not become 1 ms.
      const timeoutMs = Math.min(maxTimerMs, Math.max(1, limitedByDeadline ? remaining : attemptTimeoutMs));
      const attemptStarted = Date.now();
      let timedOut = false;
      let duringBody = false;
      let failure: AttemptFailure;
      const started = performance.now();
      try {
        let token: AccessToken;
        try {
          token = await tokenProvider.getToken(
            forceRefresh
              ? { forceRefresh: true, ...(signal ? { signal } : {}), ...(staleToken ? { staleToken } : {}) }
              : signal
                ? { signal }
                : undefined,
          );
        } catch (error) {
          if (signal?.aborted) throw aborted(attempt - 1, signal.reason);
          if (error instanceof PartnerCenterError) throw error;
          throw fail({
            code: 'AUTH',
            detail: `the token provider failed (${messageOf(error)})`,
            attempts: attempt - 1,
            cause: error,
          });
        }
        forceRefresh = false;
        sentToken = token.token;
        redactor.add(token.token);
        // One literal with a fixed shape: cheaper than copying and growing a shared object.
        const headers: Record<string, string> = {
          accept: 'application/json',
          'accept-encoding': acceptEncoding,
          authorization: `Bearer ${token.token}`,
          'ms-requestid': requestId,
          'ms-correlationid': correlationId,
          'x-locale': locale,
          'ms-partnercenter-client': clientName,
          'user-agent': userAgent,
        };
        if (applicationName !== undefined) headers['ms-partnercenter-application'] = applicationName;
        if (requestOptions?.headers !== undefined) addCallerHeaders(headers, requestOptions.headers);
        if (hooks?.onRequest !== undefined || requestChannel.hasSubscribers) {
          const event = { method, url: safeUrl(), requestId, correlationId, attempt };
          callHook(hooks, 'onRequest', event);
          if (requestChannel.hasSubscribers) requestChannel.publish(event);
        }
        // One watchdog covers every phase of the attempt (DNS, connect, proxy tunnel, TLS, headers,
        // body) and the caller's signal, and the race below settles the attempt even when undici
        // holds a request queued and ignores its signal (decisions/0013-proxy-tunnel-guard.md).
        const controller = new AbortController();
        const watchdog = setTimeout(
          () => {
            timedOut = true;
            controller.abort(new Error(`attempt timed out after ${timeoutMs} ms`));
          },
          Math.max(1, timeoutMs - (Date.now() - attemptStarted)),
        );
        const onCallerAbort = (): void => controller.abort(signal?.reason);
        signal?.addEventListener('abort', onCallerAbort, { once: true });
        let status: number;
        let responseHeaders: Record<string, string>;
        let received: BodyChunks;
        try {
          const pending = dispatcher.request({
            origin,
            path,
            method: method as Dispatcher.HttpMethod,
            headers,
            signal: controller.signal,
            headersTimeout: timeoutMs,
            bodyTimeout: 0,
          });
          let response: Dispatcher.ResponseData;
          try {
            response = await raceWithSignal(pending, controller.signal);
          } catch (error) {
            // A response that arrives after the race was lost is thrown away.
            pending.then(
              (late) => late.body.destroy(),
              () => undefined,
            );
            throw error;
          }
          duringBody = true;
          status = response.statusCode;
          responseHeaders = flattenHeaders(response.headers);
          const declared = Number(responseHeaders['content-length']);
          if (responseHeaders['content-encoding'] === undefined && declared > maxResponseBytes) {
            response.body.destroy();
            throw new BodyTooLargeError(maxResponseBytes);
          }
          received = await readBody(response.body, {
            contentEncoding: responseHeaders['content-encoding'],
            maxBytes: maxResponseBytes,
          });
        } finally {
          clearTimeout(watchdog);
          signal?.removeEventListener('abort', onCallerAbort);
        }
        const keepBytes = deferred && status >= 200 && status < 300;
        let raw: string;
        let bytes: BodyChunks | undefined;
        // A deferred 2xx body stays bytes, the chunks as received (no copy): off the JS heap until parsed.
        if (keepBytes) {
          bytes = received;
          raw = '';
        } else {
          raw = joinChunks(received).toString('utf8');
        }
        const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
        const serverRequestId = responseHeaders['ms-requestid'] ?? requestId;
        if (hooks?.onResponse !== undefined || responseChannel.hasSubscribers) {
          const event = {
            status,
            url: safeUrl(),
            requestId: serverRequestId,
            attempt,
            durationMs: performance.now() - started,
            bytes: received.length,
          };
          callHook(hooks, 'onResponse', event);
          if (responseChannel.hasSubscribers) responseChannel.publish(event);
        }
        if (bytes !== undefined) {
          const attempts = attempt;
          let pending: BodyChunks | undefined = bytes;
          return {
            status,
            headers: responseHeaders,
            requestId: serverRequestId,
            correlationId,
            attempts,
            url: href,
            bytes: bytes.length,
            json(): unknown {
              if (pending === undefined) throw new Error('json() was called already: the body is gone');
              const { chunks, length } = pending;
              pending = undefined;
              const data = joinChunks({ chunks, length });
              const start = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0;
              if (data.byteLength <= start) return null;
              try {
                return JSON.parse(data.toString('utf8', start));
              } catch (error) {
                throw fail({
                  code: 'DECODE',
                  detail: `the response body is not valid JSON (${messageOf(error)})`,
                  attempts,
                  serverRequestId,
                  retryable: true,
                  cause: error,
                });
              }
            },
          } satisfies DeferredJsonResponse;
        }
        if (status >= 200 && status < 300) {
          let parsed: unknown = null;
          if (text.length > 0) {
            try {
              parsed = JSON.parse(text);
            } catch (error) {
              throw new DecodeFailure(error);
            }
          }
          return {
            status,
            body: parsed,
            headers: responseHeaders,
            requestId: serverRequestId,
            correlationId,
            attempts: attempt,
            url: href,
          };
        }
        failure = describeStatusFailure({ status, text, responseHeaders, serverRequestId, attempt });
        if (!isRetryableStatus(status) && !failure.unauthorized) throw failure.error;
      } catch (error) {
        if (error instanceof PartnerCenterError) throw error;
        if (signal?.aborted) {
          const abortError = aborted(attempt, signal.reason);
          reportAttemptError(abortError, 'aborted', attempt, started);
          throw abortError;
        }
        if (!duringBody && (error as { code?: unknown } | null)?.code === 'UND_ERR_HEADERS_TIMEOUT') {
          timedOut = true;
        }
        if (error instanceof BodyTooLargeError) {
          const tooLarge = fail({
            code: 'RESPONSE_TOO_LARGE',
            detail: `${error.message}; raise maxResponseBytes if such a body is expected`,
            attempts: attempt,
            cause: error,
          });
          reportAttemptError(tooLarge, 'body too large', attempt, started);
          throw tooLarge;
        }
        if (error instanceof ContentEncodingError) {
          failure = {
            reason: 'undecodable body',
            error: fail({
              code: 'DECODE',
              detail: `${error.message} (${messageOf(error.cause)})`,
              attempts: attempt,
              retryable: true,
              cause: error,
            }),
          };
          reportAttemptError(failure.error, failure.reason, attempt, started);
        } else if (error instanceof DecodeFailure) {
          failure = {
            reason: 'malformed body',
            error: fail({
              code: 'DECODE',
              detail: `the response body is not valid JSON (${messageOf(error.cause)})`,
              attempts: attempt,
              retryable: true,
              cause: error.cause,
            }),
          };
        } else if (timedOut) {
          failure = {
            reason: 'timeout',
            error: fail({
              code: 'TIMEOUT',
              detail: limitedByDeadline
                ? `the deadline of ${deadlineMs} ms passed`
                : `attempt ${attempt} timed out after ${timeoutMs} ms${duringBody ? ' while reading the body' : ''}`,
              attempts: attempt,
              retryable: true,
              cause: error,
            }),
          };
          reportAttemptError(failure.error, failure.reason, attempt, started);
          if (limitedByDeadline) throw failure.error;
        } else {
          const network = classifyNetworkError(error, duringBody);
          failure = {
            reason: network.reason,
            error: fail({
              code: network.errorCode === 'UND_ERR_INVALID_ARG' ? 'INVALID_REQUEST' : 'NETWORK',
              detail: `${network.reason} (${network.errorCode}: ${messageOf(error)})`,
              attempts: attempt,
              retryable: network.retryable,
              cause: error,
            }),
          };
          reportAttemptError(failure.error, failure.reason, attempt, started);
          if (!network.retryable) throw failure.error;
        }
      }

      lastFailure = failure.error;
      counted += 1;
      const echoOfPause = failure.status === 429 && gate.epoch !== sentEpoch;
      // Every 429 pauses the whole origin, also when this request gives up.
      if (failure.status === 429) {
        const pauseMs = failure.retryAfterMs ?? backoffDelay(Math.max(1, counted), retry);
        if (pauseMs <= retry.maxRetryAfterMs) gate.pause(Date.now() + pauseMs);
      }
      // A 429 to an attempt sent before another request paused the origin is that pause's echo,
      // not this request's own failure: it does not use up this request's retries (bounded).
      if (echoOfPause && sharedThrottleRetries < retry.maxAttempts) {
        sharedThrottleRetries += 1;
        counted -= 1;
      }
      // One forced token refresh and one immediate retry after a 401.
      if (failure.unauthorized) {
        if (refreshedAfter401 || tokenProvider.kind === 'static') throw failure.error;
        refreshedAfter401 = true;
        forceRefresh = true;
        staleToken = sentToken;
        emitRetry({
          attempt,
          maxAttempts: retry.maxAttempts,
          delayMs: 0,
          reason: '401',
          status: 401,
          requestId,
          throttled: false,
        });
        continue;
      }
      if (!retriesAllowed || counted >= retry.maxAttempts) throw failure.error;
      const retryAfterMs = failure.retryAfterMs;
      if (retryAfterMs !== undefined && retryAfterMs > retry.maxRetryAfterMs) {
        throw fail({
          code: 'THROTTLED',
          detail: `the server asked to wait ${Math.ceil(retryAfterMs / 1000)} s (Retry-After), more than maxRetryAfterMs (${retry.maxRetryAfterMs} ms)`,
          attempts: attempt,
          ...(failure.status !== undefined ? { status: failure.status } : {}),
          ...(failure.error.pcCode !== undefined ? { pcCode: failure.error.pcCode } : {}),
          ...(failure.error.description !== undefined ? { description: failure.error.description } : {}),
          retryable: true,
          retryAfterMs,
        });
      }
      const delayMs = retryAfterMs ?? backoffDelay(Math.max(1, counted), retry);
      if (Date.now() + delayMs >= deadlineAt) throw failure.error;
      emitRetry({
        attempt,
        maxAttempts: retry.maxAttempts,
        delayMs,
        reason: failure.reason,
        ...(failure.status !== undefined ? { status: failure.status } : {}),
        requestId,
        throttled: failure.status === 429 || retryAfterMs !== undefined,
      });
      try {
        await abortableDelay(delayMs, signal);
      } catch (error) {
        throw aborted(attempt, error);
      }
    }

    /** Ends the telemetry of an attempt that got no complete response (the `onResponse` counterpart). */
    function reportAttemptError(
      error: PartnerCenterError,
      reason: string,
      attempt: number,
      startedAt: number,
    ): void {
      if (hooks?.onAttemptError === undefined && !attemptErrorChannel.hasSubscribers) return;
      const event: AttemptErrorEvent = {
        method,
        url: safeUrl(),
        requestId,
        attempt,
        durationMs: performance.now() - startedAt,
        code: error.code,
        reason,
      };
      callHook(hooks, 'onAttemptError', event);
      if (attemptErrorChannel.hasSubscribers) attemptErrorChannel.publish(event);
    }

    function describeStatusFailure(init: {
      status: number;
      text: string;
      responseHeaders: Record<string, string>;
      serverRequestId: string;
      attempt: number;
    }): AttemptFailure {
      const { status } = init;
      const details = readErrorBody(init.text, init.responseHeaders['content-type']);
      const statusText = STATUS_CODES[status] ?? 'Unknown Status';
      const pcPart =
        details.pcCode !== undefined || details.description !== undefined
          ? ` (${details.pcCode !== undefined ? `code ${details.pcCode}` : ''}${details.pcCode !== undefined && details.description !== undefined ? ': ' : ''}${details.description ?? ''})`
          : '';
      const retryAfterMs = parseRetryAfter(init.responseHeaders);
      const code: PartnerCenterErrorCode =
        status === 401 || status === 403 ? 'AUTH' : status === 429 ? 'THROTTLED' : 'HTTP_ERROR';
      const hint =
        status === 403 && tokenProvider.kind === 'app-only'
          ? '; analytics endpoints need App+User credentials, not app-only'
          : '';
      const error = fail({
        code,
        detail: `${status} ${statusText}${pcPart}${hint}`,
        attempts: init.attempt,
        status,
        serverRequestId: init.serverRequestId,
        retryable: isRetryableStatus(status),
        ...(details.pcCode !== undefined ? { pcCode: details.pcCode } : {}),
        ...(details.description !== undefined ? { description: details.description } : {}),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
      const failureOut: AttemptFailure = {
        error,
        reason: String(status),
        status,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        ...(status === 401 ? { unauthorized: true } : {}),
      };
      return failureOut;
    }
  }

  function emitRetry(event: RetryEvent): void {
    callHook(hooks, 'onRetry', event);
    if (retryChannel.hasSubscribers) retryChannel.publish(event);
  }

  async function fetchPage<TItem>(
    pathOrUrl: string,
    pageOptions: PageRequestOptions<TItem>,
  ): Promise<Page<TItem>> {
    const response = await getJson<unknown>(pathOrUrl, pageOptions);
    return parsePageResponse(response, pageOptions);
  }

  const pager = createPager({
    origin,
    fetchTarget: (target, requestOptions) => execute('GET', target, requestOptions),
    resolve,
    parse: parsePageResponse,
  });

  return {
    baseUrl: options.baseUrl,
    getJson,
    getDeferredJson,
    fetchPage,
    paginate: (pathOrUrl, pageOptions) => pager.paginate(pathOrUrl, pageOptions),
    async close() {
      if (closed) return;
      closed = true;
      if (!owned) return;
      // A graceful close waits for queued requests; one that undici holds past its abort (a
      // stuck proxy tunnel) must not hold the caller: after a second, the rest is destroyed.
      let timer: NodeJS.Timeout | undefined;
      const graceful = await Promise.race([
        dispatcher.close().then(() => true),
        new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), 1000);
        }),
      ]);
      clearTimeout(timer);
      if (!graceful) await dispatcher.destroy();
    },
  };
}

/** Runs the page parser; a parser failure becomes a `DECODE` error with the request id. */
function parsePageResponse<TItem>(
  response: JsonResponse,
  pageOptions: PageRequestOptions<TItem>,
): Page<TItem> {
  let parsed: ReturnType<PageRequestOptions<TItem>['parsePage']>;
  try {
    parsed = pageOptions.parsePage(response.body);
  } catch (error) {
    if (error instanceof PartnerCenterError) throw error;
    throw new PartnerCenterError({
      code: 'DECODE',
      message: `GET ${sanitizePath(new URL(response.url))} returned a page that could not be read: ${messageOf(error)} [request id ${response.requestId}]`,
      requestId: response.requestId,
      correlationId: response.correlationId,
      attempts: response.attempts,
      url: sanitizeUrl(response.url),
      status: response.status,
      cause: error,
    });
  }
  return { items: parsed.items, nextLink: parsed.nextLink, totalCount: parsed.totalCount, response };
}

/** Marks a JSON parse failure of a 2xx body. */
class DecodeFailure extends Error {
  constructor(cause: unknown) {
    super('decode failure', { cause });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Adds the caller's extra headers; they cannot replace `Authorization` or `MS-RequestId`. */
function addCallerHeaders(headers: Record<string, string>, extra: Readonly<Record<string, string>>): void {
  for (const name in extra) {
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'ms-requestid') continue;
    headers[lower] = extra[name] as string;
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) out[name] = typeof value === 'string' ? value : value.join(', ');
  }
  return out;
}

function callHook<K extends keyof TransportHooks>(
  hooks: TransportHooks | undefined,
  name: K,
  event: Parameters<NonNullable<TransportHooks[K]>>[0],
): void {
  const hook = hooks?.[name] as ((event: unknown) => void) | undefined;
  if (hook === undefined) return;
  try {
    hook.call(hooks, event);
  } catch (error) {
    process.emitWarning(`@pc/transport ${name} hook threw: ${messageOf(error)}`, {
      code: 'PC_TRANSPORT_HOOK',
    });
  }
}

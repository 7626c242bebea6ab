import { afterEach, describe, expect, it } from 'vitest';
import {
  createStaticTokenProvider,
  createTransport,
  isPartnerCenterError,
  type PartnerCenterError,
  type RetryEvent,
  type Transport,
  type TransportOptions,
} from '../src/index.js';
import { type Handler, type LoopbackServer, sendJson, startServer } from './support/loopbackServer.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(
  handler: Handler,
  options: Partial<TransportOptions> = {},
): Promise<{ server: LoopbackServer; transport: Transport; retries: RetryEvent[] }> {
  const server = await startServer(handler);
  cleanups.push(() => server.close());
  const retries: RetryEvent[] = [];
  const transport = createTransport({
    baseUrl: server.url,
    tokenProvider: createStaticTokenProvider('secret-token-value'),
    retry: { baseDelayMs: 2, maxDelayMs: 10 },
    proxy: false,
    hooks: { onRetry: (event) => retries.push(event) },
    ...options,
  });
  cleanups.push(() => transport.close());
  return { server, transport, retries };
}

async function failure(promise: Promise<unknown>): Promise<PartnerCenterError> {
  try {
    await promise;
  } catch (error) {
    if (isPartnerCenterError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('getJson', () => {
  it('sends the Partner Center headers and an RFC 3986 query, and returns the parsed body', async () => {
    const { server, transport } = await setup(
      (_request, response) => sendJson(response, 200, { ok: true }, { 'ms-requestid': 'server-echo' }),
      { applicationName: 'pc-tests', locale: 'fr-FR', correlationId: 'corr-1', userAgent: 'pc-test-agent' },
    );
    const result = await transport.getJson<{ ok: boolean }>('/partner/v1/analytics/x', {
      query: [
        ['filter', "serviceCode eq 'O365' and a+b"],
        ['top', '10'],
      ],
      headers: { 'X-Extra': 'yes', Authorization: 'Bearer attacker' },
    });
    expect(result.body).toEqual({ ok: true });
    expect(result.status).toBe(200);
    expect(result.attempts).toBe(1);
    expect(result.requestId).toBe('server-echo');
    expect(result.correlationId).toBe('corr-1');
    expect(server.requests).toHaveLength(1);
    const received = server.requests[0];
    expect(received?.url).toBe(
      "/partner/v1/analytics/x?filter=serviceCode%20eq%20'O365'%20and%20a%2Bb&top=10",
    );
    expect(received?.headers.authorization).toBe('Bearer secret-token-value');
    expect(received?.headers.accept).toBe('application/json');
    expect(received?.headers['ms-requestid']).toMatch(uuid);
    expect(received?.headers['ms-correlationid']).toBe('corr-1');
    expect(received?.headers['x-locale']).toBe('fr-FR');
    expect(received?.headers['ms-partnercenter-client']).toBe('pc-transport');
    expect(received?.headers['ms-partnercenter-application']).toBe('pc-tests');
    expect(received?.headers['user-agent']).toBe('pc-test-agent');
    expect(received?.headers['x-extra']).toBe('yes');
  });

  it('uses a new MS-RequestId per call, the same on every retry, and a per-call correlation id', async () => {
    const { server, transport } = await setup((_request, response, { index }) => {
      if (index === 0 || index === 1) sendJson(response, 503, { code: 'busy' });
      else sendJson(response, 200, { index });
    });
    const first = await transport.getJson('/a');
    const second = await transport.getJson('/b', { correlationId: 'op-2' });
    expect(first.attempts).toBe(3);
    expect(second.attempts).toBe(1);
    const ids = server.requests.map((request) => request.headers['ms-requestid']);
    expect(ids[0]).toMatch(uuid);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).toBe(ids[0]);
    expect(ids[3]).not.toBe(ids[0]);
    expect(server.requests[3]?.headers['ms-correlationid']).toBe('op-2');
    expect(server.requests[0]?.headers['ms-correlationid']).toMatch(uuid);
    expect(first.requestId).toBe(ids[0]);
  });

  it('retries 503 then succeeds, reporting the retry', async () => {
    const { server, transport, retries } = await setup((_request, response, { index }) =>
      index === 0 ? sendJson(response, 503, {}) : sendJson(response, 200, { value: 1 }),
    );
    const result = await transport.getJson('/x');
    expect(result.body).toEqual({ value: 1 });
    expect(result.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({
      attempt: 1,
      maxAttempts: 6,
      reason: '503',
      status: 503,
      throttled: false,
    });
    expect(retries[0]?.delayMs).toBeLessThanOrEqual(10);
  });

  it('honours Retry-After in seconds on 429', async () => {
    const { server, transport, retries } = await setup((_request, response, { index }) =>
      index === 0
        ? sendJson(
            response,
            429,
            { statusCode: 429, message: 'Rate limit is exceeded.' },
            { 'retry-after': '1' },
          )
        : sendJson(response, 200, { ok: 1 }),
    );
    const result = await transport.getJson('/x');
    expect(result.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
    expect(retries[0]).toMatchObject({ delayMs: 1000, throttled: true, status: 429, reason: '429' });
  });

  it('honours Retry-After as an HTTP date', async () => {
    const { server, transport, retries } = await setup((_request, response, { index }) =>
      index === 0
        ? sendJson(response, 429, {}, { 'retry-after': new Date(Date.now() + 2000).toUTCString() })
        : sendJson(response, 200, { ok: 1 }),
    );
    await transport.getJson('/x');
    expect(server.requests).toHaveLength(2);
    expect(retries[0]?.throttled).toBe(true);
    expect(retries[0]?.delayMs).toBeGreaterThan(0);
    expect(retries[0]?.delayMs).toBeLessThanOrEqual(2000);
  });

  it('fails fast with THROTTLED when Retry-After exceeds maxRetryAfterMs', async () => {
    const { server, transport, retries } = await setup(
      (_request, response) =>
        sendJson(
          response,
          429,
          { statusCode: 429, message: 'Try again in 3600 seconds.' },
          { 'retry-after': '3600' },
        ),
      { retry: { maxRetryAfterMs: 60_000 } },
    );
    const error = await failure(transport.getJson('/x'));
    expect(error.code).toBe('THROTTLED');
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(error.pcCode).toBe(429);
    expect(error.description).toBe('Try again in 3600 seconds.');
    expect(error.message).toContain('3600 s');
    expect(server.requests).toHaveLength(1);
    expect(retries).toHaveLength(0);
  });

  it('reports THROTTLED with the gateway body when 429 retries run out', async () => {
    const { server, transport } = await setup(
      (_request, response) =>
        sendJson(
          response,
          429,
          { statusCode: 429, message: 'Rate limit is exceeded.' },
          { 'retry-after': '0' },
        ),
      { retry: { maxAttempts: 3 } },
    );
    const error = await failure(transport.getJson('/x'));
    expect(error.code).toBe('THROTTLED');
    expect(error.status).toBe(429);
    expect(error.attempts).toBe(3);
    expect(error.retryable).toBe(true);
    expect(error.description).toBe('Rate limit is exceeded.');
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry 404 and formats the Partner Center error', async () => {
    const { server, transport } = await setup((_request, response) =>
      sendJson(
        response,
        404,
        { code: 1000, description: 'Customer not found', data: [], source: 'PartnerFD' },
        { 'ms-requestid': '1234-abcd' },
      ),
    );
    const error = await failure(transport.getJson('/partner/v1/analytics/x', { query: [['top', '5']] }));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('PartnerCenterError');
    expect(error.code).toBe('HTTP_ERROR');
    expect(error.status).toBe(404);
    expect(error.pcCode).toBe(1000);
    expect(error.description).toBe('Customer not found');
    expect(error.requestId).toBe('1234-abcd');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      'GET /partner/v1/analytics/x?top=5 failed: 404 Not Found (code 1000: Customer not found) [request id 1234-abcd]',
    );
    expect(server.requests).toHaveLength(1);
  });

  it('maps 403 to AUTH without a retry', async () => {
    const { server, transport } = await setup((_request, response) =>
      sendJson(response, 403, { code: 2032, description: 'Access denied' }),
    );
    const error = await failure(transport.getJson('/x'));
    expect(error.code).toBe('AUTH');
    expect(error.status).toBe(403);
    expect(server.requests).toHaveLength(1);
  });

  it('retries after a connection reset', async () => {
    const { server, transport, retries } = await setup((_request, response, { index }) => {
      if (index === 0) response.socket?.destroy();
      else sendJson(response, 200, { ok: true });
    });
    const result = await transport.getJson('/x');
    expect(result.body).toEqual({ ok: true });
    expect(result.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.headers['ms-requestid']).toBe(server.requests[0]?.headers['ms-requestid']);
    expect(retries[0]?.reason).toMatch(/socket closed|connection reset/);
  });

  it('retries a refused connection and reports NETWORK when it persists', async () => {
    const closed = await startServer((_request, response) => sendJson(response, 200, {}));
    const url = closed.url;
    await closed.close();
    const retries: RetryEvent[] = [];
    const transport = createTransport({
      baseUrl: url,
      tokenProvider: createStaticTokenProvider('t'),
      proxy: false,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
      hooks: { onRetry: (event) => retries.push(event) },
    });
    cleanups.push(() => transport.close());
    const error = await failure(transport.getJson('/x'));
    expect(error.code).toBe('NETWORK');
    expect(error.attempts).toBe(3);
    expect(error.message).toContain('ECONNREFUSED');
    expect(retries.map((event) => event.reason)).toEqual(['connection refused', 'connection refused']);
  });

  it('aborts while the body is being read', async () => {
    const controller = new AbortController();
    const { server, transport } = await setup((_request, response) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('{"partial":');
      setTimeout(() => controller.abort(), 20);
    });
    const error = await failure(transport.getJson('/x', { signal: controller.signal }));
    expect(error.code).toBe('ABORTED');
    expect(error.attempts).toBe(1);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a truncated body, and reports NETWORK with the request id when retries run out', async () => {
    const truncate: Handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"Value":[1,2,');
      setTimeout(() => response.socket?.destroy(), 5);
    };
    const { server, transport, retries } = await setup(truncate, {
      retry: { maxAttempts: 3, baseDelayMs: 1 },
    });
    const error = await failure(transport.getJson('/x'));
    expect(error.code).toBe('NETWORK');
    expect(error.attempts).toBe(3);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('truncated body');
    expect(error.message).toContain(`[request id ${server.requests[0]?.headers['ms-requestid']}]`);
    expect(server.requests).toHaveLength(3);
    expect(retries.map((event) => event.reason)).toEqual(['truncated body', 'truncated body']);
  });

  it('recovers when a truncated body is followed by a complete one', async () => {
    const { transport } = await setup((_request, response, { index }) => {
      if (index === 0) {
        response.writeHead(200, { 'content-length': '50' });
        response.write('{"a":');
        setTimeout(() => response.socket?.destroy(), 5);
      } else sendJson(response, 200, { a: 1 });
    });
    const result = await transport.getJson('/x');
    expect(result.body).toEqual({ a: 1 });
    expect(result.attempts).toBe(2);
  });

  it('strips a UTF-8 BOM before parsing', async () => {
    const { server, transport } = await setup((_request, response) => {
      const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"Value":["é"]}')]);
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      response.end(body);
    });
    const result = await transport.getJson('/x');
    expect(result.body).toEqual({ Value: ['é'] });
    expect(result.attempts).toBe(1);
    expect(server.requests).toHaveLength(1);
  });

  it('retries malformed JSON and reports DECODE when it persists', async () => {
    const { server, transport } = await setup(
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"Value": [1, 2');
      },
      { retry: { maxAttempts: 2, baseDelayMs: 1 } },
    );
    const error = await failure(transport.getJson('/x'));
    expect(error.code).toBe('DECODE');
    expect(error.attempts).toBe(2);
    expect(error.message).toMatch(/\[request id [0-9a-f-]{36}\]$/);
    expect(server.requests).toHaveLength(2);
  });

  it('getDeferredJson retries like getJson and parses the body (BOM stripped) once, on demand', async () => {
    const { server, transport, retries } = await setup((_request, response, { index }) => {
      if (index === 0) {
        sendJson(response, 503, {});
        return;
      }
      const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"Value":["é"]}')]);
      response.writeHead(200, { 'content-type': 'application/json', 'ms-requestid': 'server-echo' });
      response.end(body);
    });
    const getDeferredJson = transport.getDeferredJson;
    if (getDeferredJson === undefined) throw new Error('createTransport implements getDeferredJson');
    const result = await getDeferredJson('/x', { query: [['top', '1']] });
    expect(result).toMatchObject({ status: 200, attempts: 2, requestId: 'server-echo', bytes: 19 });
    expect(retries).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
    expect(result.json()).toEqual({ Value: ['é'] });
    expect(() => result.json()).toThrow(/called already/);
  });

  it('getDeferredJson leaves a malformed body to json(), which throws a retryable DECODE', async () => {
    const { server, transport } = await setup((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"Value": [1, 2');
    });
    const result = await transport.getDeferredJson?.('/x');
    expect(server.requests).toHaveLength(1);
    let error: unknown;
    try {
      result?.json();
    } catch (thrown) {
      error = thrown;
    }
    expect(isPartnerCenterError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'DECODE', retryable: true, attempts: 1 });
  });

  it('getDeferredJson reports an error status as getJson does', async () => {
    const { transport } = await setup((_request, response) =>
      sendJson(response, 404, { code: 600, description: 'No such thing' }),
    );
    const error = await failure(transport.getDeferredJson?.('/x') ?? Promise.resolve());
    expect(error).toMatchObject({
      code: 'HTTP_ERROR',
      status: 404,
      pcCode: 600,
      description: 'No such thing',
    });
  });

  it('times out a slow body and retries within the deadline', async () => {
    const { server, transport, retries } = await setup(
      (_request, response, { index }) => {
        if (index === 0) {
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': '20' });
          response.write('{"slow":');
          return;
        }
        sendJson(response, 200, { fast: true });
      },
      { attemptTimeoutMs: 150 },
    );
    const result = await transport.getJson('/x');
    expect(result.body).toEqual({ fast: true });
    expect(result.attempts).toBe(2);
    expect(retries[0]?.reason).toBe('timeout');
    expect(server.requests).toHaveLength(2);
  });

  it('times out while waiting for the headers and retries', async () => {
    const { server, transport, retries } = await setup(
      (_request, response, { index }) => {
        if (index > 0) sendJson(response, 200, { late: false });
        // The first request never gets an answer.
      },
      { attemptTimeoutMs: 100 },
    );
    const result = await transport.getJson('/x');
    expect(result.body).toEqual({ late: false });
    expect(result.attempts).toBe(2);
    expect(retries[0]?.reason).toBe('timeout');
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.headers['ms-requestid']).toBe(server.requests[0]?.headers['ms-requestid']);
  });

  it('treats attemptTimeoutMs: Infinity as no attempt timeout (not a 1 ms timer)', async () => {
    const { server, transport, retries } = await setup(
      (_request, response) => {
        const text = JSON.stringify({ Value: [1, 2, 3] });
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': text.length });
        response.write(text.slice(0, 5));
        setTimeout(() => response.end(text.slice(5)), 40);
      },
      { attemptTimeoutMs: Number.POSITIVE_INFINITY, deadlineMs: Number.POSITIVE_INFINITY },
    );
    const result = await transport.getJson('/x');
    expect(result.body).toEqual({ Value: [1, 2, 3] });
    expect(result.attempts).toBe(1);
    expect(retries).toHaveLength(0);
    expect(server.requests).toHaveLength(1);
  });

  it('reports TIMEOUT when every attempt times out', async () => {
    const { server, transport } = await setup(
      (_request, response) => {
        response.writeHead(200, { 'content-length': '20' });
        response.write('{');
      },
      { attemptTimeoutMs: 50, retry: { maxAttempts: 2, baseDelayMs: 1 } },
    );
    const error = await failure(transport.getJson('/x'));
    expect(error.code).toBe('TIMEOUT');
    expect(error.attempts).toBe(2);
    expect(error.message).toContain('while reading the body');
    expect(server.requests).toHaveLength(2);
  });

  it('stops at the overall deadline', async () => {
    const { transport } = await setup((_request, response) => sendJson(response, 503, {}), {
      deadlineMs: 100,
      retry: { maxAttempts: 100, baseDelayMs: 20, maxDelayMs: 40 },
    });
    const error = await failure(transport.getJson('/x'));
    expect(['HTTP_ERROR', 'TIMEOUT']).toContain(error.code);
    expect(error.attempts).toBeLessThan(100);
  });

  it('returns promptly with ABORTED when aborted during a Retry-After wait', async () => {
    const controller = new AbortController();
    const { server, transport, retries } = await setup((_request, response) =>
      sendJson(response, 429, {}, { 'retry-after': '100' }),
    );
    const pending = failure(transport.getJson('/x', { signal: controller.signal }));
    while (retries.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const error = await pending;
    expect(error.code).toBe('ABORTED');
    expect(retries[0]).toMatchObject({ delayMs: 100_000, throttled: true });
    expect(server.requests).toHaveLength(1);
  });

  it('refuses an absolute URL of another origin without sending anything', async () => {
    const { server, transport } = await setup((_request, response) => sendJson(response, 200, {}));
    const other = await startServer((_request, response) => sendJson(response, 200, {}));
    cleanups.push(() => other.close());
    const error = await failure(transport.getJson(`${other.url}/steal`));
    expect(error.code).toBe('INVALID_REQUEST');
    expect(other.requests).toHaveLength(0);
    expect(server.requests).toHaveLength(0);
  });

  it('fails at once with INVALID_REQUEST for a header undici refuses, without retrying', async () => {
    const { server, transport, retries } = await setup((_request, response) => sendJson(response, 200, {}));
    const error = await failure(transport.getJson('/x', { headers: { 'x-bad': 'a\r\nb' } }));
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.retryable).toBe(false);
    expect(error.attempts).toBe(1);
    expect(retries).toHaveLength(0);
    expect(server.requests).toHaveLength(0);
  });

  it('keeps tokens and non-allow-listed query values out of errors and hooks', async () => {
    const urls: string[] = [];
    const { transport } = await setup(
      (_request, response) => sendJson(response, 500, { description: 'boom' }),
      {
        retry: { maxAttempts: 2, baseDelayMs: 1 },
        hooks: { onRequest: (event) => urls.push(event.url) },
      },
    );
    const error = await failure(
      transport.getJson('/x', {
        query: [
          ['top', '10'],
          ['code', 'auth-code-secret'],
        ],
      }),
    );
    const text = `${error.message} ${error.url} ${JSON.stringify(error)} ${urls.join(' ')}`;
    expect(text).not.toContain('secret-token-value');
    expect(text).not.toContain('auth-code-secret');
    expect(error.url).toContain('top=10');
    expect(error.url).toContain('code=REDACTED');
    expect(urls).toHaveLength(2);
  });
});

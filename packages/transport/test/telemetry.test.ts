import diagnosticsChannel from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AttemptErrorEvent,
  createStaticTokenProvider,
  createTransport,
  type RequestEvent,
  type ResponseEvent,
  type RetryEvent,
} from '../src/index.js';
import { sendJson, startServer } from './support/loopbackServer.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('telemetry', () => {
  it('reports request, response and retry through hooks and diagnostics_channel', async () => {
    const server = await startServer((_request, response, { index }) =>
      index === 0 ? sendJson(response, 502, {}) : sendJson(response, 200, { rows: [1, 2, 3] }),
    );
    cleanups.push(() => server.close());
    const hookEvents: Array<[string, RequestEvent | ResponseEvent | RetryEvent]> = [];
    const channelEvents: Array<[string, unknown]> = [];
    for (const name of ['pc:transport:request', 'pc:transport:response', 'pc:transport:retry']) {
      const listener = (message: unknown) => channelEvents.push([name, message]);
      diagnosticsChannel.subscribe(name, listener);
      cleanups.push(() => {
        diagnosticsChannel.unsubscribe(name, listener);
      });
    }
    const transport = createTransport({
      baseUrl: server.url,
      tokenProvider: createStaticTokenProvider('hook-token'),
      proxy: false,
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
      hooks: {
        onRequest: (event) => hookEvents.push(['request', event]),
        onResponse: (event) => hookEvents.push(['response', event]),
        onRetry: (event) => hookEvents.push(['retry', event]),
      },
    });
    cleanups.push(() => transport.close());
    await transport.getJson('/t', { query: [['top', '1']] });
    expect(hookEvents.map(([kind]) => kind)).toEqual(['request', 'response', 'retry', 'request', 'response']);
    expect(channelEvents.map(([name]) => name)).toEqual([
      'pc:transport:request',
      'pc:transport:response',
      'pc:transport:retry',
      'pc:transport:request',
      'pc:transport:response',
    ]);
    const requestId = server.requests[0]?.headers['ms-requestid'];
    expect(hookEvents[0]?.[1]).toMatchObject({
      method: 'GET',
      url: `${server.url}/t?top=1`,
      attempt: 1,
      requestId,
    });
    expect(hookEvents[1]?.[1]).toMatchObject({ status: 502, attempt: 1, bytes: 2 });
    expect(hookEvents[2]?.[1]).toMatchObject({ attempt: 1, reason: '502', status: 502, throttled: false });
    expect(hookEvents[4]?.[1]).toMatchObject({
      status: 200,
      attempt: 2,
      bytes: JSON.stringify({ rows: [1, 2, 3] }).length,
    });
    expect(JSON.stringify(channelEvents)).not.toContain('hook-token');
  });

  it('ends an attempt without a response with onAttemptError and pc:transport:error', async () => {
    const server = await startServer((_request, response, { index }) => {
      if (index === 0) response.socket?.destroy();
      else sendJson(response, 200, { ok: 1 });
    });
    cleanups.push(() => server.close());
    const kinds: string[] = [];
    const errors: AttemptErrorEvent[] = [];
    const channelErrors: unknown[] = [];
    const listener = (message: unknown) => channelErrors.push(message);
    diagnosticsChannel.subscribe('pc:transport:error', listener);
    cleanups.push(() => {
      diagnosticsChannel.unsubscribe('pc:transport:error', listener);
    });
    const transport = createTransport({
      baseUrl: server.url,
      tokenProvider: createStaticTokenProvider('t'),
      proxy: false,
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
      hooks: {
        onRequest: () => kinds.push('request'),
        onResponse: () => kinds.push('response'),
        onRetry: () => kinds.push('retry'),
        onAttemptError: (event) => {
          kinds.push('error');
          errors.push(event);
        },
      },
    });
    cleanups.push(() => transport.close());
    await transport.getJson('/x');
    expect(kinds).toEqual(['request', 'error', 'retry', 'request', 'response']);
    expect(errors[0]).toMatchObject({
      method: 'GET',
      url: `${server.url}/x`,
      attempt: 1,
      code: 'NETWORK',
      requestId: server.requests[0]?.headers['ms-requestid'],
    });
    expect(errors[0]?.reason).toMatch(/socket closed|connection reset/);
    expect(channelErrors).toEqual(errors);
  });

  it('survives a hook that throws', async () => {
    const server = await startServer((_request, response) => sendJson(response, 200, { ok: 1 }));
    cleanups.push(() => server.close());
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    cleanups.push(() => {
      process.off('warning', onWarning);
    });
    const transport = createTransport({
      baseUrl: server.url,
      tokenProvider: createStaticTokenProvider('t'),
      proxy: false,
      hooks: {
        onRequest: () => {
          throw new Error('hook bug');
        },
      },
    });
    cleanups.push(() => transport.close());
    expect((await transport.getJson('/x')).body).toEqual({ ok: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.some((message) => message.includes('hook bug'))).toBe(true);
  });
});

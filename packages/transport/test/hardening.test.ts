import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { inspect } from 'node:util';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createClientCredentialsProvider,
  createRefreshTokenProvider,
  createStaticTokenProvider,
  createTransport,
  isPartnerCenterError,
  type PartnerCenterError,
  SecretRedactor,
  secretEncodings,
  type TransportOptions,
} from '../src/index.js';
import { type LoopbackServer, sendJson, startServer } from './support/loopbackServer.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(handler: Parameters<typeof startServer>[0]): Promise<LoopbackServer> {
  const started = await startServer(handler);
  cleanups.push(() => started.close());
  return started;
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

function transport(options: Partial<TransportOptions> & { baseUrl: string }) {
  const created = createTransport({
    tokenProvider: createStaticTokenProvider('static-token-value'),
    proxy: false,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
  cleanups.push(() => created.close());
  return created;
}

/** Everything a user or a log could see of an error: message, fields, cause chain, inspect(). */
function everythingShown(error: unknown): string {
  return [
    inspect(error, { depth: 10, showHidden: true }),
    JSON.stringify(error, Object.getOwnPropertyNames(error as object)),
  ].join('\n');
}

const secret = 'Sec~ret/with+odd=chars~0123456789';
const refreshToken = '0.ARwA6Wgz~refresh/token+value==';

describe('secret redaction', () => {
  it('knows the raw, percent, form, JSON and base64 spellings of a secret', () => {
    const spellings = secretEncodings(secret);
    expect(spellings).toContain(secret);
    expect(spellings).toContain(encodeURIComponent(secret));
    expect(spellings).toContain(new URLSearchParams({ s: secret }).toString().slice(2));
    expect(spellings).toContain(Buffer.from(secret).toString('base64'));
    const redactor = new SecretRedactor([secret]);
    for (const spelling of spellings) expect(redactor.redact(`x ${spelling} y`)).toBe('x REDACTED y');
    expect(redactor.redact('Authorization: Basic dXNlcjpzb21ldGhpbmc=')).not.toContain('dXNlcjpz');
  });

  it('keeps a client secret and refresh token echoed form-encoded by a token endpoint out of every error field', async () => {
    const entra = await server((_request, response, { body }) => {
      // A hostile or broken endpoint that echoes the form back in several encodings.
      sendJson(response, 400, {
        error: `invalid_client ${body}`,
        error_description: `AADSTS7000215: bad secret. Received ${body} json=${JSON.stringify(secret)} b64=${Buffer.from(`app:${secret}`).toString('base64')} raw=${secret}`,
        error_codes: [7000215],
      });
    });
    const provider = createRefreshTokenProvider({
      authorityUrl: entra.url,
      tenantId: 'contoso',
      clientId: 'app',
      clientSecret: secret,
      refreshToken,
    });
    const error = await failure(provider.getToken());
    // The endpoint did receive the secrets (form-encoded, `~` as %7E)...
    expect(entra.requests[0]?.body).toContain('client_secret=Sec%7Eret');
    // ...and none of them reaches the error in any spelling.
    const shown = everythingShown(error);
    for (const value of [secret, refreshToken]) {
      for (const spelling of secretEncodings(value)) expect(shown).not.toContain(spelling);
    }
    expect(shown).not.toContain(Buffer.from(`app:${secret}`).toString('base64'));
    expect(error.code).toBe('AUTH');
    expect(error.message).toContain('AADSTS7000215');
  });

  it('keeps the bearer token and client secret an API error body echoes out of message, description, pcCode and cause', async () => {
    const entra = await server((_request, response) =>
      sendJson(response, 200, { access_token: 'issued.access~token/1', expires_in: 3600 }),
    );
    const api = await server((request, response) => {
      const auth = request.headers.authorization ?? '';
      sendJson(response, 400, {
        code: `E ${auth}`,
        description: `You sent ${encodeURIComponent(auth)} and ${JSON.stringify(auth)}; secret ${encodeURIComponent(secret)}`,
      });
    });
    const provider = createClientCredentialsProvider({
      authorityUrl: entra.url,
      tenantId: 'contoso',
      clientId: 'app',
      clientSecret: secret,
      onWarning: () => undefined,
    });
    const error = await failure(transport({ baseUrl: api.url, tokenProvider: provider }).getJson('/x'));
    expect(api.requests[0]?.headers.authorization).toBe('Bearer issued.access~token/1');
    const shown = everythingShown(error);
    for (const value of ['issued.access~token/1', secret]) {
      for (const spelling of secretEncodings(value)) expect(shown).not.toContain(spelling);
    }
    expect(error.status).toBe(400);
    expect(String(error.pcCode)).toContain('REDACTED');
  });
});

describe('plain http', () => {
  it('refuses http to a host that is not loopback, unless allowInsecureHttp', async () => {
    expect(() =>
      createTransport({ baseUrl: 'http://partner.example', tokenProvider: createStaticTokenProvider('t') }),
    ).toThrow(/plain http.*allowInsecureHttp/);
    expect(() =>
      createRefreshTokenProvider({
        authorityUrl: 'http://login.example',
        tenantId: 't',
        clientId: 'c',
        refreshToken: 'r-token',
      }),
    ).toThrow(/authorityUrl http:\/\/login\.example uses plain http/);
    const allowed = createTransport({
      baseUrl: 'http://partner.example',
      tokenProvider: createStaticTokenProvider('t'),
      allowInsecureHttp: true,
    });
    await allowed.close();
    for (const host of ['http://localhost:1', 'http://127.0.0.2:1', 'http://[::1]:1']) {
      const local = createTransport({ baseUrl: host, tokenProvider: createStaticTokenProvider('t') });
      await local.close();
    }
  });
});

describe('response bodies', () => {
  it('asks for gzip, deflate and br and decodes them', async () => {
    const body = Buffer.from(JSON.stringify({ Value: [{ a: 'é' }], TotalCount: 1 }));
    const encoders: Record<string, (data: Buffer) => Buffer> = {
      gzip: gzipSync,
      deflate: deflateSync,
      br: brotliCompressSync,
    };
    const api = await server((request, response) => {
      const encoding = (request.url ?? '').slice(1);
      const encoded = encoders[encoding]!(body);
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
      response.end(encoded);
    });
    const client = transport({ baseUrl: api.url });
    for (const encoding of Object.keys(encoders)) {
      expect((await client.getJson(`/${encoding}`)).body).toEqual({ Value: [{ a: 'é' }], TotalCount: 1 });
      const deferred = await client.getDeferredJson?.(`/${encoding}`);
      expect(deferred?.json()).toEqual({ Value: [{ a: 'é' }], TotalCount: 1 });
    }
    expect(api.requests[0]?.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('fails a body over maxResponseBytes at once, naming the limit, declared or streamed or compressed', async () => {
    const big = Buffer.alloc(300_000, 'a');
    const api = await server((request, response) => {
      if (request.url === '/declared') {
        response.writeHead(200, { 'content-length': big.length });
        response.end(big);
      } else if (request.url === '/chunked') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write(big.subarray(0, 150_000));
        response.end(big.subarray(150_000));
      } else {
        // 300 kB of zeros compress to a few hundred bytes: the decoded size is what counts.
        response.writeHead(200, { 'content-encoding': 'gzip' });
        response.end(gzipSync(big));
      }
    });
    const client = transport({ baseUrl: api.url, maxResponseBytes: 100_000 });
    for (const path of ['/declared', '/chunked', '/bomb']) {
      const error = await failure(client.getJson(path));
      expect(error.code).toBe('RESPONSE_TOO_LARGE');
      expect(error.message).toContain('maxResponseBytes (100000 bytes)');
      expect(error.retryable).toBe(false);
    }
    // Never retried: one request per path.
    expect(api.requests.map((request) => request.url)).toEqual(['/declared', '/chunked', '/bomb']);
  });

  it('shows no control characters from a server error text and cuts long ones', async () => {
    const api = await server((_request, response) =>
      sendJson(response, 400, {
        code: 'Bad\u001b[2J',
        description: `\u001b]0;pwned\u0007\u001b[2Jhello\u009b31m${'x'.repeat(5000)}`,
      }),
    );
    const error = await failure(transport({ baseUrl: api.url }).getJson('/x'));
    for (const text of [error.message, error.description ?? '', String(error.pcCode)]) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }
    expect(error.description).toContain('hello');
    expect(error.description?.length).toBeLessThan(1100);
  });
});

describe('shared throttling', () => {
  it('pauses every request after one 429 until Retry-After, and a 429 caused by that pause costs no retry', async () => {
    let throttledUntil = Number.POSITIVE_INFINITY;
    const early: number[] = [];
    const throttle = { statusCode: 429, message: 'Rate limit is exceeded' };
    const api = await server(async (_request, response, { index }) => {
      if (index === 0) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        throttledUntil = Date.now() + 1000;
        sendJson(response, 429, throttle, { 'retry-after': '1' });
      } else if (index <= 3) {
        // Sent together with the first, before its 429 was known: answered later, still throttled.
        await new Promise((resolve) => setTimeout(resolve, 400));
        sendJson(response, 429, throttle, { 'retry-after': '1' });
      } else if (Date.now() < throttledUntil) {
        early.push(index);
        sendJson(response, 429, throttle, { 'retry-after': '1' });
      } else sendJson(response, 200, { index });
    });
    // One attempt each: only a 429 that the shared pause explains may be retried.
    const client = transport({ baseUrl: api.url, retry: { maxAttempts: 1 } });
    const settled = await Promise.allSettled(['/a', '/b', '/c', '/d'].map((path) => client.getJson(path)));
    const failed = settled.filter((result) => result.status === 'rejected');
    expect(failed.map((result) => (result.reason as PartnerCenterError).code)).toEqual(['THROTTLED']);
    const succeeded = settled.filter((result) => result.status === 'fulfilled');
    expect(succeeded.map((result) => result.value.status)).toEqual([200, 200, 200]);
    // Nothing reached the server while it throttled, once the first 429 had been seen.
    expect(early).toEqual([]);
    expect(api.requests).toHaveLength(7);
  });

  it('makes requests started during a pause wait for it', async () => {
    const arrivals: number[] = [];
    let throttledUntil = 0;
    const api = await server((_request, response, { index }) => {
      arrivals.push(Date.now());
      if (index === 0) {
        throttledUntil = Date.now() + 800;
        sendJson(response, 429, {}, { 'retry-after': '1' });
      } else sendJson(response, 200, { index, early: Date.now() < throttledUntil });
    });
    const client = transport({ baseUrl: api.url });
    const first = client.getJson('/a');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const later = await client.getJson<{ early: boolean }>('/b');
    expect(later.body.early).toBe(false);
    expect((await first).status).toBe(200);
  });
});

/** A CONNECT proxy that accepts and then closes the tunnel, or never answers. */
async function badProxy(mode: 'close' | 'hang'): Promise<{ url: string; connects: () => number }> {
  let connects = 0;
  const sockets = new Set<Socket>();
  const proxy: Server = createServer((_request, response) => {
    response.writeHead(405);
    response.end();
  });
  proxy.on('connect', (_request, socket: Socket) => {
    connects += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    if (mode === 'close') socket.destroy();
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        proxy.closeAllConnections();
        proxy.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, connects: () => connects };
}

describe('a proxy that accepts the CONNECT and then fails', () => {
  it('fails the request when the proxy closes the tunnel, without a reconnect storm', async () => {
    const api = await server((_request, response) => sendJson(response, 200, {}));
    const proxy = await badProxy('close');
    const client = transport({
      baseUrl: api.url,
      proxy: proxy.url,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
      attemptTimeoutMs: 20_000,
    });
    const error = await failure(client.getJson('/x'));
    expect(error.code).toBe('NETWORK');
    expect(error.message).toMatch(/proxy tunnel/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // One CONNECT per attempt, no loop (undici 7 alone opened hundreds per second).
    expect(proxy.connects()).toBeLessThanOrEqual(4);
    expect(api.requests).toHaveLength(0);
  });

  it('honours the attempt timeout and the abort signal when the proxy never answers', async () => {
    const api = await server((_request, response) => sendJson(response, 200, {}));
    const proxy = await badProxy('hang');
    const client = transport({
      baseUrl: api.url,
      proxy: proxy.url,
      retry: { maxAttempts: 1 },
      attemptTimeoutMs: 500,
    });
    const timedOut = await failure(client.getJson('/x'));
    expect(timedOut.code).toBe('TIMEOUT');

    const patient = transport({ baseUrl: api.url, proxy: proxy.url, attemptTimeoutMs: 600_000 });
    const controller = new AbortController();
    const pending = failure(patient.getJson('/y', { signal: controller.signal }));
    setTimeout(() => controller.abort(new Error('user pressed Ctrl-C')), 200);
    expect((await pending).code).toBe('ABORTED');
    expect(api.requests).toHaveLength(0);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import {
  appOnlyWarning,
  createClientCredentialsProvider,
  createRefreshTokenProvider,
  createStaticTokenProvider,
  createTransport,
  isPartnerCenterError,
  type PartnerCenterError,
  type TokenProvider,
} from '../src/index.js';
import { type LoopbackServer, sendJson, startServer, tokenHandler } from './support/loopbackServer.js';

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

function form(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

function transportFor(api: LoopbackServer, tokenProvider: TokenProvider) {
  const transport = createTransport({
    baseUrl: api.url,
    tokenProvider,
    proxy: false,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });
  cleanups.push(() => transport.close());
  return transport;
}

describe('refresh-token provider', () => {
  it('posts the v1 form and reads string numbers; reports a rotated refresh token', async () => {
    const entra = await server(tokenHandler({ rotate: true }));
    const rotated: string[] = [];
    const provider = createRefreshTokenProvider({
      authorityUrl: `${entra.url}/`,
      tenantId: 'contoso.onmicrosoft.com',
      clientId: 'app-id',
      clientSecret: 'client-secret-value',
      refreshToken: 'refresh-0',
      onRefreshTokenRotated: (token) => rotated.push(token),
    });
    expect(provider.kind).toBe('app+user');
    const token = await provider.getToken();
    expect(token.token).toBe('tok-1');
    expect(token.expiresAt).toBeGreaterThan(Date.now() + 3_000_000);
    expect(entra.requests[0]?.method).toBe('POST');
    expect(entra.requests[0]?.url).toBe('/contoso.onmicrosoft.com/oauth2/token');
    expect(entra.requests[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(form(entra.requests[0]?.body ?? '')).toEqual({
      grant_type: 'refresh_token',
      client_id: 'app-id',
      client_secret: 'client-secret-value',
      refresh_token: 'refresh-0',
      resource: 'https://api.partnercenter.microsoft.com',
    });
    expect(rotated).toEqual(['refresh-1']);
    // A forced refresh uses the rotated refresh token.
    const second = await provider.getToken({ forceRefresh: true });
    expect(second.token).toBe('tok-2');
    expect(form(entra.requests[1]?.body ?? '').refresh_token).toBe('refresh-1');
    expect(rotated).toEqual(['refresh-1', 'refresh-2']);
  });

  it('keeps the new token when onRefreshTokenRotated throws, and warns without the token', async () => {
    const entra = await server(tokenHandler({ rotate: true }));
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    cleanups.push(async () => {
      process.off('warning', onWarning);
    });
    const provider = createRefreshTokenProvider({
      authorityUrl: entra.url,
      tenantId: 't',
      clientId: 'c',
      refreshToken: 'refresh-0',
      onRefreshTokenRotated: (token) => {
        throw new Error(`disk full, could not save ${token}`);
      },
    });
    expect((await provider.getToken()).token).toBe('tok-1');
    expect((await provider.getToken({ forceRefresh: true })).token).toBe('tok-2');
    expect(form(entra.requests[1]?.body ?? '').refresh_token).toBe('refresh-1');
    await new Promise((resolve) => setImmediate(resolve));
    const rotation = warnings.filter((warning) => warning.message.includes('onRefreshTokenRotated'));
    expect(rotation).toHaveLength(2);
    expect(rotation[0]?.message).toContain('disk full');
    expect(rotation.map((warning) => warning.message).join(' ')).not.toContain('refresh-');
  });

  it('posts the v2 form with the default scope and reads numeric expiry', async () => {
    const entra = await server(tokenHandler({ version: 'v2' }));
    const provider = createRefreshTokenProvider({
      authorityUrl: entra.url,
      tenantId: 'tenant-1',
      clientId: 'app-id',
      endpointVersion: 'v2',
      refreshToken: 'refresh-0',
    });
    const token = await provider.getToken();
    expect(token.token).toBe('tok-1');
    expect(entra.requests[0]?.url).toBe('/tenant-1/oauth2/v2.0/token');
    expect(form(entra.requests[0]?.body ?? '')).toEqual({
      grant_type: 'refresh_token',
      client_id: 'app-id',
      refresh_token: 'refresh-0',
      scope: 'https://api.partnercenter.microsoft.com/.default offline_access',
    });
  });

  it('caches the token and shares one refresh among concurrent requests', async () => {
    const entra = await server(tokenHandler({ delayMs: 30 }));
    const api = await server((_request, response) => sendJson(response, 200, { ok: true }));
    const provider = createRefreshTokenProvider({
      authorityUrl: entra.url,
      tenantId: 't',
      clientId: 'c',
      refreshToken: 'r',
    });
    const transport = transportFor(api, provider);
    await Promise.all(Array.from({ length: 10 }, (_, index) => transport.getJson(`/item/${index}`)));
    await transport.getJson('/again');
    expect(entra.requests).toHaveLength(1);
    expect(api.requests).toHaveLength(11);
    expect(new Set(api.requests.map((request) => request.headers.authorization))).toEqual(
      new Set(['Bearer tok-1']),
    );
  });

  it('refreshes ahead of expiry', async () => {
    const entra = await server(tokenHandler());
    const provider = createRefreshTokenProvider({
      authorityUrl: entra.url,
      tenantId: 't',
      clientId: 'c',
      refreshToken: 'r',
      refreshAheadMs: 3_599_000,
    });
    expect((await provider.getToken()).token).toBe('tok-1');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await provider.getToken()).token).toBe('tok-2');
  });

  it('recovers from a 401 with exactly one refresh and one retry', async () => {
    const entra = await server(tokenHandler());
    const api = await server((request, response) =>
      request.headers.authorization === 'Bearer tok-2'
        ? sendJson(response, 200, { ok: true })
        : sendJson(response, 401, { code: 900421, description: 'MFA required' }),
    );
    const transport = transportFor(
      api,
      createRefreshTokenProvider({
        authorityUrl: entra.url,
        tenantId: 't',
        clientId: 'c',
        refreshToken: 'r',
      }),
    );
    const result = await transport.getJson('/x');
    expect(result.body).toEqual({ ok: true });
    expect(result.attempts).toBe(2);
    expect(entra.requests).toHaveLength(2);
    expect(api.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-2',
    ]);
    expect(api.requests[1]?.headers['ms-requestid']).toBe(api.requests[0]?.headers['ms-requestid']);
  });

  it('gives up with AUTH when the 401 persists after one refresh', async () => {
    const entra = await server(tokenHandler());
    const api = await server((_request, response) =>
      sendJson(response, 401, { code: 900421, description: 'MFA claim missing' }),
    );
    const transport = transportFor(
      api,
      createRefreshTokenProvider({
        authorityUrl: entra.url,
        tenantId: 't',
        clientId: 'c',
        refreshToken: 'r',
      }),
    );
    const error = await failure(transport.getJson('/x'));
    expect(error.code).toBe('AUTH');
    expect(error.status).toBe(401);
    expect(error.pcCode).toBe(900421);
    expect(error.attempts).toBe(2);
    expect(api.requests).toHaveLength(2);
    expect(entra.requests).toHaveLength(2);
    expect(error.message).not.toContain('tok-');
  });

  it('shares one forced refresh among concurrent 401s', async () => {
    const entra = await server(tokenHandler({ delayMs: 20 }));
    const api = await server((request, response) =>
      request.headers.authorization === 'Bearer tok-1'
        ? sendJson(response, 401, {})
        : sendJson(response, 200, { token: request.headers.authorization }),
    );
    const transport = transportFor(
      api,
      createRefreshTokenProvider({
        authorityUrl: entra.url,
        tenantId: 't',
        clientId: 'c',
        refreshToken: 'r',
      }),
    );
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, index) => transport.getJson(`/r/${index}`)),
    );
    expect(results.every((result) => (result.body as { token: string }).token === 'Bearer tok-2')).toBe(true);
    expect(entra.requests).toHaveLength(2);
  });

  it('reports a failing custom token provider as AUTH without sending a request', async () => {
    const api = await server((_request, response) => sendJson(response, 200, {}));
    const broken: TokenProvider = {
      kind: 'app+user',
      getToken: () => Promise.reject(new Error('vault unreachable')),
    };
    const error = await failure(transportFor(api, broken).getJson('/x'));
    expect(error.code).toBe('AUTH');
    expect(error.message).toContain('vault unreachable');
    expect(api.requests).toHaveLength(0);
  });

  it('does not retry a 401 with a static token', async () => {
    const api = await server((_request, response) => sendJson(response, 401, {}));
    const transport = transportFor(api, createStaticTokenProvider('static-token'));
    const error = await failure(transport.getJson('/x'));
    expect(error.code).toBe('AUTH');
    expect(api.requests).toHaveLength(1);
  });

  it('reports an Entra error as AUTH with the AADSTS code and never the secrets', async () => {
    const entra = await server((_request, response) =>
      sendJson(response, 400, {
        error: 'invalid_grant',
        error_description:
          'AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.\r\nTrace ID: 1',
        error_codes: [70008],
      }),
    );
    const api = await server((_request, response) => sendJson(response, 200, {}));
    const transport = transportFor(
      api,
      createRefreshTokenProvider({
        authorityUrl: entra.url,
        tenantId: 't',
        clientId: 'c',
        clientSecret: 'very-secret-value',
        refreshToken: 'refresh-token-value',
      }),
    );
    const error = await failure(transport.getJson('/x'));
    expect(error.code).toBe('AUTH');
    expect(error.status).toBe(400);
    expect(error.pcCode).toBe('AADSTS70008');
    expect(error.message).toContain('invalid_grant');
    expect(error.message).toContain('AADSTS70008');
    expect(error.message).not.toContain('very-secret-value');
    expect(error.message).not.toContain('refresh-token-value');
    expect(entra.requests).toHaveLength(1);
    expect(api.requests).toHaveLength(0);
  });

  it('retries the token endpoint on 503', async () => {
    const issue = tokenHandler();
    const entra = await server((request, response, context) =>
      context.index === 0 ? sendJson(response, 503, {}) : issue(request, response, context),
    );
    const provider = createRefreshTokenProvider({
      authorityUrl: entra.url,
      tenantId: 't',
      clientId: 'c',
      refreshToken: 'r',
    });
    expect((await provider.getToken()).token).toBe('tok-1');
    expect(entra.requests).toHaveLength(2);
  });
});

describe('client-credentials provider', () => {
  it('warns that analytics needs App+User and posts the client-credentials form', async () => {
    const entra = await server(tokenHandler({ version: 'v2' }));
    const warnings: string[] = [];
    const provider = createClientCredentialsProvider({
      authorityUrl: entra.url,
      tenantId: 't',
      clientId: 'c',
      clientSecret: 's3cret',
      endpointVersion: 'v2',
      onWarning: (message) => warnings.push(message),
    });
    expect(provider.kind).toBe('app-only');
    expect(warnings).toEqual([appOnlyWarning]);
    expect((await provider.getToken()).token).toBe('tok-1');
    expect(form(entra.requests[0]?.body ?? '')).toEqual({
      grant_type: 'client_credentials',
      client_id: 'c',
      client_secret: 's3cret',
      scope: 'https://api.partnercenter.microsoft.com/.default',
    });
  });

  it('explains a 403 for app-only credentials', async () => {
    const entra = await server(tokenHandler());
    const api = await server((_request, response) =>
      sendJson(response, 403, {
        code: 2032,
        description: "This resource can't be accessed by application credentials.",
      }),
    );
    const transport = transportFor(
      api,
      createClientCredentialsProvider({
        authorityUrl: entra.url,
        tenantId: 't',
        clientId: 'c',
        clientSecret: 's',
        onWarning: () => undefined,
      }),
    );
    const error = await failure(transport.getJson('/x'));
    expect(error.code).toBe('AUTH');
    expect(error.message).toContain('App+User');
  });

  it('refuses to start without a client secret', () => {
    expect(() =>
      createClientCredentialsProvider({ tenantId: 't', clientId: 'c', onWarning: () => undefined }),
    ).toThrow(/clientSecret is required/);
  });
});

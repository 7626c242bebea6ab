import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import {
  ConfidentialClientApplication,
  type INetworkModule,
  type NetworkResponse,
  PublicClientApplication,
} from '@azure/msal-node';
import { generate } from 'selfsigned';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { paths, startSmall } from './helpers.js';

/** An MSAL network module over undici that trusts the mock's certificate (as pc's does). */
function networkTrusting(ca: string): INetworkModule {
  const dispatcher = new Agent({ connect: { ca } });
  const send = async <T>(
    method: 'GET' | 'POST',
    url: string,
    options?: { headers?: Record<string, string>; body?: string },
  ): Promise<NetworkResponse<T>> => {
    const response = await request(url, {
      method,
      dispatcher,
      ...(options?.headers !== undefined ? { headers: options.headers } : {}),
      ...(options?.body !== undefined ? { body: options.body } : {}),
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (typeof value === 'string') headers[name] = value;
    }
    return { status: response.statusCode, headers, body: (await response.body.json()) as T };
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

async function httpsCall(
  server: MockServer,
  path: string,
  init: { method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string> } = {},
) {
  const response = await request(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    dispatcher: new Agent({ connect: { ca: server.ca! } }),
    ...(init.headers !== undefined ? { headers: init.headers } : {}),
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

const scopes = ['https://api.partnercenter.microsoft.com/user_impersonation'];
let server: MockServer;

beforeAll(async () => {
  server = await startSmall({ tls: true, customers: 20 });
});
afterAll(() => server.close());

describe('pc-mock --tls', () => {
  it('serves HTTPS on loopback with a certificate written to a PEM file, refused without trusting it', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await readFile(server.caFile!, 'utf8')).toBe(server.ca);
    const ok = await httpsCall(server, '/common/v2.0/.well-known/openid-configuration');
    expect(ok.status).toBe(200);
    await expect(request(`${server.url}/openapi.json`)).rejects.toThrow(/certificate/i);
  });

  it('removes its temporary certificate folder on close', async () => {
    const other = await startSmall({ tls: true });
    const file = other.caFile!;
    expect(existsSync(file)).toBe(true);
    await other.close();
    expect(existsSync(file)).toBe(false);
  });
});

describe('Entra ID for MSAL', () => {
  it('serves OpenID discovery (v2 and v1) and instance discovery naming this host', async () => {
    const v2 = JSON.parse((await httpsCall(server, '/common/v2.0/.well-known/openid-configuration')).text);
    expect(v2).toMatchObject({
      token_endpoint: `${server.url}/common/oauth2/v2.0/token`,
      device_authorization_endpoint: `${server.url}/common/oauth2/v2.0/devicecode`,
      issuer: `${server.url}/{tenantid}/v2.0`,
    });
    const v1 = JSON.parse((await httpsCall(server, '/common/.well-known/openid-configuration')).text);
    expect(v1.token_endpoint).toBe(`${server.url}/common/oauth2/token`);
    const instance = JSON.parse(
      (
        await httpsCall(
          server,
          `/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${server.url}/common/oauth2/v2.0/authorize`)}`,
        )
      ).text,
    );
    expect(instance.metadata[0].aliases).toEqual([new URL(server.url).host]);
  });

  it('device code: MSAL polls until a test approves the user code; the token carries aud, mfa and tid', async () => {
    const app = new PublicClientApplication({
      auth: {
        clientId: 'mock-client-id',
        authority: `${server.url}/organizations`,
        knownAuthorities: [new URL(server.url).host],
      },
      system: { networkClient: networkTrusting(server.ca!) },
    });
    let shown = '';
    const result = await app.acquireTokenByDeviceCode({
      scopes,
      deviceCodeCallback: (response) => {
        shown = response.message;
        void httpsCall(server, '/_mock/device/approve', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ user_code: response.userCode }),
        });
      },
    });
    expect(shown).toContain(`${server.url}/devicelogin`);
    expect(result).not.toBeNull();
    const claims = claimsOf(result!.accessToken);
    expect(claims).toMatchObject({
      aud: 'https://api.partnercenter.microsoft.com',
      tid: server.partnerTenantId,
      ver: '2.0',
    });
    expect(claims.amr).toContain('mfa');
    expect(result!.account?.username).toBe('admin@partner.onmicrosoft.com');
    const data = await httpsCall(server, `${paths.deployment}?top=1`, {
      headers: { authorization: `Bearer ${result!.accessToken}` },
    });
    expect(data.status).toBe(200);
    // The refresh token in MSAL's cache redeems silently (a public client needs no secret).
    const silent = await app.acquireTokenSilent({ account: result!.account!, scopes, forceRefresh: true });
    expect(silent.accessToken).not.toBe(result!.accessToken);
  });

  it('refuses to approve an unknown user code with a 404', async () => {
    const answer = await httpsCall(server, '/_mock/device/approve', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"user_code":"NOPE"}',
    });
    expect(answer.status).toBe(404);
  });

  it('authorization code with PKCE: the authorize page posts the code to the loopback redirect', async () => {
    const app = new PublicClientApplication({
      auth: {
        clientId: 'mock-client-id',
        authority: `${server.url}/common`,
        knownAuthorities: [new URL(server.url).host],
      },
      system: { networkClient: networkTrusting(server.ca!) },
    });
    const result = await app.acquireTokenInteractive({
      scopes,
      openBrowser: async (url) => {
        const page = await httpsCall(server, new URL(url).pathname + new URL(url).search);
        expect(page.status).toBe(200);
        const action = /action="([^"]+)"/
          .exec(page.text)![1]!
          .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
        const fields = new URLSearchParams();
        for (const match of page.text.matchAll(/name="([^"]+)" value="([^"]*)"/g)) {
          fields.set(
            match[1]!,
            match[2]!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))),
          );
        }
        const loopback = new URL(action);
        loopback.hostname = '127.0.0.1';
        void request(loopback, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: fields.toString(),
        }).then((response) => response.body.text());
      },
    });
    expect(claimsOf(result.accessToken).amr).toContain('mfa');
  });

  it('a certificate credential: a client assertion signed with a registered certificate authenticates the app', async () => {
    const pems = await generate([{ name: 'commonName', value: 'pc test app' }], {
      keyType: 'rsa',
      keySize: 2048,
      algorithm: 'sha256',
    });
    const withCert = await startSmall({ tls: true, customers: 5, clientCertificates: [pems.cert] });
    try {
      const thumbprintSha256 = (await import('node:crypto'))
        .createHash('sha256')
        .update(new (await import('node:crypto')).X509Certificate(pems.cert).raw)
        .digest('hex');
      const app = new ConfidentialClientApplication({
        auth: {
          clientId: 'mock-client-id',
          authority: `${withCert.url}/${withCert.partnerTenantId}`,
          knownAuthorities: [new URL(withCert.url).host],
          clientCertificate: { thumbprintSha256, privateKey: pems.private, x5c: pems.cert },
        },
        system: { networkClient: networkTrusting(withCert.ca!) },
      });
      const appOnly = await app.acquireTokenByClientCredential({
        scopes: ['https://api.partnercenter.microsoft.com/.default'],
      });
      expect(claimsOf(appOnly!.accessToken).idtyp).toBe('app');
      // With the mock's refresh token: App+User through the certificate.
      const user = await app.acquireTokenByRefreshToken({ refreshToken: 'mock-refresh-token', scopes });
      expect(claimsOf(user!.accessToken).amr).toContain('mfa');
      // Another certificate is refused.
      const other = await generate(undefined, { keyType: 'rsa', keySize: 2048, algorithm: 'sha256' });
      const stranger = new ConfidentialClientApplication({
        auth: {
          clientId: 'mock-client-id',
          authority: `${withCert.url}/${withCert.partnerTenantId}`,
          knownAuthorities: [new URL(withCert.url).host],
          clientCertificate: {
            thumbprintSha256: (await import('node:crypto'))
              .createHash('sha256')
              .update(new (await import('node:crypto')).X509Certificate(other.cert).raw)
              .digest('hex'),
            privateKey: other.private,
          },
        },
        system: { networkClient: networkTrusting(withCert.ca!) },
      });
      await expect(
        stranger.acquireTokenByClientCredential({
          scopes: ['https://api.partnercenter.microsoft.com/.default'],
        }),
      ).rejects.toThrow(/700027/);
    } finally {
      await withCert.close();
    }
  });

  it('refresh tokens survive a restart with the same seed, not with another; revocation ends them', async () => {
    const first = await startSmall({ seed: 41, customers: 5 });
    const form = (refreshToken: string) => ({
      method: 'POST' as const,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: 'mock-client-id',
        client_secret: 'mock-client-secret',
        refresh_token: refreshToken,
        scope: scopes[0]!,
      }).toString(),
    });
    const redeem = async (target: MockServer, token: string) => {
      const response = await request(`${target.url}/common/oauth2/v2.0/token`, form(token));
      return { status: response.statusCode, body: (await response.body.json()) as Record<string, string> };
    };
    const issued = (await redeem(first, 'mock-refresh-token')).body.refresh_token!;
    await first.close();
    const again = await startSmall({ seed: 41, customers: 5 });
    const other = await startSmall({ seed: 42, customers: 5 });
    try {
      const renewed = await redeem(again, issued);
      expect(renewed.status).toBe(200);
      expect((await redeem(other, issued)).body.error).toBe('invalid_grant');
      again.revokeSessions();
      const revoked = await redeem(again, renewed.body.refresh_token!);
      expect(revoked.body.error).toBe('invalid_grant');
      expect(revoked.body.error_codes).toEqual([50173]);
      const api = await request(`${again.url}${paths.deployment}?top=1`, {
        headers: { authorization: `Bearer ${renewed.body.access_token}` },
      });
      expect(api.statusCode).toBe(401);
      expect(await api.body.text()).toContain('revoked');
    } finally {
      await again.close();
      await other.close();
    }
  });
});

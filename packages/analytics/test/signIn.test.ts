import { createHash, X509Certificate } from 'node:crypto';
import { type MockServer, startMockServer } from '@pc/mock';
import {
  createBrowserProvider,
  createCertificateProvider,
  createDeviceCodeProvider,
  createTokenCredentialProvider,
  type MsalCacheStore,
  readCertificateCredential,
} from '@pc/transport';
import { generate } from 'selfsigned';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/index.js';

let mock: MockServer;
let certificatePem: string;

beforeAll(async () => {
  const pems = await generate([{ name: 'commonName', value: 'pc sdk test' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
  });
  certificatePem = `${pems.private}\n${pems.cert}`;
  mock = await startMockServer({
    port: 0,
    customers: 20,
    quiet: true,
    tls: true,
    clientCertificates: [pems.cert],
  });
});
afterAll(() => mock.close());

function memoryStore(): MsalCacheStore & { text: string | undefined } {
  const store = {
    text: undefined as string | undefined,
    read: async () => store.text,
    write: async (serialized: string) => {
      store.text = serialized;
    },
  };
  return store;
}

async function countRows(tokenProvider: Parameters<typeof createClient>[0]['tokenProvider']) {
  const client = createClient({ baseUrl: mock.url, tokenProvider, ca: mock.ca!, pageSize: 50 });
  try {
    return (await client.commercial.licenses.deployment.list({ top: 5 }).toArray()).length;
  } finally {
    await client.close();
  }
}

describe('MSAL token providers against the mock', () => {
  it('device code: the prompt is shown, approved, and a second provider on the same cache signs in silently', async () => {
    const store = memoryStore();
    const prompts: string[] = [];
    const provider = createDeviceCodeProvider({
      authorityUrl: mock.url,
      tenantId: 'organizations',
      clientId: 'mock-client-id',
      ca: mock.ca!,
      cacheStore: store,
      onDeviceCode: (prompt) => {
        prompts.push(prompt.message);
        expect(mock.approveDeviceCode(prompt.userCode)).toBe(true);
      },
    });
    expect(await countRows(provider)).toBe(5);
    expect(prompts).toHaveLength(1);
    expect(store.text).toContain('RefreshToken');
    const later = createDeviceCodeProvider({
      authorityUrl: mock.url,
      tenantId: 'organizations',
      clientId: 'mock-client-id',
      ca: mock.ca!,
      cacheStore: store,
      interactive: false,
      onDeviceCode: () => {
        throw new Error('no prompt expected');
      },
    });
    const token = await later.getToken({ forceRefresh: true });
    expect(token.token.split('.')).toHaveLength(3);
  });

  it('device code without a cached account and interactive false: an AUTH error asking to sign in', async () => {
    const provider = createDeviceCodeProvider({
      authorityUrl: mock.url,
      tenantId: 'organizations',
      clientId: 'mock-client-id',
      ca: mock.ca!,
      interactive: false,
      onDeviceCode: () => undefined,
    });
    await expect(provider.getToken()).rejects.toMatchObject({ code: 'AUTH', message: /sign in/ });
  });

  it('refuses an http authority with a message naming --tls', () => {
    expect(() =>
      createDeviceCodeProvider({
        authorityUrl: 'http://127.0.0.1:1',
        tenantId: 'common',
        clientId: 'x',
        onDeviceCode: () => undefined,
      }),
    ).toThrow(/https authority/);
  });

  it('browser: the authorization page posts the code to the loopback server', async () => {
    const dispatcher = new Agent({ connect: { ca: mock.ca! } });
    const provider = createBrowserProvider({
      authorityUrl: mock.url,
      tenantId: 'common',
      clientId: 'mock-client-id',
      ca: mock.ca!,
      openBrowser: async (url) => {
        const page = await request(url, { dispatcher });
        const html = await page.body.text();
        const decode = (text: string) =>
          text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
        const action = new URL(decode(/action="([^"]+)"/.exec(html)![1]!));
        action.hostname = '127.0.0.1';
        const fields = new URLSearchParams();
        for (const match of html.matchAll(/name="([^"]+)" value="([^"]*)"/g))
          fields.set(match[1]!, decode(match[2]!));
        void request(action, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: fields.toString(),
        }).then((answer) => answer.body.text());
      },
    });
    expect(await countRows(provider)).toBe(5);
  });

  it('certificate: with a refresh token App+User tokens, without one app-only (refused with 403)', async () => {
    const certificate = readCertificateCredential(certificatePem);
    const user = createCertificateProvider({
      authorityUrl: mock.url,
      tenantId: mock.partnerTenantId,
      clientId: 'mock-client-id',
      ca: mock.ca!,
      certificate,
      refreshToken: 'mock-refresh-token',
    });
    expect(user.kind).toBe('app+user');
    expect(await countRows(user)).toBe(5);
    const appOnly = createCertificateProvider({
      authorityUrl: mock.url,
      tenantId: mock.partnerTenantId,
      clientId: 'mock-client-id',
      ca: mock.ca!,
      certificate,
    });
    expect(appOnly.kind).toBe('app-only');
    await expect(countRows(appOnly)).rejects.toMatchObject({ status: 403 });
    expect(() =>
      readCertificateCredential('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'),
    ).toThrow(/private key and the certificate/);
    expect(
      createHash('sha256').update(new X509Certificate(certificate.certificate).raw).digest('hex'),
    ).toHaveLength(64);
  });

  it('adapts an Azure Identity TokenCredential, caching its token', async () => {
    let calls = 0;
    const provider = createTokenCredentialProvider({
      getToken: async (scopes) => {
        calls += 1;
        expect(scopes).toEqual(['https://api.partnercenter.microsoft.com/.default']);
        return { token: mock.issueToken(), expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    });
    expect(await countRows(provider)).toBe(5);
    await provider.getToken();
    expect(calls).toBe(1);
    const empty = createTokenCredentialProvider({ getToken: async () => null });
    await expect(empty.getToken()).rejects.toMatchObject({ code: 'AUTH' });
  });
});

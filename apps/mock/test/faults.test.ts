import { endpoints, throttleErrorBodySchema } from '@pc/models';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { call, paths, startSmall } from './helpers.js';

let server: MockServer;
let token: string;

beforeAll(async () => {
  server = await startSmall({ customers: 20 });
  token = server.issueToken();
});
afterEach(() => server.reset());
afterAll(() => server.close());

async function raw(path: string, fault: string, extra: { headersTimeout?: number } = {}) {
  const response = await request(`${server.url}${path}`, {
    headers: { authorization: `Bearer ${token}`, 'x-pc-mock-fault': fault },
    ...extra,
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    bytes: Buffer.from(await response.body.arrayBuffer()),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('per-request faults (x-pc-mock-fault)', () => {
  it('429;retry-after=1: gateway body and Retry-After; coming back early is throttled again; after the wait it passes', async () => {
    const first = await call(`${server.url}${paths.usage}?top=1`, {
      token,
      headers: { 'x-pc-mock-fault': '429;retry-after=1' },
    });
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('1');
    expect(throttleErrorBodySchema.parse(first.json())).toEqual({
      statusCode: 429,
      message: 'Rate limit is exceeded. Try again in 1 seconds.',
    });
    const early = await call(`${server.url}${paths.usage}?top=1`, { token });
    expect(early.status).toBe(429);
    await sleep(1100);
    const later = await call(`${server.url}${paths.usage}?top=1`, { token });
    expect(later.status).toBe(200);
    const faults = server.journal().map((entry) => [entry.status, entry.fault]);
    expect(faults).toEqual([
      [429, '429;retry-after=1'],
      [429, 'throttled (retried before Retry-After)'],
      [200, undefined],
    ]);
  });

  it('503 and other statuses answer a Partner Center error body', async () => {
    for (const status of [500, 503, 504]) {
      const answer = await call(`${server.url}${paths.deployment}`, {
        token,
        headers: { 'x-pc-mock-fault': String(status) },
      });
      expect(answer.status).toBe(status);
      expect(answer.json()).toMatchObject({ source: 'pc-mock' });
    }
  });

  it('reset: the connection is reset before any response', async () => {
    await expect(raw(paths.deployment, 'reset')).rejects.toMatchObject({
      code: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET/),
    });
  });

  it('empty: the socket closes without a byte', async () => {
    await expect(raw(paths.deployment, 'empty')).rejects.toThrow();
  });

  it('truncate;mode=length: a short Content-Length and a cut JSON body', async () => {
    const answer = await raw(`${paths.deployment}?top=50`, 'truncate;mode=length');
    expect(answer.status).toBe(200);
    expect(Number(answer.headers['content-length'])).toBe(answer.bytes.length);
    expect(() => JSON.parse(answer.bytes.toString('utf8'))).toThrow(SyntaxError);
    const whole = await call(`${server.url}${paths.deployment}?top=50`, { token });
    expect(whole.text.startsWith(answer.bytes.toString('utf8'))).toBe(true);
  });

  it('truncate;mode=chunked: a cleanly closed chunked body that is cut JSON', async () => {
    const answer = await raw(`${paths.deployment}?top=50`, 'truncate;mode=chunked');
    expect(answer.status).toBe(200);
    expect(answer.headers['transfer-encoding']).toBe('chunked');
    expect(() => JSON.parse(answer.bytes.toString('utf8'))).toThrow(SyntaxError);
  });

  it('truncate;mode=socket: the full Content-Length is announced and the socket dies mid-body', async () => {
    await expect(raw(`${paths.deployment}?top=50`, 'truncate;mode=socket')).rejects.toThrow();
  });

  it('bom: a UTF-8 BOM before valid JSON', async () => {
    const answer = await raw(`${paths.deployment}?top=3`, 'bom');
    expect([...answer.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    endpoints.commercialLicenseDeployment.page.parse(JSON.parse(answer.bytes.subarray(3).toString('utf8')));
  });

  it('slow: the whole body arrives, dribbled in pieces', async () => {
    const response = await request(`${server.url}${paths.deployment}?top=20`, {
      headers: { authorization: `Bearer ${token}`, 'x-pc-mock-fault': 'slow;ms=200' },
    });
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) chunks.push(Buffer.from(chunk as Uint8Array));
    expect(response.statusCode).toBe(200);
    expect(chunks.length).toBeGreaterThan(1);
    expect(JSON.parse(Buffer.concat(chunks).toString('utf8')).Value).toHaveLength(20);
    expect(server.journal().at(-1)).toMatchObject({ status: 200, fault: 'slow;ms=200' });
  });

  it('hang: no answer at all (the client gives up)', async () => {
    await expect(raw(paths.deployment, 'hang', { headersTimeout: 300 })).rejects.toMatchObject({
      code: 'UND_ERR_HEADERS_TIMEOUT',
    });
    expect(server.journal().at(-1)).toMatchObject({ status: 0, fault: 'hang' });
  });

  it('applies to the token endpoint too, and refuses an unknown fault with 400', async () => {
    const token503 = await call(`${server.url}/common/oauth2/token`, {
      method: 'POST',
      body: 'grant_type=client_credentials',
      headers: { 'x-pc-mock-fault': '503' },
    });
    expect(token503.status).toBe(503);
    expect(token503.json()).toMatchObject({ error: 'temporarily_unavailable', error_codes: [90033] });
    const unknown = await call(`${server.url}${paths.deployment}`, {
      token,
      headers: { 'x-pc-mock-fault': 'explode' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json<{ description: string }>().description).toContain('explode');
    const unknownOnToken = await call(`${server.url}/common/oauth2/token`, {
      method: 'POST',
      body: 'grant_type=client_credentials',
      headers: { 'x-pc-mock-fault': 'explode' },
    });
    expect(unknownOnToken.status).toBe(400);
    expect(unknownOnToken.json()).toMatchObject({ error: 'invalid_request', error_codes: [900144] });
  });
});

describe('probabilistic faults', () => {
  async function statuses(target: MockServer, count: number): Promise<string[]> {
    const seen: string[] = [];
    const bearer = target.issueToken();
    for (let index = 0; index < count; index++) {
      try {
        const response = await request(`${target.url}${paths.deployment}?top=5`, {
          headers: { authorization: `Bearer ${bearer}` },
        });
        const text = await response.body.text();
        let ok = 'ok';
        try {
          JSON.parse(text);
        } catch {
          ok = 'cut';
        }
        seen.push(`${response.statusCode}:${ok}`);
      } catch (error) {
        seen.push(`error:${(error as { code?: string }).code ?? 'unknown'}`);
      }
    }
    return seen;
  }

  it('draws the same schedule for the same fault seed, another for another seed', async () => {
    const spec = '429=0.2,503=0.2,truncate=0.1,reset=0.1,retry-after=0';
    const a = await startSmall({ customers: 10, faults: spec, faultSeed: 7 });
    const b = await startSmall({ customers: 10, faults: spec, faultSeed: 7 });
    const c = await startSmall({ customers: 10, faults: spec, faultSeed: 8 });
    try {
      const [first, second, third] = [await statuses(a, 40), await statuses(b, 40), await statuses(c, 40)];
      expect(second).toEqual(first);
      expect(third).not.toEqual(first);
      for (const kind of ['200:ok', '429:ok', '503:ok']) expect(first).toContain(kind);
      expect(first.some((item) => item.startsWith('error:') || item === '200:cut')).toBe(true);
      a.reset();
      expect(await statuses(a, 40)).toEqual(first);
      a.setFaults('');
      expect(new Set(await statuses(a, 10))).toEqual(new Set(['200:ok']));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });
});

describe('rate limiting per partner tenant', () => {
  it('throttles beyond the budget with Retry-After and the gateway body, per tenant', async () => {
    const limited = await startSmall({ customers: 10, rateLimit: '3/60' });
    try {
      const mine = limited.issueToken();
      for (let index = 0; index < 3; index++) {
        const answer = await call(`${limited.url}${paths.deployment}?top=1`, { token: mine });
        expect(answer.status).toBe(200);
        expect(answer.headers['ratelimit-remaining']).toBe(String(2 - index));
      }
      const throttled = await call(`${limited.url}${paths.deployment}?top=1`, { token: mine });
      expect(throttled.status).toBe(429);
      const retryAfter = Number(throttled.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(throttled.json<{ message: string }>().message).toBe(
        `Rate limit is exceeded. Try again in ${retryAfter} seconds.`,
      );
      const other = limited.issueToken({ tenantId: '22222222-3333-4444-8555-666666666666' });
      expect((await call(`${limited.url}${paths.deployment}?top=1`, { token: other })).status).toBe(200);
      limited.reset();
      expect((await call(`${limited.url}${paths.deployment}?top=1`, { token: mine })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('latency', () => {
  it('still answers correctly with latency configured', async () => {
    const slow = await startSmall({ customers: 5, latency: '5-20' });
    try {
      expect((await call(`${slow.url}${paths.usage}?top=1`, { token: slow.issueToken() })).status).toBe(200);
    } finally {
      await slow.close();
    }
  });
});

import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer } from '../src/index.js';

type Mock = Awaited<ReturnType<typeof startMockServer>>;
let mock: Mock;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, seed: 1, customers: 20, quiet: true });
});
afterAll(async () => {
  await mock?.close();
});

function send(options: {
  method: string;
  path: string;
  headers?: Record<string, string | number>;
  body?: string;
}): Promise<{ status: number; body: string }> {
  const url = new URL(mock.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method,
        path: options.path,
        headers: options.headers,
      },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8');
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('bad input gets a 4xx in the documented shape', () => {
  it('answers a malformed percent-escape in a tenant with 400, a numeric tenantId with 400 and 10 MB with 413', async () => {
    const badEscape = await send({
      method: 'POST',
      path: '/%E0%A4%A/oauth2/token',
      headers: { 'content-length': 0 },
    });
    expect(badEscape.status).toBe(400);
    expect(JSON.parse(badEscape.body)).toMatchObject({ error: 'invalid_request' });
    expect(badEscape.body).not.toMatch(/at .*\.js/);

    const numeric = await send({ method: 'POST', path: '/_mock/token', body: '{"tenantId":1}' });
    expect(numeric.status).toBe(400);
    expect(JSON.parse(numeric.body)).toMatchObject({ code: 800002, source: 'pc-mock' });

    const big = 'a'.repeat(10 * 1024 * 1024);
    const huge = await send({
      method: 'POST',
      path: '/contoso/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': big.length },
      body: big,
    });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body)).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
  });
});

describe('the admin API without an admin token', () => {
  it('refuses a cross-site Origin and a Host that is not loopback', async () => {
    const crossSite = await send({
      method: 'GET',
      path: '/_mock/faults',
      headers: { origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    const rebound = await send({
      method: 'POST',
      path: '/_mock/reset',
      headers: { host: 'evil.example:80' },
    });
    expect(rebound.status).toBe(403);
    const local = await send({ method: 'GET', path: '/_mock/faults', headers: { origin: mock.url } });
    expect(local.status).toBe(200);
  });
});

describe('the journal', () => {
  it('keeps long query values cut', async () => {
    await send({ method: 'DELETE', path: '/_mock/journal' });
    await send({ method: 'GET', path: `/openapi.json?filter=${'x'.repeat(10_000)}` });
    const journal = JSON.parse((await send({ method: 'GET', path: '/_mock/journal' })).body) as {
      entries: Array<{ path: string; query: Record<string, string> }>;
    };
    const entry = journal.entries.find((candidate) => candidate.path === '/openapi.json');
    expect(entry?.query.filter).toMatch(/^x{512}… \(10000 characters\)$/);
  });
});

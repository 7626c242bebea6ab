import { endpoints } from '@pc/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { call, paths, readAll, startSmall } from './helpers.js';

let server: MockServer;
let token: string;
const admin = { authorization: 'Bearer admin-secret' };

beforeAll(async () => {
  server = await startSmall({ customers: 25, adminToken: 'admin-secret' });
  token = server.issueToken();
});
afterAll(() => server.close());

describe('admin API (/_mock/)', () => {
  it('refuses callers without the admin token', async () => {
    for (const path of ['/_mock/journal', '/_mock/faults']) {
      const answer = await call(`${server.url}${path}`);
      expect(answer.status).toBe(401);
    }
    expect(
      (
        await call(`${server.url}/_mock/reset`, {
          method: 'POST',
          headers: { authorization: 'Bearer wrong' },
        })
      ).status,
    ).toBe(401);
  });

  it('sets faults at runtime (text or JSON), reads them back, and reset restores the start-up faults', async () => {
    const put = await call(`${server.url}/_mock/faults`, { method: 'PUT', headers: admin, body: '503=1' });
    expect(put.status).toBe(200);
    expect(put.json()).toMatchObject({ spec: '503=1' });
    expect((await call(`${server.url}${paths.deployment}`, { token })).status).toBe(503);
    const json = await call(`${server.url}/_mock/faults`, {
      method: 'PUT',
      headers: admin,
      body: JSON.stringify({ spec: '' }),
    });
    expect(json.json()).toMatchObject({ spec: '' });
    expect((await call(`${server.url}${paths.deployment}?top=1`, { token })).status).toBe(200);
    const bad = await call(`${server.url}/_mock/faults`, { method: 'PUT', headers: admin, body: '503=2' });
    expect(bad.status).toBe(400);
    await call(`${server.url}/_mock/faults`, { method: 'PUT', headers: admin, body: '429=1' });
    expect((await call(`${server.url}/_mock/reset`, { method: 'POST', headers: admin })).status).toBe(200);
    expect((await call(`${server.url}/_mock/faults`, { headers: admin })).json()).toMatchObject({ spec: '' });
  });

  it('journals method, path, query and the headers that matter (never the token)', async () => {
    await call(`${server.url}/_mock/reset`, { method: 'POST', headers: admin });
    await call(`${server.url}${paths.usage}?top=2&filter=${encodeURIComponent("channel eq 'reseller'")}`, {
      token,
      headers: {
        'MS-RequestId': 'r-1',
        'MS-CorrelationId': 'c-1',
        'X-Locale': 'en-US',
        'User-Agent': 'test-agent/1.0',
      },
    });
    const journal = (await call(`${server.url}/_mock/journal`, { headers: admin })).json<{
      entries: Record<string, unknown>[];
    }>();
    const entry = journal.entries.find((candidate) => candidate.path === paths.usage)!;
    expect(entry).toMatchObject({
      method: 'GET',
      path: paths.usage,
      query: { top: '2', filter: "channel eq 'reseller'" },
      status: 200,
      tenantId: server.partnerTenantId,
      headers: {
        'ms-requestid': 'r-1',
        'ms-correlationid': 'c-1',
        'x-locale': 'en-US',
        'user-agent': 'test-agent/1.0',
        authorization: 'Bearer',
      },
    });
    expect(JSON.stringify(journal)).not.toContain(token);
    expect(server.journal().some((candidate) => candidate.path === paths.usage)).toBe(true);
    server.resetJournal();
    expect(server.journal()).toEqual([]);
  });

  it('advances to a new processing snapshot mid-download; the old one stays readable by date', async () => {
    const before = await call(`${server.url}${paths.deployment}?top=50`, { token });
    const first = before.json<{ Value: Record<string, unknown>[]; '@nextLink': string }>();
    const oldDate = String(first.Value[0]!.processedDateTime);
    const advanced = await call(`${server.url}/_mock/snapshots/advance`, { method: 'POST', headers: admin });
    const snapshots = advanced.json<{ latest: string; snapshots: string[] }>();
    expect(Date.parse(snapshots.latest) - Date.parse(`${oldDate}Z`)).toBe(86_400_000);
    expect(snapshots.snapshots).toHaveLength(3);
    const next = await call(first['@nextLink'], { token });
    expect(next.json<{ Value: Record<string, unknown>[] }>().Value[0]!.processedDateTime).toBe(
      snapshots.latest.slice(0, 19),
    );
    const pinned = await readAll(
      server,
      `${paths.deployment}?processedDateTime=${oldDate.slice(0, 10)}`,
      token,
    );
    expect(pinned.rows.slice(0, 50)).toEqual(first.Value);
    const latest = await readAll(server, paths.deployment, token);
    expect(latest.rows).not.toEqual(pinned.rows);
    server.reset();
    const afterReset = await call(`${server.url}${paths.deployment}?top=1`, { token });
    expect(afterReset.json<{ Value: Record<string, unknown>[] }>().Value[0]!.processedDateTime).toBe(oldDate);
  });

  it('advances through the library method too and mints tokens through the admin API', async () => {
    server.advanceSnapshot();
    const snapshots = (await call(`${server.url}/_mock/snapshots`, { headers: admin })).json<{
      latest: string;
    }>();
    const answer = await call(`${server.url}${paths.usage}?top=1`, { token });
    expect(answer.json<{ Value: Record<string, unknown>[] }>().Value[0]!.processedDateTime).toBe(
      snapshots.latest.slice(0, 19),
    );
    server.reset();
    const minted = await call(`${server.url}/_mock/token`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ mfa: false }),
    });
    const noMfa = await call(`${server.url}${paths.usage}`, {
      token: minted.json<{ access_token: string }>().access_token,
    });
    expect(noMfa.json()).toMatchObject({ code: 900421 });
    endpoints.commercialLicenseUsage.page.parse(JSON.parse(answer.text));
  });

  it('is open on loopback when no admin token is configured', async () => {
    const open = await startSmall({ customers: 5 });
    try {
      expect((await call(`${open.url}/_mock/journal`)).status).toBe(200);
      expect((await call(`${open.url}/_mock/nothing`)).status).toBe(404);
    } finally {
      await open.close();
    }
  });
});

import { endpoints, formatPage } from '@pc/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { call, paths, q, readAll, startSmall } from './helpers.js';

let server: MockServer;
let token: string;

beforeAll(async () => {
  server = await startSmall({ customers: 60 });
  token = server.issueToken();
});
afterAll(() => server.close());

describe('commercial endpoints (E1, E2): shapes and headers', () => {
  it('answers E1 in the seed example shape, upper-case GUIDs, parsing with the model', async () => {
    const answer = await call(`${server.url}${paths.usage}?top=3`, {
      token,
      headers: { 'MS-RequestId': 'req-1', 'MS-CorrelationId': 'corr-1' },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers['ms-requestid']).toBe('req-1');
    expect(answer.headers['ms-correlationid']).toBe('corr-1');
    expect(answer.headers['ms-cv']).toMatch(/^\S+\.0$/);
    expect(answer.headers['ms-serverid']).toBeTruthy();
    expect(answer.headers.date).toBeTruthy();
    const body = answer.json<{ Value: Record<string, unknown>[]; '@nextLink': string; TotalCount: number }>();
    expect(Object.keys(body)).toEqual(['Value', '@nextLink', 'TotalCount']);
    const row = body.Value[0]!;
    expect(Object.keys(row)).toEqual([
      'processedDateTime',
      'workloadCode',
      'workloadName',
      'serviceCode',
      'serviceName',
      'channel',
      'customerTenantId',
      'customerName',
      'productId',
      'productName',
      'licensesActive',
      'licensesQualified',
    ]);
    expect(row.processedDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00$/);
    expect(row.customerTenantId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(row.productId).toMatch(/^[0-9A-F-]{36}$/);
    expect(['o365', 'crm']).toContain(row.serviceCode);
    expect(answer.text).toBe(
      formatPage(endpoints.commercialLicenseUsage, body.Value, {
        nextLink: body['@nextLink'],
        totalCount: body.TotalCount,
      }),
    );
    const page = endpoints.commercialLicenseUsage.page.parse(JSON.parse(answer.text));
    expect(page.items).toHaveLength(3);
    expect(page.totalCount).toBe(body.TotalCount);
  });

  it('answers E2 with the deployment fields and generates answers without an MS-RequestId', async () => {
    const answer = await call(`${server.url}${paths.deployment}?top=2`, { token });
    expect(answer.status).toBe(200);
    expect(answer.headers['ms-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    const body = answer.json<{ Value: Record<string, unknown>[] }>();
    expect(Object.keys(body.Value[0]!)).toEqual([
      'processedDateTime',
      'serviceCode',
      'serviceName',
      'channel',
      'customerTenantId',
      'customerName',
      'productId',
      'productName',
      'licensesDeployed',
      'licensesSold',
    ]);
    endpoints.commercialLicenseDeployment.page.parse(JSON.parse(answer.text));
  });

  it('serves both path forms and a trailing slash with the same rows', async () => {
    const forms = [
      paths.deployment,
      `${paths.deployment}/`,
      '/v1/analytics/commercial/deployment/license',
      '/v1/analytics/commercial/deployment/license/',
    ];
    const bodies = await Promise.all(forms.map((path) => call(`${server.url}${path}?top=5`, { token })));
    for (const answer of bodies) expect(answer.status).toBe(200);
    const values = bodies.map((answer) => JSON.stringify(answer.json().Value));
    expect(new Set(values).size).toBe(1);
  });

  it('answers 404 with a Partner Center body for an unknown path', async () => {
    const answer = await call(`${server.url}/partner/v1/analytics/nothing`, { token });
    expect(answer.status).toBe(404);
    expect(answer.json()).toMatchObject({ code: 404, source: 'pc-mock' });
  });
});

describe('paging', () => {
  it('pages through every page: exactly TotalCount distinct rows, absolute next links with skip advanced', async () => {
    const first = await call(`${server.url}${paths.deployment}?top=100`, { token });
    const body = first.json<{ '@nextLink': string; TotalCount: number }>();
    expect(body['@nextLink']).toBe(`${server.url}${paths.deployment}?top=100&skip=100`);
    const { rows, pages, totalCount } = await readAll(server, `${paths.deployment}?top=100`, token);
    expect(totalCount).toBe(body.TotalCount);
    expect(rows).toHaveLength(totalCount);
    expect(pages).toBe(Math.ceil(totalCount / 100));
    const keys = new Set(rows.map((row) => `${row.customerTenantId}|${row.productId}`));
    expect(keys.size).toBe(totalCount);
  });

  it('pages E1 with a filter: the next link keeps the filter, rows are distinct', async () => {
    const filter = q("channel eq 'reseller'");
    const { rows, totalCount } = await readAll(server, `${paths.usage}?filter=${filter}&top=250`, token);
    expect(rows).toHaveLength(totalCount);
    expect(rows.every((row) => row.channel === 'reseller')).toBe(true);
    const keys = new Set(rows.map((row) => `${row.customerTenantId}|${row.productId}|${row.workloadCode}`));
    expect(keys.size).toBe(totalCount);
  });

  it('defaults top to 10000 and answers null on the last page', async () => {
    const answer = await call(`${server.url}${paths.deployment}`, { token });
    const body = answer.json<{ Value: unknown[]; '@nextLink': null; TotalCount: number }>();
    expect(body['@nextLink']).toBeNull();
    expect(body.Value).toHaveLength(body.TotalCount);
  });

  it('reads query names without regard to case or a $ prefix', async () => {
    const a = await call(`${server.url}${paths.deployment}?$top=7&$skip=3`, { token });
    const b = await call(`${server.url}${paths.deployment}?TOP=7&Skip=3`, { token });
    const c = await call(`${server.url}${paths.deployment}?top=7&skip=3`, { token });
    expect(a.json().Value).toEqual(c.json().Value);
    expect(b.json().Value).toEqual(c.json().Value);
    expect(a.json()['@nextLink']).toBe(`${server.url}${paths.deployment}?$top=7&$skip=10`);
  });

  it('answers 400 for top outside 1..10000 and a bad skip', async () => {
    for (const query of ['top=0', 'top=10001', 'top=abc', 'top=-1', 'skip=-5', 'skip=x']) {
      const answer = await call(`${server.url}${paths.usage}?${query}`, { token });
      expect(answer.status, query).toBe(400);
      expect(answer.json(), query).toMatchObject({ code: 800002, source: 'pc-mock' });
    }
    expect((await call(`${server.url}${paths.usage}?top=10000`, { token })).status).toBe(200);
  });

  it('answers an empty page past the end with the whole TotalCount', async () => {
    const answer = await call(`${server.url}${paths.deployment}?skip=1000000`, { token });
    expect(answer.json()).toMatchObject({ Value: [], '@nextLink': null });
    expect(answer.json().TotalCount).toBeGreaterThan(0);
  });
});

describe('snapshots and determinism', () => {
  it('selects older snapshots with processedDateTime; they differ a little from the latest', async () => {
    const latest = (await readAll(server, paths.deployment, token)).rows;
    const date = String(latest[0]!.processedDateTime).slice(0, 10);
    const previousDay = new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const older = (await readAll(server, `${paths.deployment}?processedDateTime=${previousDay}`, token)).rows;
    expect(older[0]!.processedDateTime).toBe(`${previousDay}T00:00:00`);
    // customers and products come and go (churn.ts): compare the rows both days hold
    const key = (row: Record<string, unknown>) => `${row.customerTenantId}|${row.productId}`;
    const olderByKey = new Map(older.map((row) => [key(row), row]));
    const common = latest.filter((row) => olderByKey.has(key(row)));
    expect(common.length).toBeGreaterThan(latest.length * 0.9);
    const changed = common.filter(
      (row) =>
        row.licensesSold !== olderByKey.get(key(row))!.licensesSold ||
        row.licensesDeployed !== olderByKey.get(key(row))!.licensesDeployed,
    );
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.length).toBeLessThan(latest.length / 3);
    const withTime = await call(
      `${server.url}${paths.deployment}?top=3&processedDateTime=${q(`${previousDay}T00:00:00`)}`,
      { token },
    );
    expect(withTime.json().Value).toEqual(older.slice(0, 3));
  });

  it('answers an empty result for a day with no snapshot, and 400 for a malformed date', async () => {
    const none = await call(`${server.url}${paths.usage}?processedDateTime=2001-01-01`, { token });
    expect(none.json()).toEqual({ Value: [], '@nextLink': null, TotalCount: 0 });
    const bad = await call(`${server.url}${paths.usage}?processedDateTime=yesterday`, { token });
    expect(bad.status).toBe(400);
  });

  it('gives byte-identical bodies for the same seed and different data for another seed', async () => {
    const twin = await startSmall({ customers: 60 });
    const other = await startSmall({ customers: 60, seed: 2 });
    try {
      for (const path of [
        `${paths.usage}?top=50&skip=20`,
        `${paths.deployment}?groupby=productName,channel`,
        paths.partnerUsage,
      ]) {
        const a = await call(`${server.url}${path}`, { token });
        const b = await call(`${twin.url}${path}`, { token: twin.issueToken() });
        expect(b.text.replaceAll(twin.url, 'ORIGIN')).toBe(a.text.replaceAll(server.url, 'ORIGIN'));
      }
      const a = await call(`${server.url}${paths.deployment}?top=20`, { token });
      const c = await call(`${other.url}${paths.deployment}?top=20`, { token: other.issueToken() });
      expect(c.json().Value).not.toEqual(a.json().Value);
    } finally {
      await Promise.all([twin.close(), other.close()]);
    }
  });
});

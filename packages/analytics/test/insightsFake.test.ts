import { isPartnerCenterError } from '@pc/transport';
import { describe, expect, it } from 'vitest';
import { createClient } from '../src/index.js';
import { createFakeTransport } from './fixtures/fakeTransport.js';

const snapshots = [
  { processedDateTime: '2026-11-20T00:00:00.000Z', rows: 611 },
  { processedDateTime: '2026-11-19T00:00:00.000Z', rows: 587 },
];

function client() {
  return createClient({
    transport: createFakeTransport({ snapshots }).transport,
    pageSize: 40,
    concurrency: 3,
  });
}

/** The unused-licenses computation done the plain way, over every row in memory. */
function referenceUnused(rows: readonly Record<string, unknown>[], threshold: number) {
  const sums: Record<string, { sold: number; deployed: number; customer: string; product: string }> = {};
  for (const row of rows) {
    const id = `${row.customerTenantId}/${row.productId}`;
    sums[id] ??= {
      sold: 0,
      deployed: 0,
      customer: String(row.customerName),
      product: String(row.productName),
    };
    sums[id].sold += row.licensesSold as number;
    sums[id].deployed += row.licensesDeployed as number;
  }
  return Object.values(sums)
    .filter((entry) => entry.sold > entry.deployed && entry.deployed / entry.sold < threshold)
    .map((entry) => ({
      customerName: entry.customer,
      productName: entry.product,
      unused: entry.sold - entry.deployed,
    }))
    .sort(
      (a, b) =>
        b.unused - a.unused ||
        (a.customerName < b.customerName ? -1 : a.customerName > b.customerName ? 1 : 0) ||
        (a.productName < b.productName ? -1 : 1),
    );
}

describe('insights over a fake server', () => {
  it('unused-licenses equals the plain computation, locally and with the server groupby', async () => {
    const analytics = client();
    const rows = await analytics.commercial.licenses.deployment.list().toArray();
    for (const threshold of [1, 0.5]) {
      const local = await analytics.runInsight('unused-licenses', { threshold });
      const server = await analytics.runInsight('unused-licenses', { threshold, serverGroupby: true });
      expect(
        local.rows.map((row) => ({
          customerName: row.customerName,
          productName: row.productName,
          unused: row.unusedLicenses,
        })),
      ).toEqual(referenceUnused(rows, threshold));
      expect(server.rows).toEqual(local.rows);
      expect(local.rows.length).toBeGreaterThan(0);
      for (const row of local.rows) {
        expect(row.deploymentRate).toBe((row.licensesDeployed as number) / (row.licensesSold as number));
      }
    }
    const top = await analytics.insights.unusedLicenses({ top: '3' });
    expect(top.rows).toHaveLength(3);
    expect(top.meta?.processedDateTime).toBe('2026-11-20T00:00:00.000Z');
  });

  it('trend gives the per-group difference between two snapshots', async () => {
    const analytics = client();
    const result = await analytics.insights.trend({ groupby: 'customerName', changedOnly: false });
    expect(result.meta).toMatchObject({ from: '2026-11-19T00:00:00.000Z', to: '2026-11-20T00:00:00.000Z' });
    const before = await analytics.commercial.licenses.deployment
      .list({ processedDateTime: '2026-11-19' })
      .toArray();
    const after = await analytics.commercial.licenses.deployment.list().toArray();
    const sum = (rows: readonly Record<string, unknown>[], customer: string) =>
      rows
        .filter((row) => row.customerName === customer)
        .reduce((total, row) => total + (row.licensesSold as number), 0);
    expect(result.rows).toHaveLength(37);
    for (const row of result.rows) {
      const customer = String(row.customerName);
      expect(row.licensesSoldFrom).toBe(sum(before, customer));
      expect(row.licensesSoldTo).toBe(sum(after, customer));
      expect(row.licensesSoldChange).toBe(sum(after, customer) - sum(before, customer));
    }
    const server = await analytics.insights.trend({
      groupby: 'customerName',
      changedOnly: false,
      serverGroupby: true,
    });
    expect(server.rows).toEqual(result.rows);
  });

  it('trend refuses group fields the server could not group by, before any request', async () => {
    const fake = createFakeTransport({ snapshots });
    const analytics = createClient({ transport: fake.transport, pageSize: 40 });
    for (const serverGroupby of [false, true]) {
      for (const groupby of ['licensesSold', 'customerName,nope']) {
        const error = await analytics.insights.trend({ groupby, serverGroupby }).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(isPartnerCenterError(error) && error.code).toBe('INVALID_REQUEST');
      }
    }
    expect(fake.requests).toHaveLength(0);
  });
});

import type { CommercialLicenseDeploymentRow, CommercialLicenseUsageRow } from '@pc/models';
import { startMockServer, type MockServer } from '@pc/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyticsClient, createClient } from '../src/index.js';

let mock: MockServer;
let client: AnalyticsClient;
let deployment: CommercialLicenseDeploymentRow[];
let usage: CommercialLicenseUsageRow[];

beforeAll(async () => {
  mock = await startMockServer({ port: 0, seed: 3, customers: 120, snapshots: 3, quiet: true });
  client = createClient({ baseUrl: mock.url, accessToken: mock.issueToken(), pageSize: 60, concurrency: 3 });
  deployment = await client.commercial.licenses.deployment.list().toArray();
  usage = await client.commercial.licenses.usage.list().toArray();
});

afterAll(async () => {
  await client?.close();
  await mock?.close();
});

const byText = (left: string, right: string) => (left < right ? -1 : left > right ? 1 : 0);

/** Plain in-memory sums, written independently of the SDK's aggregator. */
function sumBy<Row>(
  rows: readonly Row[],
  key: (row: Row) => string | null,
  measures: (row: Row) => (number | null)[],
) {
  const sums = new Map<string, number[]>();
  for (const row of rows) {
    const id = String(key(row));
    const values = measures(row).map((value) => value ?? 0);
    const current = sums.get(id) ?? values.map(() => 0);
    sums.set(
      id,
      current.map((value, index) => value + values[index]!),
    );
  }
  return sums;
}

describe('insights against the mock', () => {
  it('unused-licenses equals the reference computation and the server groupby', async () => {
    const result = await client.insights.unusedLicenses({ threshold: 0.9 });
    const sums = sumBy(
      deployment,
      (row) => `${row.customerName}\t${row.productName}\t${row.customerTenantId}\t${row.productId}`,
      (row) => [row.licensesSold, row.licensesDeployed],
    );
    const expected = [...sums]
      .map(([id, [sold, deployed]]) => ({ id, sold: sold!, deployed: deployed! }))
      .filter((entry) => entry.sold > entry.deployed && entry.deployed / entry.sold < 0.9)
      .sort((a, b) => b.sold - b.deployed - (a.sold - a.deployed) || byText(a.id, b.id))
      .map((entry) => [
        entry.id.split('\t')[0],
        entry.id.split('\t')[1],
        entry.sold - entry.deployed,
        entry.deployed / entry.sold,
      ]);
    expect(expected.length).toBeGreaterThan(5);
    expect(
      result.rows.map((row) => [row.customerName, row.productName, row.unusedLicenses, row.deploymentRate]),
    ).toEqual(expected);
    const server = await client.insights.unusedLicenses({ threshold: 0.9, serverGroupby: true });
    expect(server.rows).toEqual(result.rows);
    expect(result.meta?.rowsRead).toBe(deployment.length);
    expect(server.meta?.groups).toBe(result.meta?.groups);
  });

  it('adoption equals the reference computation and the server groupby', async () => {
    const result = await client.insights.adoption();
    const sums = sumBy(
      usage,
      (row) => `${row.customerTenantId}\t${row.workloadCode}`,
      (row) => [row.licensesActive, row.licensesQualified],
    );
    expect(result.rows).toHaveLength(sums.size);
    for (const row of result.rows) {
      const [active, qualified] = sums.get(`${row.customerTenantId}\t${row.workloadCode}`)!;
      expect([row.licensesActive, row.licensesQualified]).toEqual([active, qualified]);
      expect(row.activeRate).toBe(qualified === 0 ? null : active! / qualified!);
    }
    const rates = result.rows.map((row) => row.activeRate).filter((rate): rate is number => rate !== null);
    expect(rates).toEqual([...rates].sort((a, b) => a - b));
    const server = await client.insights.adoption({ serverGroupby: true });
    expect(server.rows).toEqual(result.rows);
    expect((await client.runInsight('adoption', { top: 4 })).rows).toEqual(result.rows.slice(0, 4));
  });

  it('summary equals the reference totals, the server groupby, and the legacy cross-check', async () => {
    const result = await client.runInsight('summary', { crossCheck: true });
    const sold = sumBy(
      deployment,
      (row) => `${row.serviceCode}\t${row.channel}`,
      (row) => [row.licensesSold, row.licensesDeployed],
    );
    const active = sumBy(
      usage,
      (row) => `${row.serviceCode}\t${row.channel}`,
      (row) => [row.licensesActive, row.licensesQualified],
    );
    expect(result.rows).toHaveLength(new Set([...sold.keys(), ...active.keys()]).size);
    for (const row of result.rows) {
      const id = `${row.serviceCode}\t${row.channel}`;
      expect([row.licensesSold, row.licensesDeployed]).toEqual(sold.get(id) ?? [0, 0]);
      expect([row.licensesActive, row.licensesQualified]).toEqual(active.get(id) ?? [0, 0]);
    }
    expect(result.meta?.totals).toMatchObject({
      licensesSold: deployment.reduce((sum, row) => sum + (row.licensesSold ?? 0), 0),
      licensesActive: usage.reduce((sum, row) => sum + (row.licensesActive ?? 0), 0),
    });
    expect(result.meta?.crossCheckMatches).toBe(true);
    const usageLines = (result.meta?.crossCheckUsage ?? []) as { matches: boolean }[];
    // One line per (service, workload, channel) of the commercial usage rows, each matched by E3.
    const grain = new Set(
      usage.map((row) => `${row.serviceCode}|${row.workloadName}|${row.channel}`.toLowerCase()),
    );
    expect(usageLines).toHaveLength(grain.size);
    expect(usageLines.every((line) => line.matches)).toBe(true);
    expect(((result.meta?.crossCheck ?? []) as unknown[]).length).toBeGreaterThan(0);
    const server = await client.runInsight('summary', { serverGroupby: true });
    expect(server.rows).toEqual(result.rows);
  });

  it('trend equals the per-group difference of two snapshots, locally and with the server groupby', async () => {
    const result = await client.insights.trend({ groupby: 'productName', changedOnly: false });
    expect(result.meta).toMatchObject({ from: '2026-11-19T00:00:00.000Z', to: '2026-11-20T00:00:00.000Z' });
    expect(result.title).toBe('Trend of commercialLicenseDeployment: 2026-11-19 → 2026-11-20');
    const before = await client.commercial.licenses.deployment
      .list({ processedDateTime: '2026-11-19' })
      .toArray();
    const a = sumBy(
      before,
      (row) => row.productName,
      (row) => [row.licensesSold],
    );
    const b = sumBy(
      deployment,
      (row) => row.productName,
      (row) => [row.licensesSold],
    );
    const products = new Set([...a.keys(), ...b.keys()]);
    expect(result.rows).toHaveLength(products.size);
    for (const row of result.rows) {
      const from = a.get(String(row.productName))?.[0] ?? 0;
      const to = b.get(String(row.productName))?.[0] ?? 0;
      expect([row.licensesSoldFrom, row.licensesSoldTo, row.licensesSoldChange]).toEqual([
        from,
        to,
        to - from,
      ]);
    }
    const server = await client.insights.trend({
      groupby: 'productName',
      changedOnly: false,
      serverGroupby: true,
    });
    expect(server.rows).toEqual(result.rows);
    const explicit = await client.runInsight('trend', {
      from: '2026-11-18',
      to: '2026-11-19',
      groupby: 'productName',
    });
    expect(explicit.meta).toMatchObject({ from: '2026-11-18T00:00:00.000Z', to: '2026-11-19T00:00:00.000Z' });
  });

  it('refuses unknown insights and options before any request', async () => {
    await expect(client.runInsight('nope')).rejects.toThrow(/Unknown insight 'nope'/);
    await expect(client.runInsight('trend', { granularity: 'day' })).rejects.toThrow(
      /no option 'granularity'/,
    );
  });
});

import type { CommercialLicenseDeploymentRow, CommercialLicenseUsageRow } from '@pc/models';
import { type MockServer, startMockServer } from '@pc/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyticsClient, createClient, utilizationLevels } from '../src/index.js';

let mock: MockServer;
let client: AnalyticsClient;
let deployment: CommercialLicenseDeploymentRow[];
let usage: CommercialLicenseUsageRow[];

beforeAll(async () => {
  mock = await startMockServer({ port: 0, seed: 11, customers: 150, snapshots: 2, quiet: true });
  client = createClient({ baseUrl: mock.url, accessToken: mock.issueToken(), pageSize: 100, concurrency: 2 });
  deployment = await client.commercial.licenses.deployment.list().toArray();
  usage = await client.commercial.licenses.usage.list().toArray();
});

afterAll(async () => {
  await client?.close();
  await mock?.close();
});

/**
 * The reference, written from the raw rows without the SDK's aggregator: per customer, product and
 * channel, sold and deployed summed, active the largest per-workload sum; then summed per level.
 */
function reference(level: string): Map<string, [number, number, number]> {
  const cells = new Map<string, { sold: number; deployed: number; workloads: Map<string, number> }>();
  const cell = (row: {
    customerTenantId?: string | null;
    productId?: string | null;
    channel?: string | null;
  }) => {
    const id = `${row.customerTenantId}|${row.productId}|${row.channel}`;
    let entry = cells.get(id);
    if (entry === undefined) {
      entry = { sold: 0, deployed: 0, workloads: new Map() };
      cells.set(id, entry);
    }
    return entry;
  };
  const facts = new Map<string, { service: string }>();
  for (const row of deployment) {
    const entry = cell(row);
    entry.sold += row.licensesSold ?? 0;
    entry.deployed += row.licensesDeployed ?? 0;
    facts.set(`${row.customerTenantId}|${row.productId}|${row.channel}`, {
      service: String(row.serviceCode),
    });
  }
  for (const row of usage) {
    const entry = cell(row);
    const workload = String(row.workloadCode);
    entry.workloads.set(workload, (entry.workloads.get(workload) ?? 0) + (row.licensesActive ?? 0));
    facts.set(`${row.customerTenantId}|${row.productId}|${row.channel}`, {
      service: String(row.serviceCode),
    });
  }
  const result = new Map<string, [number, number, number]>();
  for (const [id, entry] of cells) {
    const [tenant, product, channel] = id.split('|') as [string, string, string];
    const key =
      level === 'customer,product'
        ? `${tenant}|${product}`
        : level === 'customer'
          ? tenant
          : level === 'product'
            ? product
            : level === 'service'
              ? facts.get(id)!.service
              : channel;
    const active = Math.max(0, ...entry.workloads.values());
    const sums = result.get(key) ?? [0, 0, 0];
    result.set(key, [sums[0] + entry.sold, sums[1] + entry.deployed, sums[2] + active]);
  }
  return result;
}

function keyOf(level: string, row: Record<string, unknown>): string {
  switch (level) {
    case 'customer,product':
      return `${row.customerTenantId}|${row.productId}`;
    case 'customer':
      return String(row.customerTenantId);
    case 'product':
      return String(row.productId);
    case 'service':
      return String(row.serviceCode);
    default:
      return String(row.channel);
  }
}

describe('utilization against the mock', () => {
  it.each(utilizationLevels)(
    '--by %s equals the reference from raw rows, with and without server groupby',
    async (by) => {
      const expected = reference(by);
      const local = await client.insights.utilization({ by });
      expect(local.rows).toHaveLength(expected.size);
      for (const row of local.rows) {
        const [sold, deployed, active] = expected.get(keyOf(by, row))!;
        expect([row.licensesSold, row.licensesDeployed, row.licensesActive]).toEqual([
          sold,
          deployed,
          active,
        ]);
        expect(row.unusedLicenses).toBe(sold - deployed);
        expect(row.inactiveLicenses).toBe(deployed - active);
        expect(row.deployedRate).toBe(sold === 0 ? null : deployed / sold);
        expect(row.activeRate).toBe(deployed === 0 ? null : active / deployed);
      }
      const server = await client.insights.utilization({ by, serverGroupby: true });
      expect(server.rows).toEqual(local.rows);
      expect(local.meta?.rowsRead).toEqual({ deployment: deployment.length, usage: usage.length });
    },
  );

  it('--min-sold and --top cut the list; the totals cover everything', async () => {
    const all = await client.insights.utilization();
    const big = await client.runInsight('utilization', { minSold: 50, top: 10 });
    expect(big.rows.length).toBeGreaterThan(0);
    expect(big.rows.length).toBeLessThanOrEqual(10);
    expect(big.rows.every((row) => Number(row.licensesSold) >= 50)).toBe(true);
    expect(big.rows).toEqual(all.rows.filter((row) => Number(row.licensesSold) >= 50).slice(0, 10));
    expect(big.meta?.totals).toEqual(all.meta?.totals);
    const totals = all.meta?.totals as { licensesSold: number };
    expect(totals.licensesSold).toBe(deployment.reduce((sum, row) => sum + (row.licensesSold ?? 0), 0));
    await expect(client.runInsight('utilization', { by: 'workload' })).rejects.toThrow(
      /option 'by' must be one of/,
    );
  });
});

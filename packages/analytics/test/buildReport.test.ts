import { type MockServer, startMockServer } from '@pc/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyticsClient, buildReport, createClient, type LicensesReport } from '../src/index.js';

let mock: MockServer;
let client: AnalyticsClient;
let report: LicensesReport;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, seed: 21, customers: 120, snapshots: 2, quiet: true });
  client = createClient({ baseUrl: mock.url, accessToken: mock.issueToken(), pageSize: 200, concurrency: 2 });
  report = await buildReport(client, { top: 8, minSold: 20 });
});

afterAll(async () => {
  await client?.close();
  await mock?.close();
});

const section = (model: LicensesReport, id: string) => model.sections.find((entry) => entry.id === id)!;

describe('buildReport against the mock', () => {
  it('has every section, in order, with rows and charts that name real columns', () => {
    expect(report.sections.map((entry) => entry.id)).toEqual([
      'by-product',
      'by-customer',
      'biggest-unused',
      'adoption-by-workload',
      'lowest-adoption',
      'trend',
      'flagged',
    ]);
    for (const entry of report.sections) {
      if (entry.id !== 'flagged') expect(entry.rows.length, entry.id).toBeGreaterThan(0);
      if (entry.chart === undefined) continue;
      for (const row of entry.rows) {
        expect(row[entry.chart.category], entry.id).toBeTypeOf('string');
        for (const series of entry.chart.series) expect(row[series.column], entry.id).toBeTypeOf('number');
      }
    }
  });

  it('equals the utilization insight: headline, products, customers, unused', async () => {
    const pairs = await client.insights.utilization();
    expect(report.headline).toEqual(pairs.meta?.totals);
    const products = (await client.insights.utilization({ by: 'product' })).rows;
    const expectedProducts = [...products]
      .sort(
        (a, b) =>
          Number(b.licensesSold) - Number(a.licensesSold) ||
          String(a.productName).localeCompare(String(b.productName)),
      )
      .slice(0, 8)
      .map((row) => [row.productName, row.licensesSold, row.licensesDeployed, row.licensesActive]);
    expect(
      section(report, 'by-product').rows.map((row) => [
        row.productName,
        row.licensesSold,
        row.licensesDeployed,
        row.licensesActive,
      ]),
    ).toEqual(expectedProducts);
    const customers = (await client.insights.utilization({ by: 'customer', minSold: 20 })).rows;
    const top = section(report, 'by-customer').rows;
    expect(top).toHaveLength(8);
    for (const row of top) {
      const match = customers.find((entry) => entry.customerTenantId === row.customerTenantId)!;
      expect([row.licensesSold, row.licensesDeployed, row.licensesActive]).toEqual([
        match.licensesSold,
        match.licensesDeployed,
        match.licensesActive,
      ]);
      expect(Number(row.licensesSold)).toBeGreaterThanOrEqual(20);
    }
    const unused = section(report, 'biggest-unused').rows.map((row) => Number(row.unusedLicenses));
    expect(unused).toEqual([...unused].sort((a, b) => b - a));
    const biggest = Math.max(
      ...pairs.rows.filter((row) => Number(row.licensesSold) >= 20).map((row) => Number(row.unusedLicenses)),
    );
    expect(unused[0]).toBe(biggest);
  });

  it('compares with the day before, as the utilization of that snapshot says', async () => {
    expect(report.trend.to).toBe(report.snapshot.deployment);
    expect(report.trend.from).not.toBeNull();
    expect(Date.parse(report.trend.to!) - Date.parse(report.trend.from!)).toBe(86_400_000);
    const before = await client.insights.utilization({
      by: 'product',
      processedDateTime: report.trend.from!,
    });
    const now = await client.insights.utilization({ by: 'product' });
    expect(report.trend.previous).toEqual(
      (await client.insights.utilization({ processedDateTime: report.trend.from! })).meta?.totals,
    );
    for (const row of section(report, 'trend').rows) {
      const old = before.rows.find((entry) => entry.productId === row.productId);
      const current = now.rows.find((entry) => entry.productId === row.productId);
      expect(row.soldChange).toBe(Number(current?.licensesSold ?? 0) - Number(old?.licensesSold ?? 0));
      expect(row.activeChange).toBe(Number(current?.licensesActive ?? 0) - Number(old?.licensesActive ?? 0));
    }
  });

  it('is the same with server groupby, and says so when no earlier snapshot is kept', async () => {
    const server = await buildReport(client, { top: 8, minSold: 20, serverGroupby: true });
    expect({ ...server.sections }).toEqual({ ...report.sections });
    expect(server.headline).toEqual(report.headline);
    const lonely = await buildReport(client, { top: 3, previousDateTime: '2001-01-01' });
    expect(lonely.trend).toMatchObject({ from: null, note: 'the service keeps no snapshot for 2001-01-01' });
    expect(lonely.sections.map((entry) => entry.id)).not.toContain('trend');
    await expect(buildReport(client, { top: 0 })).rejects.toThrow(
      /option 'top' must be a whole number from 1/,
    );
  });

  it('computes the same trend from handed-in rows of the earlier snapshot as from the service', async () => {
    const from = report.trend.from!;
    expect(report.trend.source).toEqual({ kind: 'service', label: 'Partner Center' });
    // The earlier snapshot's rows, downloaded as a history would store them.
    const deployment = await client
      .list('commercialLicenseDeployment', { processedDateTime: from })
      .toArray();
    const usageStream = client.list('commercialLicenseUsage', { processedDateTime: from });
    async function* usageBatches() {
      for await (const page of usageStream.byPage()) yield page.items;
    }
    let told: unknown;
    const supplied = await buildReport(client, {
      top: 8,
      minSold: 20,
      previous: (snapshots) => {
        told = snapshots;
        return { label: 'rows of the test', processedDateTime: from, deployment, usage: usageBatches() };
      },
    });
    expect(told).toMatchObject(report.snapshot);
    expect(Object.values((told as { services: { deployment: object } }).services.deployment)).toContain(
      report.snapshot.deployment,
    );
    expect(supplied.trend).toEqual({
      ...report.trend,
      source: { kind: 'supplied', label: 'rows of the test' },
    });
    expect(section(supplied, 'trend')).toEqual(section(report, 'trend'));
    expect(supplied.headline).toEqual(report.headline);
    // Rows that differ from the service's change the trend: the comparison really uses them.
    const doubledRows = deployment.map((row) => ({ ...row, licensesSold: Number(row.licensesSold) * 2 }));
    const doubled = await buildReport(client, {
      top: 8,
      minSold: 20,
      previous: { label: 'doubled', processedDateTime: from, deployment: doubledRows, usage: [] },
    });
    expect(doubled.trend.previous?.licensesSold).toBe(2 * report.trend.previous!.licensesSold);
    expect(doubled.trend.previous?.licensesActive).toBe(0);
  });

  it('says why when the caller has no earlier snapshot, and reads nothing from the service instead', async () => {
    const none = await buildReport(client, {
      top: 3,
      previous: {
        label: 'history h.duckdb',
        processedDateTime: null,
        note: 'the history holds no day before 2026-11-20',
      },
    });
    expect(none.trend).toMatchObject({
      source: { kind: 'supplied', label: 'history h.duckdb' },
      from: null,
      previous: null,
      note: 'the history holds no day before 2026-11-20',
    });
    expect(none.sections.map((entry) => entry.id)).not.toContain('trend');
    const empty = await buildReport(client, {
      top: 3,
      previous: { label: 'history h.duckdb', processedDateTime: '2026-11-01', deployment: [], usage: [] },
    });
    expect(empty.trend).toMatchObject({ from: null, note: 'history h.duckdb holds no rows for 2026-11-01' });
  });
});

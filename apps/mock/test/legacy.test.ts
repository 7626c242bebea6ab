import { endpoints } from '@pc/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { call, paths, readAll, startSmall } from './helpers.js';

type Row = Record<string, unknown>;
let server: MockServer;
let token: string;
let usageRows: Row[];
let deploymentRows: Row[];

beforeAll(async () => {
  server = await startSmall({ customers: 50 });
  token = server.issueToken();
  usageRows = (await readAll(server, paths.usage, token)).rows;
  deploymentRows = (await readAll(server, paths.deployment, token)).rows;
});
afterAll(() => server.close());

/** Item keys in the order of the seed examples (E3: seed 002, E4: seed 001, E5: seed 000). */
const seedKeys = {
  partnerUsage: [
    'proratedLicensesUsagePercent',
    'workloadName',
    'processedDateTime',
    'serviceName',
    'channel',
    'attributes',
  ],
  partnerDeployment: [
    'proratedDeploymentPercent',
    'licensesSold',
    'processedDateTime',
    'serviceName',
    'channel',
    'attributes',
  ],
  customerUsage: [
    'customerName',
    'productName',
    'licensesActive',
    'licensesQualified',
    'usagePercent',
    'workloadName',
    'processedDateTime',
    'serviceName',
    'channel',
    'attributes',
  ],
} as const;

/** The keys of `item` that the seed example shows, in the item's order. */
function seedOrder(item: Row, keys: readonly string[]): string[] {
  return Object.keys(item).filter((key) => keys.includes(key));
}

function sumBy(rows: Row[], key: (row: Row) => string, measures: string[]) {
  const sums = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const group = sums.get(key(row)) ?? Object.fromEntries(measures.map((m) => [m, 0]));
    for (const measure of measures) group[measure]! += row[measure] as number;
    sums.set(key(row), group);
  }
  return sums;
}

describe('legacy partner endpoints (E3, E4)', () => {
  it('E4: per (service, channel) licensesSold is the sum and proratedDeploymentPercent = deployed / sold', async () => {
    const answer = await call(`${server.url}${paths.partnerDeployment}`, { token });
    expect(answer.status).toBe(200);
    const body = answer.json<{ totalCount: number; items: Row[]; attributes: Row }>();
    expect(body.attributes).toEqual({ objectType: 'Collection' });
    const sums = sumBy(deploymentRows, (row) => `${row.serviceCode}|${row.channel}`, [
      'licensesSold',
      'licensesDeployed',
    ]);
    expect(body.totalCount).toBe(sums.size);
    expect(body.items).toHaveLength(sums.size);
    for (const item of body.items) {
      expect(Object.keys(item)).toEqual(seedKeys.partnerDeployment);
      expect(['o365', 'crm']).toContain(item.serviceName);
      expect(item.attributes).toEqual({ objectType: 'PartnerLicensesDeploymentInsights' });
      expect(item.processedDateTime).toMatch(/T00:00:00\+00:00$/);
      const expected = sums.get(`${item.serviceName}|${item.channel}`)!;
      expect(item.licensesSold).toBe(expected.licensesSold);
      expect(item.proratedDeploymentPercent).toBe(expected.licensesDeployed! / expected.licensesSold!);
      expect(item.proratedDeploymentPercent).toBeGreaterThanOrEqual(0);
      expect(item.proratedDeploymentPercent).toBeLessThanOrEqual(1);
    }
    endpoints.partnerLicenseDeployment.page.parse(JSON.parse(answer.text));
  });

  it('E3: per (service, workload, channel) proratedLicensesUsagePercent = active / qualified', async () => {
    const answer = await call(`${server.url}${paths.partnerUsage}`, { token });
    const body = answer.json<{ totalCount: number; items: Row[] }>();
    const sums = sumBy(usageRows, (row) => `${row.serviceCode}|${row.workloadName}|${row.channel}`, [
      'licensesActive',
      'licensesQualified',
    ]);
    expect(body.totalCount).toBe(sums.size);
    expect(body.items).toHaveLength(sums.size);
    for (const item of body.items) {
      expect(Object.keys(item)).toEqual(seedKeys.partnerUsage);
      expect(item.attributes).toEqual({ objectType: 'PartnerLicensesUsageInsights' });
      const expected = sums.get(`${item.serviceName}|${item.workloadName}|${item.channel}`)!;
      const ratio =
        expected.licensesQualified! > 0 ? expected.licensesActive! / expected.licensesQualified! : 0;
      expect(item.proratedLicensesUsagePercent).toBe(ratio);
    }
    endpoints.partnerLicenseUsage.page.parse(JSON.parse(answer.text));
  });
});

describe('legacy customer endpoints (E5, E6)', () => {
  it("E5: that customer's usage rows with usagePercent = active / qualified", async () => {
    const customerId = String(usageRows[17]!.customerTenantId);
    const answer = await call(`${server.url}${paths.customerUsage(customerId.toLowerCase())}`, { token });
    expect(answer.status).toBe(200);
    const body = answer.json<{ totalCount: number; items: Row[] }>();
    const expected = usageRows.filter((row) => row.customerTenantId === customerId);
    expect(body.totalCount).toBe(expected.length);
    expect(body.items).toHaveLength(expected.length);
    body.items.forEach((item, index) => {
      const row = expected[index]!;
      expect(seedOrder(item, seedKeys.customerUsage)).toEqual(seedKeys.customerUsage);
      expect(item).toMatchObject({
        customerId: customerId.toLowerCase(),
        customerName: row.customerName,
        productName: row.productName,
        serviceName: row.serviceCode,
        workloadName: row.workloadName,
        licensesActive: row.licensesActive,
        licensesQualified: row.licensesQualified,
        attributes: { objectType: 'CustomerLicensesUsageInsights' },
      });
      const qualified = row.licensesQualified as number;
      expect(item.usagePercent).toBe(qualified > 0 ? (row.licensesActive as number) / qualified : 0);
    });
    endpoints.customerLicenseUsage.page.parse(JSON.parse(answer.text));
  });

  it("E6: that customer's deployment rows with deploymentPercent = deployed / sold", async () => {
    const customerId = String(deploymentRows[deploymentRows.length - 1]!.customerTenantId);
    const answer = await call(`${server.url}${paths.customerDeployment(customerId)}`, { token });
    const body = answer.json<{ totalCount: number; items: Row[] }>();
    const expected = deploymentRows.filter((row) => row.customerTenantId === customerId);
    expect(expected.length).toBeGreaterThan(0);
    expect(body.totalCount).toBe(expected.length);
    expect(body.items).toHaveLength(expected.length);
    body.items.forEach((item, index) => {
      const row = expected[index]!;
      expect(item.licensesSold).toBe(row.licensesSold);
      expect(item.licensesDeployed).toBe(row.licensesDeployed);
      expect(item.deploymentPercent).toBe((row.licensesDeployed as number) / (row.licensesSold as number));
      expect(item.attributes).toEqual({ objectType: 'CustomerLicensesDeploymentInsights' });
    });
    endpoints.customerLicenseDeployment.page.parse(JSON.parse(answer.text));
  });

  it('answers 404 for an unknown customer and 400 for a malformed id', async () => {
    const unknown = await call(
      `${server.url}${paths.customerUsage('00000000-0000-4000-8000-000000000000')}`,
      { token },
    );
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 1000, source: 'pc-mock' });
    const malformed = await call(`${server.url}${paths.customerDeployment('not-a-guid')}`, { token });
    expect(malformed.status).toBe(400);
    expect(malformed.json<{ description: string }>().description).toContain('not-a-guid');
  });
});

describe('data invariants', () => {
  it('keeps licensesDeployed <= licensesSold and licensesActive <= licensesQualified, with real products', () => {
    for (const row of deploymentRows)
      expect(row.licensesDeployed as number).toBeLessThanOrEqual(row.licensesSold as number);
    for (const row of usageRows)
      expect(row.licensesActive as number).toBeLessThanOrEqual(row.licensesQualified as number);
    const products = new Set(deploymentRows.map((row) => row.productName));
    expect(products.size).toBeGreaterThanOrEqual(25);
    // Customer tenant ids: upper case, as the real service sends them, and real version-4 GUIDs.
    for (const row of deploymentRows)
      expect(row.customerTenantId).toMatch(
        /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/,
      );
    const workloads = new Set(usageRows.map((row) => row.workloadName));
    for (const name of [
      'Exchange',
      'SharePoint',
      'OneDrive',
      'Teams',
      'Skype for Business',
      'Microsoft 365 Apps',
    ]) {
      expect(workloads.has(name), name).toBe(true);
    }
    expect(new Set(deploymentRows.map((row) => row.channel)).size).toBeGreaterThan(1);
    expect(new Set(deploymentRows.map((row) => row.serviceName))).toEqual(
      new Set(['Microsoft Office 365', 'Microsoft Dynamics']),
    );
  });
});

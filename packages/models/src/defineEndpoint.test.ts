import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEndpoint } from './defineEndpoint.js';
import { endpoints } from './endpoints.js';

const deployment = endpoints.commercialLicenseDeployment;
const wireRow = (overrides: Record<string, unknown> = {}) => ({
  processedDateTime: '2026-11-20T00:00:00',
  serviceCode: 'o365',
  serviceName: 'Microsoft Office 365',
  channel: 'reseller',
  customerTenantId: 'AAAAAAAA-0000-4000-8000-000000000001',
  customerName: 'Contoso',
  productId: 'BBBBBBBB-0000-4000-8000-000000000002',
  productName: 'OFFICE 365 E3',
  licensesDeployed: 3,
  licensesSold: 5,
  ...overrides,
});

function issuesOf(run: () => unknown): z.core.$ZodIssue[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(z.ZodError);
    return (error as z.ZodError).issues;
  }
  throw new Error('expected a ZodError');
}

describe('endpoints', () => {
  it('has exactly the six licenses endpoints, with what the SDK, CLI and mock need', () => {
    expect(Object.keys(endpoints)).toEqual([
      'commercialLicenseUsage',
      'commercialLicenseDeployment',
      'partnerLicenseUsage',
      'partnerLicenseDeployment',
      'customerLicenseUsage',
      'customerLicenseDeployment',
    ]);
    expect(endpoints.commercialLicenseUsage.path).toBe('/partner/v1/analytics/commercial/usage/license');
    expect(endpoints.customerLicenseUsage.path).toBe('/v1/customers/{customerId}/analytics/licenses/usage');
    expect(endpoints.customerLicenseUsage.pathParams).toEqual(['customerId']);
    expect(endpoints.commercialLicenseUsage.envelope).toBe('odata');
    expect(endpoints.partnerLicenseUsage.envelope).toBe('legacy');
    expect(endpoints.commercialLicenseUsage.filterable).toEqual([
      'workloadCode',
      'workloadName',
      'serviceCode',
      'serviceName',
      'channel',
      'customerTenantId',
      'customerName',
      'productId',
      'productName',
    ]);
    expect(deployment.filterable).not.toContain('workloadCode');
    expect(deployment.measures).toEqual(['licensesDeployed', 'licensesSold']);
    expect(deployment.filterOperators).toEqual(['eq', 'ne', 'and', 'or']);
    for (const legacy of [
      endpoints.partnerLicenseUsage,
      endpoints.partnerLicenseDeployment,
      endpoints.customerLicenseUsage,
      endpoints.customerLicenseDeployment,
    ]) {
      expect(legacy.measures).toEqual([]);
      expect(legacy.filterable).toEqual([]);
      expect(legacy.deprecated).toBe(true);
    }
    expect(endpoints.partnerLicenseUsage.supersededBy).toBe('commercialLicenseUsage');
    expect(endpoints.customerLicenseDeployment.supersededBy).toBe('commercialLicenseDeployment');
    expect(endpoints.commercialLicenseUsage.supersededBy).toBeUndefined();
  });
});

describe('page.parse', () => {
  it('reads either envelope in any key case and returns one shape', () => {
    const bodies = [
      { Value: [wireRow()], '@nextLink': 'https://x/next?skip=1', TotalCount: 7 },
      { value: [wireRow()], '@nextLink': 'https://x/next?skip=1', totalCount: '7' },
      { totalCount: 7, items: [wireRow()], links: { next: { uri: 'https://x/next?skip=1' } } },
    ];
    for (const body of bodies) {
      const page = deployment.page.parse(body);
      expect(page.nextLink).toBe('https://x/next?skip=1');
      expect(page.totalCount).toBe(7);
      expect(page.items).toHaveLength(1);
    }
  });

  it('gives a null nextLink when it is absent, null or empty, and a null totalCount when absent', () => {
    expect(deployment.page.parse({ Value: [] })).toEqual({ items: [], nextLink: null, totalCount: null });
    expect(deployment.page.parse({ Value: [], '@nextLink': null }).nextLink).toBeNull();
    expect(deployment.page.parse({ Value: [], '@nextLink': '' }).nextLink).toBeNull();
  });

  it('normalizes counts, GUIDs and timestamps, and keeps unknown fields', () => {
    const page = deployment.page.parse({
      Value: [
        wireRow({ licensesSold: '42', processedDateTime: '2026-11-20T05:06:07.5+02:00', extra: { a: 1 } }),
      ],
    });
    expect(page.items[0]).toMatchObject({
      licensesSold: 42,
      customerTenantId: 'aaaaaaaa-0000-4000-8000-000000000001',
      processedDateTime: '2026-11-20T03:06:07.500Z',
      extra: { a: 1 },
    });
  });

  it('names the bad field in the zod error path', () => {
    const rows = [wireRow(), wireRow(), wireRow(), wireRow({ licensesSold: 'many' })];
    const [issue] = issuesOf(() => deployment.page.parse({ Value: rows, TotalCount: 4 }));
    expect(issue?.path).toEqual(['items', 3, 'licensesSold']);
    expect(issue?.message).toContain('"many"');
  });

  it('reports a missing required field, a bad timestamp and a wrong envelope', () => {
    const { licensesSold: _, ...withoutSold } = wireRow();
    expect(issuesOf(() => deployment.page.parse({ Value: [withoutSold] }))[0]?.path).toEqual([
      'items',
      0,
      'licensesSold',
    ]);
    expect(
      issuesOf(() => deployment.page.parse({ Value: [wireRow({ processedDateTime: 'yesterday' })] }))[0]
        ?.path,
    ).toEqual(['items', 0, 'processedDateTime']);
    expect(issuesOf(() => deployment.page.parse({ rows: [] }))[0]?.path).toEqual(['items']);
    expect(issuesOf(() => deployment.page.parse('not json'))[0]?.message).toContain('Value');
    expect(issuesOf(() => deployment.page.parse({ Value: [], TotalCount: -1 }))[0]?.path).toEqual([
      'totalCount',
    ]);
    expect(issuesOf(() => deployment.page.parse({ Value: [], '@nextLink': 5 }))[0]?.path).toEqual([
      'nextLink',
    ]);
  });

  it('parses a groupby answer: group fields, measures and processedDateTime only', () => {
    const grouped = deployment.groupedPage(['serviceCode', 'channel']);
    const page = grouped.parse({
      Value: [
        {
          serviceCode: 'o365',
          channel: 'reseller',
          licensesDeployed: '10',
          licensesSold: 12,
          processedDateTime: '2026-11-20T00:00:00',
        },
      ],
      '@nextLink': null,
      TotalCount: 1,
    });
    expect(page.items[0]).toEqual({
      serviceCode: 'o365',
      channel: 'reseller',
      licensesDeployed: 10,
      licensesSold: 12,
      processedDateTime: '2026-11-20T00:00:00.000Z',
    });
    expect(() => deployment.groupedPage(['workloadCode'])).toThrow(/not groupable/);
    expect(() =>
      deployment.page.parse({ Value: [{ serviceCode: 'o365', licensesDeployed: 1, licensesSold: 1 }] }),
    ).toThrow(z.ZodError);
  });
});

describe('row.parse', () => {
  it('validates and normalizes a single row, with the typo alias', () => {
    const row = endpoints.commercialLicenseUsage.row.parse({
      processedDateTime: '2026-11-20',
      workloadCode: 'EXO',
      workloadName: 'Exchange',
      serviceCode: 'o365',
      serviceName: 'Microsoft Office 365',
      channel: 'reseller',
      customerTenantId: 'AB',
      customerName: 'Contoso',
      productId: 'CD',
      productName: 'E3',
      licenseActive: '3',
      licensesQualified: 4,
    });
    expect(row.licensesActive).toBe(3);
    expect(row.processedDateTime).toBe('2026-11-20T00:00:00.000Z');
    expect(row.customerTenantId).toBe('ab');
  });
});

describe('defineEndpoint', () => {
  it('refuses lists that name a column that does not exist', () => {
    expect(() =>
      defineEndpoint({
        id: 'broken',
        title: 'Broken',
        description: '',
        path: '/x',
        envelope: 'odata',
        columns: [{ name: 'a', kind: 'string', description: '' }],
        filterable: ['b' as 'a'],
      }),
    ).toThrow(/'b' is not a column/);
  });
});

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
    expect(deployment.page.parse({ Value: [] })).toEqual({
      items: [],
      nextLink: null,
      nextLinkHeaders: null,
      totalCount: null,
      rejected: [],
    });
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

  it('sets an unusable row aside with its JSON path and keeps the others', () => {
    const rows = [wireRow(), wireRow(), wireRow(), wireRow({ licensesSold: 'many' })];
    const page = deployment.page.parse({ Value: rows, TotalCount: 4 });
    expect(page.items).toHaveLength(3);
    expect(page.rejected).toEqual([
      expect.objectContaining({ index: 3, path: '$.Value[3].licensesSold', row: expect.any(Object) }),
    ]);
    expect(page.rejected[0]?.message).toContain('"many"');
    const legacy = endpoints.partnerLicenseDeployment.page.parse({ items: [1, {}] });
    expect(legacy.rejected.map((reject) => reject.path)).toEqual(['$.items[0]']);
  });

  it('keeps nulls, missing fields and out-of-range counts as data', () => {
    const { licensesSold: _, productId: __, ...withoutSold } = wireRow();
    const page = deployment.page.parse({
      Value: [withoutSold, wireRow({ customerName: null, licensesDeployed: 12, licensesSold: '-3' })],
    });
    expect(page.rejected).toEqual([]);
    expect(page.items[0]).toMatchObject({ licensesSold: null, productId: null });
    expect(page.items[1]).toMatchObject({ customerName: null, licensesDeployed: 12, licensesSold: -3 });
  });

  it('reports a bad timestamp as a rejected row, and a wrong envelope as an error', () => {
    expect(
      deployment.page.parse({ Value: [wireRow({ processedDateTime: 'yesterday' })] }).rejected[0]?.path,
    ).toBe('$.Value[0].processedDateTime');
    expect(issuesOf(() => deployment.page.parse({ rows: [] }))[0]?.path).toEqual(['items']);
    expect(issuesOf(() => deployment.page.parse('not json'))[0]?.message).toContain('Value');
    expect(issuesOf(() => deployment.page.parse({ Value: [], TotalCount: -1 }))[0]?.path).toEqual([
      'totalCount',
    ]);
    expect(issuesOf(() => deployment.page.parse({ Value: [], '@nextLink': 5 }))[0]?.path).toEqual([
      'nextLink',
    ]);
  });

  it('reads legacy links.next: a uri relative to /v1 or to the root, and its headers', () => {
    const usage = endpoints.partnerLicenseUsage;
    const headers = [
      { key: 'MS-ContinuationToken', value: 'abc==' },
      { key: 'Authorization', value: 'x' },
    ];
    const relative = usage.page.parse({
      items: [],
      links: { next: { uri: '/analytics/licenses/usage?seek=1', headers } },
    });
    expect(relative.nextLink).toBe('/v1/analytics/licenses/usage?seek=1');
    expect(relative.nextLinkHeaders).toEqual({ 'MS-ContinuationToken': 'abc==' });
    const rooted = usage.page.parse({
      items: [],
      links: { Next: { Uri: '/v1/analytics/licenses/usage?seek=1' } },
    });
    expect(rooted.nextLink).toBe('/v1/analytics/licenses/usage?seek=1');
    expect(rooted.nextLinkHeaders).toBeNull();
    const asObject = usage.page.parse({
      items: [],
      links: { next: { uri: 'usage?seek=2', headers: { 'MS-ContinuationToken': 'def' } } },
    });
    expect(asObject).toMatchObject({
      nextLink: 'usage?seek=2',
      nextLinkHeaders: { 'MS-ContinuationToken': 'def' },
    });
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
    // A grouped row without processedDateTime (as finding A8 shows them) reads as null there.
    expect(
      grouped.parse({ Value: [{ serviceCode: 'o365', channel: 'x', licensesDeployed: 1, licensesSold: 1 }] })
        .items[0],
    ).toEqual({
      serviceCode: 'o365',
      channel: 'x',
      licensesDeployed: 1,
      licensesSold: 1,
      processedDateTime: null,
    });
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

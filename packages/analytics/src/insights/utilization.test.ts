import { describe, expect, it } from 'vitest';
import { GroupAggregator } from '../groupAggregator.js';
import {
  computeUtilization,
  parseUtilizationLevel,
  utilizationDeploymentKeys,
  utilizationUsageKeys,
} from './utilization.js';

const contoso = {
  customerTenantId: 'c1',
  customerName: 'Contoso',
  serviceCode: 'o365',
  serviceName: 'Office 365',
};
const e3 = { productId: 'p1', productName: 'OFFICE 365 E3' };
const e5 = { productId: 'p2', productName: 'OFFICE 365 E5' };

function groups(
  deployment: Record<string, unknown>[],
  usage: Record<string, unknown>[],
): { deployment: GroupAggregator; usage: GroupAggregator } {
  const d = new GroupAggregator({
    keys: utilizationDeploymentKeys,
    measures: ['licensesSold', 'licensesDeployed'],
  });
  const u = new GroupAggregator({
    keys: utilizationUsageKeys,
    measures: ['licensesActive', 'licensesQualified'],
  });
  for (const row of deployment) d.add(row);
  for (const row of usage) u.add(row);
  return { deployment: d, usage: u };
}

describe('computeUtilization', () => {
  it('joins per customer and product: active is the most active workload, nothing is clamped', () => {
    const table = computeUtilization(
      groups(
        [{ ...contoso, ...e3, channel: 'reseller', licensesSold: 100, licensesDeployed: 80 }],
        [
          {
            ...contoso,
            ...e3,
            channel: 'reseller',
            workloadCode: 'EXO',
            licensesActive: 60,
            licensesQualified: 80,
          },
          {
            ...contoso,
            ...e3,
            channel: 'reseller',
            workloadCode: 'SPO',
            licensesActive: 40,
            licensesQualified: 80,
          },
        ],
      ),
    );
    expect(table.rows).toEqual([
      {
        customerName: 'Contoso',
        customerTenantId: 'c1',
        productName: 'OFFICE 365 E3',
        productId: 'p1',
        serviceCode: 'o365',
        channel: 'reseller',
        licensesSold: 100,
        licensesDeployed: 80,
        licensesActive: 60,
        unusedLicenses: 20,
        inactiveLicenses: 20,
        deployedRate: 0.8,
        activeRate: 0.75,
        flags: '',
        flagReasons: '',
      },
    ]);
  });

  it('flags over-assignment, usage above 100 %, usage without deployment and several channels, with reasons', () => {
    const table = computeUtilization(
      groups(
        [
          { ...contoso, ...e3, channel: 'reseller', licensesSold: 10, licensesDeployed: 12 },
          { ...contoso, ...e3, channel: 'direct', licensesSold: 5, licensesDeployed: 5 },
        ],
        [
          {
            ...contoso,
            ...e3,
            channel: 'reseller',
            workloadCode: 'EXO',
            workloadName: 'Exchange',
            licensesActive: 14,
            licensesQualified: 12,
          },
          {
            ...contoso,
            ...e5,
            channel: 'reseller',
            workloadCode: 'EXO',
            licensesActive: 3,
            licensesQualified: 3,
          },
        ],
      ),
    );
    const byProduct = Object.fromEntries(table.rows.map((row) => [row.productId, row]));
    expect(byProduct.p1).toMatchObject({
      channel: 'direct+reseller',
      licensesSold: 15,
      licensesDeployed: 17,
      licensesActive: 14,
      unusedLicenses: -2,
      deployedRate: 17 / 15,
      flags: 'deployed-over-sold, active-over-qualified, cross-partner',
    });
    expect(byProduct.p1?.flagReasons).toContain('deployed 17 of 15 sold');
    expect(byProduct.p1?.flagReasons).toContain('Exchange: 14 active of 12 qualified');
    expect(byProduct.p1?.flagReasons).toContain('2 channels (direct, reseller)');
    expect(byProduct.p2).toMatchObject({
      licensesSold: 0,
      licensesDeployed: 0,
      licensesActive: 3,
      deployedRate: null,
      activeRate: null,
      flags: 'active-over-deployed, usage-without-deployment',
    });
    expect(table.totals.flaggedPairs).toBe(2);
    expect(table.totals.flagCounts['cross-partner']).toBe(1);

    const customers = computeUtilization(
      groups(
        [{ ...contoso, ...e3, channel: 'reseller', licensesSold: 10, licensesDeployed: 12 }],
        [
          {
            ...contoso,
            ...e5,
            channel: 'reseller',
            workloadCode: 'EXO',
            licensesActive: 3,
            licensesQualified: 3,
          },
        ],
      ),
      { by: 'customer' },
    );
    expect(customers.rows).toHaveLength(1);
    expect(customers.rows[0]).toMatchObject({ products: 2, licensesSold: 10, licensesActive: 3 });
    expect(customers.rows[0]?.flagReasons).toContain('deployed above sold in 1 of 2 customer-product pairs');
  });

  it('counts a pair split over channels once per channel at the channel level', () => {
    const table = computeUtilization(
      groups(
        [
          { ...contoso, ...e3, channel: 'reseller', licensesSold: 10, licensesDeployed: 8 },
          { ...contoso, ...e3, channel: 'direct', licensesSold: 5, licensesDeployed: 1 },
        ],
        [],
      ),
      { by: 'channel' },
    );
    expect(table.rows.map((row) => [row.channel, row.licensesSold, row.licensesDeployed])).toEqual([
      ['reseller', 10, 8],
      ['direct', 5, 1],
    ]);
  });

  it('keeps rows from minSold on and the first top rows', () => {
    const deployment = [1, 9, 30, 200].map((sold, index) => ({
      ...contoso,
      productId: `p${index}`,
      productName: `P${index}`,
      channel: 'reseller',
      licensesSold: sold,
      licensesDeployed: 0,
    }));
    const table = computeUtilization(groups(deployment, []), { minSold: 10 });
    expect(table.rows.map((row) => row.licensesSold)).toEqual([200, 30]);
    expect(table.totals.licensesSold).toBe(240);
    expect(computeUtilization(groups(deployment, []), { minSold: 10, top: 1 }).rows).toHaveLength(1);
  });

  it('parses --by values and refuses others', () => {
    expect(parseUtilizationLevel(undefined)).toBe('customer,product');
    expect(parseUtilizationLevel('product, customer')).toBe('customer,product');
    expect(parseUtilizationLevel('Service')).toBe('service');
    expect(() => parseUtilizationLevel('workload')).toThrow(/must be one of customer,product \| customer/);
  });
});

import { describe, expect, it } from 'vitest';
import {
  type CustomerIndexedDataset,
  generateCommercialDeployment,
  generateCommercialUsage,
} from './commercialData.js';
import type { RealisticDataContext } from './queryEngine.js';

const context = {
  seed: 1,
  partnerTenantId: '4b7c4e3a-2f1d-4c6b-9a8e-5d0f1c2b3a49',
  customers: 200,
  snapshotIndex: 0,
  processedDateTime: '2026-11-20T00:00:00.000Z',
};

describe('commercial data generators', () => {
  it('derive row i from (seed, tenant, snapshot, i) alone', () => {
    const a = generateCommercialUsage(context);
    const b = generateCommercialUsage({ ...context });
    for (const index of [0, 1, 17, a.count - 1]) expect(a.row(index)).toEqual(b.row(index));
    expect(generateCommercialUsage({ ...context, seed: 2 }).row(0)).not.toEqual(a.row(0));
    expect(
      generateCommercialUsage({ ...context, partnerTenantId: '00000000-0000-4000-8000-000000000001' }).row(0),
    ).not.toEqual(a.row(0));
  });

  it('hold about 10 products per customer and 3-4 workloads per product', () => {
    const deployment = generateCommercialDeployment(context);
    const usage = generateCommercialUsage(context);
    expect(deployment.count / context.customers).toBeGreaterThan(8);
    expect(deployment.count / context.customers).toBeLessThan(12);
    expect(usage.count / deployment.count).toBeGreaterThan(2.5);
    expect(usage.count / deployment.count).toBeLessThan(4.5);
  });

  it('keep deployed <= sold and active <= qualified, and usage consistent with deployment', () => {
    const deployment = generateCommercialDeployment(context);
    const usage = generateCommercialUsage(context);
    const deployedOf = new Map<string, number>();
    for (let index = 0; index < deployment.count; index++) {
      const row = deployment.row(index);
      expect(row.licensesDeployed as number).toBeLessThanOrEqual(row.licensesSold as number);
      deployedOf.set(`${row.customerTenantId}|${row.productId}`, row.licensesDeployed as number);
    }
    for (let index = 0; index < usage.count; index++) {
      const row = usage.row(index);
      expect(row.licensesActive as number).toBeLessThanOrEqual(row.licensesQualified as number);
      expect(row.licensesQualified as number).toBeLessThanOrEqual(
        deployedOf.get(`${row.customerTenantId}|${row.productId}`)!,
      );
    }
  });

  it("find a customer's contiguous rows", () => {
    const usage = generateCommercialUsage(context) as CustomerIndexedDataset;
    const row = usage.row(100);
    const range = usage.rangeOfCustomer(String(row.customerTenantId).toLowerCase())!;
    expect(range.start).toBeLessThanOrEqual(100);
    expect(range.end).toBeGreaterThan(100);
    for (let index = range.start; index < range.end; index++)
      expect(usage.row(index).customerTenantId).toBe(row.customerTenantId);
    if (range.start > 0) expect(usage.row(range.start - 1).customerTenantId).not.toBe(row.customerTenantId);
    expect(usage.rangeOfCustomer('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });
});

describe('the byte fast path', () => {
  it('writes exactly JSON.stringify(row(i)) for every row', () => {
    for (const generate of [generateCommercialUsage, generateCommercialDeployment]) {
      const dataset = generate({ ...context, customers: 60 }) as CustomerIndexedDataset;
      const target = Buffer.alloc(dataset.maxRowBytes);
      for (let index = 0; index < dataset.count; index++) {
        const end = dataset.writeRow(index, target, 0);
        expect(target.subarray(0, end).toString('utf8')).toBe(JSON.stringify(dataset.row(index)));
      }
    }
  });

  it('still does with every quirk at a high rate and per-service stamps', () => {
    const quirky: RealisticDataContext = {
      ...context,
      customers: 120,
      quirks: {
        overUsage: 0.3,
        overAssignment: 0.3,
        nonAsciiNames: 0.5,
        nulls: 0.2,
        unknownValues: 0.2,
        licenseActive: 0.3,
        numericStrings: 0.3,
      },
      services: {
        o365: { day: 20777, stamp: '2026-11-20T03:25:16.36' },
        crm: { day: 20775, stamp: '2026-11-18T00:00:00' },
      },
    };
    for (const generate of [generateCommercialUsage, generateCommercialDeployment]) {
      const dataset = generate(quirky) as CustomerIndexedDataset;
      const target = Buffer.alloc(dataset.maxRowBytes);
      const seen = new Set<string>();
      for (let index = 0; index < dataset.count; index++) {
        const end = dataset.writeRow(index, target, 0);
        const text = target.subarray(0, end).toString('utf8');
        expect(text).toBe(JSON.stringify(dataset.row(index)));
        seen.add(String(dataset.row(index).processedDateTime));
      }
      expect(seen).toEqual(new Set(['2026-11-20T03:25:16.36', '2026-11-18T00:00:00']));
    }
  });
});

import { describe, expect, it } from 'vitest';
import { customerPresent } from './churn.js';
import { generateCommercialDeployment, generateCommercialUsage } from './commercialData.js';

const base = {
  seed: 7,
  partnerTenantId: '4b7c4e3a-2f1d-4c6b-9a8e-5d0f1c2b3a49',
  customers: 400,
  snapshotIndex: 0,
};
const dayMs = 86_400_000;
const latest = Date.parse('2026-11-20T00:00:00Z');
const dayContext = (back: number) => ({
  ...base,
  processedDateTime: new Date(latest - back * dayMs).toISOString(),
});

/** The rows of a day keyed by their natural key, with their values. */
function keyed(generate: typeof generateCommercialDeployment, back: number): Map<string, string> {
  const dataset = generate(dayContext(back));
  const rows = new Map<string, string>();
  for (let index = 0; index < dataset.count; index++) {
    const { processedDateTime: _, ...row } = dataset.row(index);
    rows.set(`${row.customerTenantId}|${row.productId}|${row.workloadCode ?? ''}`, JSON.stringify(row));
  }
  return rows;
}

describe('daily churn', () => {
  it('moves a few per cent of the rows from one day to the next, and customers and products come and go', () => {
    for (const [generate, low, high] of [
      [generateCommercialDeployment, 0.01, 0.05],
      [generateCommercialUsage, 0.02, 0.08],
    ] as const) {
      let changed = 0;
      let compared = 0;
      let arrived = 0;
      let left = 0;
      let previous = keyed(generate, 6);
      for (let back = 5; back >= 0; back--) {
        const current = keyed(generate, back);
        for (const [key, value] of current) {
          const before = previous.get(key);
          if (before === undefined) arrived++;
          else {
            compared++;
            if (before !== value) changed++;
          }
        }
        for (const key of previous.keys()) if (!current.has(key)) left++;
        previous = current;
      }
      const rate = changed / compared;
      expect(rate).toBeGreaterThan(low);
      expect(rate).toBeLessThan(high);
      expect(arrived).toBeGreaterThan(0);
      expect(left).toBeGreaterThan(0);
    }
  }, 300_000);

  it('lets whole customers arrive and leave, and always keeps customer 0', () => {
    const present = (day: number) =>
      Array.from({ length: base.customers }, (_, c) => customerPresent(12345, c, day));
    const first = present(20_000);
    const later = present(20_030);
    expect(first.some((here, c) => here && !later[c])).toBe(true);
    expect(first.some((here, c) => !here && later[c])).toBe(true);
    for (let day = 20_000; day < 20_400; day += 7) expect(customerPresent(12345, 0, day)).toBe(true);
  });

  it('keeps a day derivable alone: the same day gives the same rows however it is reached', () => {
    const a = generateCommercialDeployment(dayContext(3));
    generateCommercialDeployment(dayContext(200));
    const b = generateCommercialDeployment(dayContext(3));
    expect(b.count).toBe(a.count);
    for (const index of [0, 5, a.count - 1]) expect(b.row(index)).toEqual(a.row(index));
  });
});

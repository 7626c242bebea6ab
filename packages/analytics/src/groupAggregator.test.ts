import { describe, expect, it } from 'vitest';
import { GroupAggregator, rate } from './groupAggregator.js';

describe('GroupAggregator', () => {
  it('sums measures exactly per group, in order of first appearance', () => {
    const groups = new GroupAggregator({ keys: ['customer', 'product'], measures: ['sold'] });
    const rows = [
      { customer: 'a', product: 'x', sold: 3 },
      { customer: 'b', product: 'x', sold: 4 },
      { customer: 'a', product: 'x', sold: 5 },
      { customer: 'a', product: 'y' },
    ];
    for (const row of rows) groups.add(row);
    expect([...groups.groups()]).toEqual([
      { key: { customer: 'a', product: 'x' }, sums: { sold: 8 } },
      { key: { customer: 'b', product: 'x' }, sums: { sold: 4 } },
      { key: { customer: 'a', product: 'y' }, sums: { sold: 0 } },
    ]);
    expect(groups.rows).toBe(4);
    expect(groups.get({ customer: 'b', product: 'x' })?.sums.sold).toBe(4);
  });

  it('keeps key values apart even when they contain the separator-like text', () => {
    const groups = new GroupAggregator({ keys: ['a', 'b'], measures: ['n'] });
    groups.add({ a: 'x|y', b: 'z', n: 1 });
    groups.add({ a: 'x', b: 'y|z', n: 1 });
    expect(groups.size).toBe(2);
  });

  it('refuses sums that would lose precision and non-integer measures', () => {
    const groups = new GroupAggregator({ keys: ['k'], measures: ['n'] });
    groups.add({ k: 'a', n: Number.MAX_SAFE_INTEGER });
    expect(() => groups.add({ k: 'a', n: 1 })).toThrow(RangeError);
    expect(() => groups.add({ k: 'b', n: 1.5 })).toThrow(TypeError);
  });

  it('computes rates from the sums, null on an empty denominator', () => {
    expect(rate(1, 4)).toBe(0.25);
    expect(rate(1, 0)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { filterFields } from './filterFields.js';
import { parseFilter } from './parseFilter.js';

describe('filterFields', () => {
  it('lists distinct fields in order of first appearance', () => {
    const node = parseFilter(
      "b eq 1 and (a in ('x') or not contains(c, d)) and b ne 2 and 'lit' eq e and startswith(f, 'x')",
    );
    expect(filterFields(node)).toEqual(['b', 'a', 'c', 'd', 'e', 'f']);
  });

  it('returns no fields for a filter of literals', () => {
    expect(filterFields(parseFilter('1 eq 1'))).toEqual([]);
  });
});

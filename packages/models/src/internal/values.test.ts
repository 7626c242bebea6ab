import { describe, expect, it } from 'vitest';
import { INVALID, normalizeCount, normalizeRatio, normalizeTimestamp } from './values.js';

describe('normalizeTimestamp', () => {
  it.each([
    ['2018-10-14T00:00:00', '2018-10-14T00:00:00.000Z'],
    ['2018-10-14', '2018-10-14T00:00:00.000Z'],
    ['2017-03-14T03:25:16.36+00:00', '2017-03-14T03:25:16.360Z'],
    ['2017-03-14T03:25:16.3612345Z', '2017-03-14T03:25:16.361Z'],
    ['2017-03-14T05:25:16+0200', '2017-03-14T03:25:16.000Z'],
    ['2017-03-14T00:00:00.000Z', '2017-03-14T00:00:00.000Z'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeTimestamp(input)).toBe(expected);
    expect(normalizeTimestamp(expected)).toBe(expected);
  });

  it.each(['', 'yesterday', '2021-02-30', '2021-13-01T00:00:00', '14/10/2018', '2018-10-14T25:00:00'])(
    'refuses %j',
    (input) => {
      expect(normalizeTimestamp(input)).toBe(INVALID);
    },
  );
});

describe('normalizeCount and normalizeRatio', () => {
  it('accept numbers and numeric strings', () => {
    expect(normalizeCount(3)).toBe(3);
    expect(normalizeCount('63')).toBe(63);
    expect(normalizeRatio('0.25')).toBe(0.25);
    expect(normalizeRatio(1)).toBe(1);
  });
  it('refuse the rest', () => {
    for (const value of [-1, 1.5, '1.5', '', 'x', null, Number.NaN, true])
      expect(normalizeCount(value)).toBe(INVALID);
    for (const value of ['', 'x', Number.POSITIVE_INFINITY, null, {}])
      expect(normalizeRatio(value)).toBe(INVALID);
  });
});

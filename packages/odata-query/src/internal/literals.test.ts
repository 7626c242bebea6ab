import { describe, expect, it } from 'vitest';
import { guidAt, isoToEpochMs } from './literals.js';

describe('isoToEpochMs', () => {
  it.each([
    '2024-01-31',
    '2024-01-31T10:00Z',
    '2024-01-31T10:00:00Z',
    '2024-01-31T10:00:00.123Z',
    '2024-01-31T10:00:00+02:00',
    '2024-01-31T10:00:00.5-05:30',
    '2024-02-29T23:59:59.999Z',
  ])('agrees with Date.parse on %s', (text) => {
    expect(isoToEpochMs(text)).toBe(Date.parse(text));
  });

  it('reads a time without offset as UTC', () => {
    expect(isoToEpochMs('2024-01-31T10:00:00')).toBe(Date.parse('2024-01-31T10:00:00Z'));
    expect(isoToEpochMs('2024-01-31T10:00:00.1234567')).toBe(Date.parse('2024-01-31T10:00:00.123Z'));
  });

  it.each([
    '',
    'x',
    '2024-1-31',
    '2023-02-29',
    '2024-01-31T24:00:00Z',
    '2024-01-31T10:00:00Zjunk',
    '2024-01-31X',
  ])('gives NaN for %j', (text) => {
    expect(isoToEpochMs(text)).toBeNaN();
  });
});

describe('guidAt', () => {
  it('recognises 8-4-4-4-12 hex digits not followed by a word character', () => {
    expect(guidAt('8d6c4d5e-1234-4abc-9def-0123456789ab', 0, 36)).toBe(true);
    expect(guidAt('8d6c4d5e-1234-4abc-9def-0123456789abc', 0, 37)).toBe(false);
    expect(guidAt('8d6c4d5e-1234-4abc-9def-0123456789ag', 0, 36)).toBe(false);
    expect(guidAt('8d6c4d5e_1234-4abc-9def-0123456789ab', 0, 36)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { MockHttpError } from './httpError.js';
import { parseProcessedDay, SnapshotClock } from './snapshots.js';

describe('snapshots', () => {
  it('keeps consecutive days ending at the latest, and advances', () => {
    const clock = new SnapshotClock({ latestDate: '2026-11-20', kept: 3 });
    expect(clock.list().map((snapshot) => snapshot.processedDateTime)).toEqual([
      '2026-11-20T00:00:00.000Z',
      '2026-11-19T00:00:00.000Z',
      '2026-11-18T00:00:00.000Z',
    ]);
    expect(clock.select('2026-11-19T00:00:00')?.snapshotIndex).toBe(1);
    expect(clock.select('2026-11-19T23:00:00-05:00')?.snapshotIndex).toBe(0);
    expect(clock.select(undefined)?.snapshotIndex).toBe(0);
    clock.advance();
    expect(clock.latest().processedDateTime).toBe('2026-11-21T00:00:00.000Z');
    expect(clock.select('2026-11-18')).toBeUndefined();
    clock.reset();
    expect(clock.latest().processedDateTime).toBe('2026-11-20T00:00:00.000Z');
  });

  it('reads dates and date-times (no offset = UTC), 400 otherwise', () => {
    expect(parseProcessedDay('1970-01-02')).toBe(1);
    expect(parseProcessedDay('1970-01-02T23:59:59')).toBe(1);
    expect(parseProcessedDay('1970-01-02T23:00:00-02:00')).toBe(2);
    expect(() => parseProcessedDay('yesterday')).toThrow(MockHttpError);
    expect(() => parseProcessedDay('2026-02-30')).toThrow(MockHttpError);
    expect(() => parseProcessedDay('2026-13-01T00:00:00Z')).toThrow(MockHttpError);
    expect(() => new SnapshotClock({ latestDate: '2026-02-30', kept: 3 })).toThrow(/processed date/);
  });
});

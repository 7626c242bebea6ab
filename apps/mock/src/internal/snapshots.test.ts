import { describe, expect, it } from 'vitest';
import { MockHttpError } from './httpError.js';
import { parseProcessedDay, SnapshotClock, serviceStamp } from './snapshots.js';

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

describe('per-service dates', () => {
  it('lags crm, stamps o365 with a time of day, and advances one service at a time', () => {
    const clock = new SnapshotClock({ latestDate: '2026-11-20', kept: 2, crmLagDays: 3 });
    const stamps = () => {
      const services = clock.latest().services!;
      return [services.o365!.stamp.slice(0, 10), services.crm!.stamp];
    };
    expect(stamps()).toEqual(['2026-11-20', '2026-11-17T00:00:00']);
    expect(clock.latest().services!.o365!.stamp).toMatch(/^2026-11-20T0[0-5]:\d{2}:\d{2}(\.\d{1,3})?$/);
    clock.advance();
    expect(stamps()).toEqual(['2026-11-21', '2026-11-17T00:00:00']);
    clock.advance();
    expect(stamps()).toEqual(['2026-11-21', '2026-11-18T00:00:00']);
    expect(clock.select('2026-11-21')?.only).toEqual(['o365']);
    expect(clock.select('2026-11-17')?.only).toEqual(['crm']);
    expect(clock.select('2026-11-19')).toBeUndefined();
    clock.reset();
    expect(stamps()).toEqual(['2026-11-20', '2026-11-17T00:00:00']);
  });

  it('stamps o365 the same way for the same day, with 0 to 3 fraction digits and none trailing zeros', () => {
    for (let day = 20000; day < 20100; day++) {
      const stamp = serviceStamp('o365', day);
      expect(stamp).toBe(serviceStamp('o365', day));
      expect(stamp).toMatch(/T\d{2}:\d{2}:\d{2}(\.\d{0,2}[1-9])?$/);
      expect(serviceStamp('crm', day)).toMatch(/T00:00:00$/);
    }
  });
});

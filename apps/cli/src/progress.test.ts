import { describe, expect, it } from 'vitest';
import { createProgress, describeRetry, formatDuration, progressMode } from './progress.js';

describe('progressMode', () => {
  it('draws only on a TTY, prints plain lines in CI, and is quiet otherwise', () => {
    expect(progressMode({ stderrIsTTY: true, env: {}, disabled: false })).toBe('tty');
    expect(progressMode({ stderrIsTTY: false, env: { CI: 'true' }, disabled: false })).toBe('plain');
    expect(progressMode({ stderrIsTTY: false, env: {}, disabled: false })).toBe('off');
    expect(progressMode({ stderrIsTTY: true, env: {}, disabled: true })).toBe('off');
    expect(progressMode({ stderrIsTTY: true, env: { PC_NO_PROGRESS: '1' }, disabled: false })).toBe('off');
  });
});

describe('progress text', () => {
  it('describes throttle waits', () => {
    expect(
      describeRetry({
        attempt: 2,
        maxAttempts: 7,
        delayMs: 12_000,
        reason: '429',
        status: 429,
        throttled: true,
      }),
    ).toBe('429, waiting 12 s, retry 2/6');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
  });
  it('shows rows of the total, pages, rate and ETA on a TTY, and clears the line', () => {
    let time = 0;
    const written: string[] = [];
    const progress = createProgress({
      mode: 'tty',
      label: 'licenses deployment',
      write: (text) => written.push(text),
      now: () => time,
    });
    time = 1000;
    progress.page({ pageIndex: 0, rows: 10_000, rowsSoFar: 10_000, totalCount: 100_000 });
    expect(written.at(-1)).toContain('10,000 / 100,000 rows (10 %)');
    expect(written.at(-1)).toContain('1 page');
    expect(written.at(-1)).toContain('10,000 rows/s');
    expect(written.at(-1)).toContain('ETA 9 s');
    progress.retry({
      attempt: 1,
      maxAttempts: 6,
      delayMs: 2000,
      reason: '429',
      status: 429,
      throttled: true,
    });
    expect(written.join('')).toContain('429, waiting 2 s, retry 1/5\n');
    progress.done();
    expect(written.at(-1)).toBe('\r\x1b[2K');
  });
  it('prints a plain line at most every interval in CI', () => {
    let time = 0;
    const written: string[] = [];
    const progress = createProgress({
      mode: 'plain',
      label: 'x',
      write: (text) => written.push(text),
      now: () => time,
      plainIntervalMs: 5000,
    });
    for (let page = 1; page <= 10; page++) {
      time = page * 1000;
      progress.page({ pageIndex: page - 1, rows: 10, rowsSoFar: page * 10, totalCount: null });
    }
    expect(written).toHaveLength(2);
    expect(written.every((line) => line.endsWith('\n') && !line.includes('\r'))).toBe(true);
  });
  it('prints nothing when off', () => {
    const written: string[] = [];
    const progress = createProgress({ mode: 'off', label: 'x', write: (text) => written.push(text) });
    progress.page({ pageIndex: 0, rows: 1, rowsSoFar: 1, totalCount: 1 });
    progress.retry({ attempt: 1, maxAttempts: 6, delayMs: 1, reason: '503', status: 503, throttled: false });
    progress.done();
    expect(written).toEqual([]);
  });
});

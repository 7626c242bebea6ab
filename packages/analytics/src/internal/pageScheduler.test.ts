import { describe, expect, it } from 'vitest';
import { schedulePages } from './pageScheduler.js';

interface FakePage {
  readonly index: number;
  readonly rows: number[];
}

/** A fake paged source of `total` rows, `pageSize` a page, answering in a scrambled order. */
function fakeSource(options: { total: number; pageSize: number; failAt?: number }) {
  let inFlight = 0;
  let maxInFlight = 0;
  let maxHeld = 0;
  const fetched: number[] = [];
  const aborted: number[] = [];
  const held = new Set<number>();
  const fetch = (index: number, signal: AbortSignal): Promise<FakePage> => {
    fetched.push(index);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const delay = ((index * 7919) % 5) + 1;
    return new Promise<FakePage>((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        inFlight -= 1;
        aborted.push(index);
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        inFlight -= 1;
        if (index === options.failAt) {
          reject(new Error(`page ${index} failed`));
          return;
        }
        const start = index * options.pageSize;
        const end = Math.min(options.total, start + options.pageSize);
        const rows: number[] = [];
        for (let row = start; row < end; row++) rows.push(row);
        held.add(index);
        maxHeld = Math.max(maxHeld, held.size);
        resolve({ index, rows });
      }, delay);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  };
  return {
    fetch,
    release(index: number) {
      held.delete(index);
    },
    stats: () => ({ maxInFlight, maxHeld, fetched, aborted, inFlight }),
  };
}

async function readAll(options: { total: number; pageSize: number; concurrency: number }) {
  const source = fakeSource(options);
  const rows: number[] = [];
  const order: number[] = [];
  for await (const page of schedulePages<FakePage>({
    fetch: source.fetch,
    isLast: (page) => page.rows.length < options.pageSize,
    concurrency: () => options.concurrency,
  })) {
    order.push(page.index);
    rows.push(...page.rows);
    source.release(page.index);
  }
  return { rows, order, stats: source.stats() };
}

describe('schedulePages', () => {
  it('yields pages in order and gives the same rows at any concurrency', async () => {
    const expected = Array.from({ length: 1003 }, (_, row) => row);
    for (const concurrency of [1, 2, 4, 7]) {
      const { rows, order } = await readAll({ total: 1003, pageSize: 50, concurrency });
      expect(rows).toEqual(expected);
      expect(order).toEqual(Array.from({ length: 21 }, (_, index) => index));
    }
  });

  it('keeps at most `concurrency` requests in flight and at most concurrency + 1 pages alive', async () => {
    const { stats } = await readAll({ total: 2000, pageSize: 10, concurrency: 3 });
    expect(stats.maxInFlight).toBeLessThanOrEqual(3);
    expect(stats.maxHeld).toBeLessThanOrEqual(4);
    expect(stats.maxInFlight).toBeGreaterThan(1);
  });

  it('is strictly sequential at concurrency 1', async () => {
    const { stats } = await readAll({ total: 95, pageSize: 10, concurrency: 1 });
    expect(stats.maxInFlight).toBe(1);
    expect(stats.fetched).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('aborts speculative requests past the last page', async () => {
    const { stats } = await readAll({ total: 25, pageSize: 10, concurrency: 6 });
    expect(stats.inFlight).toBe(0);
    expect(stats.fetched.slice(0, 6)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(stats.aborted.length).toBeGreaterThan(0);
  });

  it('drops to the new concurrency when it changes mid-read', async () => {
    const source = fakeSource({ total: 400, pageSize: 10 });
    let limit = 4;
    const inFlightAfterDrop: number[] = [];
    const rows: number[] = [];
    for await (const page of schedulePages<FakePage>({
      fetch: (index, signal) => {
        if (limit === 1) inFlightAfterDrop.push(source.stats().inFlight);
        return source.fetch(index, signal);
      },
      isLast: (page) => page.rows.length < 10,
      concurrency: () => limit,
    })) {
      rows.push(...page.rows);
      if (page.index === 5) limit = 1;
    }
    expect(rows).toEqual(Array.from({ length: 400 }, (_, row) => row));
    // Once the window drained, each new request starts alone.
    expect(inFlightAfterDrop.slice(-10).every((count) => count === 0)).toBe(true);
  });

  it('uses shouldLaunch as a hint only', async () => {
    const source = fakeSource({ total: 55, pageSize: 10 });
    const rows: number[] = [];
    for await (const page of schedulePages<FakePage>({
      fetch: source.fetch,
      isLast: (page) => page.rows.length < 10,
      concurrency: () => 4,
      // Claims two pages in total: the read still goes on until the short page.
      shouldLaunch: (index) => index < 2,
    })) {
      rows.push(...page.rows);
    }
    expect(rows).toHaveLength(55);
    expect(source.stats().aborted).toEqual([]);
  });

  it('propagates the first failure in page order and cancels the rest', async () => {
    const source = fakeSource({ total: 500, pageSize: 10, failAt: 3 });
    const seen: number[] = [];
    await expect(async () => {
      for await (const page of schedulePages<FakePage>({
        fetch: source.fetch,
        isLast: (page) => page.rows.length < 10,
        concurrency: () => 4,
      })) {
        seen.push(page.index);
      }
    }).rejects.toThrow('page 3 failed');
    expect(seen).toEqual([0, 1, 2]);
    expect(source.stats().inFlight).toBe(0);
  });

  it('cancels in-flight requests when the consumer stops early', async () => {
    const source = fakeSource({ total: 500, pageSize: 10 });
    for await (const page of schedulePages<FakePage>({
      fetch: source.fetch,
      isLast: (page) => page.rows.length < 10,
      concurrency: () => 4,
    })) {
      if (page.index === 0) break;
    }
    expect(source.stats().inFlight).toBe(0);
    expect(source.stats().aborted.length).toBeGreaterThan(0);
  });

  it('stops on an external abort', async () => {
    const source = fakeSource({ total: 500, pageSize: 10 });
    const controller = new AbortController();
    const seen: number[] = [];
    await expect(async () => {
      for await (const page of schedulePages<FakePage>({
        fetch: source.fetch,
        isLast: (page) => page.rows.length < 10,
        concurrency: () => 2,
        signal: controller.signal,
      })) {
        seen.push(page.index);
        if (page.index === 2) controller.abort(new Error('stop'));
      }
    }).rejects.toThrow('stop');
    expect(seen).toEqual([0, 1, 2]);
    expect(source.stats().inFlight).toBe(0);
  });
});

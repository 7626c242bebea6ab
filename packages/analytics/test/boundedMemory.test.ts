import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createClient } from '../src/index.js';
import { createFakeTransport } from './fixtures/fakeTransport.js';

// A full, synchronous garbage collection, to see which pages something still holds.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

describe('memory of a read', () => {
  it('holds at most concurrency + 1 pages, page 0 included, whatever the total', async () => {
    const concurrency = 3;
    const fake = createFakeTransport({
      snapshots: [{ processedDateTime: '2026-11-20T00:00:00.000Z', rows: 1000 }],
    });
    const client = createClient({ transport: fake.transport, pageSize: 50, concurrency });
    const consumed: WeakRef<object>[] = [];
    const stillAlive: number[][] = [];
    const held: number[] = [];
    for await (const page of client.commercial.licenses.deployment.list().byPage()) {
      consumed.push(new WeakRef(page.items));
      // A slow consumer: the window fills up while it works.
      await sleep(5);
      // Pages answered by the server and not yet released by the consumer (this one included).
      held.push(fake.stats().answered - page.pageIndex);
      if (page.pageIndex % 5 !== 3) continue;
      collectGarbage();
      stillAlive.push(
        consumed.flatMap((ref, index) =>
          index !== page.pageIndex && ref.deref() !== undefined ? [index] : [],
        ),
      );
    }
    expect(consumed).toHaveLength(20);
    expect(Math.max(...held)).toBeLessThanOrEqual(concurrency + 1);
    expect(Math.max(...held)).toBeGreaterThan(1);
    // Nothing keeps a page the consumer is done with (page 0 neither).
    expect(stillAlive).toEqual([[], [], [], []]);
  });

  it('lets go of each row once handed out, while the rest of its page is still being read', async () => {
    const fake = createFakeTransport({
      snapshots: [{ processedDateTime: '2026-11-20T00:00:00.000Z', rows: 120 }],
    });
    const client = createClient({ transport: fake.transport, pageSize: 50, concurrency: 2 });
    const handedOut: WeakRef<object>[] = [];
    const alive: number[] = [];
    let seen = 0;
    for await (const row of client.commercial.licenses.deployment.list()) {
      handedOut.push(new WeakRef(row));
      seen += 1;
      // Halfway through page 1: the rows before this one are the caller's to keep or drop.
      if (seen === 75) {
        // A new task first: a WeakRef keeps its target alive until the end of the current job.
        await sleep(1);
        collectGarbage();
        alive.push(handedOut.slice(0, -1).filter((ref) => ref.deref() !== undefined).length);
      }
    }
    expect(seen).toBe(120);
    expect(alive).toEqual([0]);
  });
});

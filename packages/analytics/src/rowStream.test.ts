import { describe, expect, it } from 'vitest';
import { createRowStream, type RowPage } from './rowStream.js';

function page(pageIndex: number, items: number[]): RowPage<number> {
  return {
    items,
    pageIndex,
    skip: 0,
    totalCount: null,
    processedDateTime: null,
    requestId: `r${pageIndex}`,
    rejected: [],
    restarted: false,
  };
}

/** A page source that records what happens to it. */
function source(pages: number[][], options: { failAfter?: number } = {}) {
  const log: string[] = [];
  const stream = createRowStream(async function* () {
    log.push('start');
    try {
      for (const [index, items] of pages.entries()) {
        if (index === options.failAfter) throw new Error(`page ${index} failed`);
        await new Promise((resolve) => setTimeout(resolve, 1));
        log.push(`page ${index}`);
        yield page(index, items);
      }
    } finally {
      log.push('closed');
    }
  });
  return { stream, log };
}

describe('RowStream', () => {
  it('yields every row in order, across empty pages, and requests nothing before iteration', async () => {
    const { stream, log } = source([[1, 2], [], [3], [4, 5, 6]]);
    expect(log).toEqual([]);
    const rows: number[] = [];
    for await (const row of stream) rows.push(row);
    expect(rows).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await stream.toArray()).toEqual(rows);
    expect(log.filter((entry) => entry === 'start')).toHaveLength(2);
  });

  it('closes the page source on break, without reading further pages', async () => {
    const { stream, log } = source([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    for await (const row of stream) {
      if (row === 3) break;
    }
    expect(log).toEqual(['start', 'page 0', 'page 1', 'closed']);
  });

  it('delivers the rows before a failing page, then the error', async () => {
    const { stream } = source([[1, 2], [3], [4]], { failAfter: 2 });
    const rows: number[] = [];
    await expect(async () => {
      for await (const row of stream) rows.push(row);
    }).rejects.toThrow('page 2 failed');
    expect(rows).toEqual([1, 2, 3]);
  });

  it('answers calls made before the previous one settled, in order', async () => {
    const { stream } = source([[1], [], [2, 3], [4]]);
    const iterator = stream[Symbol.asyncIterator]();
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map(() => iterator.next()));
    expect(results.map((result) => (result.done === true ? 'done' : result.value))).toEqual([
      1,
      2,
      3,
      4,
      'done',
      'done',
    ]);
  });
});

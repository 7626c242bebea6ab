import fc from 'fast-check';
import { isPartnerCenterError } from '@pc/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/index.js';
import { type LinkStyle, referenceRows, startPagingWorld, type WorldOptions } from './support/pagingWorld.js';

let world: Awaited<ReturnType<typeof startPagingWorld>>;

beforeAll(async () => {
  world = await startPagingWorld({ rows: 0, cap: 1, style: 'absolute' });
});
afterAll(async () => {
  await world?.close();
});

function client(options: { concurrency?: number; pageSize?: number; maxPages?: number } = {}) {
  const warnings: string[] = [];
  const sdk = createClient({
    baseUrl: world.url,
    accessToken: 'token-of-the-test',
    concurrency: options.concurrency ?? 4,
    pageSize: options.pageSize ?? 10_000,
    ...(options.maxPages === undefined ? {} : { maxPages: options.maxPages }),
    retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 8 },
    hooks: { onWarning: (message) => warnings.push(message) },
  });
  return { sdk, warnings };
}

/** The names of the rows, in order: each row's index is in its name. */
const names = (rows: readonly Record<string, unknown>[]) => rows.map((row) => row.customerName);

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('the end of data is the server’s word: a null or absent link, nothing else', () => {
  it('reads every row of a server that caps pages below top (1000 a page, TotalCount 2500)', async () => {
    world.set({ rows: 2500, cap: 1000, style: 'absolute' });
    const { sdk } = client();
    const rows = await sdk.commercial.licenses.deployment.list().toArray();
    expect(rows).toHaveLength(2500);
    expect(names(rows)).toEqual(Array.from({ length: 2500 }, (_, index) => `Customer ${index}`));
    // Speculation by skip went ahead, each page confirmed by its predecessor's link.
    expect(world.received[1]).toMatch(/skip=1000/);
    await sdk.close();
  });

  it.each<LinkStyle>(['opaque', 'relative', 'relative-raw', 'root-relative'])(
    'follows %s links, every row once and in order, at concurrency 1, 4 and 8',
    async (style) => {
      for (const concurrency of [1, 4, 8]) {
        world.set({ rows: 23, cap: 2, style });
        const { sdk } = client({ concurrency });
        const rows = await sdk.commercial.licenses.deployment
          .list({ filter: "channel eq 'reseller' and customerName ne 'O''Brien'" })
          .toArray();
        expect(names(rows)).toEqual(Array.from({ length: 23 }, (_, index) => `Customer ${index}`));
        await sdk.close();
      }
    },
  );

  it('does not stop at a short page that still has a link, nor at TotalCount', async () => {
    world.set({ rows: 40, cap: (skip) => (skip === 10 ? 3 : 10), style: 'relative-raw' });
    const { sdk } = client({ concurrency: 4 });
    const rows = await sdk.commercial.licenses.deployment.list().toArray();
    expect(names(rows)).toEqual(Array.from({ length: 40 }, (_, index) => `Customer ${index}`));
    await sdk.close();
  });

  it('reads 204 No Content as an empty last page', async () => {
    const server = await import('node:http').then(({ createServer }) =>
      createServer((_request, response) => {
        response.writeHead(204);
        response.end();
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const sdk = createClient({ baseUrl: `http://127.0.0.1:${port}`, accessToken: 'token-of-the-test' });
    try {
      expect(await sdk.commercial.licenses.deployment.list().toArray()).toEqual([]);
    } finally {
      await sdk.close();
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('runaway reads end with a clear error', () => {
  it('a server that ignores skip: the repeated page stops the read', async () => {
    world.set({ rows: 50, cap: 10, style: 'relative', ignoreSkip: true });
    const { sdk } = client({ concurrency: 4 });
    const error = await failureOf(sdk.commercial.licenses.deployment.list().toArray());
    expect(isPartnerCenterError(error) && error.code).toBe('PAGING');
    expect((error as Error).message).toMatch(/repeats an earlier page/);
    expect(world.received.length).toBeLessThan(20);
    await sdk.close();
  });

  it('links that change on every page over empty pages: the page limit stops the read, and can be raised', async () => {
    // skip never advances past 5 (empty pages), yet every link is new: only the page limit ends it.
    world.set({ rows: 10, cap: (skip) => (skip >= 5 ? 0 : 5), style: 'relative', nonce: true });
    const { sdk } = client({ concurrency: 1, maxPages: 30 });
    const error = await failureOf(sdk.commercial.licenses.deployment.list().toArray());
    expect(isPartnerCenterError(error) && error.code).toBe('PAGING');
    expect((error as Error).message).toMatch(
      /after 30 pages .*Raise the page limit \(maxPages, --max-pages\)/,
    );
    expect(world.received.filter((url) => url.includes('&n='))).toHaveLength(29);
    await sdk.close();
    // A real result longer than the limit reads in full once the limit is raised.
    world.set({ rows: 40, cap: 1, style: 'relative' });
    const small = client({ concurrency: 1, maxPages: 30 });
    expect(
      isPartnerCenterError(await failureOf(small.sdk.commercial.licenses.deployment.list().toArray())),
    ).toBe(true);
    await small.sdk.close();
    world.set({ rows: 40, cap: 1, style: 'relative' });
    const raised = client({ concurrency: 4, maxPages: 100 });
    expect(await raised.sdk.commercial.licenses.deployment.list().toArray()).toHaveLength(40);
    await raised.sdk.close();
  });

  it('a link seen twice is an error, not a loop', async () => {
    world.set({ rows: 10, cap: (skip) => (skip >= 5 ? 0 : 5), style: 'relative' });
    const { sdk } = client({ concurrency: 1 });
    const error = await failureOf(sdk.commercial.licenses.deployment.list().toArray());
    expect(isPartnerCenterError(error) && error.code).toBe('PAGING');
    expect((error as Error).message).toMatch(/already read/);
    expect(world.received).toHaveLength(2);
    await sdk.close();
  });

  it('clearly more rows than TotalCount stops the read', async () => {
    world.set({ rows: 1000, cap: 10, style: 'relative', totalCount: 100 });
    const { sdk } = client({ concurrency: 2 });
    const error = await failureOf(sdk.commercial.licenses.deployment.list().toArray());
    expect(isPartnerCenterError(error) && error.code).toBe('PAGING');
    expect((error as Error).message).toMatch(/clearly more than its TotalCount of 100/);
    expect(world.received.length).toBeLessThan(20);
    await sdk.close();
  });
});

describe('property: for random page caps, link styles and fault schedules the SDK yields the reference rows', () => {
  it('holds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          rows: fc.integer({ min: 0, max: 120 }),
          caps: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
          style: fc.constantFrom<LinkStyle>(
            'absolute',
            'relative',
            'relative-raw',
            'root-relative',
            'opaque',
          ),
          pageSize: fc.integer({ min: 1, max: 50 }),
          concurrency: fc.integer({ min: 1, max: 8 }),
          faults: fc.array(
            fc.tuple(
              fc.integer({ min: 0, max: 30 }),
              fc.constantFrom<'503' | '429' | 'reset' | 'short'>('503', '429', 'reset', 'short'),
            ),
            { maxLength: 4 },
          ),
        }),
        async ({ rows, caps, style, pageSize, concurrency, faults }) => {
          const cap = (skip: number) => caps[Math.floor(skip / 7) % caps.length]!;
          const clean: WorldOptions = { rows, cap, style };
          world.set(clean);
          const expected = await referenceRows(world.url, `top=${pageSize}`);
          const schedule = new Map(faults);
          // 'short' changes the data's paging (a shorter page with a link), so the reference reads it too.
          const shortOnly = new Map([...schedule].filter(([, fault]) => fault === 'short'));
          world.set({ ...clean, fault: (number) => schedule.get(number) });
          const { sdk } = client({ concurrency, pageSize });
          try {
            const got = await sdk.commercial.licenses.deployment.list().toArray();
            if (shortOnly.size === 0) expect(names(got)).toEqual(names(expected));
            else {
              // A short page shifts where pages start, never which rows exist: every row once, in order.
              expect(names(got)).toEqual(Array.from({ length: rows }, (_, index) => `Customer ${index}`));
            }
          } finally {
            await sdk.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 240_000);
});

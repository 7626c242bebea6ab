import { createClient } from '@pc/analytics';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHistoryError, openHistory } from '../src/index.js';
import { describeHistorySuite, type SuiteContext, startSuiteMock } from './fixtures/historySuite.js';
import { startTestPostgres, type TestPostgres } from './fixtures/postgres.js';

// One PostgreSQL server for the whole file (startup costs seconds), a fresh database per suite.
let server: TestPostgres | undefined;
let context: SuiteContext | undefined;
const ready = (async () => {
  server = await startTestPostgres();
  context = await startSuiteMock();
  return { server, context };
})();

afterAll(async () => {
  await context?.client.close();
  await context?.mock.close();
  await server?.stop();
}, 60_000);

describeHistorySuite('postgres', async () => {
  const started = await ready;
  return { url: await started.server.createDatabase(), context: started.context };
});

describe('postgres: teams', { timeout: 300_000 }, () => {
  let url: string;
  let started: Awaited<typeof ready>;
  beforeAll(async () => {
    started = await ready;
    url = await started.server.createDatabase();
  }, 300_000);

  it('applies versioned migrations once, on first use, even when two machines start at once', async () => {
    const [a, b] = await Promise.all([openHistory(url), openHistory(url)]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const applied = await client.query('SELECT version, name FROM pc_history_migrations ORDER BY version');
    expect(applied.rows).toEqual([{ version: '1', name: 'snapshots with validity spans' }]);
    expect(await a.migrate()).toEqual({ from: 1, to: 1, applied: [] });
    await client.end();
    await Promise.all([a.close(), b.close()]);
  });

  it('two syncs of the same day at once store it once', async () => {
    const [a, b] = await Promise.all([openHistory(url), openHistory(url)]);
    const clientB = createClient({
      baseUrl: started.context.mock.url,
      accessToken: started.context.mock.issueToken(),
      pageSize: 500,
    });
    const day = '2026-11-01';
    const [first, second] = await Promise.all([
      a.sync(started.context.client, { processedDateTime: day }),
      b.sync(clientB, { processedDateTime: day }),
    ]);
    expect([first.status, second.status].sort()).toEqual(['stored', 'unchanged']);
    const listed = (await a.list()).filter((entry) => entry.date === day);
    expect(listed.length).toBeGreaterThan(0);
    const downloaded = await started.context.client
      .list('commercialLicenseDeployment', { processedDateTime: day })
      .toArray();
    expect((await b.snapshot(day).toArray()).map((row) => JSON.stringify(row))).toEqual(
      downloaded.map((row) => JSON.stringify(row)),
    );
    await clientB.close();
    await Promise.all([a.close(), b.close()]);
  });

  it('a reader never sees half a sync: nothing of a day shows until its transaction commits', async () => {
    const writer = await openHistory(url);
    const reader = await openHistory(url);
    const day = '2026-11-02';
    const seen: number[] = [];
    await writer.sync(started.context.client, {
      processedDateTime: day,
      onEvent: async (event) => {
        if (event.type !== 'merged') return;
        // inside the writer's transaction, every row merged but not committed
        seen.push((await reader.list()).filter((entry) => entry.date === day).length);
        await expect(reader.snapshot(day).toArray()).rejects.toThrow(/holds no/);
      },
    });
    expect(seen).toEqual([0]);
    expect((await reader.list()).filter((entry) => entry.date === day).length).toBeGreaterThan(0);
    await Promise.all([writer.close(), reader.close()]);
  });

  it('names the server and masks the password when it cannot connect', async () => {
    const bad = url.replace(/:[^:@/]+@/, ':wrong-password@');
    const error = await openHistory(bad).catch((caught: unknown) => caught);
    expect(isHistoryError(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/cannot connect to postgres:\/\/pc:\*\*\*@127\.0\.0\.1/);
    expect(String((error as Error).message)).not.toContain('wrong-password');
  });
});

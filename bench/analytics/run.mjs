#!/usr/bin/env node
// @pc/analytics paging and insights against the mock (in-process, loopback, with added latency):
// - the same read at concurrency 1, 2, 4 and 8: wall time, rows, a checksum (equal at every level),
//   and the heap high-water mark, which stays near (concurrency + 1) pages whatever the total;
// - the unused-licenses insight streamed and aggregated locally vs grouped by the server.
// Usage: pnpm --filter "@pc/analytics..." build && pnpm --filter @pc/mock build && node --expose-gc bench/analytics/run.mjs
import { createClient } from '../../packages/analytics/dist/index.js';
import { startMockServer } from '../../apps/mock/dist/index.js';
import { printTable } from '../lib/measure.mjs';

const customers = Number(process.env.BENCH_CUSTOMERS ?? 4000);
const pageSize = Number(process.env.BENCH_PAGE_SIZE ?? 2000);
const latency = process.env.BENCH_LATENCY ?? '20-40';

const mock = await startMockServer({ port: 0, customers, latency, quiet: true });
const token = mock.issueToken();

function heapSampler() {
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().heapUsed);
    },
  };
}

async function read(concurrency) {
  const client = createClient({ baseUrl: mock.url, accessToken: token, pageSize, concurrency });
  globalThis.gc?.();
  const base = process.memoryUsage().heapUsed;
  const sampler = heapSampler();
  const start = performance.now();
  let rows = 0;
  let checksum = 0;
  for await (const row of client.commercial.licenses.deployment.list()) {
    rows += 1;
    checksum = (checksum * 31 + row.licensesSold * 7 + row.licensesDeployed) % 1_000_000_007;
  }
  const ms = performance.now() - start;
  const peak = sampler.stop();
  await client.close();
  return {
    concurrency,
    rows,
    checksum,
    ms: Math.round(ms),
    'heap peak over base (MB)': ((peak - base) / 2 ** 20).toFixed(1),
  };
}

const reads = [];
for (const concurrency of [1, 2, 4, 8]) reads.push(await read(concurrency));
printTable(`Reading E2 (${customers} customers, page size ${pageSize}, latency ${latency} ms)`, reads);
if (new Set(reads.map((entry) => `${entry.rows}/${entry.checksum}`)).size !== 1) {
  console.error('bench/analytics: the reads differ!');
  process.exitCode = 1;
}

const insights = [];
for (const serverGroupby of [false, true]) {
  const client = createClient({ baseUrl: mock.url, accessToken: token, pageSize });
  const start = performance.now();
  const result = await client.insights.unusedLicenses({ serverGroupby });
  insights.push({
    mode: serverGroupby ? 'server groupby' : 'local aggregation',
    'rows read': result.meta.rowsRead,
    groups: result.meta.groups,
    ms: Math.round(performance.now() - start),
  });
  await client.close();
}
printTable('unused-licenses', insights);
await mock.close();

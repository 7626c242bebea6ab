#!/usr/bin/env node
// End-to-end benchmark: what a user feels, from the wire to rows. Starts the mock with 100000
// customers (about 10^6 commercial deployment rows) in its own process and measures, alternating
// the variants over several rounds and reporting medians:
//   1. the limit: bare undici.request + JSON.parse following @nextLink, no validation;
//   2. the hand-written peer: fetch + res.json(), rows collected, then written as JSON;
//   3. the SDK, sequential and with concurrency 4;
//   4. the CLI: `pc licenses deployment -o ndjson` and `-o csv` to /dev/null;
//   5. the SDK against a mock with 200 ms latency per page, concurrency 1, 4 and 8.
// Each client runs in a fresh process, so its peak RSS is its own; every variant is timed from
// spawn to exit (start-up included), the CLI's re-executed child included in its time and RSS.
// Usage: pnpm build && node bench/e2e/run.mjs   (BENCH_ROUNDS=3, BENCH_CUSTOMERS=100000)
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { median, printTable } from '../lib/measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const customers = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const latencyCustomers = Number(process.env.BENCH_LATENCY_CUSTOMERS ?? 20_000);
const work = mkdtempSync(join(tmpdir(), 'pc-bench-e2e-'));
const children = new Set();

function startMock(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'apps/mock/bin/pc-mock.js'), '--port', '0', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.add(child);
    const startedAt = performance.now();
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      const match = /^pc-mock listening on (http:\/\/\S+)$/.exec(line);
      if (match === null) reject(new Error(`unexpected first line from pc-mock: ${line}`));
      else resolve({ url: match[1], child, startMs: performance.now() - startedAt });
    });
    child.once('exit', (code) => reject(new Error(`pc-mock exited with ${code}`)));
  });
}

async function tokenFor(url) {
  const form = new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: 'mock-client-id',
    client_secret: 'mock-client-secret',
    refresh_token: 'mock-refresh-token',
    resource: 'https://api.partnercenter.microsoft.com',
  });
  const response = await fetch(`${url}/common/oauth2/token`, { method: 'POST', body: form });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  return (await response.json()).access_token;
}

function runProcess(command, args, env, stdoutTo) {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const stdout = stdoutTo === undefined ? 'pipe' : openSync(stdoutTo, 'w');
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', stdout, 'inherit'],
    });
    children.add(child);
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => {
      children.delete(child);
      if (code === 0) resolve({ output, ms: performance.now() - startedAt });
      else reject(new Error(`${args.join(' ')} exited with ${code}`));
    });
  });
}

async function client(name, env) {
  const { output, ms } = await runProcess(process.execPath, [join(here, 'clients', `${name}.mjs`)], env);
  // Wall time from spawn to exit, as for the CLI: every variant pays its process start-up and
  // module loading (the client's own figure, `inProcessMs`, leaves them out).
  const result = JSON.parse(output.trim().split('\n').pop());
  return { ...result, inProcessMs: result.ms, ms };
}

async function cli(format, env, top) {
  const rssFile = join(work, `rss-${format}-${Math.random().toString(36).slice(2)}`);
  const args = [
    join(root, 'apps/cli/bin/pc.js'),
    'licenses',
    'deployment',
    '-o',
    format,
    '--no-progress',
    '--quiet',
  ];
  if (top !== undefined) args.push('--top', String(top));
  const { ms } = await runProcess(
    process.execPath,
    args,
    {
      PC_BASE_URL: env.BENCH_URL,
      PC_ACCESS_TOKEN: env.BENCH_TOKEN,
      PC_CONFIG_DIR: work,
      BENCH_RSS_FILE: rssFile,
      NODE_OPTIONS: `--require ${join(here, 'rssReport.cjs')}`,
    },
    '/dev/null',
  );
  // Every Node process of the run appends its peak (a re-executed child too): report the largest.
  const rssMB = Math.max(...readFileSync(rssFile, 'utf8').trim().split('\n').map(Number));
  return { rows: top ?? null, ms, rssMB };
}

function summarize(samples) {
  return {
    rows: samples[0].rows,
    ms: median(samples.map((sample) => sample.ms)),
    rssMB: Math.max(...samples.map((sample) => sample.rssMB)),
  };
}

async function measure(variants) {
  const samples = new Map(variants.map((variant) => [variant.name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) {
      const sample = await variant.run();
      samples.get(variant.name).push(sample);
      console.error(
        `  round ${round + 1}/${rounds} ${variant.name}: ${(sample.ms / 1000).toFixed(2)} s, ${sample.rssMB.toFixed(0)} MB`,
      );
    }
  }
  return new Map([...samples].map(([name, list]) => [name, summarize(list)]));
}

const cleanup = () => {
  for (const child of children) child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
};
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

try {
  console.error(`starting pc-mock with ${customers} customers...`);
  const mock = await startMock(['--customers', String(customers), '--seed', '1']);
  const env = { BENCH_URL: mock.url, BENCH_TOKEN: await tokenFor(mock.url) };
  console.error(`pc-mock ready in ${(mock.startMs / 1000).toFixed(1)} s at ${mock.url}`);
  const totalRows = (await client('limit', env)).rows;
  const small = Math.round(totalRows / 10);

  const full = await measure([
    { name: '1. limit: undici.request + JSON.parse', run: () => client('limit', env) },
    { name: '2. peer: fetch + res.json(), collect, write', run: () => client('fetch', env) },
    { name: '3. SDK sequential', run: () => client('sdk', { ...env, BENCH_CONCURRENCY: '1' }) },
    { name: '3. SDK concurrency 4', run: () => client('sdk', { ...env, BENCH_CONCURRENCY: '4' }) },
    { name: '4. CLI -o ndjson', run: () => cli('ndjson', env) },
    { name: '4. CLI -o csv', run: () => cli('csv', env) },
  ]);
  const limit = full.get('1. limit: undici.request + JSON.parse');
  printTable(
    `Full read: ${totalRows.toLocaleString('en-US')} commercial deployment rows (${customers.toLocaleString('en-US')} customers), median of ${rounds} rounds`,
    [...full].map(([name, result]) => ({
      variant: name,
      'wall s': (result.ms / 1000).toFixed(2),
      'rows/s': Math.round(totalRows / (result.ms / 1000)).toLocaleString('en-US'),
      'peak RSS MB': result.rssMB.toFixed(0),
      'time vs (1)': `${(result.ms / limit.ms).toFixed(2)}x`,
    })),
  );

  const flat = await measure([
    {
      name: 'SDK sequential',
      run: () => client('sdk', { ...env, BENCH_CONCURRENCY: '1', BENCH_MAX_ROWS: String(small) }),
    },
    { name: 'CLI -o ndjson', run: () => cli('ndjson', env, small) },
  ]);
  printTable(
    'Peak RSS as the row count grows (flat means streaming)',
    ['SDK sequential', 'CLI -o ndjson'].map((name) => ({
      variant: name,
      [`RSS MB at ${small.toLocaleString('en-US')} rows`]: flat.get(name).rssMB.toFixed(0),
      [`RSS MB at ${totalRows.toLocaleString('en-US')} rows`]: full
        .get(name.startsWith('SDK') ? '3. SDK sequential' : '4. CLI -o ndjson')
        .rssMB.toFixed(0),
    })),
  );
  mock.child.kill('SIGTERM');

  console.error(`starting pc-mock with ${latencyCustomers} customers and 200 ms latency...`);
  const slow = await startMock(['--customers', String(latencyCustomers), '--seed', '1', '--latency', '200']);
  const slowEnv = { BENCH_URL: slow.url, BENCH_TOKEN: await tokenFor(slow.url) };
  // SDK against SDK: the same start-up on both sides, so the paging itself is compared (in-process time).
  const latency = await measure(
    [1, 4, 8].map((concurrency) => ({
      name: `SDK concurrency ${concurrency}`,
      run: async () => {
        const result = await client('sdk', { ...slowEnv, BENCH_CONCURRENCY: String(concurrency) });
        return { ...result, ms: result.inProcessMs };
      },
    })),
  );
  const sequential = latency.get('SDK concurrency 1');
  printTable(
    `200 ms latency per page: ${sequential.rows.toLocaleString('en-US')} rows (${latencyCustomers.toLocaleString('en-US')} customers)`,
    [...latency].map(([name, result]) => ({
      variant: name,
      'wall s': (result.ms / 1000).toFixed(2),
      'speed-up vs sequential': `${(sequential.ms / result.ms).toFixed(2)}x`,
    })),
  );
  slow.child.kill('SIGTERM');

  const sdk = full.get('3. SDK sequential');
  const ndjson = full.get('4. CLI -o ndjson');
  const peer = full.get('2. peer: fetch + res.json(), collect, write');
  const peakRss = Math.max(
    ...['3. SDK sequential', '3. SDK concurrency 4', '4. CLI -o ndjson', '4. CLI -o csv'].map(
      (name) => full.get(name).rssMB,
    ),
  );
  printTable('Targets', [
    {
      target: 'SDK sequential within 1.3x of (1)',
      measured: `${(sdk.ms / limit.ms).toFixed(2)}x`,
      met: sdk.ms / limit.ms <= 1.3 ? 'yes' : 'no',
    },
    {
      target: 'CLI ndjson within 1.6x of (1)',
      measured: `${(ndjson.ms / limit.ms).toFixed(2)}x`,
      met: ndjson.ms / limit.ms <= 1.6 ? 'yes' : 'no',
    },
    {
      target: 'SDK faster than (2)',
      measured: `${(peer.ms / sdk.ms).toFixed(2)}x faster`,
      met: sdk.ms < peer.ms ? 'yes' : 'no',
    },
    {
      target: 'Peak RSS of SDK (sequential and concurrency 4) and CLI under 200 MB',
      measured: `${peakRss.toFixed(0)} MB`,
      met: peakRss < 200 ? 'yes' : 'no',
    },
    {
      target: 'With 200 ms latency, concurrency 4 at least 3x sequential',
      measured: `${(sequential.ms / latency.get('SDK concurrency 4').ms).toFixed(2)}x`,
      met: sequential.ms / latency.get('SDK concurrency 4').ms >= 3 ? 'yes' : 'no',
    },
  ]);
} finally {
  cleanup();
}

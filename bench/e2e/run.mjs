#!/usr/bin/env node
// End-to-end benchmark: what a user feels, from the wire to rows. Starts the mock with 100000
// customers (about 10^6 commercial deployment rows) in its own process and measures, alternating
// the variants over several rounds and reporting medians:
//   1. the limit: bare undici.request + JSON.parse following @nextLink, no validation;
//   2. (the hand-written fetch peer, bench/e2e/clients/fetch.mjs, is no longer run: it kept the run long);
//   3. the SDK, sequential and with concurrency 4;
//   4. the CLI: `pc licenses deployment -o ndjson` and `-o csv` into a file (stdout redirected),
//      into a pipe (`pc ... | cat > file`) and with `--out file` (issue 17's targets);
//   5. 10^5 rows (`--top`), start-up included, against the limit reading as many;
//   6. the SDK against a mock with 200 ms latency per page, concurrency 1, 4 and 8.
// Each client runs in a fresh process, so its peak RSS is its own; every variant is timed from
// spawn to exit (start-up included). Prints each ratio with its target and min/median/max.
// Usage: pnpm build && node bench/e2e/run.mjs   (BENCH_ROUNDS=5, BENCH_CUSTOMERS=100000,
// BENCH_NODE=/path/to/node to run the clients and the CLI on another Node)
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir, uptime } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { median, printTable } from '../lib/measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const nodeBin = process.env.BENCH_NODE ?? process.execPath;
const pcBin = join(root, 'apps/cli/bin/pc.js');
const customers = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const latencyCustomers = Number(process.env.BENCH_LATENCY_CUSTOMERS ?? 20_000);
const work = mkdtempSync(join(tmpdir(), 'pc-bench-e2e-'));
const children = new Set();

/** What `uptime` prints: how long up and the load averages (the machine is shared). */
function uptimeText() {
  const load = loadavg().map((value) => value.toFixed(2));
  return `up ${(uptime() / 3600).toFixed(1)} h, load average: ${load.join(', ')}`;
}

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
  const { output, ms } = await runProcess(nodeBin, [join(here, 'clients', `${name}.mjs`)], env);
  // Wall time from spawn to exit, as for the CLI: every variant pays its process start-up and
  // module loading (the client's own figure, `inProcessMs`, leaves them out).
  const result = JSON.parse(output.trim().split('\n').pop());
  return { ...result, inProcessMs: result.ms, ms };
}

/**
 * One `pc licenses deployment -o <format>` run, timed from spawn to exit. `to` is where the rows
 * go: `file` (stdout redirected to a file), `pipe` (`pc ... | cat > file`, through a shell) or
 * `out` (`--out file`). Peak RSS is the pc process's own (ru_maxrss, reported on exit).
 */
async function cli(format, to, env, top) {
  const tag = Math.random().toString(36).slice(2);
  const rssFile = join(work, `rss-${tag}`);
  const target = join(work, `rows-${tag}.${format}`);
  const args = [pcBin, 'licenses', 'deployment', '-o', format, '--no-progress', '--quiet'];
  if (top !== undefined) args.push('--top', String(top));
  if (to === 'out') args.push('--out', target);
  const pcEnv = {
    PC_BASE_URL: env.BENCH_URL,
    PC_ACCESS_TOKEN: env.BENCH_TOKEN,
    PC_CONFIG_DIR: work,
    BENCH_RSS_FILE: rssFile,
    NODE_OPTIONS: `--require ${join(here, 'rssReport.cjs')}`,
  };
  const quote = (text) => `'${text.replaceAll("'", "'\\''")}'`;
  const { ms } =
    to === 'pipe'
      ? await runProcess(
          '/bin/sh',
          ['-c', `${[nodeBin, ...args].map(quote).join(' ')} | cat > ${quote(target)}`],
          pcEnv,
        )
      : await runProcess(nodeBin, args, pcEnv, to === 'file' ? target : '/dev/null');
  const rssMB = Math.max(...readFileSync(rssFile, 'utf8').trim().split('\n').map(Number));
  rmSync(target, { force: true });
  return { rows: top ?? null, ms, rssMB };
}

function summarize(samples) {
  const times = samples.map((sample) => sample.ms);
  return {
    rows: samples[0].rows,
    ms: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
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

/** A ratio line of the targets table: median, min and max of the variant over the baseline's median. */
function ratioRow(target, result, baseline, bound, kind = 'at most') {
  const ratio = result.ms / baseline.ms;
  return {
    target,
    'median ratio': `${ratio.toFixed(2)}x`,
    'min-max ratio': `${(result.minMs / baseline.ms).toFixed(2)}-${(result.maxMs / baseline.ms).toFixed(2)}x`,
    bound: `${kind} ${bound.toFixed(2)}x`,
    met: (kind === 'at most' ? ratio <= bound : ratio >= bound) ? 'yes' : 'NO',
  };
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
  const runtime = (await runProcess(nodeBin, ['-p', 'process.version'], {})).output.trim();
  console.error(`${totalRows} rows, node ${runtime}, ${rounds} rounds; uptime: ${uptimeText()}`);

  const limitName = '1. limit: undici.request + JSON.parse';
  const cliVariants = ['ndjson', 'csv'].flatMap((format) =>
    ['file', 'pipe', 'out'].map((to) => ({
      name: `4. CLI -o ${format} ${to === 'file' ? '> file' : to === 'pipe' ? 'piped to cat > file' : '--out file'}`,
      format,
      to,
    })),
  );
  const full = await measure([
    { name: limitName, run: () => client('limit', env) },
    { name: '3. SDK sequential', run: () => client('sdk', { ...env, BENCH_CONCURRENCY: '1' }) },
    { name: '3. SDK concurrency 4', run: () => client('sdk', { ...env, BENCH_CONCURRENCY: '4' }) },
    ...cliVariants.map((variant) => ({
      name: variant.name,
      run: () => cli(variant.format, variant.to, env),
    })),
  ]);
  const limit = full.get(limitName);
  printTable(
    `Full read: ${totalRows.toLocaleString('en-US')} commercial deployment rows (${customers.toLocaleString('en-US')} customers), ${rounds} rounds alternating, Node ${runtime}`,
    [...full].map(([name, result]) => ({
      variant: name,
      'median s': (result.ms / 1000).toFixed(2),
      'min-max s': `${(result.minMs / 1000).toFixed(2)}-${(result.maxMs / 1000).toFixed(2)}`,
      'rows/s': Math.round(totalRows / (result.ms / 1000)).toLocaleString('en-US'),
      'peak RSS MB': result.rssMB.toFixed(0),
      'time vs (1)': `${(result.ms / limit.ms).toFixed(2)}x`,
      'RSS vs (1)': `${(result.rssMB / limit.rssMB).toFixed(2)}x`,
    })),
  );

  const smallLimitName = `5. limit, ${small.toLocaleString('en-US')} rows`;
  const smallCliName = `5. CLI -o ndjson > file, ${small.toLocaleString('en-US')} rows`;
  const partial = await measure([
    { name: smallLimitName, run: () => client('limit', { ...env, BENCH_MAX_ROWS: String(small) }) },
    { name: smallCliName, run: () => cli('ndjson', 'file', env, small) },
  ]);
  printTable(
    `${small.toLocaleString('en-US')} rows, start-up included, ${rounds} rounds alternating`,
    [...partial].map(([name, result]) => ({
      variant: name,
      'median s': (result.ms / 1000).toFixed(2),
      'min-max s': `${(result.minMs / 1000).toFixed(2)}-${(result.maxMs / 1000).toFixed(2)}`,
      'peak RSS MB': result.rssMB.toFixed(0),
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
  const sdk4 = full.get('3. SDK concurrency 4');
  const cliPeak = Math.max(...cliVariants.map((variant) => full.get(variant.name).rssMB));
  const smallCli = partial.get(smallCliName);
  const rssRow = (target, measured, bound) => ({
    target,
    'median ratio': `${measured.toFixed(2)}x`,
    'min-max ratio': '(peak of all rounds)',
    bound: `at most ${bound.toFixed(2)}x`,
    met: measured <= bound ? 'yes' : 'NO',
  });
  printTable(`Targets (issue 17), ratios of medians in this run; uptime at the end: ${uptimeText()}`, [
    ...cliVariants.map((variant) => ratioRow(`${variant.name} vs (1)`, full.get(variant.name), limit, 1.3)),
    ratioRow(`${smallCliName} vs ${smallLimitName}`, smallCli, partial.get(smallLimitName), 1.5),
    rssRow('Peak RSS of every CLI run vs (1)', cliPeak / limit.rssMB, 1.1),
    rssRow(
      `CLI peak RSS at ${totalRows.toLocaleString('en-US')} vs ${small.toLocaleString('en-US')} rows (flat)`,
      full.get(cliVariants[0].name).rssMB / smallCli.rssMB,
      1.1,
    ),
    ratioRow('SDK sequential vs (1)', sdk, limit, 1.1),
    ratioRow('SDK concurrency 4 vs (1)', sdk4, limit, 0.9),
    ratioRow(
      'With 200 ms latency, concurrency 4 vs sequential (speed-up)',
      { ms: sequential.ms, minMs: sequential.ms, maxMs: sequential.ms },
      latency.get('SDK concurrency 4'),
      3,
      'at least',
    ),
  ]);
} finally {
  cleanup();
}

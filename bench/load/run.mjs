// bench/load: two questions about the mock and the CLI under stress (issue "Hardening").
//
// 1. Can 200 concurrent connections push the mock over? For LOAD_SECONDS (default 20) seconds,
//    200 keep-alive connections each request one E2 page after another. Printed: requests/s,
//    p50/p99 latency, statuses, and the mock's RSS before, at the end (VmRSS) and its peak (VmHWM),
//    then whether it still answers a plain request afterwards.
// 2. Is a download under `429=0.2,503=0.1,reset=0.05,truncate=0.05` byte-identical to a clean one
//    at concurrency 1, 4 and 8, in every run? `pc licenses deployment -o csv --out FILE` against a
//    clean mock and a faulty mock of the same seed; RUNS (default 3) runs per concurrency; the
//    SHA-256 of each file is compared with the clean file's. Printed per run: exit code, identical
//    or not, faults the mock injected (its journal), and wall time.
//
// Nothing is asserted: read the tables. The mock README quotes a run (`node bench/load/run.mjs`).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Pool, request } from 'undici';
import { median, printTable } from '../lib/measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const mockBin = join(root, 'apps/mock/bin/pc-mock.js');
const pcBin = join(root, 'apps/cli/bin/pc.js');
const loadSeconds = Number(process.env.LOAD_SECONDS ?? 20);
const connections = Number(process.env.LOAD_CONNECTIONS ?? 200);
const runs = Number(process.env.RUNS ?? 3);
const customers = Number(process.env.BENCH_CUSTOMERS ?? 2000);
const faultSpec = '429=0.2,503=0.1,reset=0.05,truncate=0.05';
const work = mkdtempSync(join(tmpdir(), 'pc-bench-load-'));
const children = new Set();

function startMock(args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [mockBin, '--port', '0', '--quiet', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.add(child);
    child.once('exit', (code) => reject(new Error(`pc-mock exited with ${code} before listening`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      const match = /^pc-mock listening on (\S+)$/.exec(line);
      if (match === null) reject(new Error(`unexpected first line from pc-mock: ${line}`));
      else resolvePromise({ url: match[1], child });
    });
  });
}

function stop(child) {
  children.delete(child);
  child.kill('SIGTERM');
}

function memoryMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN) / 1024;
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

async function token(url) {
  const answer = await request(`${url}/_mock/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  return (await answer.body.json()).access_token;
}

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

async function loadTest() {
  const { url, child } = await startMock(['--customers', '1000']);
  try {
    const auth = { authorization: `Bearer ${await token(url)}` };
    const path = '/partner/v1/analytics/commercial/deployment/license?top=100';
    // Warm up: the customer table is built after the listening line.
    await (await request(`${url}${path}`, { headers: auth })).body.dump();
    const before = memoryMb(child.pid);
    const pool = new Pool(url, { connections, pipelining: 1 });
    const latencies = [];
    const statuses = new Map();
    let errors = 0;
    const deadline = Date.now() + loadSeconds * 1000;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (Date.now() < deadline) {
          const sent = process.hrtime.bigint();
          try {
            const answer = await pool.request({ path, method: 'GET', headers: auth });
            await answer.body.dump();
            statuses.set(answer.statusCode, (statuses.get(answer.statusCode) ?? 0) + 1);
            latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
          } catch {
            errors++;
          }
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await pool.close();
    const after = memoryMb(child.pid);
    const probe = await request(`${url}${path}`, { headers: auth });
    await probe.body.dump();
    latencies.sort((a, b) => a - b);
    printTable(`Mock under ${connections} concurrent connections for ${loadSeconds} s (E2, top=100)`, [
      {
        requests: latencies.length,
        'requests/s': Math.round(latencies.length / seconds),
        'p50 ms': percentile(latencies, 0.5).toFixed(1),
        'p99 ms': percentile(latencies, 0.99).toFixed(1),
        statuses: [...statuses].map(([status, count]) => `${status}×${count}`).join(' '),
        'client errors': errors,
        'RSS before MB': before.rss.toFixed(0),
        'RSS after MB': after.rss.toFixed(0),
        'peak RSS MB': after.peak.toFixed(0),
        'answers afterwards': probe.statusCode,
      },
    ]);
  } finally {
    stop(child);
  }
}

function runPc(url, accessToken, args) {
  return new Promise((resolvePromise) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [pcBin, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, PC_BASE_URL: url, PC_ACCESS_TOKEN: accessToken, PC_CONFIG_DIR: work },
    });
    children.add(child);
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => {
      children.delete(child);
      resolvePromise({ code, stderr, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    });
  });
}

function sha256(path) {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return 'missing';
  }
}

async function faultyDownloads() {
  const common = ['--customers', String(customers), '--seed', '1'];
  const clean = await startMock(common);
  const faulty = await startMock([...common, '--faults', faultSpec, '--fault-seed', '11']);
  try {
    const args = (out, concurrency) => [
      'licenses',
      'deployment',
      '-o',
      'csv',
      '--page-size',
      '500',
      '--concurrency',
      String(concurrency),
      '--retries',
      '30',
      '--out',
      out,
    ];
    const reference = join(work, 'clean.csv');
    const cleanRun = await runPc(clean.url, await token(clean.url), args(reference, 1));
    if (cleanRun.code !== 0) throw new Error(`clean download failed (${cleanRun.code}): ${cleanRun.stderr}`);
    const expected = sha256(reference);
    const rows = readFileSync(reference, 'utf8').split('\r\n').filter(Boolean).length - 1;
    const faultyToken = await token(faulty.url);
    const table = [];
    const summary = [];
    // Alternate the concurrencies run by run, so a slow spell of the machine hits all of them.
    const byConcurrency = new Map([1, 4, 8].map((concurrency) => [concurrency, []]));
    for (let run = 1; run <= runs; run++) {
      for (const concurrency of byConcurrency.keys()) {
        await request(`${faulty.url}/_mock/journal`, { method: 'DELETE' }).then((a) => a.body.dump());
        const out = join(work, `faulty-${concurrency}-${run}.csv`);
        const result = await runPc(faulty.url, faultyToken, args(out, concurrency));
        const journal = await (await request(`${faulty.url}/_mock/journal`)).body.json();
        const faults = new Map();
        for (const entry of journal.entries) {
          if (entry.fault === undefined) continue;
          const kind = String(entry.fault).split(';')[0];
          faults.set(kind, (faults.get(kind) ?? 0) + 1);
        }
        const identical = sha256(out) === expected;
        byConcurrency.get(concurrency).push({ identical, code: result.code, ms: result.ms });
        table.push({
          concurrency,
          run,
          exit: result.code,
          identical: identical ? 'yes' : 'NO',
          requests: journal.entries.length,
          'faults injected': [...faults].map(([name, count]) => `${name}×${count}`).join(' ') || 'none',
          'wall s': (result.ms / 1000).toFixed(1),
          ...(result.code === 0 ? {} : { error: result.stderr.trim().split('\n')[0] }),
        });
        rmSync(out, { force: true });
      }
    }
    printTable(
      `Download of ${rows} E2 rows under ${faultSpec} (pc -o csv --out, page size 500, --retries 30)`,
      table,
    );
    for (const [concurrency, results] of byConcurrency) {
      summary.push({
        concurrency,
        runs: results.length,
        'byte-identical': `${results.filter((result) => result.identical).length}/${results.length}`,
        'exit 0': `${results.filter((result) => result.code === 0).length}/${results.length}`,
        'median wall s': (median(results.map((result) => result.ms)) / 1000).toFixed(1),
      });
    }
    printTable('Summary per concurrency', summary);
  } finally {
    stop(clean.child);
    stop(faulty.child);
  }
}

try {
  console.log(
    `Load average at start: ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')}\n`,
  );
  await loadTest();
  await faultyDownloads();
  console.log(
    `Load average at end: ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')}`,
  );
} finally {
  for (const child of children) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
}

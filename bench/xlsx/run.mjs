// bench/xlsx: peak RSS and time of `pc licenses deployment -o xlsx --out FILE` (exceljs's streaming
// workbook writer) against `-o csv --out FILE` (the baseline: plain text, same rows, same process),
// at 10^4, 10^5 and every row of a mock with BENCH_CUSTOMERS customers (default 100000, about
// 10^6 rows). The claim measured: the workbook is written in constant memory, so its peak RSS stays
// near the csv run's as the rows grow a hundredfold. Not asserted anywhere: read the table.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { printTable } from '../lib/measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const customers = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const work = mkdtempSync(join(tmpdir(), 'pc-bench-xlsx-'));
const children = new Set();

function startMock() {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(root, 'apps/mock/bin/pc-mock.js'),
        '--port',
        '0',
        '--customers',
        String(customers),
        '--seed',
        '1',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.add(child);
    createInterface({ input: child.stdout }).once('line', (line) => {
      const match = /^pc-mock listening on (http:\/\/\S+)$/.exec(line);
      if (match === null) reject(new Error(`unexpected first line from pc-mock: ${line}`));
      else resolvePromise({ url: match[1], child });
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

function run(format, top, env) {
  const out = join(work, `out-${format}-${top ?? 'all'}.${format}`);
  const rssFile = join(work, `rss-${format}-${top ?? 'all'}`);
  const args = [
    join(root, 'apps/cli/bin/pc.js'),
    'licenses',
    'deployment',
    '-o',
    format,
    '--out',
    out,
    '--quiet',
  ];
  if (top !== undefined) args.push('--top', String(top));
  return new Promise((resolvePromise, reject) => {
    const startedAt = performance.now();
    const child = spawn(process.execPath, args, {
      env: {
        ...process.env,
        PC_BASE_URL: env.url,
        PC_ACCESS_TOKEN: env.token,
        PC_CONFIG_DIR: work,
        BENCH_RSS_FILE: rssFile,
        NODE_OPTIONS: `--require ${join(root, 'bench/e2e/rssReport.cjs')}`,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.add(child);
    child.once('exit', (code) => {
      children.delete(child);
      if (code !== 0) return reject(new Error(`${args.slice(1).join(' ')} exited with ${code}`));
      // Every Node process of the run appends its peak (a re-executed child too): report the largest.
      const rssMB = Math.max(...readFileSync(rssFile, 'utf8').trim().split('\n').map(Number));
      const sizeMB = statSync(out).size / 2 ** 20;
      rmSync(out);
      resolvePromise({ ms: performance.now() - startedAt, rssMB, sizeMB });
    });
  });
}

const cleanup = () => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
};
process.on('exit', cleanup);

try {
  console.error(`starting pc-mock with ${customers} customers...`);
  const mock = await startMock();
  const env = { url: mock.url, token: await tokenFor(mock.url) };
  const rows = [];
  for (const top of [10_000, 100_000, undefined]) {
    for (const format of ['csv', 'xlsx']) {
      const sample = await run(format, top, env);
      console.error(
        `  ${format} ${top ?? 'all'}: ${(sample.ms / 1000).toFixed(1)} s, ${sample.rssMB.toFixed(0)} MB peak RSS, ${sample.sizeMB.toFixed(1)} MB file`,
      );
      rows.push({
        rows:
          top === undefined
            ? `all (${customers.toLocaleString('en-US')} customers)`
            : top.toLocaleString('en-US'),
        format,
        'time (s)': (sample.ms / 1000).toFixed(1),
        'peak RSS (MB)': sample.rssMB.toFixed(0),
        'file (MB)': sample.sizeMB.toFixed(1),
      });
    }
  }
  printTable('`pc licenses deployment --out FILE`: xlsx (streaming exceljs) against csv, one run each', rows);
} finally {
  cleanup();
}

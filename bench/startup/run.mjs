#!/usr/bin/env node
// Start-up benchmark (issue 17): wall time from spawn to exit of
//   - `node -e 0` (the floor: Node's own start-up);
//   - `pc --version` and `pc --help` (target: at most 1.5x `node -e 0`);
//   - a short command, `pc licenses deployment --top 1 -o json` against the mock (target: at most
//     2x `node -e 0` plus the request, the request being what a bare `undici.request` of the same
//     row costs beyond `node -e 0`, bench/startup/oneRequest.mjs).
// The variants alternate (forward, then backward) for BENCH_ROUNDS rounds (default 15); medians,
// min and max are printed with each ratio and its target, and the load average (the machine may
// be shared). Usage: pnpm build && node bench/startup/run.mjs   (BENCH_NODE=/path/to/node)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir, uptime } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockServer } from '../../apps/mock/dist/index.js';
import { median, printTable } from '../lib/measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const nodeBin = process.env.BENCH_NODE ?? process.execPath;
const pcBin = join(root, 'apps/cli/bin/pc.js');
const work = mkdtempSync(join(tmpdir(), 'pc-bench-startup-'));

function uptimeText() {
  return `up ${(uptime() / 3600).toFixed(1)} h, load average: ${loadavg()
    .map((value) => value.toFixed(2))
    .join(', ')}`;
}

/** Runs a process to its end; resolves to its wall time in ms (rejects on a non-zero exit). */
function timed(args, env = {}) {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const child = spawn(nodeBin, args, {
      env: { PATH: process.env.PATH, HOME: work, PC_CONFIG_DIR: work, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('exit', (code) => {
      const ms = performance.now() - startedAt;
      if (code === 0) resolve(ms);
      else reject(new Error(`${args.join(' ')} exited with ${code}: ${stderr}`));
    });
  });
}

const mock = await startMockServer({ port: 0, seed: 1, customers: 200, quiet: true });
try {
  const env = {
    PC_BASE_URL: mock.url,
    PC_ACCESS_TOKEN: mock.issueToken(),
    BENCH_URL: mock.url,
    BENCH_TOKEN: mock.issueToken(),
  };
  const variants = [
    { name: 'node -e 0', args: ['-e', '0'] },
    { name: 'pc --version', args: [pcBin, '--version'] },
    { name: 'pc --help', args: [pcBin, '--help'] },
    { name: 'bare request (undici, top=1)', args: [join(here, 'oneRequest.mjs')] },
    {
      name: 'pc licenses deployment --top 1 -o json',
      args: [pcBin, 'licenses', 'deployment', '--top', '1', '-o', 'json'],
    },
  ];
  console.error(`start-up: ${rounds} rounds, ${uptimeText()}`);
  for (const variant of variants) await timed(variant.args, env); // warm the file cache
  const samples = new Map(variants.map((variant) => [variant.name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) samples.get(variant.name).push(await timed(variant.args, env));
  }
  const stats = new Map(
    [...samples].map(([name, list]) => [
      name,
      { ms: median(list), minMs: Math.min(...list), maxMs: Math.max(...list) },
    ]),
  );
  const runtime = await new Promise((resolve) => {
    const child = spawn(nodeBin, ['-p', 'process.version'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.once('exit', () => resolve(out.trim()));
  });
  const floor = stats.get('node -e 0');
  printTable(`Start-up, Node ${runtime}, ${rounds} rounds alternating, median (min-max) ms`, [
    ...[...stats].map(([name, result]) => ({
      variant: name,
      'median ms': result.ms.toFixed(1),
      'min-max ms': `${result.minMs.toFixed(1)}-${result.maxMs.toFixed(1)}`,
      'vs node -e 0': `${(result.ms / floor.ms).toFixed(2)}x`,
    })),
  ]);
  const request = stats.get('bare request (undici, top=1)').ms - floor.ms;
  const short = stats.get('pc licenses deployment --top 1 -o json');
  const row = (target, result, base, bound) => ({
    target,
    'median ratio': `${(result.ms / base).toFixed(2)}x`,
    'min-max ratio': `${(result.minMs / base).toFixed(2)}-${(result.maxMs / base).toFixed(2)}x`,
    bound: `at most ${bound.toFixed(2)}x`,
    met: result.ms / base <= bound ? 'yes' : 'NO',
  });
  const minusRequest = (result) => ({
    ms: result.ms - request,
    minMs: result.minMs - request,
    maxMs: result.maxMs - request,
  });
  printTable(`Targets (issue 17); uptime at the end: ${uptimeText()}`, [
    row('pc --version vs node -e 0', stats.get('pc --version'), floor.ms, 1.5),
    row('pc --help vs node -e 0', stats.get('pc --help'), floor.ms, 1.5),
    row(
      `short command minus the request (${request.toFixed(1)} ms) vs node -e 0`,
      minusRequest(short),
      floor.ms,
      2,
    ),
  ]);
} finally {
  await mock.close();
  rmSync(work, { recursive: true, force: true });
}

#!/usr/bin/env node
// `pnpm bench`: builds nothing itself (the script builds first), then runs each benchmark in its
// own process, one after the other, and writes bench/results/latest.md with every table plus the
// machine's CPU, Node version and date. Pass names to run only some: `pnpm bench e2e models`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const all = [
  'models',
  'odata-query',
  'transport',
  'mock',
  'analytics',
  'startup',
  'e2e',
  'xlsx',
  'history',
  'load',
];
const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : all;
const sections = [];

for (const name of wanted) {
  const script = join(here, name, 'run.mjs');
  if (!existsSync(script)) {
    console.error(`bench: no ${name}/run.mjs, skipped`);
    continue;
  }
  console.error(`\n== bench/${name} ==`);
  const result = spawnSync(process.execPath, ['--expose-gc', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(result.stdout);
  if (result.status !== 0) {
    console.error(`bench/${name} failed with exit code ${result.status}`);
    process.exitCode = 1;
  }
  sections.push(`## bench/${name}\n\n${result.stdout.trim()}\n`);
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const header = [
  '# Benchmark results',
  '',
  `- Date: ${new Date().toISOString()}`,
  `- Machine: ${cpus().length} x ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
  `- Node: ${process.version}`,
  '- Reproduce: `pnpm bench` (or `pnpm bench e2e` for one), from a fresh `pnpm install`.',
  '- Every ratio is against a baseline measured in the same run; the machine is shared, so compare ratios, not absolute times.',
  '',
].join('\n');
mkdirSync(join(here, 'results'), { recursive: true });
const out = join(here, 'results', 'latest.md');
writeFileSync(out, `${header}\n${sections.join('\n')}`);
console.error(`\nwrote ${out}`);

#!/usr/bin/env node
// Checks the current package as a consumer sees it: packs it with pnpm (which applies
// publishConfig), checks the tarball's file list, then runs publint and attw on what was packed.
// Run from a package directory (its `check:package` script does that), or give it a tarball that
// is already packed (scripts/test-registry.mjs passes the ones it fetches back from the registry):
//   node scripts/check-package.mjs --tarball path/to/pkg.tgz
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const cwd = process.cwd();
const tarballArg = process.argv.indexOf('--tarball');
const givenTarball = tarballArg === -1 ? undefined : resolve(process.argv[tarballArg + 1] ?? '');
const work = mkdtempSync(join(tmpdir(), 'pc-check-package-'));
const run = (cmd, args, options = {}) =>
  execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });

try {
  let tarPath = givenTarball;
  if (!tarPath) {
    run('pnpm', ['pack', '--pack-destination', work], { cwd });
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error('pnpm pack produced no tarball');
    tarPath = join(work, tarball);
  }
  const files = run('tar', ['-tzf', tarPath])
    .split('\n')
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ''));

  const problems = [];
  for (const required of [
    'package.json',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
    'dist/index.js',
    'dist/index.cjs',
    'dist/index.d.ts',
    'dist/index.d.cts',
  ]) {
    if (!files.includes(required)) problems.push(`missing ${required}`);
  }
  const forbidden = [
    /\.test\.[cm]?[jt]s$/,
    /\.test-d\.ts$/,
    /(^|\/)test\//,
    /(^|\/)fixtures?\//,
    /^src\//,
    /\.map$/,
    /(^|\/)\.env/,
    /\.npmrc$/,
    /\.pem$/,
    /\.key$/,
  ];
  for (const file of files) {
    if (forbidden.some((pattern) => pattern.test(file))) problems.push(`should not be published: ${file}`);
  }
  const packed = JSON.parse(run('tar', ['-xzOf', tarPath, 'package/package.json']));
  if (JSON.stringify(packed.exports).includes('@pc/source'))
    problems.push('packed exports still carry the @pc/source condition');
  for (const [name, range] of Object.entries(packed.dependencies ?? {})) {
    if (String(range).startsWith('workspace:') || String(range).startsWith('catalog:'))
      problems.push(`unresolved range ${name}@${range}`);
  }
  if (problems.length > 0) throw new Error(`${packed.name}@${packed.version}: ${problems.join('; ')}`);

  run('tar', ['-xzf', tarPath, '-C', work]);
  run('publint', ['run', join(work, 'package'), '--strict', '--pack', 'false']);
  run('attw', [tarPath, '--profile', 'node16', '--format', 'table-flipped', '--no-color']);
  process.stdout.write(`${packed.name}@${packed.version}: ${files.length} files, publint and attw pass\n`);
} catch (error) {
  const detail = [error.stdout, error.stderr].filter(Boolean).join('\n');
  process.stderr.write(`${error.message}\n${detail}\n`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}

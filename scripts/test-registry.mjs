#!/usr/bin/env node
// `pnpm test:registry`: proves the private-registry path as users live it, on loopback only.
//  1. copies the workspace (tracked + untracked-not-ignored files) to a temp folder, installs, builds;
//  2. starts a throwaway Verdaccio on 127.0.0.1, registers a user, and points the copy's one
//     `@pc:registry` scope entry at it (token read from the environment, as in a real release);
//  3. three changesets rounds (`changeset version` on a generated changeset, then `changeset publish`):
//     a first release of every package, a patch of @pc/odata-query alone (only it is published), and
//     a minor of 0.x @pc/odata-query (its dependents get patches, since `^0.x` excludes the next minor);
//     after each, the versions written and the versions published (read back from Verdaccio) must be
//     exactly what the release policy says;
//  4. fetches each latest tarball back from Verdaccio: file list, publint and attw
//     (scripts/check-package.mjs), integrity, no token inside;
//  5. a consumer project outside the workspace installs only @pc/analytics with npm (its @pc
//     dependencies must come along at the published versions), then @pc/mock and @pc/cli: the `pc` and
//     `pc-mock` bins answer --help, and an ESM and a CJS consumer list licenses from the published mock.
// Everything it starts or writes is removed on every exit path (finally, signals, exit handler).
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { constants, tmpdir } from 'node:os';
import { delimiter, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAll, run } from './registry/processes.mjs';
import { addUser, readPublished, startVerdaccio } from './registry/verdaccio.mjs';
import {
  copyWorkspace,
  dropPendingChangesets,
  expectedReleases,
  pointScopeAt,
  readPackages,
  writeChangeset,
} from './registry/workspace.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const scriptsDir = join(repoRoot, 'scripts');
const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;
// `--head`: release the last commit instead of the working tree (when a package is mid-change).
const fromHead = process.argv.includes('--head');
const temp = mkdtempSync(join(tmpdir(), 'pc-test-registry-'));
const dirs = {
  workspace: join(temp, 'workspace'),
  registry: join(temp, 'registry'),
  tarballs: join(temp, 'tarballs'),
  consumer: join(temp, 'consumer'),
  npmCache: join(temp, 'npm-cache'),
};
for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });

// ---- cleanup on every exit path -------------------------------------------------------------------
let registry;
let cleanedUp = false;
function removeEverythingSync() {
  if (cleanedUp) return;
  cleanedUp = true;
  killAll();
  rmSync(temp, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}
process.on('exit', removeEverythingSync);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    process.stderr.write(`\ntest:registry: ${signal}, stopping the registry and removing ${temp}\n`);
    removeEverythingSync();
    process.exit(128 + constants.signals[signal]);
  });
}

// A hang must not outlive CI: the budget is 5 minutes, the hard stop comes at 8.
const BUDGET_MS = 300_000;
setTimeout(() => {
  process.stderr.write(`\ntest:registry: still running after ${seconds(480_000)}, giving up\n`);
  removeEverythingSync();
  process.exit(1);
}, 480_000).unref();

// ---- environment for the children -----------------------------------------------------------------
// No inherited npm_config_* / pnpm_config_* (a `pnpm run` parent exports some, and one could name the
// real registry); the default registry is a closed loopback port, so nothing can reach a public
// registry from the release steps: `@pc` goes to Verdaccio through the scope entry, or fails.
const TOKEN_VARIABLE = 'PC_REGISTRY_TOKEN';
const baseEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm|pnpm)_config_/i.test(key) && key !== TOKEN_VARIABLE),
);
Object.assign(baseEnv, {
  TURBO_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
  NO_UPDATE_NOTIFIER: '1',
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  // Without the repository's own bins (`pnpm run` puts them first): the consumer must run its own `pc`.
  PATH: (process.env.PATH ?? '')
    .split(delimiter)
    .filter((entry) => entry && entry !== repoRoot && !entry.startsWith(`${repoRoot}${sep}`))
    .join(delimiter),
});
// publint and attw for scripts/check-package.mjs come from the repository's devDependencies.
const toolEnv = { ...baseEnv, PATH: [join(repoRoot, 'node_modules', '.bin'), baseEnv.PATH].join(delimiter) };
const releaseEnv = (token) => ({
  ...baseEnv,
  [TOKEN_VARIABLE]: token,
  npm_config_registry: 'http://127.0.0.1:9/',
  npm_config_cache: dirs.npmCache,
});
// The consumer keeps the default registry it was given (a mirror, say) for public packages.
const consumerEnv = { ...baseEnv, npm_config_cache: dirs.npmCache };
if (process.env.npm_config_registry) consumerEnv.npm_config_registry = process.env.npm_config_registry;

// ---- steps ----------------------------------------------------------------------------------------
const results = [];

/** Runs one step, prints its outcome and time; a failed `critical` step stops the run. */
async function step(title, action, { critical = true } = {}) {
  const begin = Date.now();
  process.stdout.write(`… ${title}\n`);
  try {
    const note = await action();
    results.push({ title, ok: true, ms: Date.now() - begin });
    process.stdout.write(`✔ ${title} (${seconds(Date.now() - begin)})${note ? `: ${note}` : ''}\n`);
    return note;
  } catch (error) {
    results.push({ title, ok: false, ms: Date.now() - begin });
    process.stdout.write(`✘ ${title} (${seconds(Date.now() - begin)}): ${error.message}\n`);
    if (error.output) process.stdout.write(`${indent(tail(error.output, 40))}\n`);
    if (critical) throw error;
    return undefined;
  }
}

const indent = (text) => text.replace(/^/gm, '    ');
const tail = (text, lines) => text.split('\n').slice(-lines).join('\n');
const same = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
const listOf = (map) => [...map].map(([name, version]) => `${name}@${version}`).join(', ') || '(none)';

function assertSameReleases(what, actual, expected) {
  const a = listOf(new Map([...actual].sort()));
  const e = listOf(new Map([...expected].sort()));
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

// ---- the flow -------------------------------------------------------------------------------------
let exitCode = 0;
try {
  const workspace = dirs.workspace;
  const changeset = join(workspace, 'node_modules', '.bin', 'changeset');
  const git = (args) =>
    run('git', ['-c', 'user.name=test-registry', '-c', 'user.email=test-registry@localhost', ...args], {
      cwd: workspace,
      env: baseEnv,
    });

  await step(
    `copy the workspace (${fromHead ? 'last commit' : 'working tree'}) to a temp folder`,
    async () => {
      const copied = await copyWorkspace({ from: repoRoot, to: workspace, fromHead });
      const dropped = dropPendingChangesets(workspace);
      return `${copied} files into ${workspace}${dropped.length ? `; set aside pending changesets ${dropped.join(', ')}` : ''}`;
    },
  );

  const installAndBuild = (async () => {
    await step('pnpm install (offline, frozen lockfile) in the copy', async () => {
      const offline = await run('pnpm', ['install', '--offline', '--frozen-lockfile'], {
        cwd: workspace,
        env: baseEnv,
        allowFailure: true,
        timeoutMs: 180_000,
      });
      if (offline.code === 0) return 'from the warm store';
      await run('pnpm', ['install', '--prefer-offline', '--frozen-lockfile'], {
        cwd: workspace,
        env: baseEnv,
        timeoutMs: 180_000,
      });
      return 'offline failed, --prefer-offline worked';
    });
    await step('pnpm build in the copy', async () => {
      // What gets published, and what it needs; private examples are not released. The repository's
      // turbo cache is read, never written: after `pnpm build` (as in `pnpm test`) identical inputs
      // restore the same dist, which keeps this under its time budget on a busy machine.
      const filters = ['--filter=./packages/*', '--filter=./apps/*'];
      const cache = [`--cache-dir=${join(repoRoot, '.turbo', 'cache')}`, '--cache=local:r'];
      const { stdout } = await run(
        'pnpm',
        ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only', ...filters, ...cache],
        { cwd: workspace, env: baseEnv, timeoutMs: 240_000 },
      );
      return /Cached:\s+(\d+ cached, \d+ total)/.exec(stdout)?.[1];
    });
  })();
  const registryUp = step('start Verdaccio on loopback', async () => {
    registry = await startVerdaccio({ dir: dirs.registry });
    return `verdaccio ${registry.version} at ${registry.url} (pid ${registry.pid})`;
  });
  const settled = await Promise.allSettled([installAndBuild, registryUp]);
  for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;

  let token;
  await step('register a publisher and point the copy at Verdaccio', async () => {
    token = await addUser({
      url: registry.url,
      name: 'release-bot',
      password: randomBytes(16).toString('hex'),
    });
    const replaced = pointScopeAt({
      root: workspace,
      registryUrl: registry.url,
      tokenVariable: TOKEN_VARIABLE,
    });
    await git(['init', '--quiet', '--initial-branch=main']);
    await git(['add', '--all']);
    await git(['commit', '--quiet', '--no-verify', '-m', 'baseline']);
    return `replaced "${replaced}" in the copy's .npmrc; token in $${TOKEN_VARIABLE}`;
  });

  const names = [...readPackages(workspace).keys()].sort();
  const published = async () => readPublished({ url: registry.url, names });
  const rounds = [
    {
      id: 'registry-test-first-release',
      title: 'round 1: first release of every package',
      releases: Object.fromEntries(names.map((name) => [name, 'patch'])),
    },
    {
      id: 'registry-test-odata-query-patch',
      title: 'round 2: patch @pc/odata-query alone',
      releases: { '@pc/odata-query': 'patch' },
    },
    {
      id: 'registry-test-odata-query-minor',
      title: 'round 3: minor of 0.x @pc/odata-query',
      releases: { '@pc/odata-query': 'minor' },
    },
  ];
  for (const round of rounds) {
    await step(round.title, async () => {
      const before = readPackages(workspace);
      const registryBefore = await published();
      const expected = expectedReleases({ packages: before, releases: round.releases });
      writeChangeset({
        root: workspace,
        id: round.id,
        releases: round.releases,
        summary: `${round.title} (test-registry).`,
      });

      await run(changeset, ['version'], { cwd: workspace, env: releaseEnv(token) });
      const after = readPackages(workspace);
      const versioned = new Map(
        [...after]
          .filter(([name, pkg]) => before.get(name)?.version !== pkg.version)
          .map(([name, pkg]) => [name, pkg.version]),
      );
      assertSameReleases('changeset version changed', versioned, expected);
      for (const [name, version] of versioned) {
        const changelog = readFileSync(join(after.get(name).dir, 'CHANGELOG.md'), 'utf8');
        if (!changelog.includes(`## ${version}`))
          throw new Error(`${name} CHANGELOG.md has no "## ${version}" entry`);
      }
      await git(['add', '--all']);
      await git(['commit', '--quiet', '--no-verify', '-m', `Version packages (${round.id})`]);

      const publish = await run(changeset, ['publish'], {
        cwd: workspace,
        env: releaseEnv(token),
        timeoutMs: 180_000,
      });
      const registryAfter = await published();
      const newlyPublished = new Map();
      for (const [name, info] of registryAfter) {
        const old = new Set(registryBefore.get(name)?.versions ?? []);
        for (const version of info.versions.filter((v) => !old.has(v))) newlyPublished.set(name, version);
        if (expected.has(name) && info.latest !== expected.get(name)) {
          throw new Error(`${name}: latest is ${info.latest}, expected ${expected.get(name)}`);
        }
      }
      if ([...newlyPublished.keys()].some((name) => newlyPublished.get(name) !== expected.get(name))) {
        process.stdout.write(indent(tail(`${publish.stdout}\n${publish.stderr}`, 30)));
      }
      assertSameReleases('Verdaccio received', newlyPublished, expected);
      const tags = (await git(['tag', '--list', '--points-at', 'HEAD'])).stdout.split('\n').filter(Boolean);
      if (!same(tags, listOf(expected).split(', ')))
        throw new Error(`git tags ${tags.join(', ')} do not match`);
      return `published exactly ${listOf(expected)}`;
    });
  }

  const latest = await published();
  await step('check every published tarball (files, publint, attw, integrity, no token)', async () => {
    const lines = [];
    await Promise.all(
      [...latest].map(async ([name, info]) => {
        const manifest = info.manifests[info.latest];
        const response = await fetch(manifest.dist.tarball, { signal: AbortSignal.timeout(30_000) });
        if (!response.ok) throw new Error(`GET ${manifest.dist.tarball}: HTTP ${response.status}`);
        const bytes = Buffer.from(await response.arrayBuffer());
        const integrity = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
        if (integrity !== manifest.dist.integrity) throw new Error(`${name}: tarball integrity mismatch`);
        const tarPath = join(dirs.tarballs, `${name.replace('@pc/', 'pc-')}-${info.latest}.tgz`);
        writeFileSync(tarPath, bytes);
        const contents = (await run('tar', ['-xzOf', tarPath], { cwd: dirs.tarballs })).stdout;
        if (contents.includes(token) || /_authToken/.test(contents))
          throw new Error(`${name}: tarball holds a token`);
        const checked = await run(
          process.execPath,
          [join(scriptsDir, 'check-package.mjs'), '--tarball', tarPath],
          {
            cwd: dirs.tarballs,
            env: toolEnv,
          },
        );
        lines.push(checked.stdout.trim());
      }),
    );
    return `\n${indent(lines.sort().join('\n'))}`;
  });

  const consumer = dirs.consumer;
  const npm = (args, options = {}) =>
    run('npm', args, { cwd: consumer, env: consumerEnv, timeoutMs: 180_000, ...options });
  await step('consumer: npm install @pc/analytics only', async () => {
    writeFileSync(
      join(consumer, 'package.json'),
      `${JSON.stringify({ name: 'pc-consumer', private: true }, null, 2)}\n`,
    );
    writeFileSync(join(consumer, '.npmrc'), `@pc:registry=${registry.url}\n`);
    await npm(['install', '@pc/analytics', '--no-audit', '--no-fund']);
    const manifest = JSON.parse(readFileSync(join(consumer, 'package.json'), 'utf8'));
    if (!same(Object.keys(manifest.dependencies ?? {}), ['@pc/analytics'])) {
      throw new Error(`consumer dependencies: ${Object.keys(manifest.dependencies ?? {}).join(', ')}`);
    }
    const analytics = latest.get('@pc/analytics').manifests[latest.get('@pc/analytics').latest];
    const wanted = [
      '@pc/analytics',
      ...Object.keys(analytics.dependencies ?? {}).filter((d) => d.startsWith('@pc/')),
    ];
    const installed = readdirSync(join(consumer, 'node_modules', '@pc')).map((dir) => `@pc/${dir}`);
    if (!same(installed, wanted))
      throw new Error(`installed @pc packages ${installed.join(', ')}, expected ${wanted.join(', ')}`);
    const lock = JSON.parse(readFileSync(join(consumer, 'package-lock.json'), 'utf8'));
    const found = [];
    for (const name of wanted) {
      const entry = lock.packages[`node_modules/${name}`];
      const version = JSON.parse(
        readFileSync(join(consumer, 'node_modules', name, 'package.json'), 'utf8'),
      ).version;
      if (version !== latest.get(name).latest)
        throw new Error(`${name}@${version} installed, published ${latest.get(name).latest}`);
      // npm may leave `resolved` out of the lockfile; the integrity pins the bytes Verdaccio served.
      const served = latest.get(name).manifests[version].dist.integrity;
      if (entry?.integrity !== served)
        throw new Error(`${name}: lockfile integrity is not the one Verdaccio serves`);
      found.push(`${name}@${version}`);
    }
    return found.join(', ');
  });

  await step('consumer: npm install @pc/mock @pc/cli; pc and pc-mock answer --help', async () => {
    await npm(['install', '@pc/mock', '@pc/cli', '--no-audit', '--no-fund']);
    const notes = [];
    for (const [bin, expectedText] of [
      ['pc', 'Usage: pc'],
      ['pc-mock', 'Usage: pc-mock'],
    ]) {
      // As users type it; npm_config_yes=false is npx's --no (never fetch a same-named public package).
      if (!existsSync(join(consumer, 'node_modules', '.bin', bin)))
        throw new Error(`no ${bin} bin was installed`);
      const { stdout } = await run('npx', [bin, '--help'], {
        cwd: consumer,
        env: { ...consumerEnv, npm_config_yes: 'false' },
        timeoutMs: 30_000,
      });
      if (!stdout.includes(expectedText)) throw new Error(`${bin} --help printed:\n${stdout}`);
      notes.push(`${bin} --help exits 0`);
    }
    return notes.join(', ');
  });

  for (const file of ['consumer.mjs', 'consumer.cjs']) {
    const kind = file.endsWith('.mjs') ? 'ESM' : 'CJS';
    await step(
      `consumer: ${kind} import + list licenses from the published mock`,
      async () => {
        writeFileSync(join(consumer, file), readFileSync(join(scriptsDir, 'registry', 'consumer', file)));
        const result = await run(process.execPath, [file], {
          cwd: consumer,
          env: consumerEnv,
          timeoutMs: 60_000,
          allowFailure: true,
        });
        if (result.code === 3) {
          throw new Error(
            `${result.stdout.trim()}; ${result.stderr.trim()}\n    (placeholder packages: this step passes once the client and mock land)`,
          );
        }
        if (result.code !== 0)
          throw Object.assign(new Error(`${file} exited ${result.code}`), { output: result.stderr });
        return result.stdout.trim();
      },
      { critical: false },
    );
  }
} catch (error) {
  exitCode = 1;
  if (!results.some((result) => !result.ok)) process.stderr.write(`test:registry: ${error.stack ?? error}\n`);
  if (registry && existsSync(registry.logPath)) {
    process.stderr.write(
      `Verdaccio log (last lines):\n${indent(tail(readFileSync(registry.logPath, 'utf8'), 20))}\n`,
    );
  }
} finally {
  const port = registry?.port;
  if (registry) await registry.stop();
  removeEverythingSync();
  const portFree = port === undefined || (await isClosed(port));
  const leftovers = existsSync(temp);
  if (!portFree || leftovers) exitCode = 1;
  const failed = results.filter((result) => !result.ok);
  if (failed.length > 0) exitCode = 1;
  process.stdout.write(
    `\ntest:registry: ${results.length - failed.length}/${results.length} steps passed in ${seconds(Date.now() - started)}; ` +
      `cleanup: registry stopped${port ? `, port ${port} ${portFree ? 'closed' : 'STILL OPEN'}` : ''}, ` +
      `${temp} ${leftovers ? 'STILL THERE' : 'removed'}\n`,
  );
  for (const result of failed) process.stdout.write(`  failed: ${result.title}\n`);
  if (Date.now() - started > BUDGET_MS) process.stdout.write(`  over the ${seconds(BUDGET_MS)} budget\n`);
  process.exitCode = exitCode;
}

function isClosed(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

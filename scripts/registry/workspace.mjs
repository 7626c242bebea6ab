// The throwaway copy of the workspace that scripts/test-registry.mjs versions and publishes, and
// the release policy it checks changesets against.
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { run } from './processes.mjs';

/**
 * Copies the tracked and the untracked-but-not-ignored files (what the next commit would hold), or
 * with `fromHead` the last commit, so the copy never sees node_modules, dist or caches, and the
 * repository is never touched.
 * @param {{ from: string, to: string, fromHead?: boolean }} options
 * @returns {Promise<number>} how many files were copied
 */
export async function copyWorkspace({ from, to, fromHead = false }) {
  if (fromHead) {
    const archive = join(to, '..', 'head.tar');
    await run('git', ['archive', '--format=tar', '-o', archive, 'HEAD'], { cwd: from });
    await run('tar', ['-xf', archive, '-C', to], { cwd: to });
    const listed = (await run('tar', ['-tf', archive], { cwd: to })).stdout.split('\n');
    rmSync(archive);
    return listed.filter((entry) => entry && !entry.endsWith('/')).length;
  }
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: from,
  });
  let copied = 0;
  for (const file of stdout.split('\0').filter(Boolean)) {
    const source = join(from, file);
    const target = join(to, file);
    if (!existsSync(source)) continue; // deleted in the working tree, not yet committed
    mkdirSync(dirname(target), { recursive: true });
    if (lstatSync(source).isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else copyFileSync(source, target);
    copied += 1;
  }
  return copied;
}

/** Removes pending changesets so each round versions exactly what it generated. */
export function dropPendingChangesets(root) {
  const dir = join(root, '.changeset');
  const dropped = readdirSync(dir).filter((name) => name.endsWith('.md') && name !== 'README.md');
  for (const name of dropped) rmSync(join(dir, name));
  return dropped;
}

/**
 * Points the copy's one `@pc:registry` scope entry at the local registry and adds the auth line,
 * which reads the token from the environment as the real release does.
 * @param {{ root: string, registryUrl: string, tokenVariable: string }} options
 */
export function pointScopeAt({ root, registryUrl, tokenVariable }) {
  const path = join(root, '.npmrc');
  const lines = readFileSync(path, 'utf8').split('\n');
  const scopeLines = lines.filter((line) => line.trim().startsWith('@pc:registry='));
  if (scopeLines.length !== 1) {
    throw new Error(`.npmrc should hold exactly one @pc:registry entry, found ${scopeLines.length}`);
  }
  const host = registryUrl.replace(/^https?:/, '');
  const rewritten = lines.map((line) =>
    line.trim().startsWith('@pc:registry=') ? `@pc:registry=${registryUrl}` : line,
  );
  writeFileSync(path, `${rewritten.join('\n').trimEnd()}\n${host}:_authToken=\${${tokenVariable}}\n`);
  return scopeLines[0].trim();
}

/**
 * The publishable workspace packages: name -> { dir, version, manifest }.
 * @param {string} root
 */
export function readPackages(root) {
  const packages = new Map();
  for (const parent of ['packages', 'apps']) {
    const parentDir = join(root, parent);
    if (!existsSync(parentDir)) continue;
    for (const name of readdirSync(parentDir)) {
      const manifestPath = join(parentDir, name, 'package.json');
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      if (manifest.private) continue;
      packages.set(manifest.name, { dir: join(parentDir, name), version: manifest.version, manifest });
    }
  }
  return packages;
}

/**
 * Writes a changeset file, as `pnpm changeset` would after its prompts.
 * @param {{ root: string, id: string, releases: Record<string, 'patch' | 'minor' | 'major'>, summary: string }} options
 */
export function writeChangeset({ root, id, releases, summary }) {
  const header = Object.entries(releases)
    .map(([name, bump]) => `'${name}': ${bump}`)
    .join('\n');
  writeFileSync(join(root, '.changeset', `${id}.md`), `---\n${header}\n---\n\n${summary}\n`);
}

function parseVersion(version) {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!match) throw new Error(`unsupported version ${version} (the policy model knows plain x.y.z only)`);
  return match.slice(1, 4).map(Number);
}

/** `version` bumped by `bump`, for plain x.y.z versions. */
export function bumpVersion(version, bump) {
  const [major, minor, patch] = parseVersion(version);
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** Whether `^base` (what `workspace:^` becomes on publish) admits `version`. */
export function caretAdmits(base, version) {
  const [bMajor, bMinor, bPatch] = parseVersion(base);
  const [major, minor, patch] = parseVersion(version);
  if (bMajor > 0) return major === bMajor && (minor > bMinor || (minor === bMinor && patch >= bPatch));
  if (bMinor > 0) return major === 0 && minor === bMinor && patch >= bPatch;
  return major === 0 && minor === 0 && patch === bPatch;
}

/**
 * The release policy, independent of changesets: the packages named in the changeset get their
 * bump; a package that depends on a bumped one (dependencies, peer or optional; devDependencies do
 * not ship) gets a patch bump only when its `^` range no longer admits the new version, and so on
 * down the graph. Nothing else is released.
 * @param {{ packages: Map<string, { version: string, manifest: any }>, releases: Record<string, string> }} options
 * @returns {Map<string, string>} name -> new version
 */
export function expectedReleases({ packages, releases }) {
  const next = new Map(
    Object.entries(releases).map(([name, bump]) => [name, bumpVersion(packages.get(name).version, bump)]),
  );
  const queue = [...next.keys()];
  while (queue.length > 0) {
    const bumped = queue.shift();
    const oldVersion = packages.get(bumped).version;
    for (const [name, { version, manifest }] of packages) {
      if (next.has(name)) continue;
      const ranges = ['dependencies', 'peerDependencies', 'optionalDependencies'].map(
        (field) => manifest[field]?.[bumped],
      );
      if (!ranges.some(Boolean)) continue;
      if (!caretAdmits(oldVersion, next.get(bumped))) {
        next.set(name, bumpVersion(version, 'patch'));
        queue.push(name);
      }
    }
  }
  return next;
}

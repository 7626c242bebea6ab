import type { AnalyticsModule } from '@pc/analytics';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Whether a value has the shape of an analytics module. */
export function isAnalyticsModule(value: unknown): value is AnalyticsModule {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof AnalyticsModule, unknown>>;
  return (
    typeof candidate.name === 'string' &&
    Array.isArray(candidate.endpoints) &&
    Array.isArray(candidate.insights) &&
    (candidate.endpoints as unknown[]).every(
      (endpoint) =>
        typeof endpoint === 'object' &&
        endpoint !== null &&
        typeof (endpoint as { descriptor?: { id?: unknown } }).descriptor?.id === 'string',
    )
  );
}

/** The modules a package exports: its default export, or every named export that is a module. */
export function modulesOfNamespace(namespace: Record<string, unknown>): AnalyticsModule[] {
  const found: AnalyticsModule[] = [];
  const seen = new Set<unknown>();
  const consider = (value: unknown): void => {
    if (isAnalyticsModule(value) && !seen.has(value)) {
      seen.add(value);
      found.push(value);
    }
  };
  consider(namespace.default);
  const defaultExport = namespace.default;
  if (typeof defaultExport === 'object' && defaultExport !== null) {
    for (const value of Object.values(defaultExport as Record<string, unknown>)) consider(value);
  }
  for (const [key, value] of Object.entries(namespace)) {
    if (key !== 'default') consider(value);
  }
  return found;
}

interface PackageJson {
  name?: string;
  exports?: unknown;
  module?: string;
}

/** The ESM entry of a package's `exports["."]` (`import` condition), when it declares one. */
function esmEntry(manifest: PackageJson): string | undefined {
  const root = manifest.exports;
  const dot =
    typeof root === 'object' && root !== null && !Array.isArray(root) && '.' in root
      ? (root as Record<string, unknown>)['.']
      : root;
  const pickImport = (value: unknown): string | undefined => {
    if (typeof value === 'string') return value;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const record = value as Record<string, unknown>;
    for (const condition of ['node', 'import', 'default']) {
      if (condition in record) {
        const picked = pickImport(record[condition]);
        if (picked !== undefined) return picked;
      }
    }
    return undefined;
  };
  return pickImport(dot) ?? manifest.module;
}

/** Finds the package root of a resolved file (the nearest package.json named `name`). */
function packageRoot(file: string, name: string): { root: string; manifest: PackageJson } | undefined {
  let directory = dirname(file);
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as PackageJson;
      if (manifest.name === name) return { root: directory, manifest };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

/**
 * Resolves a module package by name from `cwd` as the project's own dependencies are resolved
 * (the `node_modules` chain upwards from `cwd`), preferring its ESM entry, and imports it.
 *
 * @throws Error naming the package and the directory when it cannot be found or is not a module.
 */
export async function loadModulePackage(name: string, cwd: string): Promise<AnalyticsModule[]> {
  const require = createRequire(join(cwd, 'noop.js'));
  let resolved: string;
  try {
    resolved = require.resolve(name);
  } catch (error) {
    // An ESM-only package (an `exports` map with `import` and no `require`) is not found by
    // require.resolve: look for its package.json along the same node_modules chain instead.
    const manifestPath = (require.resolve.paths(name) ?? [])
      .map((directory) => join(directory, name, 'package.json'))
      .find((candidate) => existsSync(candidate));
    if (manifestPath === undefined) {
      throw new Error(`cannot find module package '${name}' from ${cwd} (is it installed there?)`, {
        cause: error,
      });
    }
    resolved = manifestPath;
  }
  let target = resolved;
  const found = packageRoot(resolved, name);
  if (found !== undefined) {
    const entry = esmEntry(found.manifest);
    if (entry !== undefined) target = join(found.root, entry);
  }
  if (target.endsWith('package.json')) throw new Error(`package '${name}' has no entry that Node can import`);
  const namespace = (await import(pathToFileURL(target).href)) as Record<string, unknown>;
  const modules = modulesOfNamespace(namespace);
  if (modules.length === 0) throw new Error(`package '${name}' exports no analytics module`);
  return modules;
}

/** Loads every named package; a package that fails is reported and skipped. */
export async function loadModules(input: {
  names: readonly string[];
  cwd: string;
  onError: (name: string, error: Error) => void;
}): Promise<AnalyticsModule[]> {
  const modules: AnalyticsModule[] = [];
  for (const name of input.names) {
    try {
      modules.push(...(await loadModulePackage(name, input.cwd)));
    } catch (error) {
      input.onError(name, error instanceof Error ? error : new Error(String(error)));
    }
  }
  return modules;
}

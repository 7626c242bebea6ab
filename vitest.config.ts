import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * One root config, one project per package (decisions/0005-source-first-tests.md).
 * Sibling packages resolve to their `src/` through the `@pc/source` export condition,
 * so no test waits for a build; the CLI end-to-end tests, which spawn the real binary, do.
 */
// No 'import' here: vitest hands these to Node as --conditions, which apply to require() as well,
// and a CommonJS package that requires a dual one (pg -> pg-pool) would then get its ESM build.
// Vite and Node add 'import' or 'require' by themselves, after the kind of each import.
const sourceConditions = ['@pc/source', 'node', 'module', 'default'];

function projectDirs(parent: string): string[] {
  try {
    return readdirSync(parent)
      .map((name) => join(parent, name))
      .filter((dir) => statSync(dir).isDirectory());
  } catch {
    return [];
  }
}

const projects = ['packages', 'apps', 'examples'].flatMap(projectDirs).map((dir) => ({
  extends: true as const,
  test: {
    name: dir.split('/').pop() ?? dir,
    root: dir,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: {
      enabled: true,
      include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'],
      tsconfig: 'tsconfig.json',
    },
  },
}));

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ['@pc/source'] } },
  test: {
    projects,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});

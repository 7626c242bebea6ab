import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAnalyticsModule, loadModulePackage, loadModules, modulesOfNamespace } from './moduleLoader.js';

const moduleSource = (name: string) => `export const ${name.replace(/-/g, '')}Module = {
  name: '${name}',
  description: 'test module',
  endpoints: [{ descriptor: { id: '${name}Endpoint', path: '/x' } }],
  insights: [],
};
export const unrelated = 42;
`;

async function project(packages: Record<string, { esm?: string; cjs?: string }>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'pc-modules-'));
  for (const [name, files] of Object.entries(packages)) {
    const directory = join(root, 'node_modules', ...name.split('/'));
    await mkdir(directory, { recursive: true });
    const exports: Record<string, string> = {};
    if (files.esm !== undefined) {
      await writeFile(join(directory, 'index.mjs'), files.esm);
      exports.import = './index.mjs';
    }
    if (files.cjs !== undefined) {
      await writeFile(join(directory, 'index.cjs'), files.cjs);
      exports.require = './index.cjs';
    }
    await writeFile(join(directory, 'package.json'), JSON.stringify({ name, exports: { '.': exports } }));
  }
  return root;
}

describe('module loading', () => {
  it('recognizes modules among a package exports', () => {
    expect(isAnalyticsModule({ name: 'x', endpoints: [], insights: [] })).toBe(true);
    expect(isAnalyticsModule({ name: 'x', endpoints: [{}], insights: [] })).toBe(false);
    const module = { name: 'x', endpoints: [], insights: [] };
    expect(modulesOfNamespace({ default: module, module, other: 1 })).toEqual([module]);
  });

  it('resolves a package from the project directory, preferring its ESM entry', async () => {
    const root = await project({
      '@team/pc-widgets': {
        esm: moduleSource('widgets'),
        cjs: 'throw new Error("the CJS entry was loaded");',
      },
    });
    const modules = await loadModulePackage('@team/pc-widgets', root);
    expect(modules.map((module) => module.name)).toEqual(['widgets']);
  });

  it('reports a missing package or a package without a module, and goes on', async () => {
    const root = await project({
      'not-a-module': { esm: 'export const answer = 42;' },
      good: { esm: moduleSource('good') },
    });
    const errors: string[] = [];
    const modules = await loadModules({
      names: ['missing-package', 'not-a-module', 'good'],
      cwd: root,
      onError: (name, error) => errors.push(`${name}: ${error.message}`),
    });
    expect(modules.map((module) => module.name)).toEqual(['good']);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/cannot find module package 'missing-package'/);
    expect(errors[1]).toMatch(/exports no analytics module/);
  });
});

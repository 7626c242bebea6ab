// Used once to lay out the packages with one package.json shape; kept for new packages.
// Usage: node scripts/gen-package.mjs <dir> <name> "<description>" [bin=path ...]
import { writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [dir, name, description, ...rest] = process.argv.slice(2);
const bins = Object.fromEntries(rest.filter((a) => a.startsWith('bin=')).map((a) => a.slice(4).split(':')));
const pkg = {
  name,
  version: '0.1.0',
  description,
  license: 'UNLICENSED',
  type: 'module',
  sideEffects: false,
  exports: {
    '.': {
      '@pc/source': './src/index.ts',
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    },
    './package.json': './package.json',
  },
  main: './dist/index.cjs',
  module: './dist/index.js',
  types: './dist/index.d.cts',
  ...(Object.keys(bins).length ? { bin: bins } : {}),
  files: [
    'dist',
    ...(Object.keys(bins).length ? ['bin'] : []),
    '!dist/**/*.map',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
  ],
  engines: { node: '>=20.18.1' },
  publishConfig: {
    access: 'restricted',
    exports: {
      '.': {
        import: { types: './dist/index.d.ts', default: './dist/index.js' },
        require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
      },
      './package.json': './package.json',
    },
  },
  scripts: {
    build: 'tsup',
    typecheck: 'tsc --noEmit -p tsconfig.json',
    'check:package': 'node ../../scripts/check-package.mjs',
  },
  dependencies: {},
  devDependencies: {},
};
mkdirSync(join(dir, 'src'), { recursive: true });
writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
writeFileSync(
  join(dir, 'tsconfig.json'),
  `${JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src', 'test', '*.ts'] }, null, 2)}\n`,
);
writeFileSync(
  join(dir, 'tsup.config.ts'),
  `import { defineConfig } from 'tsup';\nimport { packageBuild } from '../../tooling/tsup.base.ts';\n\nexport default defineConfig(packageBuild());\n`,
);
if (!existsSync(join(dir, 'LICENSE'))) writeFileSync(join(dir, 'LICENSE'), '');

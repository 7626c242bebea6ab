#!/usr/bin/env node
// Fails when any workspace package has an import cycle among its own source files.
// Every `import` counts, `import type` too: a type-only cycle still means two files cannot be
// understood (or moved to another package) one without the other. Uses madge, with each package's
// tsconfig so that `./x.js` specifiers resolve to `x.ts` the way TypeScript resolves them.
//   node scripts/check-cycles.mjs            # every package under packages/, apps/, examples/
//   node scripts/check-cycles.mjs apps/mock  # some of them
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import madge from 'madge';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const given = process.argv.slice(2);
const packages =
  given.length > 0
    ? given.map((dir) => resolve(root, dir))
    : ['packages', 'apps', 'examples'].flatMap((parent) => {
        const dir = join(root, parent);
        return existsSync(dir)
          ? readdirSync(dir)
              .map((name) => join(dir, name))
              .filter((path) => statSync(path).isDirectory())
          : [];
      });

let failed = false;
for (const dir of packages) {
  const src = join(dir, 'src');
  if (!existsSync(src)) continue;
  const result = await madge(src, {
    fileExtensions: ['ts'],
    tsConfig: join(dir, 'tsconfig.json'),
    // Test files import what they test; a cycle through them is not a design fact.
    excludeRegExp: [/\.test\.ts$/, /\.test-d\.ts$/, /node_modules/],
    detectiveOptions: { ts: { skipTypeImports: false }, es6: { skipTypeImports: false } },
  });
  // Only the package's own files: imports of sibling packages are edges between packages, whose
  // direction DESIGN fixes; they cannot close a cycle inside this one.
  const cycles = result.circular().filter((cycle) => cycle.every((file) => !file.startsWith('..')));
  const name = relative(root, dir);
  if (cycles.length === 0) {
    console.log(`${name}: no import cycle (${Object.keys(result.obj()).length} files)`);
    continue;
  }
  failed = true;
  console.error(`${name}: ${cycles.length} import cycle(s) in src/:`);
  for (const cycle of cycles) console.error(`  ${[...cycle, cycle[0]].join(' -> ')}`);
}
if (failed) {
  console.error('Break each cycle: move the shared piece to its own file, or pass an interface in.');
  process.exit(1);
}

import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tooling/tsup.base.ts';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export default defineConfig(
  packageBuild({
    overrides: {
      define: { __PC_CLI_VERSION__: JSON.stringify(version) },
      // string-width and its helpers are ESM-only: bundled, so that the CJS build (and Node
      // 20.18, which cannot require() ESM) works (decisions/0015-cli-habits.md).
      noExternal: ['string-width', 'strip-ansi', 'ansi-regex', 'get-east-asian-width'],
    },
  }),
);

import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tooling/tsup.base.ts';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

// The engines' drivers are optional peers: never bundled, loaded only when a history is opened.
export default defineConfig(
  packageBuild({
    overrides: {
      define: { __PC_HISTORY_VERSION__: JSON.stringify(version) },
      external: ['@duckdb/node-api', 'pg'],
    },
  }),
);

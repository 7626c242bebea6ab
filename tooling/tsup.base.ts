/**
 * The one build configuration every package spreads (decisions/0003-tsup-and-how-to-swap-it.md).
 * Swapping tsup for another bundler means rewriting this file and the `build` scripts only.
 */
import type { Options } from 'tsup';

export interface PackageBuildOptions {
  /** Entry points, relative to the package root. Defaults to `src/index.ts`. */
  readonly entry?: Record<string, string> | string[];
  /** Extra options for this package only. */
  readonly overrides?: Options;
}

export function packageBuild(options: PackageBuildOptions = {}): Options {
  return {
    entry: options.entry ?? { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    target: 'node20',
    platform: 'node',
    dts: { compilerOptions: { customConditions: [] } },
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    shims: true,
    outDir: 'dist',
    ...options.overrides,
  };
}

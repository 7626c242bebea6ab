import { setFlagsFromString } from 'node:v8';

/**
 * The V8 flag `pc` sets in its own process, at start-up: the young generation keeps its initial
 * size (1 MB semi-spaces) instead of growing to V8's maximum. A download allocates a lot and keeps
 * little (each page's rows are released as they are written), so a large young generation only
 * holds garbage: with the default growth a 10^6-row download peaked at about 200 MB on Node 20
 * and about 325 MB on Node 24 (whose V8 grows the young generation far larger), with it at about
 * 165 MB and about 205 MB, the bare `undici` reader's own peak (decisions/0019).
 */
export const youngGenerationFlag = '--semi-space-growth-factor=1';

/** Flags that size the young generation: when the user set one, `pc` leaves the heap alone. */
const userHeapFlags = ['--semi-space-growth-factor', '--max-semi-space-size', '--min-semi-space-size'];

/**
 * Whether {@link youngGenerationFlag} applies: not when the process was started with a flag of
 * {@link userHeapFlags} (on the command line or in `NODE_OPTIONS`).
 */
export function shouldTuneHeap(input: {
  env: Readonly<Record<string, string | undefined>>;
  execArgv: readonly string[];
}): boolean {
  // V8 takes `_` for `-` in flag names.
  const own = (text: string): boolean => {
    const dashed = text.replaceAll('_', '-');
    return userHeapFlags.some((flag) => dashed.includes(flag));
  };
  return !input.execArgv.some(own) && !own(input.env.NODE_OPTIONS ?? '');
}

/**
 * Applies {@link youngGenerationFlag} to this process (see {@link shouldTuneHeap}). V8 reads this
 * flag each time it decides to grow the young generation, so setting it after start-up takes
 * effect; no child process is needed (decision 0019 replaced the re-execution of decision 0012).
 */
export function tuneHeap(): void {
  if (shouldTuneHeap({ env: process.env, execArgv: process.execArgv }))
    setFlagsFromString(youngGenerationFlag);
}

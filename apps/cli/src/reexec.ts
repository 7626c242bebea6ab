import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/**
 * V8 heap settings for data commands. The SDK now lets go of each row as it is handed out and
 * keeps the pages waiting in its window as bytes, so almost nothing is promoted; what remains is
 * V8's default young generation (16 MB semi-spaces) and garbage that has not been collected yet,
 * which leave a 10^6-row download at 190-225 MB of RSS. An 8 MB semi-space brings it to about
 * 175 MB for a few per cent of CPU (decisions/0012-cli-memory.md); the old 2 MB semi-space and
 * 192 MB old-generation cap doubled the CPU time of a download.
 */
export const tunedHeapFlags = ['--max-semi-space-size=8'] as const;

/** Set in the re-executed child (and honoured to turn re-execution off). */
export const reexecEnv = 'PC_NO_REEXEC';

/**
 * Whether a download may be re-executed with {@link tunedHeapFlags}: not when the heap flags are
 * set already (by hand or in NODE_OPTIONS), and never twice.
 */
export function shouldReexec(input: {
  env: Readonly<Record<string, string | undefined>>;
  execArgv: readonly string[];
}): boolean {
  if (input.env[reexecEnv] !== undefined && input.env[reexecEnv] !== '') return false;
  const heapFlag = (arg: string): boolean =>
    arg.includes('--max-old-space-size') || arg.includes('--max-semi-space-size');
  if (input.execArgv.some(heapFlag)) return false;
  return !heapFlag(input.env.NODE_OPTIONS ?? '');
}

/**
 * Runs the same `pc` invocation in a child Node process with the tuned heap flags; stdio is
 * inherited, SIGINT, SIGTERM and SIGHUP are passed on, an IPC channel lets the child notice this
 * process's death, and the child's exit code is returned.
 */
export function reexec(argv: readonly string[], script: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, ...tunedHeapFlags, script, ...argv], {
      // The IPC channel tells the child when this process is gone (even SIGKILLed): it then stops
      // instead of finishing and replacing an `--out` file nobody waits for any more.
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, [reexecEnv]: '1' },
    });
    const forward = (signal: NodeJS.Signals) => (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    const onSigint = forward('SIGINT');
    const onSigterm = forward('SIGTERM');
    const onSighup = forward('SIGHUP');
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
    process.on('SIGHUP', onSighup);
    const cleanup = (): void => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
      process.off('SIGHUP', onSighup);
    };
    child.once('error', (error) => {
      cleanup();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      cleanup();
      if (code !== null) resolve(code);
      else resolve(128 + (signal !== null ? (constants.signals[signal] ?? 1) : 1));
    });
  });
}

/**
 * `@pc/cli`: the `pc` command line for Partner Center licenses analytics. The bin calls
 * {@link main}; {@link run} is the same with injectable streams (tests, embedding).
 * @packageDocumentation
 */
import { licensesModule } from '@pc/analytics';
import type { RunState } from './commands/action.js';
import { configFilePath, moduleNames, readConfig } from './config.js';
import { UnsafeConfigError } from './configSafety.js';
import { type CliIo, createContext } from './context.js';
import { ExitCode, reportError } from './exitCodes.js';
import { tuneHeap } from './heap.js';
import { loadModules } from './moduleLoader.js';
import { profileFlag, profileView, selectProfile } from './profiles.js';
import { BrokenPipeError } from './output/sink.js';
import { buildProgram, CommanderError, commanderExitCode } from './program.js';
import { removeLeftovers } from './output/atomicFile.js';
import { terminalSafe } from './terminalText.js';

export type { CliIo, GlobalOptions } from './context.js';
export type { ConfigFile, Settings } from './config.js';
export { ExitCode, exitCodesHelp } from './exitCodes.js';
export type { ExitCodeValue } from './exitCodes.js';
export { configFilePath, resolveSettings } from './config.js';
export { outputFormats } from './output/format.js';
export type { OutputFormat } from './output/format.js';

function isHelpOrVersion(argv: readonly string[]): boolean {
  const first = argv[0];
  return (
    argv.length === 0 ||
    first === 'help' ||
    hasFlag(argv, '--help') ||
    hasFlag(argv, '-h') ||
    hasFlag(argv, '--version') ||
    hasFlag(argv, '-V')
  );
}

function hasFlag(argv: readonly string[], flag: string): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes(flag);
}

/** The signals that stop a command cleanly (its `--out` temp file removed), and their exit codes. */
const stoppingSignals = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
type StoppingSignal = keyof typeof stoppingSignals;

/**
 * Runs the CLI with the given arguments and streams; resolves to the exit code. SIGINT, SIGTERM
 * and SIGHUP abort the running command (exit 130, 143, 129; a partial `--out` file is removed); a
 * second signal (a second later) exits at once. Every command runs in this one process (no
 * re-execution, decisions/0019-cli-one-process-and-where-the-time-goes.md).
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const debug = hasFlag(argv, '--debug');
  const controller = new AbortController();
  let interrupted = false;
  let firstSignalAt = 0;
  let stoppedBy: StoppingSignal | undefined;
  const stop = (signal: StoppingSignal | undefined, reason: string): void => {
    // A second signal forces the exit only when it comes a second or more after the first (a
    // terminal may deliver one Ctrl-C to a process group more than once).
    if (interrupted) {
      if (Date.now() - firstSignalAt >= 1000) {
        removeLeftovers();
        process.exit(stoppingSignals[stoppedBy ?? 'SIGINT']);
      }
      return;
    }
    interrupted = true;
    stoppedBy = signal;
    firstSignalAt = Date.now();
    controller.abort(new Error(reason));
  };
  const handlers = (Object.keys(stoppingSignals) as StoppingSignal[]).map((signal) => {
    const handler = (): void => stop(signal, 'interrupted');
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  /** 130 from an interrupted command becomes the code of the signal that stopped it. */
  const withSignalCode = (code: number): number =>
    code === ExitCode.interrupted && stoppedBy !== undefined ? stoppingSignals[stoppedBy] : code;
  const bootstrapErr = (text: string): void => {
    io.stderr.write(text);
  };
  try {
    const configPath = configFilePath(io.env);
    let config: Awaited<ReturnType<typeof readConfig>>;
    try {
      config = await readConfig(configPath);
    } catch (error) {
      if (error instanceof UnsafeConfigError) {
        // Refused, as ssh refuses such files: nothing runs on settings another user may have
        // written (help and the version excepted, to read how to fix it).
        bootstrapErr(`pc: ${error.message}\n  ${error.hint ?? ''}\n`);
        if (!isHelpOrVersion(argv)) return ExitCode.error;
      } else {
        // A broken config file must not block `pc login`, `pc help` or `pc demo`: warn and go on.
        bootstrapErr(`pc: warning: ${(error as Error).message}; ignoring the config file\n`);
      }
      config = {};
    }
    let profile: ReturnType<typeof selectProfile>;
    try {
      profile = selectProfile({ flag: profileFlag(argv), env: io.env, config });
    } catch (error) {
      const report = reportError(error, { interrupted });
      bootstrapErr(`${report.lines.join('\n')}\n`);
      return report.exitCode;
    }
    const names = moduleNames(io.env, config);
    const external = await loadModules({
      names,
      cwd: io.cwd,
      onError: (name, error) => bootstrapErr(`pc: warning: module '${name}' not loaded: ${error.message}\n`),
    });
    const ctx = createContext({
      io,
      configPath,
      config: profileView(config, profile.name),
      fullConfig: config,
      profile: profile.name,
      modules: [licensesModule, ...external],
      signal: controller.signal,
      interrupted: () => interrupted,
    });
    const state: RunState = { exitCode: ExitCode.ok };
    const program = buildProgram(ctx, state);
    if (argv.length === 0) {
      program.outputHelp();
      return ExitCode.ok;
    }
    try {
      await program.parseAsync([...argv], { from: 'user' });
      return withSignalCode(state.exitCode);
    } catch (error) {
      if (error instanceof CommanderError) return commanderExitCode(error);
      if (error instanceof BrokenPipeError) return ExitCode.ok;
      const report = reportError(error, { interrupted });
      ctx.err(
        `${report.lines
          .flatMap((line) => line.split('\n'))
          .map((line) => terminalSafe(line))
          .join('\n')}\n`,
      );
      if (debug && error instanceof Error && error.stack !== undefined) {
        ctx.err(`${error.stack}\n`);
        if (error.cause instanceof Error && error.cause.stack !== undefined)
          ctx.err(`caused by: ${error.cause.stack}\n`);
      }
      return withSignalCode(report.exitCode);
    }
  } finally {
    for (const off of handlers) off();
    if (io.env.PC_REPORT_MAX_RSS === '1') {
      // For the memory test: the peak resident set of this process, in kB (ru_maxrss).
      io.stderr.write(`pc: max-rss-kb ${process.resourceUsage().maxRSS}\n`);
    }
  }
}

/**
 * Runs the CLI with the given arguments and resolves to the process exit code. The bin's entry:
 * it also tunes this process's heap for large downloads (`heap.ts`), which {@link run} leaves to
 * its embedder.
 */
export async function main(argv: readonly string[]): Promise<number> {
  tuneHeap();
  return run(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  });
}

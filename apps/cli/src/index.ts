/**
 * `@pc/cli`: the `pc` command line for Partner Center licenses analytics. The bin calls
 * {@link main}; {@link run} is the same with injectable streams (tests, embedding).
 * @packageDocumentation
 */
import { licensesModule } from '@pc/analytics';
import type { RunState } from './commands/action.js';
import { configFilePath, moduleNames, readConfig } from './config.js';
import { type CliIo, createContext } from './context.js';
import { ExitCode, reportError } from './exitCodes.js';
import { loadModules } from './moduleLoader.js';
import { profileFlag, profileView, selectProfile } from './profiles.js';
import { BrokenPipeError } from './output/sink.js';
import { buildProgram, CommanderError, commanderExitCode } from './program.js';
import { reexec, shouldReexec } from './reexec.js';

export type { CliIo, GlobalOptions } from './context.js';
export type { ConfigFile, Settings } from './config.js';
export { ExitCode, exitCodesHelp } from './exitCodes.js';
export type { ExitCodeValue } from './exitCodes.js';
export { configFilePath, resolveSettings } from './config.js';
export { outputFormats } from './output/format.js';
export type { OutputFormat } from './output/format.js';

function hasFlag(argv: readonly string[], flag: string): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes(flag);
}

/**
 * Runs the CLI with the given arguments and streams; resolves to the exit code. SIGINT aborts
 * the running command (exit 130); a second SIGINT (a second later) exits at once.
 */
export async function run(
  argv: readonly string[],
  io: CliIo,
  options: { reexec?: () => Promise<number> } = {},
): Promise<number> {
  const debug = hasFlag(argv, '--debug');
  const controller = new AbortController();
  let interrupted = false;
  let firstSigintAt = 0;
  const onSigint = (): void => {
    // A terminal's Ctrl-C reaches a re-executed child twice (directly and forwarded): a second
    // SIGINT only forces the exit when it comes a second or more after the first.
    if (interrupted) {
      if (Date.now() - firstSigintAt >= 1000) process.exit(ExitCode.interrupted);
      return;
    }
    interrupted = true;
    firstSigintAt = Date.now();
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  const bootstrapErr = (text: string): void => {
    io.stderr.write(text);
  };
  try {
    const configPath = configFilePath(io.env);
    let config: Awaited<ReturnType<typeof readConfig>>;
    try {
      config = await readConfig(configPath);
    } catch (error) {
      // A broken config file must not block `pc login`, `pc help` or `pc demo`: warn and go on.
      bootstrapErr(`pc: warning: ${(error as Error).message}; ignoring the config file\n`);
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
      ...(options.reexec !== undefined ? { reexec: options.reexec } : {}),
    });
    const state: RunState = { exitCode: ExitCode.ok };
    const program = buildProgram(ctx, state);
    if (argv.length === 0) {
      program.outputHelp();
      return ExitCode.ok;
    }
    try {
      await program.parseAsync([...argv], { from: 'user' });
      return state.exitCode;
    } catch (error) {
      if (error instanceof CommanderError) return commanderExitCode(error);
      if (error instanceof BrokenPipeError) return ExitCode.ok;
      const report = reportError(error, { interrupted });
      ctx.err(`${report.lines.join('\n')}\n`);
      if (debug && error instanceof Error && error.stack !== undefined) {
        ctx.err(`${error.stack}\n`);
        if (error.cause instanceof Error && error.cause.stack !== undefined)
          ctx.err(`caused by: ${error.cause.stack}\n`);
      }
      return report.exitCode;
    }
  } finally {
    process.off('SIGINT', onSigint);
    if (io.env.PC_REPORT_MAX_RSS === '1') {
      // For the memory test: the peak resident set of this process, in kB (ru_maxrss).
      io.stderr.write(`pc: max-rss-kb ${process.resourceUsage().maxRSS}\n`);
    }
  }
}

/** Runs the CLI with the given arguments and resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const script = process.argv[1];
  const canReexec = script !== undefined && shouldReexec({ env: process.env, execArgv: process.execArgv });
  return run(
    argv,
    {
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: process.stdin,
      env: process.env,
      cwd: process.cwd(),
    },
    canReexec ? { reexec: () => reexec(argv, script) } : {},
  );
}

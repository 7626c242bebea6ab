import {
  type AnalyticsClient,
  type ClientOptions,
  createClient,
  type InvalidRowPolicy,
  type InvalidRowsReport,
} from '@pc/analytics';
import type { Command } from 'commander';
import { missingCredentials, type Settings } from './config.js';
import { credentialModeOf, runtimeTokenProvider, trustedCa } from './credentials.js';
import type { CliContext, GlobalOptions } from './context.js';
import { UsageError } from './exitCodes.js';
import { createProgress, progressMode, type Progress } from './progress.js';

/** Per-command client tuning from flags. */
export interface ClientTuning {
  readonly concurrency?: number | undefined;
  readonly pageSize?: number | undefined;
  /** Retries after the first attempt. */
  readonly retries?: number | undefined;
  /** What a read does with unusable rows. */
  readonly invalidRows?: InvalidRowPolicy | undefined;
  /** Rows set aside under `report`. */
  readonly onInvalidRows?: ((event: InvalidRowsReport) => void) | undefined;
  /** The page limit of one read. */
  readonly maxPages?: number | undefined;
}

/** The flags of the row policy and the page limit, shared by list and insight commands. */
export interface RowPolicyFlags {
  readonly invalidRows?: string;
  readonly rejects?: string;
  readonly maxPages?: string;
}

/** Adds `--invalid-rows`, `--rejects` and `--max-pages` to a command that reads rows. */
export function addRowPolicyOptions(command: Command): Command {
  return command
    .option(
      '--invalid-rows <policy>',
      'unusable rows (a count that is not a number): report (write every other row, say so on stderr, exit 6), skip, or throw (default report)',
    )
    .option(
      '--rejects <file>',
      'write the rows set aside to FILE, one JSON line each (page, JSON path, message, row)',
    )
    .option(
      '--max-pages <n>',
      'stop a read that takes more pages than this (default 10000): a server that pages forever',
    );
}

/** Parses a whole-number flag value from `min` (default 1) to `max` (usage error otherwise). */
export function parsePositiveInt(
  value: string | undefined,
  flag: string,
  max?: number,
  min = 1,
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${flag} must be a whole number, got '${value}'`);
  const number = Number(value);
  if (number < min) throw new UsageError(`${flag} must be at least ${min}, got '${value}'`);
  if (max !== undefined && number > max)
    throw new UsageError(`${flag} must be at most ${max}, got '${value}'`);
  return number;
}

/** The progress display of a command, from the global flags and the terminal. */
export function progressFor(
  ctx: CliContext,
  globals: GlobalOptions,
  label: string,
  locale?: string,
  options: { rowsToTerminal?: boolean } = {},
): Progress {
  const chosen = progressMode({
    stderrIsTTY: ctx.io.stderr.isTTY === true,
    env: ctx.io.env,
    disabled: globals.progress === false || globals.quiet === true,
  });
  // Rows scrolling on the same terminal would tear a redrawn line: print whole lines instead.
  const mode = chosen === 'tty' && options.rowsToTerminal === true ? 'plain' : chosen;
  return createProgress({
    mode,
    label,
    write: (text) => ctx.err(text),
    ...(locale !== undefined ? { locale } : {}),
  });
}

/**
 * Checks that the run has credentials (exit 4 otherwise) before any work starts. The provider
 * itself is built by {@link createCliClient}.
 */
export function credentialOptions(ctx: CliContext, settings: Settings): void {
  if (credentialModeOf(ctx, settings) === undefined) throw missingCredentials();
}

/** Creates the SDK client for a command, with progress, warnings and `--debug` tracing wired in. */
export async function createCliClient(
  ctx: CliContext,
  input: { settings: Settings; globals: GlobalOptions; progress: Progress; tuning?: ClientTuning },
): Promise<AnalyticsClient> {
  const { settings, globals, progress, tuning } = input;
  const ca = await trustedCa(ctx, globals);
  const { provider } = await runtimeTokenProvider(ctx, { settings, ca });
  const debug = globals.debug === true;
  const options: ClientOptions = {
    baseUrl: settings.baseUrl.value,
    locale: settings.apiLocale.value,
    applicationName: 'pc-cli',
    modules: ctx.modules.filter((module) => module.name !== 'licenses'),
    tokenProvider: provider,
    ...(ca !== undefined ? { ca } : {}),
    ...(tuning?.concurrency !== undefined ? { concurrency: tuning.concurrency } : {}),
    ...(tuning?.pageSize !== undefined ? { pageSize: tuning.pageSize } : {}),
    ...(tuning?.retries !== undefined ? { retry: { maxAttempts: tuning.retries + 1 } } : {}),
    ...ctx.network(),
    ...(tuning?.invalidRows !== undefined ? { invalidRows: tuning.invalidRows } : {}),
    ...(tuning?.maxPages !== undefined ? { maxPages: tuning.maxPages } : {}),
    hooks: {
      ...(tuning?.onInvalidRows !== undefined ? { onInvalidRows: tuning.onInvalidRows } : {}),
      onPage: (event) => progress.page(event),
      onRetry: (event) => {
        // A 401 retry is the one-off token refresh, not a wait worth showing.
        if (event.status !== 401) progress.retry(event);
        if (debug)
          ctx.err(
            `debug: retry after attempt ${event.attempt}: ${event.reason} (request id ${event.requestId})\n`,
          );
      },
      onWarning: (message) => {
        if (globals.quiet !== true) progress.message(`pc: warning: ${message}`);
      },
      ...(debug
        ? {
            onRequest: (event: { method: string; url: string; requestId: string; attempt: number }) => {
              progress.message(
                `debug: ${event.method} ${event.url} attempt ${event.attempt} request id ${event.requestId}`,
              );
            },
            onResponse: (event: {
              status: number;
              url: string;
              requestId: string;
              durationMs: number;
              bytes: number;
            }) => {
              progress.message(
                `debug: ${event.status} ${event.url} ${Math.round(event.durationMs)} ms ${event.bytes} bytes request id ${event.requestId}`,
              );
            },
          }
        : {}),
    },
  };
  return createClient(options);
}

import { isFilterSyntaxError } from '@pc/odata-query';
import { isPartnerCenterError, type PartnerCenterError } from '@pc/transport';

/** The exit codes of `pc`, as `pc help exit-codes` documents them. */
export const ExitCode = {
  /** Success. */
  ok: 0,
  /** An API error or an unexpected error. */
  error: 1,
  /** A usage error: bad flag, bad value, bad filter. */
  usage: 2,
  /** The resource was not found (HTTP 404). */
  notFound: 3,
  /** No credentials, or the API refused them (401, 403). */
  auth: 4,
  /** Throttled (429) and out of retries. */
  throttled: 5,
  /** Rows the service sent could not be used: set aside (every good row written), or the read stopped (`--invalid-rows throw`). */
  rowsSetAside: 6,
  /** Interrupted (SIGINT). */
  interrupted: 130,
} as const;

/** One of the documented exit codes. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The text of `pc help exit-codes`. */
export const exitCodesHelp = `Exit codes

  0    success
  1    API error or unexpected error
  2    usage error: unknown command or flag, bad value, bad --filter (the message shows
       the filter with a caret under the fault), unknown --groupby or --fields field
  3    not found (HTTP 404)
  4    authentication or authorization: no credentials configured, the token endpoint
       refused them, or the API answered 401 or 403
  5    throttled: the API kept answering 429 and the retries ran out
  6    unusable rows: the service sent rows that could not be read (a count that is not
       a number). With --invalid-rows report (the default) every other row is written,
       stderr says how many were set aside with the page and JSON path of the first
       few, and --rejects FILE keeps them; with --invalid-rows throw the read stops
  130  interrupted (Ctrl-C / SIGINT); an --out file is not written

Errors are written to stderr in one or two lines: what failed, then the server's own
error code, its explanation and the request id. Add --debug for the stack trace.

After an error in the middle of a download, stdout stays a valid document up to the
last complete row (json closes its array; ndjson, csv and tsv end at a row boundary)
and the exit code says the download failed. An --out file is not written at all.
`;

/** An error the CLI raises itself, with the exit code it maps to. */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  /** The process exit code this error maps to. */
  readonly exitCode: ExitCodeValue;
  /** An optional second line (a hint). */
  readonly hint: string | undefined;

  constructor(message: string, options: { exitCode?: ExitCodeValue; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = options.exitCode ?? ExitCode.error;
    this.hint = options.hint;
  }
}

/** A usage error (exit 2). */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  constructor(message: string, hint?: string) {
    super(message, hint === undefined ? { exitCode: ExitCode.usage } : { exitCode: ExitCode.usage, hint });
  }
}

/** How an error is reported: its exit code and the one or two lines for stderr. */
export interface ErrorReport {
  readonly exitCode: ExitCodeValue;
  readonly lines: readonly string[];
}

/** Maps a Partner Center error to its exit code. */
export function exitCodeOf(error: PartnerCenterError, interrupted: boolean): ExitCodeValue {
  if (error.code === 'ABORTED') return interrupted ? ExitCode.interrupted : ExitCode.error;
  if (error.code === 'AUTH' || error.status === 401 || error.status === 403) return ExitCode.auth;
  if (error.code === 'THROTTLED' || error.status === 429) return ExitCode.throttled;
  if (error.status === 404) return ExitCode.notFound;
  if (error.code === 'INVALID_REQUEST') return ExitCode.usage;
  if (error.code === 'INVALID_ROW') return ExitCode.rowsSetAside;
  return ExitCode.error;
}

function partnerCenterLines(error: PartnerCenterError): string[] {
  const first = `pc: ${error.message}`;
  const details: string[] = [];
  if (error.pcCode !== undefined && !error.message.includes(String(error.pcCode))) {
    details.push(`Partner Center code ${String(error.pcCode)}`);
  }
  // Descriptions can run over several lines (Entra adds trace ids and timestamps): keep the first.
  const description = error.description?.split(/\r?\n/)[0]?.trim();
  if (description !== undefined && description !== '' && !error.message.includes(description)) {
    details.push(description);
  }
  if (error.requestId !== undefined && !error.message.includes(error.requestId)) {
    details.push(`request id ${error.requestId}`);
  }
  return details.length === 0 ? [first] : [first, `  ${details.join(' | ')}`];
}

function isAbortError(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'AbortError' || (error as { code?: unknown }).code === 'ABORT_ERR')
  );
}

/** The hint under every refused or expired login. */
export const signInAgain =
  'to sign in again: pc login --device-code (or --browser, --certificate FILE, --refresh-token -); add --profile NAME for a named profile';

/** Turns any thrown value into an exit code and the lines to print. */
export function reportError(error: unknown, options: { interrupted: boolean }): ErrorReport {
  if (
    options.interrupted &&
    (isAbortError(error) || (isPartnerCenterError(error) && error.code === 'ABORTED'))
  ) {
    return { exitCode: ExitCode.interrupted, lines: ['pc: interrupted'] };
  }
  if (isPartnerCenterError(error)) {
    const exitCode = exitCodeOf(error, options.interrupted);
    const lines = partnerCenterLines(error);
    // A refused or expired login: say how to get a new one.
    if (exitCode === ExitCode.auth && (error.code === 'AUTH' || error.status === 401))
      lines.push(`  ${signInAgain}`);
    return { exitCode, lines };
  }
  if (isFilterSyntaxError(error)) {
    return { exitCode: ExitCode.usage, lines: [`pc: invalid --filter: ${error.message}`] };
  }
  if (error instanceof CliError) {
    return {
      exitCode: error.exitCode,
      lines:
        error.hint === undefined ? [`pc: ${error.message}`] : [`pc: ${error.message}`, `  ${error.hint}`],
    };
  }
  if (options.interrupted) return { exitCode: ExitCode.interrupted, lines: ['pc: interrupted'] };
  const message = error instanceof Error ? error.message : String(error);
  return { exitCode: ExitCode.error, lines: [`pc: ${message}`] };
}

import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { InvalidRowPolicy, InvalidRowsReport } from '@pc/analytics';
import type { CliContext } from './context.js';
import { ExitCode, UsageError } from './exitCodes.js';

/** The `--invalid-rows` values. */
export const invalidRowPolicies: readonly InvalidRowPolicy[] = ['report', 'skip', 'throw'];

/** Checks `--invalid-rows` (default `report`). */
export function parseInvalidRows(value: string | undefined): InvalidRowPolicy {
  if (value === undefined) return 'report';
  if ((invalidRowPolicies as readonly string[]).includes(value)) return value as InvalidRowPolicy;
  throw new UsageError(`--invalid-rows must be one of ${invalidRowPolicies.join(', ')}, got '${value}'`);
}

/** How many set-aside rows stderr names one by one. */
const shownOnStderr = 3;

/**
 * Collects the rows a read set aside as unusable (`--invalid-rows report`): counts them, keeps the
 * first few for stderr, and writes each to `--rejects FILE` as one JSON line
 * (`{"endpoint","page","path","message","requestId","row"}`; `page` is 1-based).
 */
export class RejectCollector {
  #count = 0;
  readonly #first: string[] = [];
  readonly #file: WriteStream | undefined;
  #fileError: Error | undefined;

  private constructor(file: WriteStream | undefined) {
    this.#file = file;
    file?.on('error', (error) => {
      this.#fileError = error;
    });
  }

  /** Opens the collector; `--rejects FILE` is created (or truncated) before any request. */
  static async open(path: string | undefined): Promise<RejectCollector> {
    if (path === undefined) return new RejectCollector(undefined);
    if (path === '') throw new UsageError('--rejects needs a file name');
    const stream = createWriteStream(path, { flags: 'w', mode: 0o600 });
    try {
      await once(stream, 'open');
    } catch (error) {
      throw new UsageError(`--rejects: cannot write ${path}: ${(error as Error).message}`);
    }
    return new RejectCollector(stream);
  }

  /** Rows set aside so far. */
  get count(): number {
    return this.#count;
  }

  /** The SDK hook (`hooks.onInvalidRows`). */
  readonly add = (event: InvalidRowsReport): void => {
    for (const rejected of event.rows) {
      this.#count += 1;
      if (this.#first.length < shownOnStderr) {
        this.#first.push(`page ${event.pageIndex + 1}, ${rejected.path}: ${rejected.message}`);
      }
      this.#file?.write(
        `${JSON.stringify({
          endpoint: event.endpointId,
          page: event.pageIndex + 1,
          path: rejected.path,
          message: rejected.message,
          requestId: event.requestId,
          row: rejected.row,
        })}\n`,
      );
    }
  };

  /** Closes `--rejects FILE`. */
  async close(): Promise<void> {
    const file = this.#file;
    if (file === undefined || file.closed) return;
    const closed = once(file, 'close');
    file.end();
    await closed.catch(() => undefined);
    if (this.#fileError !== undefined) throw this.#fileError;
  }

  /**
   * Prints the summary on stderr when rows were set aside and returns the exit code: 0, or
   * {@link ExitCode.rowsSetAside} (every good row was written; some rows were not).
   */
  finish(ctx: CliContext, rejectsPath: string | undefined): number {
    if (this.#count === 0) return ExitCode.ok;
    const where =
      rejectsPath === undefined ? ' (add --rejects FILE to keep them)' : ` (written to ${rejectsPath})`;
    const lines = [
      `pc: ${this.#count} unusable ${this.#count === 1 ? 'row was' : 'rows were'} set aside${where}; every other row was written`,
      ...this.#first.map((line) => `  ${line}`),
      ...(this.#count > this.#first.length ? [`  ... and ${this.#count - this.#first.length} more`] : []),
    ];
    ctx.err(`${lines.join('\n')}\n`);
    return ExitCode.rowsSetAside;
  }
}

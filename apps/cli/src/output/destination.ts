import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { type SettingSource, splitList } from '../config.js';
import type { CliContext, GlobalOptions } from '../context.js';
import { CliError, ExitCode, UsageError } from '../exitCodes.js';
import { resolveFieldName } from '../fieldNames.js';
import { useColor } from '../color.js';
import { openAtomicFile, type AtomicFile } from './atomicFile.js';
import { extensionFormats, type OutputColumn, type OutputFormat } from './format.js';
import { TextSink } from './sink.js';
import { excelDelimiterFor, parseDelimiter } from './spreadsheetSafety.js';
import { createRowWriter, jsoncText, type RowWriter, yamlValue } from './writers.js';
import { createXlsxRowWriter } from './xlsx.js';

/** The columns to print and whether rows are cut down to them (`--fields`). */
export interface ColumnSelection {
  readonly columns: readonly OutputColumn[];
  readonly project: boolean;
}

/**
 * Applies `--fields a,b` to the available columns (names without regard to case; `*` for all);
 * without `--fields`, `defaults` (the curated set a terminal table shows) when given, else all.
 * @throws {@link UsageError} (exit 2) for an unknown field, with "did you mean".
 */
export function selectColumns(
  available: readonly OutputColumn[],
  fields: string | undefined,
  defaults?: readonly OutputColumn[],
): ColumnSelection {
  if (fields === undefined) {
    return defaults === undefined
      ? { columns: available, project: false }
      : { columns: defaults, project: true };
  }
  const names = splitList(fields);
  if (names.length === 0) throw new UsageError('--fields needs at least one field name (or * for all)');
  if (names.length === 1 && names[0] === '*') return { columns: available, project: false };
  const byName = new Map(available.map((column) => [column.name, column]));
  const known = available.map((column) => column.name);
  const columns = names.map((name) => byName.get(resolveFieldName(name, known, '--fields'))!);
  return { columns, project: true };
}

/**
 * The output format, in this order: `-o` on the command line; else, with `--out FILE`, the
 * file's extension ({@link extensionFormats}; an unknown one is a usage error); else `PC_OUTPUT`
 * or the config file; else `table` on a terminal and `json` otherwise.
 * @throws {@link UsageError} (exit 2) when `--out` names a file whose extension is not known.
 */
export function chooseFormat(input: {
  configured: OutputFormat | undefined;
  /** Where `configured` came from; only a `flag` beats the extension of `--out`. */
  configuredSource?: SettingSource | undefined;
  outFile: string | undefined;
  stdoutIsTTY: boolean;
}): OutputFormat {
  const fromFlag = input.configuredSource === undefined || input.configuredSource === 'flag';
  if (input.configured !== undefined && fromFlag) return input.configured;
  if (input.outFile !== undefined) {
    const match = /\.[^./\\]+$/.exec(input.outFile.toLowerCase());
    const format = match !== null ? extensionFormats[match[0]] : undefined;
    if (format !== undefined) return format;
    throw new UsageError(
      match === null
        ? `cannot tell the format of --out '${input.outFile}': it has no extension`
        : `cannot tell the format of --out '${input.outFile}': unknown extension '${match[0]}'`,
      `use one of ${Object.keys(extensionFormats).join(' ')}, or choose the format with -o`,
    );
  }
  if (input.configured !== undefined) return input.configured;
  return input.stdoutIsTTY ? 'table' : 'json';
}

const ioMessages: Record<string, string> = {
  ENOENT: 'no such directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EEXIST: 'a temporary file of that name exists',
};

/**
 * An error about the `--out` file in the user's words: it names the path the user gave, never
 * the temporary file beside it. Exit 2 when the path itself is wrong (no such directory, a
 * directory), 1 otherwise.
 */
export function outFileError(path: string, error: unknown): CliError {
  if (error instanceof CliError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = (code !== undefined ? ioMessages[code] : undefined) ?? (error as Error).message;
  const usage = code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
  return new CliError(`cannot write --out '${path}': ${reason}`, {
    exitCode: usage ? ExitCode.usage : ExitCode.error,
    cause: error,
    ...(code === 'ENOENT' ? { hint: `create the directory '${dirname(resolve(path))}' first` } : {}),
  });
}

/** An open output: the writer, and how to finish or give up. */
export interface OutputHandle {
  readonly format: OutputFormat;
  /** The current writer (a restart replaces it). */
  readonly writer: RowWriter;
  /** Ends the document; with `--out`, renames the temp file into place. */
  finish(): Promise<void>;
  /**
   * After an error mid-download: drops a partly written `--out` file; on stdout, ends the
   * document at the last complete row (json closes its array, ndjson/csv/tsv end on a row
   * boundary), since what was written cannot be taken back.
   */
  fail(): Promise<void>;
  /**
   * Writes one value as the whole document (a `--query` result that is not a list): JSON-like
   * formats print the value itself, tabular ones a one-row table. Then finishes like `finish`.
   */
  document(value: unknown): Promise<void>;
  /** The `--out` path, when the output goes to a file. */
  readonly path: string | undefined;
  /**
   * The read started over (the data was refreshed under it): an `--out` file starts again,
   * empty; stdout cannot take back what it wrote, so the document is ended and a `CliError` says so.
   */
  restart(): Promise<void>;
}

/** Opens stdout or an atomic `--out` file with the writer of the chosen format. */
export async function openOutput(
  ctx: CliContext,
  input: {
    globals: GlobalOptions;
    format: OutputFormat;
    selection: ColumnSelection | undefined;
    locale: string;
    /** The sheet name of `xlsx` output (default `Data`). */
    title?: string;
  },
): Promise<OutputHandle> {
  const { globals, format, selection } = input;
  if (format === 'xlsx' && globals.out === undefined && ctx.io.stdout.isTTY === true) {
    throw new UsageError('xlsx is a binary file format', 'add --out FILE.xlsx, or redirect stdout to a file');
  }
  const spreadsheet = spreadsheetOptions(globals, input.locale);
  const target = globals.out;
  if (target === '') throw new UsageError('--out needs a file name');
  const openFile = async (path: string): Promise<AtomicFile> => {
    try {
      return await openAtomicFile(path);
    } catch (error) {
      throw outFileError(path, error);
    }
  };
  let file: AtomicFile | undefined = target === undefined ? undefined : await openFile(target);
  const toTerminal = file === undefined && ctx.io.stdout.isTTY === true;
  // tsv on a pipe has no header (az; `while read` loops get data only); --headers forces one.
  const headers =
    globals.headers ?? !(format === 'tsv' && file === undefined && ctx.io.stdout.isTTY !== true);
  const color =
    toTerminal && useColor({ isTTY: true, env: ctx.io.env, noColorFlag: globals.color === false });
  const commit = async (): Promise<void> => {
    try {
      await file?.commit();
    } catch (error) {
      throw outFileError(target ?? '', error);
    }
  };
  let sink = new TextSink(file?.stream ?? ctx.io.stdout);
  const open = (): RowWriter => {
    sink = new TextSink(file?.stream ?? ctx.io.stdout);
    return format === 'xlsx'
      ? createXlsxRowWriter({
          stream: file?.stream ?? (ctx.io.stdout as Writable),
          sheetName: input.title ?? 'Data',
          columns: selection?.columns,
          escapeFormulas: spreadsheet.escapeFormulas,
        })
      : createRowWriter({
          format,
          sink,
          columns: selection?.columns,
          project: selection?.project === true,
          locale: input.locale,
          color,
          width: toTerminal ? ctx.io.stdout.columns : undefined,
          headers,
          // Locale numbers and dates only for a person: a terminal, or a table written to a .txt file.
          humanValues: toTerminal || file !== undefined,
          ...spreadsheet,
        });
  };
  let writer = open();
  let ended = false;
  return {
    format,
    get writer() {
      return writer;
    },
    path: target,
    async finish() {
      ended = true;
      await writer.end();
      await commit();
    },
    async fail() {
      if (file !== undefined) {
        await file.abort();
        return;
      }
      if (ended) return;
      ended = true;
      // Whole rows only reach the sink, so ending the document here cuts at a row boundary.
      await writer.end().catch(() => undefined);
    },
    async restart() {
      if (file === undefined || target === undefined) {
        throw new CliError(
          'the data was refreshed during the download and the read started over, but stdout already holds rows of the old data',
          { hint: 'run the command again, or use --out FILE (which starts the file over by itself)' },
        );
      }
      await file.abort();
      file = await openFile(target);
      writer = open();
    },
    async document(value) {
      ended = true;
      if (format === 'json' || format === 'ndjson') {
        sink.write(`${JSON.stringify(value, null, format === 'json' ? 2 : undefined) ?? 'null'}\n`);
      } else if (format === 'jsonc') {
        sink.write(`${jsoncText(value, color)}\n`);
      } else if (format === 'yaml') {
        sink.write(`${yamlValue(value)}\n`);
      } else {
        const wait = writer.write(value);
        if (wait !== undefined) await wait;
        await writer.end();
        await commit();
        return;
      }
      await sink.close();
      await commit();
    },
  };
}

/** The spreadsheet settings of `--bom`, `--delimiter` and `--no-escape-formulas`. */
export interface SpreadsheetOptions {
  readonly bom: boolean;
  readonly delimiter: string;
  readonly escapeFormulas: boolean;
}

/**
 * Resolves `--bom`, `--delimiter` (default from the display locale, see `excelDelimiterFor`) and
 * `--no-escape-formulas`. A bad delimiter is a usage error.
 */
export function spreadsheetOptions(globals: GlobalOptions, locale: string): SpreadsheetOptions {
  let delimiter: string;
  try {
    delimiter =
      globals.delimiter === undefined ? excelDelimiterFor(locale) : parseDelimiter(globals.delimiter);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return { bom: globals.bom === true, delimiter, escapeFormulas: globals.escapeFormulas !== false };
}

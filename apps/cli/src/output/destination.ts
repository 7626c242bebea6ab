import type { Writable } from 'node:stream';
import { splitList } from '../config.js';
import type { CliContext, GlobalOptions } from '../context.js';
import { CliError, UsageError } from '../exitCodes.js';
import { useColor } from '../color.js';
import { openAtomicFile, type AtomicFile } from './atomicFile.js';
import { resolveOutTarget } from './outTarget.js';
import type { OutputColumn, OutputFormat } from './format.js';
import { TextSink } from './sink.js';
import { excelDelimiterFor, parseDelimiter } from './spreadsheetSafety.js';
import { createRowWriter, type RowWriter } from './writers.js';
import { createXlsxRowWriter } from './xlsx.js';

/** The columns to print and whether rows are cut down to them (`--fields`). */
export interface ColumnSelection {
  readonly columns: readonly OutputColumn[];
  readonly project: boolean;
}

/** Applies `--fields a,b` to the available columns; an unknown field is a usage error. */
export function selectColumns(
  available: readonly OutputColumn[],
  fields: string | undefined,
): ColumnSelection {
  if (fields === undefined) return { columns: available, project: false };
  const names = splitList(fields);
  if (names.length === 0) throw new UsageError('--fields needs at least one field name');
  const byName = new Map(available.map((column) => [column.name.toLowerCase(), column]));
  const columns = names.map((name) => {
    const column = byName.get(name.toLowerCase());
    if (column === undefined) {
      throw new UsageError(
        `unknown field '${name}' in --fields`,
        `available: ${available.map((c) => c.name).join(', ')}`,
      );
    }
    return column;
  });
  return { columns, project: true };
}

const extensionFormats: Record<string, OutputFormat> = {
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.xlsx': 'xlsx',
};

/**
 * The output format: `--output`, else `PC_OUTPUT`, else the config file; else, for `--out FILE`,
 * the file's extension (json when unknown); else `table` on a TTY and `json` otherwise.
 */
export function chooseFormat(input: {
  configured: OutputFormat | undefined;
  outFile: string | undefined;
  stdoutIsTTY: boolean;
}): OutputFormat {
  if (input.configured !== undefined) return input.configured;
  if (input.outFile !== undefined) {
    const match = /\.[^./\\]+$/.exec(input.outFile.toLowerCase());
    return (match !== null ? extensionFormats[match[0]] : undefined) ?? 'json';
  }
  return input.stdoutIsTTY ? 'table' : 'json';
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
  const target = globals.out === undefined ? undefined : await resolveOutTarget(globals.out);
  let file: AtomicFile | undefined = target === undefined ? undefined : await openAtomicFile(target);
  const toTerminal = file === undefined && ctx.io.stdout.isTTY === true;
  let xlsx: (RowWriter & { abort(): void }) | undefined;
  const open = (): RowWriter => {
    if (format === 'xlsx') {
      xlsx = createXlsxRowWriter({
        stream: file?.stream ?? (ctx.io.stdout as Writable),
        sheetName: input.title ?? 'Data',
        columns: selection?.columns,
        escapeFormulas: spreadsheet.escapeFormulas,
      });
      return xlsx;
    }
    return createRowWriter({
      format,
      sink: new TextSink(file?.stream ?? ctx.io.stdout),
      columns: selection?.columns,
      project: selection?.project === true,
      locale: input.locale,
      color: toTerminal && useColor({ isTTY: true, env: ctx.io.env, noColorFlag: globals.color === false }),
      width: toTerminal ? ctx.io.stdout.columns : undefined,
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
    async finish() {
      ended = true;
      await writer.end();
      await file?.commit();
    },
    async fail() {
      // An xlsx writer stops feeding its destination first (a zip cannot be cut at a row).
      xlsx?.abort();
      if (file !== undefined) {
        await file.abort();
        return;
      }
      if (ended || xlsx !== undefined) return;
      ended = true;
      // Whole rows only reach the sink, so ending the document here cuts at a row boundary.
      await writer.end().catch(() => undefined);
    },
    async restart() {
      if (file === undefined || target === undefined || target.kind === 'through') {
        throw new CliError(
          `the data was refreshed during the download and the read started over, but ${target?.kind === 'through' ? target.path : 'stdout'} already holds rows of the old data`,
          { hint: 'run the command again, or use --out FILE (which starts the file over by itself)' },
        );
      }
      xlsx?.abort();
      await file.abort();
      file = await openAtomicFile(target);
      writer = open();
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

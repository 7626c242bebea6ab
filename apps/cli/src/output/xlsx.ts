import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import { createRequire } from 'node:module';
import type ExcelJS from 'exceljs';
import type { OutputColumn, OutputRow } from './format.js';
import { escapeFormula } from './spreadsheetSafety.js';
import type { RowWriter } from './writers.js';
import { columnsFromRow } from './writers.js';

let excelJs: typeof ExcelJS | undefined;

/**
 * exceljs, loaded on first use: it and its dependencies are about 300 files, a third of the CLI's
 * start-up and tens of MB of RSS, and only xlsx output needs them (decisions/0019). A synchronous
 * `require` (exceljs is CommonJS) keeps the writer's constructor synchronous.
 */
function loadExcelJs(): typeof ExcelJS {
  excelJs ??= createRequire(import.meta.url)('exceljs') as typeof ExcelJS;
  return excelJs;
}

/** Options of {@link XlsxWorkbook}. */
export interface XlsxWorkbookOptions {
  /** Prefix text cells that start with `=`, `+`, `-`, `@`, tab or CR with `'` (default true). */
  readonly escapeFormulas?: boolean;
}

/** One sheet: its name, its columns, and optionally fixed widths (characters) per column. */
export interface XlsxSheetSpec {
  readonly name: string;
  /** The columns; when absent, taken from the first row. */
  readonly columns?: readonly OutputColumn[] | undefined;
  /** Column widths in characters; when absent, measured on the first rows. */
  readonly widths?: readonly number[];
}

/** Rows measured before the column widths are fixed (the streaming writer cannot widen later). */
const sampleRows = 200;
const maxWidth = 60;
const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

const numberFormats: Partial<Record<OutputColumn['display'], string>> = {
  ratio: '0.0%',
  percent: '0.0',
  date: 'yyyy-mm-dd hh:mm:ss',
};

/** Excel's sheet-name rules: at most 31 characters, none of `[]:*?/\`, unique in the workbook. */
function sheetName(name: string, taken: Set<string>): string {
  const base =
    name
      .replace(/[[\]:*?/\\]/g, ' ')
      .trim()
      .slice(0, 31) || 'Sheet';
  let candidate = base;
  for (let index = 2; taken.has(candidate.toLowerCase()); index++) {
    const suffix = ` (${index})`;
    candidate = base.slice(0, 31 - suffix.length) + suffix;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** The text width of a value as shown (for column widths). */
function shownLength(value: unknown, column: OutputColumn): number {
  if (value === null || value === undefined) return 0;
  if (column.display === 'date') return 19;
  if (column.display === 'ratio') return 7;
  if (typeof value === 'number') return value.toLocaleString('en-US').length;
  if (typeof value === 'string') return value.length;
  return JSON.stringify(value).length;
}

/**
 * An `.xlsx` workbook written with exceljs's streaming `WorkbookWriter`: rows are committed as
 * they come, never held (peak RSS per row count: bench/xlsx, decision 0016). Every sheet has a frozen, bold header
 * row, an autofilter over the data, column widths, and typed cells: numbers as numbers (`ratio`
 * columns formatted as percentages), ISO timestamps as dates, text as text (formula-escaped unless
 * turned off), nested values as JSON text.
 */
export class XlsxWorkbook {
  readonly #workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  readonly #escape: boolean;
  readonly #names = new Set<string>();
  readonly #done: Promise<void>;
  readonly #zip: PassThrough;
  readonly #stream: Writable;
  #failure: Error | undefined;
  /** Rejects with the first failure of the destination or the zip stream (so no wait outlives it). */
  readonly #failed: Promise<never>;
  #sheet: XlsxSheet | undefined;

  /** Writes the workbook to `stream`; the stream is not ended (the caller owns it). */
  constructor(stream: Writable, options: XlsxWorkbookOptions = {}) {
    const zip = new PassThrough();
    this.#zip = zip;
    this.#stream = stream;
    // A failing destination (disk full, closed pipe) is remembered and thrown by the next call,
    // never left as an unhandled 'error' event that would hide the cause.
    let fail: (error: Error) => void = () => undefined;
    this.#failed = new Promise<never>((_, reject) => {
      fail = reject;
    });
    this.#failed.catch(() => undefined);
    const remember = (error: Error) => {
      this.#failure ??= error;
      fail(error);
    };
    stream.on('error', remember);
    zip.on('error', remember);
    zip.pipe(stream, { end: false });
    this.#done = once(zip, 'end').then(() => undefined);
    this.#workbook = new (loadExcelJs().stream.xlsx.WorkbookWriter)({
      stream: zip,
      useStyles: true,
      useSharedStrings: false,
    });
    this.#escape = options.escapeFormulas !== false;
  }

  /**
   * Starts a sheet. Commit the previous one first (`await sheet.commit()`).
   *
   * @throws Error when the previous sheet is not committed.
   */
  addSheet(spec: XlsxSheetSpec): XlsxSheet {
    if (this.#sheet !== undefined && !this.#sheet.committed) {
      throw new Error(`commit sheet '${this.#sheet.name}' before adding '${spec.name}'`);
    }
    const worksheet = this.#workbook.addWorksheet(sheetName(spec.name, this.#names), {
      views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }],
    });
    this.#sheet = new XlsxSheet(worksheet, spec, this.#escape);
    return this.#sheet;
  }

  /**
   * Resolves once the sheet's compressor and the zip stream have room again. Two kinds of
   * backpressure: a slow file or pipe (the zip stream is full), and compression slower than rows
   * arrive (the sheet's XML waits uncompressed in front of the compressor: about 400 bytes a row,
   * 520 MB of RSS at 10^6 rows before this wait, 137 MB with it; decision 0016).
   */
  async waitForRoom(): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    const compressor = this.#sheet?.compressorInput();
    if (compressor !== undefined) await Promise.race([once(compressor, 'drain'), this.#failed]);
    if (this.#zip.writableNeedDrain) await Promise.race([once(this.#zip, 'drain'), this.#failed]);
  }

  /** Bytes of the current sheet's XML waiting for the compressor (see {@link XlsxSheet.compressorBacklog}). */
  compressorBacklog(): number | undefined {
    return this.#sheet?.compressorBacklog();
  }

  /** Gives up: stops feeding the destination (which the caller then removes). */
  abort(): void {
    this.#zip.unpipe(this.#stream);
    this.#zip.destroy();
  }

  /** Commits the last sheet and the workbook, and waits until every byte reached the stream. */
  async commit(): Promise<void> {
    this.#sheet ??= this.addSheet({ name: 'Sheet1', columns: [] });
    await this.#sheet.commit();
    await this.#workbook.commit();
    await this.#done;
    if (this.#failure !== undefined) throw this.#failure;
  }
}

/** A readable-stream writable as exceljs pipes the sheet's XML into it (internals). */
type CompressorInput = NodeJS.EventEmitter & {
  readonly _writableState?: { readonly needDrain?: boolean; readonly length?: number };
};

/** One sheet of an {@link XlsxWorkbook}. */
export class XlsxSheet {
  readonly #worksheet: ExcelJS.Worksheet;
  readonly #escape: boolean;
  readonly #fixedWidths: readonly number[] | undefined;
  #columns: readonly OutputColumn[] | undefined;
  #pending: OutputRow[] = [];
  #started = false;
  #rows = 0;
  #committed = false;
  /** The sheet's name as given. */
  readonly name: string;

  constructor(worksheet: ExcelJS.Worksheet, spec: XlsxSheetSpec, escapeFormulas: boolean) {
    this.name = spec.name;
    this.#worksheet = worksheet;
    this.#escape = escapeFormulas;
    this.#columns = spec.columns;
    this.#fixedWidths = spec.widths;
  }

  /** Adds a row; the first rows are held back until the column widths are known. */
  addRow(row: OutputRow): void {
    if (!this.#started) {
      this.#pending.push(row);
      if (this.#pending.length >= sampleRows) this.#start();
      return;
    }
    this.#writeRow(row);
  }

  #start(): void {
    this.#started = true;
    const first = this.#pending[0];
    if (this.#columns === undefined) this.#columns = first === undefined ? [] : columnsFromRow(first);
    const columns = this.#columns;
    this.#worksheet.columns = columns.map((column, index) => {
      const header = column.label ?? column.name;
      const measured = Math.max(
        header.length,
        ...this.#pending.map((row) => shownLength(row[column.name], column)),
      );
      const numFmt = numberFormats[column.display];
      return {
        key: column.name,
        width: Math.min(maxWidth, this.#fixedWidths?.[index] ?? measured + 2),
        ...(numFmt === undefined ? {} : { style: { numFmt } }),
      };
    });
    const header = this.#worksheet.addRow(columns.map((column) => column.label ?? column.name));
    header.font = { bold: true };
    header.commit();
    const pending = this.#pending;
    this.#pending = [];
    for (const row of pending) this.#writeRow(row);
  }

  #cell(value: unknown, column: OutputColumn): ExcelJS.CellValue {
    if (value === null || value === undefined) return null;
    if (typeof value === 'number' || typeof value === 'boolean') return value;
    if (typeof value === 'string') {
      if (column.display === 'date' && isoDate.test(value)) {
        const time = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`);
        if (!Number.isNaN(time)) return new Date(time);
      }
      return this.#escape ? escapeFormula(value) : value;
    }
    const text = JSON.stringify(value);
    return this.#escape ? escapeFormula(text) : text;
  }

  #writeRow(row: OutputRow): void {
    const columns = this.#columns ?? [];
    const line = this.#worksheet.addRow(columns.map((column) => this.#cell(row[column.name], column)));
    columns.forEach((column, index) => {
      const value = row[column.name];
      if (column.display === 'number' && typeof value === 'number' && Number.isInteger(value)) {
        line.getCell(index + 1).numFmt = '#,##0';
      }
    });
    line.commit();
    this.#rows++;
  }

  /**
   * The compressor input of this sheet's XML when it is over its high-water mark, else undefined.
   * exceljs 4.4 writes the sheet's XML into a `StreamBuf` piped to archiver's input stream and
   * ignores that stream's `write()` result, so nothing slows the rows down while deflate lags
   * behind: we look at the input's `needDrain` ourselves (exceljs internals; the test
   * "xlsx memory" in `spreadsheet.test.ts` fails if they change).
   */
  compressorInput(): NodeJS.EventEmitter | undefined {
    return this.#compressorInputs().find((input) => input._writableState?.needDrain === true);
  }

  /** Bytes of this sheet's XML waiting for the compressor; undefined when no input is found. */
  compressorBacklog(): number | undefined {
    const inputs = this.#compressorInputs();
    if (inputs.length === 0) return undefined;
    return inputs.reduce((sum, input) => sum + (input._writableState?.length ?? 0), 0);
  }

  #compressorInputs(): CompressorInput[] {
    if (!this.#started || this.#committed) return [];
    const sheetStream = (this.#worksheet as unknown as { stream?: { pipes?: readonly CompressorInput[] } })
      .stream;
    return [...(sheetStream?.pipes ?? [])];
  }

  /** True once {@link commit} ran. */
  get committed(): boolean {
    return this.#committed;
  }

  /** Rows written so far (the header not counted). */
  get rows(): number {
    return this.#rows + this.#pending.length;
  }

  /** Sets the autofilter over the header and data, and commits the sheet. */
  async commit(): Promise<void> {
    if (this.#committed) return;
    this.#committed = true;
    if (!this.#started) this.#start();
    const width = this.#columns?.length ?? 0;
    if (width > 0) {
      this.#worksheet.autoFilter = {
        from: { row: 1, column: 1 },
        to: { row: this.#rows + 1, column: width },
      };
    }
    await this.#worksheet.commit();
  }
}

/**
 * The `xlsx` row writer of `-o xlsx`: one sheet named `sheetName`, rows streamed. Writes to
 * `stream` (a file or a pipe, not ended) and, every 1000 rows, waits while the zip stream is full.
 */
export function createXlsxRowWriter(options: {
  readonly stream: Writable;
  readonly sheetName: string;
  readonly columns?: readonly OutputColumn[] | undefined;
  readonly escapeFormulas?: boolean;
}): RowWriter & { abort(): void; compressorBacklog(): number | undefined } {
  const workbook = new XlsxWorkbook(options.stream, { escapeFormulas: options.escapeFormulas !== false });
  const sheet = workbook.addSheet({ name: options.sheetName, columns: options.columns });
  let count = 0;
  return {
    write(row) {
      sheet.addRow(row);
      count++;
      return count % 1000 === 0 ? workbook.waitForRoom() : undefined;
    },
    async end() {
      await workbook.commit();
    },
    abort() {
      workbook.abort();
    },
    compressorBacklog() {
      return workbook.compressorBacklog();
    },
  };
}

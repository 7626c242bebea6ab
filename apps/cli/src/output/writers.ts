import type { OutputColumn, OutputFormat, OutputRow } from './format.js';
import type { TextSink } from './sink.js';
import { escapeFormula } from './spreadsheetSafety.js';
import { createTableWriter } from './table.js';

/** Writes rows one at a time; `end` closes the document (the `]` of a JSON array, say). */
export interface RowWriter {
  /**
   * Writes one row; a returned promise means "wait before the next row" (backpressure). A value
   * that is not an object (a `--query` result such as a name, or a list) is written as itself by
   * the JSON-like formats, and as a one-row record by the tabular ones (see {@link asRecord}).
   */
  write(row: OutputRow | OutputValue): Promise<void> | undefined;
  /** Finishes the document and flushes the sink. */
  end(): Promise<void>;
}

/** Options of {@link createRowWriter}. */
export interface RowWriterOptions {
  readonly format: OutputFormat;
  readonly sink: TextSink;
  /**
   * The columns, in order. `csv`, `tsv` and `table` always print these (or, when absent, the keys
   * of the first row); `json`, `ndjson` and `yaml` print whole rows unless `project` is set.
   */
  readonly columns?: readonly OutputColumn[] | undefined;
  /** Keep only `columns` in `json`, `ndjson` and `yaml` too (set by `--fields`). */
  readonly project?: boolean;
  /** Locale of numbers and dates in `table`. */
  readonly locale?: string;
  /** Colour in `table` (header in bold). */
  readonly color?: boolean;
  /** Terminal width for `table`; columns are shortened to fit. `undefined`: no limit. */
  readonly width?: number | undefined;
  /** A header line in `csv`, `tsv`, `table` and `md` (default true). */
  readonly headers?: boolean;
  /**
   * `table` for people (locale numbers and dates) when true; plain values (`1234567`, ISO
   * timestamps) when false, as on a pipe. Default true.
   */
  readonly humanValues?: boolean;
  /** `csv` and `tsv`: start with a UTF-8 byte order mark. */
  readonly bom?: boolean;
  /** `csv`: the field delimiter (default `,`). */
  readonly delimiter?: string;
  /** `csv`: prefix text cells a spreadsheet would run as formulas with `'` (default false here; the CLI turns it on). */
  readonly escapeFormulas?: boolean;
}

/** Any JSON value a `--query` may produce. */
export type OutputValue = unknown;

/** Whether a value is a row (a plain object, not an array). */
export function isRecord(value: unknown): value is OutputRow {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A value as a row for the tabular formats: a row stays as is, a list becomes `Column1..N`
 * (as az's table output names them), anything else a one-column `Result` row.
 */
export function asRecord(value: unknown): OutputRow {
  if (isRecord(value)) return value;
  if (Array.isArray(value)) {
    return Object.fromEntries(value.map((item, index) => [`Column${index + 1}`, item]));
  }
  return { Result: value };
}

/** Picks `columns` out of a row, in order (missing values become `null`). */
export function projectRow(row: OutputRow, columns: readonly OutputColumn[]): Record<string, unknown> {
  const projected: Record<string, unknown> = {};
  for (const column of columns) projected[column.name] = row[column.name] ?? null;
  return projected;
}

/** Guesses columns from a row when no descriptor gives them. */
export function columnsFromRow(row: OutputRow): OutputColumn[] {
  return Object.keys(row).map((name) => {
    const value = row[name];
    return {
      name,
      display:
        typeof value === 'number'
          ? 'number'
          : typeof value === 'object' && value !== null
            ? 'json'
            : typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)
              ? 'date'
              : 'string',
    } as const;
  });
}

/** The plain text of a value in `csv` and `tsv`. */
export function plainValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}

/**
 * One RFC 4180 field: quoted when it holds the delimiter, a quote, CR or LF; quotes doubled. With
 * `escapeFormulas`, text that a spreadsheet would run as a formula gets a leading `'` first.
 */
export function csvField(value: unknown, delimiter = ',', escapeFormulas = false): string {
  // A number's text never needs quoting (nor escaping: a negative number is data).
  if (typeof value === 'number') return String(value);
  let text = plainValue(value);
  if (escapeFormulas && typeof value !== 'boolean') text = escapeFormula(text);
  return text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One TSV field: backslash, tab, CR and LF escaped as `\\`, `\t`, `\r`, `\n` (formulas escaped on demand). */
export function tsvField(value: unknown, escapeFormulas = false): string {
  const text = plainValue(value);
  return (escapeFormulas && typeof value === 'string' ? escapeFormula(text) : text).replace(
    /[\\\t\r\n]/g,
    (match) => (match === '\\' ? '\\\\' : match === '\t' ? '\\t' : match === '\r' ? '\\r' : '\\n'),
  );
}

const plainKey = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const reservedYamlWords = /^(?:true|false|null|yes|no|on|off|y|n|~)$/i;

/** A YAML scalar (or flow collection) for a value; strings are double-quoted (JSON escapes are valid YAML). */
export function yamlValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return JSON.stringify(value);
}

function yamlKey(key: string): string {
  return plainKey.test(key) && !reservedYamlWords.test(key) ? key : JSON.stringify(key);
}

function jsonWriter(options: RowWriterOptions, lineDelimited: boolean): RowWriter {
  const { sink, columns } = options;
  const project = options.project === true && columns !== undefined;
  let count = 0;
  return {
    write(row) {
      const text = JSON.stringify(project && isRecord(row) ? projectRow(row, columns) : row) ?? 'null';
      if (lineDelimited) return sink.write(`${text}\n`);
      const prefix = count === 0 ? '[\n  ' : ',\n  ';
      count++;
      return sink.write(prefix + text);
    },
    async end() {
      if (!lineDelimited) sink.write(count === 0 ? '[]\n' : '\n]\n');
      await sink.close();
    },
  };
}

function delimitedWriter(options: RowWriterOptions, kind: 'csv' | 'tsv'): RowWriter {
  const { sink } = options;
  const separator = kind === 'csv' ? (options.delimiter ?? ',') : '\t';
  // Formula escaping is for spreadsheets: csv only (tsv is for shells, where a leading ' would be noise).
  const escapeText = options.escapeFormulas === true;
  const field =
    kind === 'csv'
      ? (value: unknown) => csvField(value, separator, escapeText)
      : (value: unknown) => tsvField(value);
  if (options.bom === true) sink.write('\uFEFF');
  const lineEnd = kind === 'csv' ? '\r\n' : '\n';
  let columns = options.columns;
  let headerWritten = false;
  const writeHeader = (): void => {
    headerWritten = true;
    if (columns !== undefined && options.headers !== false)
      sink.write(columns.map((column) => field(column.name)).join(separator) + lineEnd);
  };
  return {
    write(value) {
      const row = asRecord(value);
      if (!headerWritten) {
        columns ??= columnsFromRow(row);
        writeHeader();
      }
      let line = '';
      const list = columns as readonly OutputColumn[];
      for (let index = 0; index < list.length; index++) {
        if (index > 0) line += separator;
        line += field(row[list[index]!.name]);
      }
      return sink.write(line + lineEnd);
    },
    async end() {
      if (!headerWritten) writeHeader();
      await sink.close();
    },
  };
}

function yamlWriter(options: RowWriterOptions): RowWriter {
  const { sink, columns } = options;
  const project = options.project === true && columns !== undefined;
  let count = 0;
  return {
    write(row) {
      count++;
      if (!isRecord(row)) return sink.write(`- ${yamlValue(row)}\n`);
      const record = project ? projectRow(row, columns) : row;
      const keys = Object.keys(record);
      if (keys.length === 0) return sink.write('- {}\n');
      let text = '';
      keys.forEach((key, index) => {
        text += `${index === 0 ? '- ' : '  '}${yamlKey(key)}: ${yamlValue(record[key])}\n`;
      });
      return sink.write(text);
    },
    async end() {
      if (count === 0) sink.write('[]\n');
      await sink.close();
    },
  };
}

const jsoncPalette = {
  key: (text: string) => `\x1b[94m${text}\x1b[39m`,
  string: (text: string) => `\x1b[32m${text}\x1b[39m`,
  number: (text: string) => `\x1b[96m${text}\x1b[39m`,
  literal: (text: string) => `\x1b[95m${text}\x1b[39m`,
};

/** A value as indented JSON, coloured as az's `jsonc` when `color` is set. */
export function jsoncText(value: unknown, color: boolean, indent = ''): string {
  const paint = color
    ? jsoncPalette
    : {
        key: (text: string) => text,
        string: (text: string) => text,
        number: (text: string) => text,
        literal: (text: string) => text,
      };
  const inner = `${indent}  `;
  if (value === null || value === undefined) return paint.literal('null');
  if (typeof value === 'string') return paint.string(JSON.stringify(value));
  if (typeof value === 'number') return paint.number(JSON.stringify(value));
  if (typeof value === 'boolean') return paint.literal(String(value));
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => inner + jsoncText(item, color, inner)).join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{\n${entries
      .map(([key, item]) => `${inner}${paint.key(JSON.stringify(key))}: ${jsoncText(item, color, inner)}`)
      .join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(String(value));
}

function jsoncWriter(options: RowWriterOptions): RowWriter {
  const { sink, columns } = options;
  const project = options.project === true && columns !== undefined;
  const color = options.color === true;
  let count = 0;
  return {
    write(row) {
      const text = jsoncText(project && isRecord(row) ? projectRow(row, columns) : row, color, '  ');
      const prefix = count === 0 ? '[\n  ' : ',\n  ';
      count++;
      return sink.write(prefix + text);
    },
    async end() {
      sink.write(count === 0 ? '[]\n' : '\n]\n');
      await sink.close();
    },
  };
}

/** One Markdown table cell: pipes and backslashes escaped, line breaks as `<br>`. */
export function markdownCell(value: unknown): string {
  return plainValue(value)
    .replace(/[\\|]/g, (match) => `\\${match}`)
    .replace(/\r?\n|\r/g, '<br>');
}

function markdownWriter(options: RowWriterOptions): RowWriter {
  const { sink } = options;
  let columns = options.columns;
  let headerWritten = false;
  const numeric = (column: OutputColumn): boolean =>
    column.display === 'number' || column.display === 'percent' || column.display === 'ratio';
  const writeHeader = (): void => {
    headerWritten = true;
    if (columns === undefined) return;
    // A Markdown table cannot do without its header: --no-headers leaves the names out, not the line.
    const names = columns.map((column) =>
      options.headers === false ? ' ' : markdownCell(column.label ?? column.name),
    );
    sink.write(
      `| ${names.join(' | ')} |\n| ${columns.map((column) => (numeric(column) ? '---:' : '---')).join(' | ')} |\n`,
    );
  };
  return {
    write(value) {
      const row = asRecord(value);
      if (!headerWritten) {
        columns ??= columnsFromRow(row);
        writeHeader();
      }
      const list = columns as readonly OutputColumn[];
      return sink.write(`| ${list.map((column) => markdownCell(row[column.name])).join(' | ')} |\n`);
    },
    async end() {
      if (!headerWritten) writeHeader();
      await sink.close();
    },
  };
}

function noneWriter(options: RowWriterOptions): RowWriter {
  return {
    write: () => undefined,
    end: () => options.sink.close(),
  };
}

/** Creates the writer of an output format. */
export function createRowWriter(options: RowWriterOptions): RowWriter {
  switch (options.format) {
    case 'json':
      return jsonWriter(options, false);
    case 'ndjson':
      return jsonWriter(options, true);
    case 'jsonc':
      return jsoncWriter(options);
    case 'md':
      return markdownWriter(options);
    case 'csv':
      return delimitedWriter(options, 'csv');
    case 'tsv':
      return delimitedWriter(options, 'tsv');
    case 'yaml':
      return yamlWriter(options);
    case 'table':
      return createTableWriter(options);
    case 'none':
      return noneWriter(options);
    case 'xlsx':
      throw new Error('xlsx is written by createXlsxRowWriter (it needs a byte stream, not a text sink)');
  }
}

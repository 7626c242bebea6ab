import type { OutputColumn, OutputRow } from './format.js';
import { columnsFromRow, type RowWriter, type RowWriterOptions } from './rowWriter.js';
import { escapeFormula } from './spreadsheetSafety.js';
import { createTableWriter } from './table.js';

// The row-writer contract and the column guess live in `rowWriter.ts`, which `table.ts` imports
// too (this file imports `table.ts`: keeping them here made the two files import each other).
export { columnsFromRow } from './rowWriter.js';
export type { RowWriter, RowWriterOptions } from './rowWriter.js';

/** Picks `columns` out of a row, in order (missing values become `null`). */
export function projectRow(row: OutputRow, columns: readonly OutputColumn[]): Record<string, unknown> {
  const projected: Record<string, unknown> = {};
  for (const column of columns) projected[column.name] = row[column.name] ?? null;
  return projected;
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
      const text = JSON.stringify(project ? projectRow(row, columns) : row);
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
    if (columns !== undefined)
      sink.write(columns.map((column) => field(column.name)).join(separator) + lineEnd);
  };
  return {
    write(row) {
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

import stringWidth from 'string-width';
import type { OutputColumn, OutputRow } from './format.js';
import { createValueFormatter, plainValueFormatter } from './valueFormat.js';
import { asRecord, columnsFromRow, type RowWriter, type RowWriterOptions } from './writers.js';

/** Rows read before the column widths are fixed; later rows are cut to those widths. */
const sampleSize = 200;
/** No text column is shrunk below this many terminal cells (header and `…` included). */
const minimumWidth = 6;
const gap = '  ';

function isNumeric(column: OutputColumn): boolean {
  return column.display === 'number' || column.display === 'percent' || column.display === 'ratio';
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The width of a text in terminal cells: East Asian wide characters and emoji count 2, combining
 * marks 0 (`string-width`, which follows Unicode's East Asian Width and emoji properties).
 */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

/** Cuts a text to `width` terminal cells, ending with `…` when it was cut; never splits a grapheme. */
export function cutToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let result = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const cells = stringWidth(segment);
    if (used + cells > width - 1) break;
    result += segment;
    used += cells;
  }
  return `${result}…`;
}

function pad(text: string, width: number, right: boolean): string {
  const length = displayWidth(text);
  if (length >= width) return text;
  const fill = ' '.repeat(width - length);
  return right ? fill + text : text + fill;
}

/** Which columns give up width first: ids, then dates and nested values, then other text. */
function shrinkRank(column: OutputColumn, sample: readonly string[]): number {
  if (column.display === 'date' || column.display === 'json') return 1;
  const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (
    /Id$/.test(column.name) ||
    (sample.length > 0 && sample.every((value) => value === '' || guid.test(value)))
  )
    return 0;
  return 2;
}

/**
 * Fits column widths into `limit` terminal cells: identifier columns (GUIDs) shrink first, then
 * dates and nested values, then names and other text, widest first, one cell at a time so that
 * text columns end up balanced. Numeric columns never shrink. `undefined`: no limit.
 */
export function fitWidths(
  widths: number[],
  columns: readonly OutputColumn[],
  limit: number | undefined,
  ranks: readonly number[] = columns.map((column) => shrinkRank(column, [])),
): number[] {
  if (limit === undefined) return widths;
  const fitted = [...widths];
  let total = fitted.reduce((sum, width) => sum + width, 0) + gap.length * (fitted.length - 1);
  for (const rank of [0, 1, 2]) {
    while (total > limit) {
      let widest = -1;
      for (let index = 0; index < fitted.length; index++) {
        if (ranks[index] !== rank || isNumeric(columns[index]!) || fitted[index]! <= minimumWidth) continue;
        if (widest === -1 || fitted[index]! > fitted[widest]!) widest = index;
      }
      if (widest === -1) break;
      fitted[widest] = fitted[widest]! - 1;
      total--;
    }
  }
  return fitted;
}

/**
 * The `table` writer: aligned columns, numbers right-aligned. For people (`humanValues`, the
 * default) numbers and dates follow the locale; on a pipe they stay plain. It reads the first 200
 * rows to size the columns, then streams the rest at those widths. With a `width`, every line fits
 * it (widths by terminal cells, so CJK and emoji names align): text shrinks first, and a line
 * that still does not fit is cut, never wrapped.
 */
export function createTableWriter(options: RowWriterOptions): RowWriter {
  const { sink } = options;
  const formatter =
    options.humanValues === false ? plainValueFormatter : createValueFormatter(options.locale ?? 'en-US');
  const bold = options.color === true ? (text: string) => `\x1b[1m${text}\x1b[22m` : (text: string) => text;
  let columns = options.columns;
  let sample: string[][] | undefined = [];
  let widths: number[] = [];
  const cells = (row: OutputRow): string[] =>
    (columns as readonly OutputColumn[]).map((column) =>
      formatter.format(row[column.name], column.display).replace(/[\r\n\t]/g, ' '),
    );
  const fitLine = (text: string): string =>
    options.width !== undefined && displayWidth(text) > options.width
      ? cutToWidth(text, options.width)
      : text;
  const line = (values: readonly string[]): string =>
    fitLine(
      values
        .map((value, index) =>
          pad(cutToWidth(value, widths[index]!), widths[index]!, isNumeric(columns![index]!)),
        )
        .join(gap)
        .trimEnd(),
    );
  const flushSample = (): void => {
    if (columns === undefined || sample === undefined) return;
    const headers = columns.map((column) => column.label ?? column.name);
    widths = headers.map((header, index) =>
      Math.max(displayWidth(header), ...sample!.map((cellsOfRow) => displayWidth(cellsOfRow[index]!))),
    );
    const ranks = columns.map((column, index) =>
      shrinkRank(
        column,
        sample!.map((cellsOfRow) => cellsOfRow[index]!),
      ),
    );
    widths = fitWidths(widths, columns, options.width, ranks);
    let text = options.headers === false ? '' : `${bold(line(headers))}\n`;
    for (const cellsOfRow of sample) text += `${line(cellsOfRow)}\n`;
    sample = undefined;
    sink.write(text);
  };
  return {
    write(value) {
      const row = asRecord(value);
      columns ??= columnsFromRow(row);
      if (sample !== undefined) {
        sample.push(cells(row));
        if (sample.length >= sampleSize) flushSample();
        return undefined;
      }
      return sink.write(`${line(cells(row))}\n`);
    },
    async end() {
      if (columns === undefined) {
        sink.write('(no rows)\n');
      } else {
        const empty = sample !== undefined && sample.length === 0;
        flushSample();
        if (empty) sink.write('(no rows)\n');
      }
      await sink.close();
    },
  };
}

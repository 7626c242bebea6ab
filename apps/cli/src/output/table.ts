import type { OutputColumn, OutputRow } from './format.js';
import { createValueFormatter } from './valueFormat.js';
import { columnsFromRow, type RowWriter, type RowWriterOptions } from './rowWriter.js';

/** Rows read before the column widths are fixed; later rows are cut to those widths. */
const sampleSize = 200;
const minimumWidth = 6;
const gap = '  ';

function isNumeric(column: OutputColumn): boolean {
  return column.display === 'number' || column.display === 'percent' || column.display === 'ratio';
}

function cut(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

function pad(text: string, width: number, right: boolean): string {
  const length = [...text].length;
  if (length >= width) return text;
  const fill = ' '.repeat(width - length);
  return right ? fill + text : text + fill;
}

/** Shrinks the widest text columns until the line fits `limit`. */
export function fitWidths(
  widths: number[],
  columns: readonly OutputColumn[],
  limit: number | undefined,
): number[] {
  if (limit === undefined) return widths;
  const fitted = [...widths];
  const total = (): number =>
    fitted.reduce((sum, width) => sum + width, 0) + gap.length * (fitted.length - 1);
  while (total() > limit) {
    let widest = -1;
    for (let index = 0; index < fitted.length; index++) {
      if (isNumeric(columns[index]!) || fitted[index]! <= minimumWidth) continue;
      if (widest === -1 || fitted[index]! > fitted[widest]!) widest = index;
    }
    if (widest === -1) break;
    fitted[widest] = Math.max(minimumWidth, fitted[widest]! - Math.max(1, total() - limit));
  }
  return fitted;
}

/**
 * The `table` writer: aligned columns, numbers right-aligned and formatted for the locale. It
 * reads the first 200 rows to size the columns, then streams the rest at those widths.
 */
export function createTableWriter(options: RowWriterOptions): RowWriter {
  const { sink } = options;
  const formatter = createValueFormatter(options.locale ?? 'en-US');
  const bold = options.color === true ? (text: string) => `\x1b[1m${text}\x1b[22m` : (text: string) => text;
  let columns = options.columns;
  let sample: string[][] | undefined = [];
  let widths: number[] = [];

  const cells = (row: OutputRow): string[] =>
    (columns as readonly OutputColumn[]).map((column) =>
      formatter.format(row[column.name], column.display).replace(/[\r\n\t]/g, ' '),
    );

  const line = (values: readonly string[]): string =>
    values
      .map((value, index) => pad(cut(value, widths[index]!), widths[index]!, isNumeric(columns![index]!)))
      .join(gap)
      .trimEnd();

  const flushSample = (): void => {
    if (columns === undefined || sample === undefined) return;
    const headers = columns.map((column) => column.label ?? column.name);
    widths = headers.map((header, index) =>
      Math.max([...header].length, ...sample!.map((cellsOfRow) => [...cellsOfRow[index]!].length)),
    );
    widths = fitWidths(widths, columns, options.width);
    let text = `${bold(line(headers))}\n`;
    for (const cellsOfRow of sample) text += `${line(cellsOfRow)}\n`;
    sample = undefined;
    sink.write(text);
  };

  return {
    write(row) {
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

/** The contract every output writer implements, and the column guess for rows without a descriptor. */
import type { OutputColumn, OutputFormat, OutputRow } from './format.js';
import type { TextSink } from './sink.js';

/** Writes rows one at a time; `end` closes the document (the `]` of a JSON array, say). */
export interface RowWriter {
  /** Writes one row; a returned promise means "wait before the next row" (backpressure). */
  write(row: OutputRow): Promise<void> | undefined;
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
  /** `csv` and `tsv`: start with a UTF-8 byte order mark. */
  readonly bom?: boolean;
  /** `csv`: the field delimiter (default `,`). */
  readonly delimiter?: string;
  /** `csv`: prefix text cells a spreadsheet would run as formulas with `'` (default false here; the CLI turns it on). */
  readonly escapeFormulas?: boolean;
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

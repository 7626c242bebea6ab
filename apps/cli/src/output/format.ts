/** The output formats of `-o, --output`. */
export const outputFormats = ['table', 'json', 'ndjson', 'csv', 'tsv', 'yaml', 'xlsx', 'none'] as const;

/** One output format. */
export type OutputFormat = (typeof outputFormats)[number];

/**
 * How a column is shown in `table`: `number` with the locale's grouping, `percent` for values that
 * are already percentages (0-100), `ratio` for fractions (1.0 = 100 %), `date` for ISO timestamps,
 * `json` for nested objects.
 */
export type ColumnDisplay = 'string' | 'number' | 'percent' | 'ratio' | 'date' | 'json';

/** One output column. */
export interface OutputColumn {
  /** The row key. */
  readonly name: string;
  /** The header in `table` (defaults to the name). */
  readonly label?: string;
  readonly display: ColumnDisplay;
}

/** A row as the writers take it. */
export type OutputRow = Readonly<Record<string, unknown>>;

/** The help text of `pc help output`. */
export const outputHelp = `Output formats (-o, --output)

  table   aligned columns for people; numbers and dates follow --locale (default on a TTY)
  json    one JSON array, written row by row as pages arrive (default when stdout is not a TTY)
  ndjson  one JSON object per line (streams in constant memory)
  csv     RFC 4180: header line first, CRLF line ends, quotes where needed
  tsv     tab-separated with a header line; tabs, newlines and backslashes escaped as \\t \\n \\\\
  yaml    a YAML sequence of mappings
  xlsx    an Excel workbook (streamed row by row): frozen header, autofilter, widths,
          numbers as numbers, dates as dates; needs --out FILE.xlsx or a pipe, not a terminal
  none    nothing on stdout (errors still go to stderr)

  --fields a,b      select and order the columns (all formats); for a --groupby query the
                    columns are the group fields, the measures and processedDateTime
  --out FILE        write to FILE atomically (a temp file renamed at the end: an interrupted
                    run leaves no file that looks complete)
  --locale xx-YY    number and date format of 'table' (not sent: --api-locale sets X-Locale)

Spreadsheet-friendly files
  --bom             start csv/tsv with a UTF-8 byte order mark (Excel on Windows then reads UTF-8)
  --delimiter C     csv field delimiter: one character, or comma|semicolon|tab|pipe; the default
                    is ';' where the --locale writes decimals with a comma (de-DE, fr-FR, ...),
                    as Excel expects there, else ','
  --no-escape-formulas
                    csv and xlsx prefix text cells that start with = + - @ tab or CR with ' so
                    that a spreadsheet never runs them as formulas (OWASP CSV injection); this
                    turns that off

stdout carries data only; progress, warnings and errors go to stderr.
`;

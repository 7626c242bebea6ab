/** The output formats of `-o, --output`. */
export const outputFormats = [
  'table',
  'json',
  'jsonc',
  'ndjson',
  'csv',
  'tsv',
  'md',
  'yaml',
  'xlsx',
  'none',
] as const;

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

/**
 * The format of each `--out` file extension: the one table `--out` consults when `-o` is not
 * given. An extension missing here is a usage error (exit 2), never JSON under another name.
 */
export const extensionFormats: Readonly<Record<string, OutputFormat>> = {
  '.json': 'json',
  '.jsonc': 'jsonc',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.md': 'md',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.xlsx': 'xlsx',
  '.txt': 'table',
};

/** The help text of `pc help output`. */
export const outputHelp = `Output formats (-o, --output)

  table   aligned columns for people (default on a terminal): a chosen set of columns per
          command (names before ids, measures always), shrunk to the terminal width (ids and
          names first, numbers never), one line per row; numbers and dates follow --locale.
          Piped or redirected, the values stay plain (1234567, 2026-11-20T00:00:00.000Z)
  json    one JSON array, written row by row as pages arrive (default when stdout is not a terminal)
  jsonc   json, coloured on a terminal (plain when piped)
  ndjson  one JSON object per line (streams in constant memory)
  csv     RFC 4180: header line first, CRLF line ends, quotes where needed
  tsv     tab-separated; tabs, newlines and backslashes escaped as \\t \\n \\\\. No header line when
          piped (as az: \`while read\` loops get data only); a header on a terminal and in --out files
  md      a Markdown (GitHub) table: pipes escaped, numbers right-aligned
  yaml    a YAML sequence of mappings
  xlsx    an Excel workbook (streamed, constant memory): frozen header, autofilter, widths,
          numbers as numbers, dates as dates; needs --out FILE.xlsx or a pipe, not a terminal
  none    nothing on stdout (errors still go to stderr)

Columns and rows
  --fields a,b      select and order the columns (all formats; '*' for every field); names are
                    taken without regard to case. For a --groupby query the columns are the
                    group fields, the measures and processedDateTime
  --headers         force a header line (tsv when piped); --no-headers drops it (csv, tsv, table, md)
  --where EXPR      keep the rows EXPR holds for, evaluated here after the server's --filter: the
                    whole filter language (gt ge lt le, in, not, contains, startswith, endswith,
                    numbers and dates), e.g. --where "licensesSold gt 100 and contains(productName,'E3')"
  --sort F[,-G]     sort by F, then by G descending (numbers numerically, text without regard to case;
                    empty values last). Needs every row in memory
  --query EXPR      JMESPath over the array of rows (as az and m365). A projection such as
                    "[?licensesSold > \`100\`].customerName" streams row by row; anything else
                    ("sort_by(@, &licensesSold)[-5:]", "length(@)") runs once on all rows. Arithmetic
                    works: "[].{customer: customerName, unused: licensesSold - licensesDeployed}"
                    Order of the steps: --filter (server), --where, --sort, --fields, --query

Files
  --out FILE        write to FILE atomically (a temp file renamed at the end: an interrupted run
                    leaves no file that looks complete). The format comes from -o, else from the
                    extension: ${Object.keys(extensionFormats).join(' ')};
                    any other extension is a usage error (exit 2)
  --locale xx-YY    number and date format of 'table' on a terminal and in a .txt --out file
                    (not sent: --api-locale sets X-Locale)

Spreadsheet-friendly files
  --bom             start csv/tsv with a UTF-8 byte order mark (Excel on Windows then reads UTF-8)
  --delimiter C     csv field delimiter: one character, or comma|semicolon|tab|pipe; the default
                    is ';' where the --locale writes decimals with a comma (de-DE, fr-FR, ...),
                    as Excel expects there, else ','
  --no-escape-formulas
                    csv and xlsx prefix text cells that start with = + - @ tab or CR with ' so
                    that a spreadsheet never runs them as formulas (OWASP CSV injection); this
                    turns that off

Examples
  pc licenses deployment --groupby customerName --sort -licensesSold --query "[:20]"
  pc licenses deployment -o tsv --fields customerName,licensesSold | while IFS=$'\\t' read -r name sold; do ...; done
  pc licenses deployment --where "licensesSold gt 100" --query "[].customerName" -o tsv
  pc licenses deployment --groupby customerTenantId,customerName \\
    --query "reverse(sort_by([].{customer: customerName, unused: licensesSold - licensesDeployed}, &unused))[:20]"

stdout carries data only; progress, warnings and errors go to stderr (--verbose adds what was
sent and a closing line; --debug adds every request).
`;

/**
 * What spreadsheets need from text output: formula escaping (CSV injection) and the field
 * delimiter Excel expects for a display locale.
 */

/**
 * The characters that make a spreadsheet read a cell as a formula, as OWASP's "CSV Injection"
 * page lists them: `=`, `+`, `-`, `@`, tab and carriage return.
 */
const formulaStart = /^[=+\-@\t\r]/;

/**
 * Escapes a text cell that a spreadsheet would run as a formula: a leading `'` makes Excel,
 * LibreOffice and Google Sheets show the text as it is (OWASP's advice). Only strings are touched;
 * numbers stay numbers (a negative number is data, not a formula).
 */
export function escapeFormula(text: string): string {
  return formulaStart.test(text) ? `'${text}` : text;
}

/** The delimiters `--delimiter` takes by name, besides any single character. */
const namedDelimiters: Record<string, string> = { comma: ',', semicolon: ';', tab: '\t', pipe: '|' };

/**
 * Parses `--delimiter`: one character (`,` `;` `|`), `\t`, or a name (`comma`, `semicolon`, `tab`,
 * `pipe`). Quotes, CR and LF cannot delimit fields.
 *
 * @throws Error naming the flag and the value when it is unusable.
 */
export function parseDelimiter(value: string): string {
  const named = namedDelimiters[value.toLowerCase()];
  const delimiter = named ?? (value === '\\t' ? '\t' : value);
  if ([...delimiter].length !== 1 || /["\r\n]/.test(delimiter)) {
    throw new Error(
      `--delimiter must be one character or one of ${Object.keys(namedDelimiters).join(', ')}, got '${value}'`,
    );
  }
  return delimiter;
}

/**
 * The CSV delimiter Excel expects for a display locale. Excel splits a CSV file on the Windows
 * "list separator", which is `;` wherever the decimal separator is a comma (German, French,
 * Spanish, Italian, Dutch, ...), because `,` is taken by the numbers there. So: `;` when the
 * locale writes 1.5 as `1,5`, else `,`. An unknown locale gives `,`.
 */
export function excelDelimiterFor(locale: string | undefined): string {
  if (locale === undefined || locale === '') return ',';
  try {
    const decimal = new Intl.NumberFormat(locale)
      .formatToParts(1.5)
      .find((part) => part.type === 'decimal')?.value;
    return decimal === ',' ? ';' : ',';
  } catch {
    // An invalid locale tag: Intl throws a RangeError; the display layer reports it elsewhere.
    return ',';
  }
}

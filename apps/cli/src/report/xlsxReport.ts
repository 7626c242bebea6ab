import type { Writable } from 'node:stream';
import type { InsightColumn, LicensesReport } from '@pc/analytics';
import type { OutputColumn } from '../output/format.js';
import { XlsxWorkbook } from '../output/xlsx.js';

/** Options of {@link writeReportXlsx}. */
export interface XlsxReportOptions {
  /** Prefix text cells that start with `=`, `+`, `-`, `@`, tab or CR with `'` (default true). */
  readonly escapeFormulas?: boolean;
}

/** Output columns of report columns (`percent` values are fractions: shown as 0.0 %). */
export function reportColumns(columns: readonly InsightColumn[]): OutputColumn[] {
  return columns.map((column) => ({
    name: column.name,
    label: column.label,
    display: column.kind === 'percent' ? 'ratio' : column.kind,
  }));
}

/** ` (read from Partner Center)` or ` (from history ...)`: where the earlier snapshot came from. */
function sourceText(report: LicensesReport): string {
  const source = report.trend.source;
  if (source === null) return '';
  return source.kind === 'service' ? ' (read from Partner Center)' : ` (from ${source.label})`;
}

/**
 * Writes a report model as a workbook: a `Summary` sheet (the headline figures and the snapshots),
 * then one sheet per section, each with a frozen header, an autofilter and typed cells. The stream
 * is not ended.
 */
export async function writeReportXlsx(
  report: LicensesReport,
  stream: Writable,
  options: XlsxReportOptions = {},
): Promise<void> {
  const workbook = new XlsxWorkbook(stream, { escapeFormulas: options.escapeFormulas !== false });
  const summary = workbook.addSheet({
    name: 'Summary',
    columns: [
      { name: 'figure', label: 'Figure', display: 'string' },
      { name: 'value', label: 'Value', display: 'number' },
      { name: 'previous', label: 'Previous snapshot', display: 'number' },
    ],
  });
  const head = report.headline;
  const previous = report.trend.previous;
  const lines: [string, number | null, number | null | undefined][] = [
    ['Customers', head.customers, previous?.customers],
    ['Products', head.products, previous?.products],
    ['Licenses sold', head.licensesSold, previous?.licensesSold],
    ['Licenses deployed', head.licensesDeployed, previous?.licensesDeployed],
    ['Licenses active', head.licensesActive, previous?.licensesActive],
    ['Unused (sold − deployed)', head.unusedLicenses, previous?.unusedLicenses],
    ['Inactive (deployed − active)', head.inactiveLicenses, previous?.inactiveLicenses],
    ['Customer-product pairs', head.pairs, previous?.pairs],
    ['Flagged pairs', head.flaggedPairs, previous?.flaggedPairs],
  ];
  for (const [figure, value, before] of lines) summary.addRow({ figure, value, previous: before ?? null });
  summary.addRow({ figure: `Deployment snapshot ${report.snapshot.deployment ?? 'unknown'}`, value: null });
  summary.addRow({ figure: `Usage snapshot ${report.snapshot.usage ?? 'unknown'}`, value: null });
  summary.addRow({
    figure:
      report.trend.from === null
        ? `No earlier snapshot: ${report.trend.note ?? ''}${sourceText(report)}`
        : `Previous snapshot ${report.trend.from}${sourceText(report)}${report.trend.note === undefined ? '' : `: ${report.trend.note}`}`,
    value: null,
  });
  await summary.commit();
  for (const section of report.sections) {
    const sheet = workbook.addSheet({ name: section.title, columns: reportColumns(section.columns) });
    for (const row of section.rows) sheet.addRow(row);
    await sheet.commit();
  }
  await workbook.commit();
}

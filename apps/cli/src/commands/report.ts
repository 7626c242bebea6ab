import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { type BuildReportOptions, buildReport } from '@pc/analytics';
import { Command } from 'commander';
import { createCliClient, parsePositiveInt, progressFor } from '../client.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../exitCodes.js';
import { openAtomicFile } from '../output/atomicFile.js';
import { spreadsheetOptions } from '../output/destination.js';
import { resolveOutTarget } from '../output/outTarget.js';
import { renderReportHtml } from '../report/html.js';
import { writeReportXlsx } from '../report/xlsxReport.js';
import { bindAction, type RunState } from './action.js';

/** The files `pc report` writes, by the extension of `--out` (or `-o`). */
type ReportFormat = 'html' | 'xlsx' | 'json';

/** Picks the report format: `--out`'s extension, else `-o json|xlsx`, else JSON when stdout is not a terminal. */
export function reportFormat(input: {
  readonly out: string | undefined;
  readonly output: string | undefined;
  readonly stdoutIsTTY: boolean;
}): ReportFormat {
  if (input.output !== undefined) {
    if (input.output === 'xlsx' && input.out === undefined && input.stdoutIsTTY) {
      throw new UsageError(
        'xlsx is a binary file format',
        'add --out report.xlsx, or redirect stdout to a file',
      );
    }
    if (input.output === 'json' || input.output === 'xlsx') return input.output;
    throw new UsageError(
      `pc report writes html, xlsx or json, not '${input.output}'`,
      'use --out report.html',
    );
  }
  if (input.out !== undefined) {
    const extension = /\.([^./\\]+)$/.exec(input.out.toLowerCase())?.[1];
    if (extension === 'html' || extension === 'htm') return 'html';
    if (extension === 'xlsx') return 'xlsx';
    if (extension === 'json') return 'json';
    throw new UsageError(
      `cannot tell the report format of '${input.out}'`,
      'name the file .html, .xlsx or .json (or add -o json|xlsx)',
    );
  }
  if (input.stdoutIsTTY) {
    throw new UsageError('pc report writes a file', 'add --out report.html (or report.xlsx), or -o json');
  }
  return 'json';
}

function dateFlag(value: unknown, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  if (
    !/^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(text) ||
    Number.isNaN(Date.parse(text))
  ) {
    throw new UsageError(`${flag} must be a date such as 2026-11-20, got '${text}'`);
  }
  return text;
}

/** `pc report`: the licenses report as one HTML page, a workbook, or the JSON model. */
export function reportCommand(ctx: CliContext, state: RunState): Command {
  const command = new Command('report')
    .summary('a licenses report for people: one HTML page or an Excel workbook')
    .description(
      'Build the licenses report (utilization by product and customer, biggest unused licenses,\n' +
        'adoption per workload, the change since the previous snapshot, flagged rows) and write it as:\n' +
        '  --out report.html   one self-contained page (charts and tables, works offline, prints)\n' +
        '  --out report.xlsx   one sheet per section\n' +
        '  -o json             the report model (the numbers the page and the workbook show)',
    )
    .option('--title <text>', 'the report title (default "Licenses report")')
    .option('--top <n>', 'rows per ranked section (default 15)')
    .option(
      '--min-sold <n>',
      'leave customers and customer-product pairs with fewer licenses sold out of the rankings (default 10)',
    )
    .option(
      '--min-qualified <n>',
      'leave customer-workload pairs with fewer qualified licenses out of the lowest adoption (default 10)',
    )
    .option('--per-workload <n>', 'customers per workload in the lowest adoption (default 3)')
    .option('--processed-date <date>', 'the snapshot to report on (default the latest)')
    .option('--previous-date <date>', 'the snapshot to compare with (default the day before)')
    .option('--no-trend', 'no comparison with an earlier snapshot')
    .option('--server-groupby', 'let the server aggregate instead of streaming every row')
    .addHelpText(
      'after',
      '\nExamples:\n  pc report --out report.html\n  pc report --out report.xlsx --min-sold 50\n  pc report -o json > report.json\n',
    );
  return bindAction(command, ctx, state, async (context, action) => {
    const { globals, opts } = action;
    const settings = context.settings({
      baseUrl: globals.baseUrl,
      locale: globals.locale,
      output: globals.output,
    });
    const format = reportFormat({
      out: globals.out,
      output: globals.output,
      stdoutIsTTY: context.io.stdout.isTTY === true,
    });
    const top = parsePositiveInt(opts.top as string | undefined, '--top');
    const minSold = parsePositiveInt(opts.minSold as string | undefined, '--min-sold', undefined, 0);
    const minQualified = parsePositiveInt(
      opts.minQualified as string | undefined,
      '--min-qualified',
      undefined,
      0,
    );
    const perWorkload = parsePositiveInt(opts.perWorkload as string | undefined, '--per-workload');
    const processedDateTime = dateFlag(opts.processedDate, '--processed-date');
    const previousDateTime = dateFlag(opts.previousDate, '--previous-date');
    const spreadsheet = spreadsheetOptions(globals, settings.locale.value);
    const options: BuildReportOptions = {
      ...(typeof opts.title === 'string' ? { title: opts.title } : {}),
      ...(top === undefined ? {} : { top }),
      ...(minSold === undefined ? {} : { minSold }),
      ...(minQualified === undefined ? {} : { minQualified }),
      ...(perWorkload === undefined ? {} : { perWorkload }),
      ...(processedDateTime === undefined ? {} : { processedDateTime }),
      ...(previousDateTime === undefined ? {} : { previousDateTime }),
      trend: opts.trend !== false,
      serverGroupby: opts.serverGroupby === true,
      signal: context.signal,
    };
    const progress = progressFor(context, globals, 'report', settings.locale.value);
    const client = await createCliClient(context, { settings, globals, progress });
    try {
      const report = await buildReport(client, options);
      progress.done();
      const file =
        globals.out === undefined ? undefined : await openAtomicFile(await resolveOutTarget(globals.out));
      const stream = file?.stream ?? (context.io.stdout as Writable);
      try {
        if (format === 'xlsx') {
          await writeReportXlsx(report, stream, { escapeFormulas: spreadsheet.escapeFormulas });
        } else {
          const text =
            format === 'html'
              ? await renderReportHtml(report, { locale: settings.locale.value })
              : `${JSON.stringify(report, null, 2)}\n`;
          if (!stream.write(text)) await once(stream, 'drain');
        }
        await file?.commit();
      } catch (error) {
        await file?.abort();
        throw error;
      }
      if (file !== undefined && globals.quiet !== true) context.err(`pc: wrote ${globals.out}\n`);
      return 0;
    } finally {
      progress.done();
      await client.close();
    }
  });
}

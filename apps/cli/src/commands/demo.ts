import { createClient, type InsightResult } from '@pc/analytics';
import { Command } from 'commander';
import { bar, fit } from '../charts.js';
import { parsePositiveInt, progressFor } from '../client.js';
import { palette, useColor, type Palette } from '../color.js';
import type { CliContext } from '../context.js';
import { createValueFormatter, type ValueFormatter } from '../output/valueFormat.js';
import { bindAction, type RunState } from './action.js';
import { moduleMockEndpoints } from './mock.js';

const barWidth = 24;

type Row = InsightResult['rows'][number];

function numberOf(row: Row, key: string): number {
  const value = row[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function textOf(row: Row, key: string): string {
  const value = row[key];
  return value === null || value === undefined ? '' : String(value);
}

interface Section {
  readonly title: string;
  readonly labels: readonly { key: string; width: number }[];
  readonly values: readonly { key: string; display: 'number' | 'ratio'; width: number }[];
  /** The value the bar shows, and its scale (`undefined`: the largest value). */
  readonly bar: { key: string; max?: number };
}

function renderSection(
  result: InsightResult,
  section: Section,
  format: ValueFormatter,
  colors: Palette,
  limit: number,
): string {
  const rows = result.rows.slice(0, limit);
  const max = section.bar.max ?? Math.max(0, ...rows.map((row) => numberOf(row, section.bar.key)));
  const lines = [colors.bold(section.title)];
  const headerLabel = (key: string): string =>
    result.columns.find((column) => column.name === key)?.label ?? key;
  lines.push(
    colors.dim(
      `  ${section.labels.map((label) => fit(headerLabel(label.key), label.width)).join(' ')} ${section.values
        .map((value) => headerLabel(value.key).padStart(value.width))
        .join(' ')}`,
    ),
  );
  for (const row of rows) {
    const labels = section.labels.map((label) => fit(textOf(row, label.key), label.width)).join(' ');
    const values = section.values
      .map((value) => format.format(numberOf(row, value.key), value.display).padStart(value.width))
      .join(' ');
    lines.push(`  ${labels} ${values}  ${colors.cyan(bar(numberOf(row, section.bar.key), max, barWidth))}`);
  }
  if (rows.length === 0) lines.push('  (nothing to show)');
  return `${lines.join('\n')}\n`;
}

/** `pc demo`: the mock on a free port, a short licenses report, then both stopped. */
export function demoCommand(ctx: CliContext, state: RunState): Command {
  const command = new Command('demo')
    .summary('a licenses report from the embedded mock (no credentials needed)')
    .description(
      'Start the embedded mock on a free port, print a short licenses report (summary, biggest\n' +
        'unused licenses, lowest adoption, with bar charts) and stop it. Needs no credentials.',
    )
    .option('--customers <n>', 'customers of the mock partner', '300')
    .option('--seed <n>', 'data seed of the mock', '1')
    .option('--top <n>', 'rows per section', '5');
  return bindAction(command, ctx, state, async (context, action) => {
    const opts = action.opts as { customers: string; seed: string; top: string };
    const customers = parsePositiveInt(opts.customers, '--customers', 200_000) ?? 300;
    const seed = parsePositiveInt(opts.seed, '--seed') ?? 1;
    const top = parsePositiveInt(opts.top, '--top', 100) ?? 5;
    const { globals } = action;
    const settings = context.settings({ locale: globals.locale });
    const locale = settings.locale.value;
    const colors = palette(
      useColor({
        isTTY: context.io.stdout.isTTY === true,
        env: context.io.env,
        noColorFlag: globals.color === false,
      }),
    );
    const extraEndpoints = moduleMockEndpoints(context.modules);
    const { startMockServer } = await import('@pc/mock');
    const mock = await startMockServer({
      port: 0,
      tls: true,
      seed,
      customers,
      quiet: true,
      ...(extraEndpoints.length > 0 ? { extraEndpoints } : {}),
    });
    const progress = progressFor(context, globals, 'demo', locale);
    const client = createClient({
      baseUrl: mock.url,
      accessToken: mock.issueToken(),
      ...(mock.ca !== undefined ? { ca: mock.ca } : {}),
      locale,
      modules: context.modules.filter((module) => module.name !== 'licenses'),
      hooks: {
        onPage: (event) => progress.page(event),
        onRetry: (event) => progress.retry(event),
        onWarning: (message) => progress.message(`pc: warning: ${message}`),
      },
    });
    try {
      const [summary, unused, adoption] = [
        await client.runInsight('summary', { signal: context.signal }),
        await client.runInsight('unused-licenses', { top, signal: context.signal }),
        await client.runInsight('adoption', { top, signal: context.signal }),
      ];
      progress.done();
      const format = createValueFormatter(locale);
      const snapshot =
        typeof summary.meta?.processedDateTime === 'string' ? summary.meta.processedDateTime : undefined;
      const header =
        `${colors.bold('pc demo')}: a licenses report from the embedded mock ` +
        `(${customers} customers, seed ${seed}${snapshot !== undefined ? `, snapshot ${format.format(snapshot, 'date')}` : ''})\n`;
      const sections = [
        renderSection(
          summary,
          {
            title: 'Licenses by service and channel (deployed share)',
            labels: [
              { key: 'serviceCode', width: 8 },
              { key: 'channel', width: 18 },
            ],
            values: [
              { key: 'licensesSold', display: 'number', width: 10 },
              { key: 'licensesDeployed', display: 'number', width: 10 },
              { key: 'deploymentRate', display: 'ratio', width: 10 },
            ],
            bar: { key: 'deploymentRate', max: 1 },
          },
          format,
          colors,
          Number.POSITIVE_INFINITY,
        ),
        renderSection(
          unused,
          {
            title: `Biggest unused licenses (sold - deployed), top ${top}`,
            labels: [
              { key: 'customerName', width: 24 },
              { key: 'productName', width: 26 },
            ],
            values: [
              { key: 'unusedLicenses', display: 'number', width: 8 },
              { key: 'deploymentRate', display: 'ratio', width: 10 },
            ],
            bar: { key: 'unusedLicenses' },
          },
          format,
          colors,
          top,
        ),
        renderSection(
          adoption,
          {
            title: `Lowest adoption (active / qualified), bottom ${top}`,
            labels: [
              { key: 'customerName', width: 24 },
              { key: 'workloadName', width: 26 },
            ],
            values: [
              { key: 'licensesQualified', display: 'number', width: 9 },
              { key: 'activeRate', display: 'ratio', width: 8 },
            ],
            bar: { key: 'activeRate', max: 1 },
          },
          format,
          colors,
          top,
        ),
      ];
      context.io.stdout.write(`${header}\n${sections.join('\n')}\n`);
      context.io.stdout.write(
        colors.dim(
          'Next: `pc mock --port 4010` in another terminal (it logs into the profile `mock`), then\n' +
            '  pc --profile mock licenses deployment --groupby serviceCode,channel\n',
        ),
      );
      return 0;
    } finally {
      progress.done();
      await client.close();
      await mock.close();
    }
  });
}

import type { EndpointDescriptor } from '@pc/models';
import { Command, Option } from 'commander';
import { createCliClient, progressFor } from '../client.js';
import type { CliContext, GlobalOptions } from '../context.js';
import { CliError, UsageError } from '../exitCodes.js';
import { chooseFormat, openOutput, selectColumns } from '../output/destination.js';
import type { OutputColumn } from '../output/format.js';
import { bindAction, type RunState } from './action.js';
import { insightColumns } from './insightColumns.js';
import { endpointColumns } from './listEndpoint.js';

/** The CLI's version, written into the bundle at build time. */
declare const __PC_CLI_VERSION__: string | undefined;
const cliVersion = typeof __PC_CLI_VERSION__ === 'string' ? __PC_CLI_VERSION__ : '0.0.0-dev';

type HistoryModule = typeof import('@pc/history');
type History = Awaited<ReturnType<HistoryModule['openHistory']>>;

const dbHelp =
  'the history: a DuckDB file, or postgres://user:password@host/db (default $PC_HISTORY_URL, else pc-history.duckdb in the user data folder)';

/** Short names of the licenses endpoints for `--endpoint`. */
const endpointAliases: Record<string, string> = {
  deployment: 'commercialLicenseDeployment',
  usage: 'commercialLicenseUsage',
};

/** Loads @pc/history only when a history command runs (it loads its engine lazily in turn). */
async function loadHistory(): Promise<HistoryModule> {
  return import('@pc/history');
}

/** HistoryError -> the CLI's errors: bad input is a usage error (exit 2), the rest exit 1 with a hint. */
function cliErrorOf(history: HistoryModule, error: unknown): unknown {
  if (!history.isHistoryError(error)) return error;
  switch (error.code) {
    case 'invalid-date':
    case 'invalid-argument':
    case 'invalid-location':
      return new UsageError(error.message);
    case 'engine-missing':
      return new CliError(error.message, {
        hint: 'history engines are optional: npm install -g @duckdb/node-api (or pg) beside @pc/cli',
        cause: error,
      });
    default:
      return new CliError(error.message, { cause: error });
  }
}

/** Opens the history of `--db`, runs `work`, closes it; history errors become CLI errors. */
async function withHistory<T>(
  ctx: CliContext,
  db: unknown,
  work: (history: History, module: HistoryModule) => Promise<T>,
): Promise<T> {
  const module = await loadHistory();
  let history: History | undefined;
  try {
    history = await module.openHistory({
      ...(typeof db === 'string' ? { url: db } : {}),
      env: ctx.io.env,
    });
    return await work(history, module);
  } catch (error) {
    throw cliErrorOf(module, error);
  } finally {
    await history?.close();
  }
}

/** Writes rows (an array or batches) to the chosen output with the given columns. */
async function writeRows(
  ctx: CliContext,
  globals: GlobalOptions,
  columns: readonly OutputColumn[],
  rows: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>[]>,
): Promise<void> {
  const settings = ctx.settings({ baseUrl: globals.baseUrl, locale: globals.locale, output: globals.output });
  const format = chooseFormat({
    configured: settings.output.value,
    outFile: globals.out,
    stdoutIsTTY: ctx.io.stdout.isTTY === true,
  });
  const selection = selectColumns(columns, globals.fields);
  const output = await openOutput(ctx, { globals, format, selection, locale: settings.locale.value });
  try {
    const write = async (row: Record<string, unknown>) => {
      const wait = output.writer.write(row);
      if (wait !== undefined) await wait;
    };
    if (Symbol.asyncIterator in rows) {
      for await (const batch of rows) for (const row of batch) await write(row);
    } else {
      for (const row of rows) await write(row);
    }
    await output.finish();
  } catch (error) {
    await output.fail();
    throw error;
  }
}

/** The descriptor of `--endpoint` (an alias, or the id of a licenses or module endpoint). */
function endpointOf(ctx: CliContext, value: unknown): EndpointDescriptor {
  const text = typeof value === 'string' && value !== '' ? value : 'deployment';
  const id = endpointAliases[text] ?? text;
  for (const module of ctx.modules) {
    for (const endpoint of module.endpoints) if (endpoint.descriptor.id === id) return endpoint.descriptor;
  }
  throw new UsageError(
    `--endpoint: unknown endpoint '${text}'`,
    'use deployment, usage or an endpoint id (pc modules)',
  );
}

const text = (name: string, label?: string): OutputColumn => ({
  name,
  label: label ?? name,
  display: 'string',
});
const number = (name: string, label?: string): OutputColumn => ({
  name,
  label: label ?? name,
  display: 'number',
});

function note(ctx: CliContext, globals: GlobalOptions, message: string): void {
  if (globals.quiet !== true) ctx.err(`${message}\n`);
}

function syncCommand(ctx: CliContext, state: RunState): Command {
  const command = new Command('sync')
    .summary('store the latest E1/E2 snapshots (and module endpoints with snapshots) in the history')
    .description(
      'Reads every row of E1 and E2 for the latest processing date of each service (and of module\n' +
        'endpoints with snapshots) and stores the days the history does not hold, in one transaction:\n' +
        'an interrupted sync stores nothing, and a second sync of the same days stores nothing and says so.',
    )
    .option('--db <url>', dbHelp)
    .option('--processed-date <date>', 'read this processing date instead of the latest (YYYY-MM-DD)')
    .option('--endpoints <ids>', 'only these endpoint ids (comma-separated)');
  return bindAction(command, ctx, state, async (context, action) => {
    const { globals, opts } = action;
    const settings = context.settings({
      baseUrl: globals.baseUrl,
      locale: globals.locale,
      output: globals.output,
    });
    const progress = progressFor(context, globals, 'history sync', settings.locale.value);
    const client = await createCliClient(context, { settings, globals, progress });
    try {
      const manifest = await withHistory(context, opts.db, (history) =>
        history.sync(client, {
          tool: `pc ${cliVersion}`,
          signal: context.signal,
          ...(typeof opts.processedDate === 'string' ? { processedDateTime: opts.processedDate } : {}),
          ...(typeof opts.endpoints === 'string'
            ? {
                endpoints: opts.endpoints
                  .split(',')
                  .map((id: string) => endpointAliases[id.trim()] ?? id.trim()),
              }
            : {}),
        }),
      );
      progress.done();
      note(
        context,
        globals,
        manifest.status === 'stored'
          ? `pc: stored ${manifest.rowsStored} rows (run ${manifest.runId})`
          : `pc: nothing new: every day read is already stored (run ${manifest.runId})`,
      );
      await writeRows(
        context,
        globals,
        [text('endpoint'), text('service'), text('date'), number('rows'), text('status')],
        manifest.snapshots.map((snapshot) => ({ ...snapshot })),
      );
      return 0;
    } finally {
      progress.done();
      await client.close();
    }
  });
}

function listCommand(ctx: CliContext, state: RunState): Command {
  const command = new Command('list')
    .summary('the stored days, per endpoint and service')
    .option('--db <url>', dbHelp);
  return bindAction(command, ctx, state, async (context, action) => {
    const rows = await withHistory(context, action.opts.db, (history) => history.list());
    await writeRows(
      context,
      action.globals,
      [
        text('date'),
        text('endpoint'),
        text('service'),
        number('rows'),
        text('processedDateTime'),
        number('runId'),
      ],
      rows.map((row) => ({ ...row })),
    );
    return 0;
  });
}

function showCommand(ctx: CliContext, state: RunState): Command {
  const command = new Command('show')
    .summary('a stored day, exactly as it was downloaded')
    .description(
      'Prints the rows of a stored day exactly as downloaded, in download order:\n' +
        '`pc history show --date D -o ndjson` equals `pc licenses deployment --processed-date D -o ndjson` of that day.',
    )
    .requiredOption('--date <date>', 'the stored day (YYYY-MM-DD)')
    .option('--endpoint <name>', 'deployment (default), usage, or an endpoint id')
    .option('--db <url>', dbHelp);
  return bindAction(command, ctx, state, async (context, action) => {
    const descriptor = endpointOf(context, action.opts.endpoint);
    await withHistory(context, action.opts.db, async (history) => {
      const rows = history.snapshot(String(action.opts.date), { endpoint: descriptor.id });
      await writeRows(context, action.globals, endpointColumns(descriptor, undefined), rows.batches());
    });
    return 0;
  });
}

function trendCommand(ctx: CliContext, state: RunState): Command {
  const command = new Command('trend')
    .summary('sold, deployed, active and qualified on two stored days, and the changes')
    .requiredOption('--from <date>', 'the earlier stored day (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'the later stored day (YYYY-MM-DD)')
    .addOption(
      new Option('--by <grouping>', 'group by')
        .choices(['customer', 'product', 'service', 'channel'])
        .default('customer'),
    )
    .option('--db <url>', dbHelp);
  return bindAction(command, ctx, state, async (context, action) => {
    const by = String(action.opts.by) as 'customer' | 'product' | 'service' | 'channel';
    const rows = await withHistory(context, action.opts.db, (history) =>
      history.trend({ from: String(action.opts.from), to: String(action.opts.to), by }),
    );
    const keys: Record<typeof by, OutputColumn[]> = {
      customer: [text('customerTenantId'), text('customerName')],
      product: [text('productId'), text('productName')],
      service: [text('serviceCode')],
      channel: [text('channel')],
    };
    const measures = ['licensesSold', 'licensesDeployed', 'licensesActive', 'licensesQualified'].flatMap(
      (name) => [number(`${name}From`), number(`${name}To`), number(`${name}Change`)],
    );
    await writeRows(context, action.globals, [...keys[by], ...measures], rows);
    return 0;
  });
}

function timelineCommand(ctx: CliContext, state: RunState): Command {
  const command = new Command('timeline')
    .summary("one customer's products over time")
    .requiredOption('--customer <id>', 'the customer tenant id')
    .option('--db <url>', dbHelp);
  return bindAction(command, ctx, state, async (context, action) => {
    const spans = await withHistory(context, action.opts.db, (history) =>
      history.timeline(String(action.opts.customer)),
    );
    await writeRows(
      context,
      action.globals,
      [
        text('productName'),
        text('workloadCode'),
        text('from'),
        text('to'),
        number('licensesSold'),
        number('licensesDeployed'),
        number('licensesActive'),
        number('licensesQualified'),
        text('productId'),
        text('serviceCode'),
        text('channel'),
        text('endpoint'),
      ],
      spans.map((span) => ({ ...span })),
    );
    return 0;
  });
}

function runsCommand(ctx: CliContext, state: RunState): Command {
  const command = new Command('runs').summary('the manifests of past syncs').option('--db <url>', dbHelp);
  return bindAction(command, ctx, state, async (context, action) => {
    const runs = await withHistory(context, action.opts.db, (history) => history.runs());
    await writeRows(
      context,
      action.globals,
      [
        number('runId'),
        text('startedAt'),
        text('finishedAt'),
        text('tool'),
        text('status'),
        number('rowsStored'),
        { name: 'snapshots', display: 'json' },
        { name: 'reads', display: 'json' },
      ],
      runs.map((run) => ({ ...run })),
    );
    return 0;
  });
}

function exportCommand(ctx: CliContext, state: RunState): Command {
  const command = new Command('export')
    .summary('write the star schema (facts deployment, usage; dims customer, product, date) for Power BI')
    .requiredOption('--out-dir <dir>', 'folder to write the files to (created when absent)')
    .addOption(new Option('--format <format>', 'file format').choices(['parquet', 'csv']).default('parquet'))
    .option('--db <url>', dbHelp);
  return bindAction(command, ctx, state, async (context, action) => {
    const format = String(action.opts.format) as 'parquet' | 'csv';
    const files = await withHistory(context, action.opts.db, (history) =>
      history.export({ outDir: String(action.opts.outDir), format }),
    );
    await writeRows(
      context,
      action.globals,
      [text('table'), number('rows'), text('file')],
      files.map((file) => ({ ...file })),
    );
    return 0;
  });
}

function migrateCommand(ctx: CliContext, state: RunState): Command {
  const command = new Command('migrate')
    .summary('apply pending schema migrations (also done on first use)')
    .option('--db <url>', dbHelp);
  return bindAction(command, ctx, state, async (context, action) => {
    const report = await withHistory(context, action.opts.db, (history) => history.migrate());
    note(
      context,
      action.globals,
      report.applied.length === 0
        ? `pc: the history schema is at version ${report.to}; nothing to apply`
        : `pc: applied ${report.applied.length} migration(s), schema version ${report.to}`,
    );
    return 0;
  });
}

/** `pc history ...`: the snapshot history (@pc/history; DuckDB or PostgreSQL). */
export function historyCommand(ctx: CliContext, state: RunState): Command {
  const history = new Command('history')
    .summary('every snapshot kept in a database: sync, list, show, trend, timeline, export')
    .description(
      'The snapshot history: DuckDB (one file, the default) or PostgreSQL for teams (--db postgres://...\n' +
        'or PC_HISTORY_URL). The engine driver is optional: npm install -g @duckdb/node-api (or pg).\n' +
        'Run `pc history sync` daily (cron); then ask trend and timeline questions over any stored days.',
    );
  history.addCommand(syncCommand(ctx, state));
  history.addCommand(listCommand(ctx, state));
  history.addCommand(showCommand(ctx, state));
  history.addCommand(trendCommand(ctx, state));
  history.addCommand(timelineCommand(ctx, state));
  history.addCommand(runsCommand(ctx, state));
  history.addCommand(exportCommand(ctx, state));
  history.addCommand(migrateCommand(ctx, state));
  return history;
}

/**
 * Adds `--history [db]` to `pc insights trend`: the same table from two stored days instead of
 * two server snapshots. Returns the handler to run when the flag is given, or undefined.
 */
export async function runInsightTrendFromHistory(
  ctx: CliContext,
  input: { globals: GlobalOptions; opts: Record<string, unknown>; options: Record<string, unknown> },
): Promise<number> {
  const db = input.opts.history === true ? undefined : input.opts.history;
  const { options } = input;
  const result = await withHistory(ctx, db, (history, module) =>
    module.historyTrendInsight(history, {
      ...(typeof options.from === 'string' ? { from: options.from.slice(0, 10) } : {}),
      ...(typeof options.to === 'string' ? { to: options.to.slice(0, 10) } : {}),
      ...(typeof options.endpoint === 'string'
        ? { endpoint: endpointAliases[options.endpoint] ?? options.endpoint }
        : {}),
      ...(typeof options.groupby === 'string' ? { groupby: options.groupby } : {}),
      ...(typeof options.filter === 'string' ? { filter: options.filter } : {}),
      ...(typeof options.top === 'number' ? { top: options.top } : {}),
      ...(typeof options.changedOnly === 'boolean' ? { changedOnly: options.changedOnly } : {}),
      descriptors: ctx.modules.flatMap((module) => module.endpoints.map((endpoint) => endpoint.descriptor)),
    }),
  );
  if (result.meta !== undefined)
    note(ctx, input.globals, `pc: ${result.title}: ${result.meta.from} -> ${result.meta.to}`);
  await writeRows(ctx, input.globals, insightColumns(result), result.rows);
  return 0;
}

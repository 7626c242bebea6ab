import type { AnalyticsModule, InsightDefinition } from '@pc/analytics';
import { parseSnapshotDate } from '@pc/models';
import { Command, Option } from 'commander';
import { addRowPolicyOptions, createCliClient, parsePositiveInt, progressFor } from '../client.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../exitCodes.js';
import { chooseFormat, openOutput, selectColumns } from '../output/destination.js';
import { parseInvalidRows, RejectCollector } from '../rejects.js';
import { bindAction, camelCase, kebabCase, type RunState } from './action.js';
import { runInsightTrendFromHistory } from './history.js';
import { insightColumns } from './insightColumns.js';

/** Converts the flag values of an insight to the declared option types. */
export function insightOptionValues(
  insight: InsightDefinition,
  opts: Record<string, unknown>,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const option of insight.options) {
    const flag = kebabCase(option.name);
    const raw = opts[camelCase(flag)];
    if (raw === undefined) continue;
    switch (option.type) {
      case 'boolean':
        values[option.name] = raw === true;
        break;
      case 'number': {
        const number = Number(raw);
        if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(number)) {
          throw new UsageError(`--${flag} must be a number, got '${String(raw)}'`);
        }
        values[option.name] = number;
        break;
      }
      case 'date': {
        const text = String(raw).trim();
        if (parseSnapshotDate(text) === undefined) {
          throw new UsageError(`--${flag} must be a date such as 2026-11-20, got '${text}'`);
        }
        values[option.name] = text;
        break;
      }
      case 'string':
        values[option.name] = String(raw);
        break;
    }
  }
  return values;
}

function insightCommand(
  ctx: CliContext,
  state: RunState,
  module: AnalyticsModule,
  insight: InsightDefinition,
): Command {
  const command = new Command(insight.name)
    .summary(insight.title)
    .description(
      `${insight.title}: ${insight.description}${module.name === 'licenses' ? '' : ` (module ${module.name})`}`,
    );
  for (const option of insight.options) {
    const flag = kebabCase(option.name);
    const defaultText = option.default === undefined ? '' : ` (default ${JSON.stringify(option.default)})`;
    if (option.type === 'boolean') {
      command.addOption(new Option(`--${flag}`, `${option.description}${defaultText}`));
      if (option.default === true) command.addOption(new Option(`--no-${flag}`, `turn off --${flag}`));
    } else {
      const placeholder = option.type === 'number' ? '<n>' : option.type === 'date' ? '<date>' : '<value>';
      command.addOption(new Option(`--${flag} ${placeholder}`, `${option.description}${defaultText}`));
    }
  }
  if (insight.name === 'trend') {
    command.addOption(
      new Option(
        '--history [db]',
        'compare two days of the history (pc history) instead of two server snapshots',
      ),
    );
  }
  addRowPolicyOptions(command);
  return bindAction(command, ctx, state, async (context, action) => {
    const { globals } = action;
    const options = insightOptionValues(insight, action.opts);
    if (insight.name === 'trend' && action.opts.history !== undefined) {
      return runInsightTrendFromHistory(context, { globals, opts: action.opts, options });
    }
    const settings = context.settings({
      baseUrl: globals.baseUrl,
      locale: globals.locale,
      apiLocale: globals.apiLocale,
      output: globals.output,
    });
    const format = chooseFormat({
      configured: settings.output.value,
      outFile: globals.out,
      stdoutIsTTY: context.io.stdout.isTTY === true,
    });
    const policy = action.opts as { invalidRows?: string; rejects?: string; maxPages?: string };
    const invalidRows = parseInvalidRows(policy.invalidRows);
    const maxPages = parsePositiveInt(policy.maxPages, '--max-pages');
    const progress = progressFor(context, globals, `insights ${insight.name}`, settings.locale.value);
    const rejects = await RejectCollector.open(policy.rejects);
    const client = await createCliClient(context, {
      settings,
      globals,
      progress,
      tuning: { invalidRows, maxPages, onInvalidRows: rejects.add },
    });
    try {
      const result = await client.runInsight(insight.name, { ...options, signal: context.signal });
      progress.done();
      const selection = selectColumns(insightColumns(result), globals.fields);
      if (format === 'table' && context.io.stderr.isTTY === true && globals.quiet !== true) {
        context.err(`${result.title}\n`);
      }
      const output = await openOutput(context, {
        globals,
        format,
        selection,
        locale: settings.locale.value,
        title: result.title,
      });
      try {
        for (const row of result.rows) {
          const wait = output.writer.write(row);
          if (wait !== undefined) await wait;
        }
        await output.finish();
      } catch (error) {
        await output.fail();
        throw error;
      }
      await rejects.close();
      return rejects.finish(context, policy.rejects);
    } finally {
      progress.done();
      await rejects.close().catch(() => undefined);
      await client.close();
    }
  });
}

/** `pc insights <name>`: one subcommand per insight of every module. */
export function insightsCommand(
  ctx: CliContext,
  state: RunState,
  modules: readonly AnalyticsModule[],
): Command {
  const insights = new Command('insights')
    .summary('computed reports: unused licenses, adoption, summary, trend, and module insights')
    .description('Insights: reports computed from the endpoints (streamed and aggregated locally).');
  const seen = new Set<string>();
  for (const module of modules) {
    for (const insight of module.insights) {
      if (seen.has(insight.name)) {
        ctx.err(`pc: warning: module '${module.name}': insight '${insight.name}' already exists; skipped\n`);
        continue;
      }
      seen.add(insight.name);
      insights.addCommand(insightCommand(ctx, state, module, insight));
    }
  }
  return insights;
}

import type { AnalyticsModule, InsightDefinition, InsightResult } from '@pc/analytics';
import { parseSnapshotDate } from '@pc/models';
import { Command, Option } from 'commander';
import { addRowPolicyOptions, createCliClient, parsePositiveInt, progressFor } from '../client.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../exitCodes.js';
import { chooseFormat, openOutput, selectColumns } from '../output/destination.js';
import type { OutputColumn, OutputFormat } from '../output/format.js';
import { localPipeline, rowComparator } from '../output/localQuery.js';
import { displayWidth } from '../output/table.js';
import { createValueFormatter, plainValueFormatter, type ValueFormatter } from '../output/valueFormat.js';
import { closingLine } from '../progress.js';
import { parseInvalidRows, RejectCollector } from '../rejects.js';
import { bindAction, camelCase, kebabCase, type RunState } from './action.js';
import { helpWhenBare } from './endpoints.js';

/** Output columns of an insight result (`percent` values are fractions). */
export function insightColumns(result: InsightResult): OutputColumn[] {
  return result.columns.map((column) => ({
    name: column.name,
    label: column.label,
    display: column.kind === 'percent' ? 'ratio' : column.kind === 'number' ? 'number' : 'string',
  }));
}

/**
 * The flag of an insight option: the kebab-case of its name, except that the snapshot option
 * `processedDateTime` is `--processed-date`, as on the list commands (one name per concept;
 * `--processed-date-time` stays a hidden alias).
 */
export function insightFlag(name: string): string {
  return name === 'processedDateTime' ? 'processed-date' : kebabCase(name);
}

/** Converts the flag values of an insight to the declared option types. */
export function insightOptionValues(
  insight: InsightDefinition,
  opts: Record<string, unknown>,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const option of insight.options) {
    const flag = insightFlag(option.name);
    const raw = opts[camelCase(flag)] ?? opts[camelCase(kebabCase(option.name))];
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
    const flag = insightFlag(option.name);
    const defaultText = option.default === undefined ? '' : ` (default ${JSON.stringify(option.default)})`;
    if (option.type === 'boolean') {
      command.addOption(new Option(`--${flag}`, `${option.description}${defaultText}`));
      if (option.default === true) command.addOption(new Option(`--no-${flag}`, `turn off --${flag}`));
    } else {
      const placeholder = option.type === 'number' ? '<n>' : option.type === 'date' ? '<date>' : '<value>';
      command.addOption(new Option(`--${flag} ${placeholder}`, `${option.description}${defaultText}`));
      if (flag !== kebabCase(option.name)) {
        command.addOption(new Option(`--${kebabCase(option.name)} ${placeholder}`).hideHelp());
      }
    }
  }
  command.option(
    '--with-meta',
    'json, jsonc, yaml: one object {insight, title, meta, rows} instead of the rows alone',
  );
  addRowPolicyOptions(command);
  return bindAction(command, ctx, state, async (context, action) => {
    const { globals } = action;
    const options = insightOptionValues(insight, action.opts);
    const settings = context.settings({
      baseUrl: globals.baseUrl,
      locale: globals.locale,
      apiLocale: globals.apiLocale,
      output: globals.output,
    });
    const format = chooseFormat({
      configured: settings.output.value,
      configuredSource: settings.output.source,
      outFile: globals.out,
      stdoutIsTTY: context.io.stdout.isTTY === true,
    });
    const withMeta = action.opts.withMeta === true;
    if (withMeta && !metaFormats.includes(format)) {
      throw new UsageError(
        `--with-meta needs -o json, jsonc or yaml (got ${format})`,
        'a table shows the meta under its rows; csv, tsv, md and ndjson carry rows only',
      );
    }
    const policy = action.opts as { invalidRows?: string; rejects?: string; maxPages?: string };
    const invalidRows = parseInvalidRows(policy.invalidRows);
    const maxPages = parsePositiveInt(policy.maxPages, '--max-pages');
    const progress = progressFor(context, globals, `insights ${insight.name}`, settings.locale.value);
    const rejects = await RejectCollector.open(policy.rejects);
    const client = createCliClient(context, {
      settings,
      globals,
      progress,
      tuning: { invalidRows, maxPages, onInvalidRows: rejects.add },
    });
    try {
      const result = await client.runInsight(insight.name, { ...options, signal: context.signal });
      progress.done();
      const available = insightColumns(result);
      const steps = localPipeline(globals, available);
      const selection = selectColumns(available, globals.fields);
      const toTerminal = globals.out === undefined && context.io.stdout.isTTY === true;
      if (format === 'table' && context.io.stderr.isTTY === true && globals.quiet !== true) {
        context.err(`${result.title}\n`);
      }
      let rows = result.rows as readonly Record<string, unknown>[];
      if (steps?.where !== undefined) rows = rows.filter((row) => steps.where!(row));
      if (steps?.sort !== undefined) rows = [...rows].sort(rowComparator(steps.sort));
      const output = await openOutput(context, {
        globals,
        format,
        selection: steps?.query !== undefined ? undefined : selection,
        locale: settings.locale.value,
        title: result.title,
      });
      try {
        if (withMeta) {
          const shaped = selection.project ? rows.map((row) => pick(row, selection.columns)) : rows;
          const envelope = {
            insight: result.insight,
            title: result.title,
            meta: result.meta ?? {},
            rows: shaped,
          };
          // --query applies to the whole envelope: --with-meta --query meta.crossCheck
          await output.document(steps?.query !== undefined ? steps.query.evaluate(envelope) : envelope);
        } else {
          const queried =
            steps?.query === undefined
              ? rows
              : steps.query.all(selection.project ? rows.map((row) => pick(row, selection.columns)) : rows);
          if (Array.isArray(queried)) {
            for (const row of queried) {
              const wait = output.writer.write(row);
              if (wait !== undefined) await wait;
            }
            await output.finish();
          } else {
            await output.document(queried);
          }
        }
      } catch (error) {
        await output.fail();
        throw error;
      }
      if (
        format === 'table' &&
        !withMeta &&
        result.meta !== undefined &&
        Object.keys(result.meta).length > 0
      ) {
        const formatter = toTerminal ? createValueFormatter(settings.locale.value) : plainValueFormatter;
        const text = renderMeta(result.meta, formatter);
        if (globals.out === undefined) context.io.stdout.write(text);
      }
      if (globals.verbose === true) {
        context.err(
          `${closingLine({ label: `insights ${insight.name}`, stats: progress.stats(), rowsOut: rows.length, file: globals.out, locale: settings.locale.value })}\n`,
        );
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

function pick(
  row: Readonly<Record<string, unknown>>,
  columns: readonly OutputColumn[],
): Record<string, unknown> {
  return Object.fromEntries(columns.map((column) => [column.name, row[column.name] ?? null]));
}

/** The formats that can carry an insight's meta as a `{insight, title, meta, rows}` envelope. */
const metaFormats: readonly OutputFormat[] = ['json', 'jsonc', 'yaml'];

/** `rowsRead` -> `Rows read`, `crossCheckUsage` -> `Cross check usage`. */
function humanKey(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function metaScalar(value: unknown, formatter: ValueFormatter): string {
  if (typeof value === 'number') return formatter.format(value, 'number');
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return formatter.format(value, 'date');
  if (value === null || value === undefined) return '-';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * An insight's `meta` as text for the lines under its table: scalars as `Key: value`, flat
 * objects on one line (`Rows read: deployment 1,234 · usage 5,678`), lists of objects (the
 * cross-checks) as small aligned tables.
 */
export function renderMeta(meta: Readonly<Record<string, unknown>>, formatter: ValueFormatter): string {
  const lines: string[] = [''];
  for (const [key, value] of Object.entries(meta)) {
    if (
      Array.isArray(value) &&
      value.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))
    ) {
      const items = value as Record<string, unknown>[];
      lines.push(`${humanKey(key)}:${items.length === 0 ? ' (none)' : ''}`);
      if (items.length === 0) continue;
      const keys = [...new Set(items.flatMap((item) => Object.keys(item)))];
      const cells = items.map((item) =>
        keys.map((name) => {
          const cell = item[name];
          return typeof cell === 'number' && /Rate$/.test(name)
            ? formatter.format(cell, 'ratio')
            : metaScalar(cell, formatter);
        }),
      );
      const widths = keys.map((name, index) =>
        Math.max(displayWidth(name), ...cells.map((row) => displayWidth(row[index]!))),
      );
      const pad = (text: string, index: number): string =>
        text + ' '.repeat(widths[index]! - displayWidth(text));
      lines.push(`  ${keys.map(pad).join('  ').trimEnd()}`);
      for (const row of cells) lines.push(`  ${row.map(pad).join('  ').trimEnd()}`);
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const parts = Object.entries(value as Record<string, unknown>).map(
        ([name, item]) => `${name} ${metaScalar(item, formatter)}`,
      );
      lines.push(`${humanKey(key)}: ${parts.join(' · ')}`);
    } else {
      lines.push(`${humanKey(key)}: ${metaScalar(value, formatter)}`);
    }
  }
  return `${lines.join('\n')}\n`;
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
  helpWhenBare(insights, ctx, state);
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

import type { EndpointDescriptor, FilterOperatorName } from '@pc/models';
import { type Command, Option } from 'commander';
import { createCliClient, credentialOptions, parsePositiveInt, progressFor } from '../client.js';
import { splitList } from '../config.js';
import type { CliContext, GlobalOptions } from '../context.js';
import { UsageError } from '../exitCodes.js';
import { normalizeFilter, resolveFieldName } from '../fieldNames.js';
import { chooseFormat, type ColumnSelection, openOutput, selectColumns } from '../output/destination.js';
import type { ColumnDisplay, OutputColumn, OutputFormat } from '../output/format.js';
import { type LocalPipeline, localPipeline, runPipeline } from '../output/localQuery.js';
import { closingLine } from '../progress.js';

/** The list flags of an endpoint command, as commander hands them over. */
export interface ListFlags {
  readonly filter?: string;
  readonly groupby?: string;
  readonly processedDate?: string;
  /** The hidden alias `--processed-date-time`. */
  readonly processedDateTime?: string;
  readonly top?: string;
  readonly pageSize?: string;
  readonly concurrency?: string;
  readonly retries?: string;
}

/** Adds the list flags an endpoint takes (all of them for a commercial endpoint). */
export function addListOptions(command: Command, descriptors: readonly EndpointDescriptor[]): Command {
  const takes = (option: string): boolean =>
    descriptors.some((descriptor) => (descriptor.queryOptions as readonly string[]).includes(option));
  const first = descriptors[0]?.filterable[0];
  const example = first === undefined ? '' : `, e.g. "${first} eq 'value'" (filterable fields below)`;
  if (takes('filter')) command.option('--filter <expr>', `OData filter${example}`);
  if (takes('groupby'))
    command.option('--groupby <fields>', 'group by these fields (comma-separated); measures are summed');
  if (takes('processedDateTime')) {
    command.option('--processed-date <date>', 'snapshot to read (YYYY-MM-DD); default the latest');
    // The insights' old spelling, accepted here too so that one name works everywhere.
    command.addOption(new Option('--processed-date-time <date>').hideHelp());
  }
  command
    .option('--top <n>', 'rows in total (not per page)')
    .option('--page-size <n>', 'rows per request (at most the endpoint maximum, 10000)')
    .option('--concurrency <n>', 'page requests in flight (default 4)')
    .option('--retries <n>', 'retries per request after the first attempt (default 5)');
  return command;
}

const displayOfKind: Record<string, ColumnDisplay> = {
  string: 'string',
  guid: 'string',
  count: 'number',
  ratio: 'ratio',
  timestamp: 'date',
  attributes: 'json',
};

/** The output columns of an endpoint: all fields, or for a grouped read the group fields, measures and snapshot. */
export function endpointColumns(
  descriptor: EndpointDescriptor,
  groupby: readonly string[] | undefined,
): OutputColumn[] {
  const columns = descriptor.columns.map((column) => ({
    name: column.name,
    display: displayOfKind[column.kind] ?? 'string',
  }));
  if (groupby === undefined) return columns;
  const byName = new Map(columns.map((column) => [column.name, column]));
  const names = [
    ...groupby,
    ...descriptor.measures,
    ...(byName.has('processedDateTime') ? ['processedDateTime'] : []),
  ];
  return names.map((name) => byName.get(name) ?? { name, display: 'string' });
}

/** Hand-picked table columns of the built-in endpoints (names first, measures always). */
const curatedTableColumns: Record<string, readonly string[]> = {
  commercialLicenseDeployment: [
    'customerName',
    'productName',
    'serviceCode',
    'channel',
    'licensesSold',
    'licensesDeployed',
  ],
  commercialLicenseUsage: [
    'customerName',
    'productName',
    'workloadCode',
    'serviceCode',
    'channel',
    'licensesQualified',
    'licensesActive',
  ],
};

/**
 * The columns a terminal table shows by default (gh and az show a chosen subset): the curated set
 * of a built-in endpoint, else the text columns with names first (a `...Name` column is left out
 * when its `...Code` is there), then every numeric column. Identifiers (GUIDs), timestamps and
 * nested values are left out; `--fields` brings them back. A grouped read shows its group fields
 * (names first, ids last) and the measures.
 */
export function tableColumns(
  descriptor: EndpointDescriptor,
  available: readonly OutputColumn[],
  groupby: readonly string[] | undefined,
): OutputColumn[] {
  const kindOf = new Map(descriptor.columns.map((column) => [column.name, column.kind]));
  const rank = (name: string): number => (kindOf.get(name) === 'guid' ? 2 : /Name$/.test(name) ? 0 : 1);
  if (groupby !== undefined) {
    const groups = available
      .filter((column) => groupby.includes(column.name))
      .sort((left, right) => rank(left.name) - rank(right.name));
    const measures = available.filter((column) => descriptor.measures.includes(column.name));
    return [...groups, ...measures];
  }
  const curated = curatedTableColumns[descriptor.id];
  const byName = new Map(available.map((column) => [column.name, column]));
  if (curated?.every((name) => byName.has(name))) {
    return curated.map((name) => byName.get(name)!);
  }
  const names = new Set(available.map((column) => column.name));
  const text = available.filter((column) => {
    const kind = kindOf.get(column.name);
    if (kind !== 'string') return false;
    const code = column.name.replace(/Name$/, 'Code');
    return !(column.name.endsWith('Name') && code !== column.name && names.has(code));
  });
  text.sort((left, right) => rank(left.name) - rank(right.name));
  const numeric = available.filter((column) => {
    const kind = kindOf.get(column.name);
    return kind === 'count' || kind === 'ratio';
  });
  return [...text, ...numeric];
}

/**
 * The columns to print: `--fields` when given; else, for `table` (a format for people), the
 * curated set of {@link tableColumns}; else every column (data formats keep every field).
 */
export function outputSelection(input: {
  descriptor: EndpointDescriptor;
  groupby: readonly string[] | undefined;
  fields: string | undefined;
  format: OutputFormat;
}): ColumnSelection {
  const available = endpointColumns(input.descriptor, input.groupby);
  const curated =
    input.format === 'table' ? tableColumns(input.descriptor, available, input.groupby) : undefined;
  return selectColumns(available, input.fields, curated);
}

/**
 * Checks `--filter` against the endpoint's fields and operators, field names without regard to
 * case, and returns it with the fields spelled as the endpoint spells them (exit 2 with a caret,
 * and "did you mean" for an unknown field).
 */
export function validateFilter(
  descriptor: EndpointDescriptor,
  filter: string | undefined,
): string | undefined {
  if (filter === undefined || filter.trim() === '') return undefined;
  if (!descriptor.queryOptions.includes('filter') || descriptor.filterable.length === 0) {
    throw new UsageError(`${descriptor.title} takes no --filter`);
  }
  const operators = descriptor.filterOperators as readonly FilterOperatorName[];
  const hint = `filterable fields: ${descriptor.filterable.join(', ')}; operators: ${descriptor.filterOperators.join(', ')}${
    operators.includes('gt') ? '' : '; for other operators (gt, contains, ...) use --where, evaluated locally'
  }`;
  return normalizeFilter(filter, { fields: descriptor.filterable, operators, flag: '--filter', hint }).text;
}

/**
 * Checks `--groupby` against the endpoint's groupable fields (names without regard to case,
 * "did you mean" for a typo) and returns the fields as the endpoint spells them.
 */
export function validateGroupby(
  descriptor: EndpointDescriptor,
  groupby: string | undefined,
): string[] | undefined {
  if (groupby === undefined) return undefined;
  const fields = splitList(groupby);
  if (fields.length === 0) throw new UsageError('--groupby needs at least one field');
  if (!descriptor.queryOptions.includes('groupby') || descriptor.groupable.length === 0) {
    throw new UsageError(`${descriptor.title} takes no --groupby`);
  }
  const resolved = fields.map((field) => {
    try {
      return resolveFieldName(field, descriptor.groupable, '--groupby');
    } catch (error) {
      if (error instanceof UsageError) {
        const measure = descriptor.measures.find((name) => name.toLowerCase() === field.toLowerCase());
        throw new UsageError(
          measure !== undefined
            ? `cannot group by '${field}': it is a measure (summed by --groupby)`
            : error.message.replace(/^unknown field/, 'cannot group by'),
          `groupable fields: ${descriptor.groupable.join(', ')}`,
        );
      }
      throw error;
    }
  });
  if (new Set(resolved).size !== resolved.length) throw new UsageError('--groupby lists a field twice');
  return resolved;
}

/** Checks `--processed-date`. */
export function validateProcessedDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (
    !/^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(text) ||
    Number.isNaN(Date.parse(text))
  ) {
    throw new UsageError(`--processed-date must be a date such as 2026-11-20, got '${value}'`);
  }
  return text;
}

/** Reads of at most this many rows run in place: their memory is small anyway. */
const smallReadRows = 50_000;

/** Reads an endpoint and streams its rows to the chosen output. */
export async function runEndpointList(
  ctx: CliContext,
  input: {
    descriptor: EndpointDescriptor;
    flags: ListFlags;
    globals: GlobalOptions;
    label: string;
    pathParams?: Record<string, string>;
  },
): Promise<number> {
  const { descriptor, flags, globals } = input;
  const filter = validateFilter(descriptor, flags.filter);
  const groupby = validateGroupby(descriptor, flags.groupby);
  const processedDateTime = validateProcessedDate(flags.processedDate ?? flags.processedDateTime);
  const top = parsePositiveInt(flags.top, '--top');
  const pageSize = parsePositiveInt(flags.pageSize, '--page-size', descriptor.maxPageSize);
  const concurrency = parsePositiveInt(flags.concurrency, '--concurrency', 32);
  const retries = parsePositiveInt(flags.retries, '--retries', 50, 0);
  const settings = ctx.settings({ baseUrl: globals.baseUrl, locale: globals.locale, output: globals.output });
  const format = chooseFormat({
    configured: settings.output.value,
    configuredSource: settings.output.source,
    outFile: globals.out,
    stdoutIsTTY: ctx.io.stdout.isTTY === true,
  });
  const toTerminal = globals.out === undefined && ctx.io.stdout.isTTY === true;
  const available = endpointColumns(descriptor, groupby);
  const pipeline = localPipeline(globals, available);
  const chosen = outputSelection({ descriptor, groupby, fields: globals.fields, format });
  // With --query, --fields cuts the rows before the query; the query's result has its own shape.
  const selection: ColumnSelection | undefined = pipeline?.query !== undefined ? undefined : chosen;
  const steps: LocalPipeline | undefined =
    pipeline?.query !== undefined && globals.fields !== undefined
      ? { ...pipeline, project: chosen.columns }
      : pipeline;
  // Everything is checked (flags, filter, credentials): run a download that may be large in a
  // child process with a tuned heap, which keeps a 10^6-row read well under 200 MB (reexec.ts).
  credentialOptions(ctx, settings);
  if (ctx.reexec !== undefined && (top === undefined || top > smallReadRows)) return ctx.reexec();
  const progress = progressFor(ctx, globals, input.label, settings.locale.value, {
    rowsToTerminal: toTerminal && format !== 'none',
  });
  if (globals.verbose === true) {
    ctx.err(
      `${input.label}: ${descriptor.method} ${settings.baseUrl.value}${descriptor.path} (base URL from ${settings.baseUrl.source})` +
        `${filter !== undefined ? `, filter ${filter}` : ''}${groupby !== undefined ? `, groupby ${groupby.join(',')}` : ''}` +
        `, snapshot ${processedDateTime ?? 'latest'}; output ${format}${globals.out !== undefined ? ` to ${globals.out}` : ''}` +
        `${globals.where !== undefined ? `; --where ${globals.where} (local)` : ''}${globals.sort !== undefined ? `; --sort ${globals.sort}` : ''}` +
        `${globals.query !== undefined ? `; --query ${globals.query} (${pipeline?.query?.perRow === true ? 'per row' : 'on all rows'})` : ''}\n`,
    );
  }
  const client = createCliClient(ctx, {
    settings,
    globals,
    progress,
    tuning: { concurrency, pageSize, retries },
  });
  try {
    const rows = client.list(descriptor.id, {
      signal: ctx.signal,
      ...(filter !== undefined ? { filter } : {}),
      ...(groupby !== undefined ? { groupby } : {}),
      ...(processedDateTime !== undefined ? { processedDateTime } : {}),
      ...(top !== undefined ? { top } : {}),
      ...(pageSize !== undefined ? { pageSize } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(input.pathParams !== undefined ? { pathParams: input.pathParams } : {}),
    });
    const output = await openOutput(ctx, {
      globals,
      format,
      selection,
      locale: settings.locale.value,
      title: input.label,
    });
    let written = 0;
    let documentWritten = false;
    try {
      await runPipeline(rows, steps, {
        write: (value) => {
          written++;
          return output.writer.write(value);
        },
        document: async (value) => {
          documentWritten = true;
          await output.document(value);
        },
      });
      progress.done();
      if (!documentWritten) await output.finish();
    } catch (error) {
      progress.done();
      await output.fail();
      throw error;
    }
    // A closing line for whoever watched the progress (and did not see the rows scroll by).
    const watched = progress.mode !== 'off' && !toTerminal;
    if (globals.verbose === true || (watched && globals.quiet !== true)) {
      ctx.err(
        `${closingLine({ label: input.label, stats: progress.stats(), rowsOut: documentWritten ? undefined : written, file: globals.out, locale: settings.locale.value })}\n`,
      );
    }
    return 0;
  } finally {
    progress.done();
    await client.close();
  }
}

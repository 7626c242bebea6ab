import type { EndpointDescriptor, FilterOperatorName } from '@pc/models';
import { isFilterSyntaxError, parseFilter } from '@pc/odata-query';
import type { Command } from 'commander';
import { createCliClient, credentialOptions, parsePositiveInt, progressFor } from '../client.js';
import { splitList } from '../config.js';
import type { CliContext, GlobalOptions } from '../context.js';
import { UsageError } from '../exitCodes.js';
import { chooseFormat, openOutput, selectColumns } from '../output/destination.js';
import type { ColumnDisplay, OutputColumn } from '../output/format.js';

/** The list flags of an endpoint command, as commander hands them over. */
export interface ListFlags {
  readonly filter?: string;
  readonly groupby?: string;
  readonly processedDate?: string;
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
  if (takes('processedDateTime'))
    command.option('--processed-date <date>', 'snapshot to read (YYYY-MM-DD); default the latest');
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

/** Checks `--filter` against the endpoint's fields and operators (exit 2 with a caret on error). */
export function validateFilter(
  descriptor: EndpointDescriptor,
  filter: string | undefined,
): string | undefined {
  if (filter === undefined || filter.trim() === '') return undefined;
  if (!descriptor.queryOptions.includes('filter') || descriptor.filterable.length === 0) {
    throw new UsageError(`${descriptor.title} takes no --filter`);
  }
  try {
    parseFilter(filter, {
      fields: descriptor.filterable,
      operators: descriptor.filterOperators as readonly FilterOperatorName[],
    });
  } catch (error) {
    if (isFilterSyntaxError(error)) {
      throw new UsageError(
        `invalid --filter: ${error.message}`,
        `filterable fields: ${descriptor.filterable.join(', ')}; operators: ${descriptor.filterOperators.join(', ')}`,
      );
    }
    throw error;
  }
  return filter;
}

/** Checks `--groupby` against the endpoint's groupable fields. */
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
  const groupable = new Set<string>(descriptor.groupable);
  for (const field of fields) {
    if (!groupable.has(field)) {
      throw new UsageError(
        `cannot group by '${field}'`,
        `groupable fields: ${descriptor.groupable.join(', ')}`,
      );
    }
  }
  if (new Set(fields).size !== fields.length) throw new UsageError('--groupby lists a field twice');
  return fields;
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
  const processedDateTime = validateProcessedDate(flags.processedDate);
  const top = parsePositiveInt(flags.top, '--top');
  const pageSize = parsePositiveInt(flags.pageSize, '--page-size', descriptor.maxPageSize);
  const concurrency = parsePositiveInt(flags.concurrency, '--concurrency', 32);
  const retries = parsePositiveInt(flags.retries, '--retries', 50, 0);
  const selection = selectColumns(endpointColumns(descriptor, groupby), globals.fields);
  const settings = ctx.settings({ baseUrl: globals.baseUrl, locale: globals.locale, output: globals.output });
  const format = chooseFormat({
    configured: settings.output.value,
    outFile: globals.out,
    stdoutIsTTY: ctx.io.stdout.isTTY === true,
  });
  // Everything is checked (flags, filter, credentials): run a download that may be large in a
  // child process with a tuned heap, which keeps a 10^6-row read well under 200 MB (reexec.ts).
  credentialOptions(ctx, settings);
  if (ctx.reexec !== undefined && (top === undefined || top > smallReadRows)) return ctx.reexec();
  const progress = progressFor(ctx, globals, input.label, settings.locale.value, {
    rowsToTerminal: globals.out === undefined && ctx.io.stdout.isTTY === true && format !== 'none',
  });
  const client = await createCliClient(ctx, {
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
    try {
      for await (const row of rows) {
        const wait = output.writer.write(row);
        if (wait !== undefined) await wait;
      }
      progress.done();
      await output.finish();
    } catch (error) {
      progress.done();
      await output.fail();
      throw error;
    }
    return 0;
  } finally {
    progress.done();
    await client.close();
  }
}

import {
  checkListRequest,
  columnKinds,
  type EndpointDescriptor,
  formatListRequestIssue,
  type ListRequestIssue,
} from '@pc/models';
import type { FilterNode } from '@pc/odata-query';
import type { Command } from 'commander';
import {
  addRowPolicyOptions,
  createCliClient,
  credentialOptions,
  parsePositiveInt,
  progressFor,
  type RowPolicyFlags,
} from '../client.js';
import type { CliContext, GlobalOptions } from '../context.js';
import { UsageError } from '../exitCodes.js';
import { chooseFormat, openOutput, selectColumns } from '../output/destination.js';
import type { ColumnDisplay, OutputColumn } from '../output/format.js';
import { parseInvalidRows, RejectCollector } from '../rejects.js';

/** The list flags of an endpoint command, as commander hands them over. */
export interface ListFlags extends RowPolicyFlags {
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
    .option(
      '--page-size <n>',
      `rows per request (at most the endpoint maximum, ${Math.max(...descriptors.map((descriptor) => descriptor.maxPageSize))})`,
    )
    .option('--concurrency <n>', 'page requests in flight (default 4)')
    .option('--retries <n>', 'retries per request after the first attempt (default 5)');
  return addRowPolicyOptions(command);
}

/** The output columns of an endpoint: all fields, or for a grouped read the group fields, measures and snapshot. */
export function endpointColumns(
  descriptor: EndpointDescriptor,
  groupby: readonly string[] | undefined,
): OutputColumn[] {
  const columns = descriptor.columns.map((column) => ({
    name: column.name,
    display: columnKinds[column.kind].display satisfies ColumnDisplay,
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

/** The CLI's name of each request parameter, for messages. */
const flagOf: Readonly<Record<ListRequestIssue['parameter'], string>> = {
  filter: '--filter',
  groupby: '--groupby',
  processedDateTime: '--processed-date',
  top: '--page-size',
  skip: '--skip',
  path: 'path parameter',
};

/** The list flags that are part of the request, checked by the one request check of `@pc/models`. */
export interface CheckedListFlags {
  /** The filter as a checked syntax tree (parsed once, handed to the SDK as is). */
  readonly filter: FilterNode | undefined;
  readonly groupby: readonly string[] | undefined;
  readonly processedDateTime: string | undefined;
  readonly pathParams: Readonly<Record<string, string>> | undefined;
}

/**
 * Checks `--filter`, `--groupby`, `--processed-date` and the path parameters with
 * `checkListRequest` (the check the SDK and the mock make too), before any request is sent.
 *
 * @throws UsageError (exit 2) for the first issue: `invalid --filter: <problem> at offset N:` and
 * the text with a caret under the fault, and a hint listing what the endpoint accepts.
 */
export function checkListFlags(
  descriptor: EndpointDescriptor,
  flags: Pick<ListFlags, 'filter' | 'groupby' | 'processedDate'>,
  pathParams?: {
    readonly values: Readonly<Record<string, string>>;
    readonly flags: Readonly<Record<string, string>>;
  },
): CheckedListFlags {
  const result = checkListRequest(descriptor, {
    ...(flags.filter === undefined ? {} : { filter: flags.filter }),
    ...(flags.groupby === undefined ? {} : { groupby: flags.groupby }),
    ...(flags.processedDate === undefined ? {} : { processedDateTime: flags.processedDate }),
    ...(pathParams === undefined ? {} : { pathParams: pathParams.values }),
  });
  if (!result.ok) {
    const issue = result.issues[0]!;
    const flag =
      issue.parameter === 'path'
        ? (pathParams?.flags[issue.name ?? ''] ?? `path parameter ${issue.name ?? ''}`)
        : flagOf[issue.parameter];
    if (issue.code === 'unsupportedOption') throw new UsageError(`${descriptor.title} takes no ${flag}`);
    const hint =
      issue.parameter === 'filter'
        ? `filterable fields: ${descriptor.filterable.join(', ')}; operators: ${descriptor.filterOperators.join(', ')}`
        : issue.parameter === 'groupby'
          ? `groupable fields: ${descriptor.groupable.join(', ')}`
          : undefined;
    throw new UsageError(formatListRequestIssue(issue, `invalid ${flag}`), hint);
  }
  const { request } = result;
  return {
    filter: request.filter,
    groupby: request.groupby,
    processedDateTime: request.processedDateTime,
    pathParams: descriptor.pathParams.length === 0 ? undefined : request.pathParams,
  };
}

/** Reads an endpoint and streams its rows to the chosen output. */
export async function runEndpointList(
  ctx: CliContext,
  input: {
    descriptor: EndpointDescriptor;
    flags: ListFlags;
    globals: GlobalOptions;
    label: string;
    pathParams?: Record<string, string>;
    /** The flag that gave each path parameter (`customerId` → `--customer`), for messages. */
    pathParamFlags?: Readonly<Record<string, string>>;
  },
): Promise<number> {
  const { descriptor, flags, globals } = input;
  const { filter, groupby, processedDateTime, pathParams } = checkListFlags(
    descriptor,
    flags,
    input.pathParams === undefined
      ? undefined
      : { values: input.pathParams, flags: input.pathParamFlags ?? {} },
  );
  const top = parsePositiveInt(flags.top, '--top');
  const pageSize = parsePositiveInt(flags.pageSize, '--page-size', descriptor.maxPageSize);
  const concurrency = parsePositiveInt(flags.concurrency, '--concurrency', 32);
  const retries = parsePositiveInt(flags.retries, '--retries', 50, 0);
  const invalidRows = parseInvalidRows(flags.invalidRows);
  const maxPages = parsePositiveInt(flags.maxPages, '--max-pages');
  const selection = selectColumns(endpointColumns(descriptor, groupby), globals.fields);
  const settings = ctx.settings({
    baseUrl: globals.baseUrl,
    locale: globals.locale,
    apiLocale: globals.apiLocale,
    output: globals.output,
  });
  const format = chooseFormat({
    configured: settings.output.value,
    outFile: globals.out,
    stdoutIsTTY: ctx.io.stdout.isTTY === true,
  });
  // Everything is checked (flags, filter, credentials) before the first request.
  credentialOptions(ctx, settings);
  const progress = progressFor(ctx, globals, input.label, settings.locale.value, {
    rowsToTerminal: globals.out === undefined && ctx.io.stdout.isTTY === true && format !== 'none',
  });
  const rejects = await RejectCollector.open(flags.rejects);
  const client = await createCliClient(ctx, {
    settings,
    globals,
    progress,
    tuning: { concurrency, pageSize, retries, invalidRows, maxPages, onInvalidRows: rejects.add },
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
      ...(pathParams !== undefined ? { pathParams } : {}),
    });
    const output = await openOutput(ctx, {
      globals,
      format,
      selection,
      locale: settings.locale.value,
      title: input.label,
    });
    try {
      for await (const page of rows.byPage()) {
        if (page.restarted) await output.restart();
        // The page's array is this read's own: let each row go once written (less GC work).
        const items = page.items as unknown[];
        for (let index = 0; index < items.length; index++) {
          const wait = output.writer.write(items[index] as Record<string, unknown>);
          items[index] = undefined;
          if (wait !== undefined) await wait;
        }
      }
      progress.done();
      await output.finish();
    } catch (error) {
      progress.done();
      await output.fail();
      throw error;
    }
    await rejects.close();
    return rejects.finish(ctx, flags.rejects);
  } finally {
    progress.done();
    await rejects.close().catch(() => undefined);
    await client.close();
  }
}

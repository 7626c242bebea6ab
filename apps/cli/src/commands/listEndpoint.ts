import {
  checkListRequest,
  columnKinds,
  type EndpointDescriptor,
  formatListRequestIssue,
  type ListRequestIssue,
} from '@pc/models';
import type { FilterNode } from '@pc/odata-query';
import { type Command, Option } from 'commander';
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
import { splitList } from '../config.js';
import { normalizeFilter, resolveFieldName } from '../fieldNames.js';
import { chooseFormat, type ColumnSelection, openOutput, selectColumns } from '../output/destination.js';
import type { ColumnDisplay, OutputColumn, OutputFormat } from '../output/format.js';
import { type LocalPipeline, localPipeline, runPipeline } from '../output/localQuery.js';
import { closingLine } from '../progress.js';
import { parseInvalidRows, RejectCollector } from '../rejects.js';

/** The list flags of an endpoint command, as commander hands them over. */
export interface ListFlags extends RowPolicyFlags {
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
  if (takes('processedDateTime'))
    command.option('--processed-date <date>', 'snapshot to read (YYYY-MM-DD); default the latest');
  // The insights' old spelling, accepted here too so that one name works everywhere.
  command.addOption(new Option('--processed-date-time <date>').hideHelp());
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
 * Field names without regard to case, before the request check: `--groupby customername` and
 * `--filter "SERVICECODE eq 'o365'"` are read as the endpoint spells them; an unknown field gets
 * "did you mean" (exit 2). Everything else is left to `checkListFlags`.
 */
export function normalizeFieldCase(
  descriptor: EndpointDescriptor,
  flags: Pick<ListFlags, 'filter' | 'groupby'>,
): { filter?: string; groupby?: string } {
  const result: { filter?: string; groupby?: string } = {};
  if (flags.groupby !== undefined) {
    const known = descriptor.groupable.length > 0 ? descriptor.groupable : descriptor.fields;
    result.groupby = splitList(flags.groupby)
      .map((field) => {
        const measure = descriptor.measures.find((name) => name.toLowerCase() === field.toLowerCase());
        if (measure !== undefined) return measure;
        try {
          return resolveFieldName(field, known, '--groupby');
        } catch (error) {
          if (error instanceof UsageError) {
            throw new UsageError(
              error.message.replace(/^unknown field/, 'cannot group by'),
              `groupable fields: ${descriptor.groupable.join(', ')}`,
            );
          }
          throw error;
        }
      })
      .join(',');
  }
  if (flags.filter !== undefined) {
    result.filter = flags.filter;
    if (descriptor.filterable.length > 0 && flags.filter.trim() !== '') {
      try {
        result.filter = normalizeFilter(flags.filter, {
          fields: descriptor.filterable,
          flag: '--filter',
          hint: `filterable fields: ${descriptor.filterable.join(', ')}; for gt, contains and the rest use --where (evaluated locally)`,
        }).text;
      } catch (error) {
        // A syntax error is reported by the request check, with its own words; an unknown field here.
        if (!(error instanceof UsageError && /unknown field/.test(error.message)))
          result.filter = flags.filter;
        else throw error;
      }
    }
  }
  return result;
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
    /** The flag that gave each path parameter (`customerId` → `--customer`), for messages. */
    pathParamFlags?: Readonly<Record<string, string>>;
  },
): Promise<number> {
  const { descriptor, globals } = input;
  const flags: ListFlags = {
    ...input.flags,
    ...normalizeFieldCase(descriptor, input.flags),
    ...(input.flags.processedDate === undefined && input.flags.processedDateTime !== undefined
      ? { processedDate: input.flags.processedDateTime }
      : {}),
  };
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
  const settings = ctx.settings({
    baseUrl: globals.baseUrl,
    locale: globals.locale,
    apiLocale: globals.apiLocale,
    output: globals.output,
  });
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
        `${flags.filter !== undefined ? `, filter ${flags.filter}` : ''}${groupby !== undefined ? `, groupby ${groupby.join(',')}` : ''}` +
        `, snapshot ${processedDateTime ?? 'latest'}; output ${format}${globals.out !== undefined ? ` to ${globals.out}` : ''}` +
        `${globals.where !== undefined ? `; --where ${globals.where} (local)` : ''}${globals.sort !== undefined ? `; --sort ${globals.sort}` : ''}` +
        `${globals.query !== undefined ? `; --query ${globals.query} (${pipeline?.query?.perRow === true ? 'per row' : 'on all rows'})` : ''}\n`,
    );
  }
  const rejects = await RejectCollector.open(flags.rejects);
  const client = createCliClient(ctx, {
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
    let written = 0;
    let documentWritten = false;
    // Rows as they come, page by page; a read that starts over (the data was refreshed) restarts
    // the output, which --sort and a collected --query cannot do with rows already held.
    async function* rowsOf(): AsyncGenerator<Record<string, unknown>> {
      for await (const page of rows.byPage()) {
        if (page.restarted) {
          if (steps?.sort !== undefined || (steps?.query !== undefined && !steps.query.perRow)) {
            throw new UsageError('the data was refreshed during the read; run the command again');
          }
          written = 0;
          await output.restart();
        }
        // The page's array is this read's own: let each row go once handed on (less GC work).
        const items = page.items as unknown[];
        for (let index = 0; index < items.length; index++) {
          const row = items[index] as Record<string, unknown>;
          items[index] = undefined;
          yield row;
        }
      }
    }
    try {
      await runPipeline(rowsOf(), steps, {
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
    await rejects.close();
    return rejects.finish(ctx, flags.rejects);
  } finally {
    progress.done();
    await rejects.close().catch(() => undefined);
    await client.close();
  }
}

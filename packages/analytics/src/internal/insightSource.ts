import type { AnalyticsClient } from '../analyticsModule.js';
import type { InsightOption } from '../analyticsModule.js';
import { GroupAggregator } from '../groupAggregator.js';

/** The option every streaming insight takes: let the server aggregate instead. */
export const serverGroupbyOption: InsightOption = {
  name: 'serverGroupby',
  type: 'boolean',
  description: 'Let the server aggregate (groupby) instead of streaming every row',
  default: false,
};

/** The option that picks the snapshot an insight reads. */
export const snapshotOption: InsightOption = {
  name: 'processedDateTime',
  type: 'date',
  description: 'The snapshot to read (default the latest)',
};

/** A `filter` option on the endpoint an insight reads, with an example. */
export function filterOption(endpoint: string, example: string): InsightOption {
  return {
    name: 'filter',
    type: 'string',
    description: `A filter on the ${endpoint} endpoint, e.g. ${example}`,
  };
}

/** How an insight reads one endpoint into groups. */
export interface GroupReadOptions {
  readonly endpointId: string;
  readonly keys: readonly string[];
  readonly measures: readonly string[];
  readonly filter?: string | undefined;
  readonly processedDateTime?: string | undefined;
  /** Let the server aggregate (`groupby`) instead of streaming every row; the result is the same. */
  readonly serverGroupby?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** The aggregated groups, the rows read and the snapshot they came from. */
export interface GroupReadResult {
  readonly groups: GroupAggregator;
  readonly rowsRead: number;
  /** The snapshot read (ISO-8601 UTC), or null when the result was empty. */
  readonly processedDateTime: string | null;
}

/** Streams an endpoint page by page into a {@link GroupAggregator}: memory is bounded by the groups. */
export async function readGroups(
  client: AnalyticsClient,
  options: GroupReadOptions,
): Promise<GroupReadResult> {
  let groups = new GroupAggregator({ keys: options.keys, measures: options.measures });
  let snapshot: string | null = null;
  let rowsRead = 0;
  const stream = client.list(options.endpointId, {
    ...(options.filter === undefined || options.filter === '' ? {} : { filter: options.filter }),
    ...(options.processedDateTime === undefined ? {} : { processedDateTime: options.processedDateTime }),
    ...(options.serverGroupby === true ? { groupby: options.keys } : {}),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  for await (const page of stream.byPage()) {
    if (page.restarted) {
      // The data was refreshed under the read, which started over: forget what came before.
      groups = new GroupAggregator({ keys: options.keys, measures: options.measures });
      snapshot = null;
      rowsRead = 0;
    }
    snapshot ??= page.processedDateTime;
    rowsRead += page.items.length;
    for (const row of page.items) groups.add(row);
  }
  return { groups, rowsRead, processedDateTime: snapshot };
}

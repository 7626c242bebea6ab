import type { AnalyticsClient } from '../client.js';
import { GroupAggregator } from '../groupAggregator.js';

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
  const groups = new GroupAggregator({ keys: options.keys, measures: options.measures });
  let snapshot: string | null = null;
  let rowsRead = 0;
  const stream = client.list(options.endpointId, {
    ...(options.filter === undefined || options.filter === '' ? {} : { filter: options.filter }),
    ...(options.processedDateTime === undefined ? {} : { processedDateTime: options.processedDateTime }),
    ...(options.serverGroupby === true ? { groupby: options.keys } : {}),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  for await (const page of stream.byPage()) {
    snapshot ??= page.processedDateTime;
    rowsRead += page.items.length;
    for (const row of page.items) groups.add(row);
  }
  return { groups, rowsRead, processedDateTime: snapshot };
}

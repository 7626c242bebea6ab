import { PartnerCenterError } from '@pc/transport';
import type { InsightColumn, InsightDefinition, InsightResult } from '../analyticsModule.js';
import { compareText, type GroupAggregator } from '../groupAggregator.js';
import { optionalCount, optionalText } from '../internal/insightArgs.js';
import { readGroups, serverGroupbyOption } from '../internal/insightSource.js';
import { checkGroupby } from '../internal/readPlan.js';

/** Options of {@link computeTrend}. */
export interface TrendOptions {
  /** Keep only groups where some measure changed; default true. */
  readonly changedOnly?: boolean;
  /** Keep the first N rows (largest absolute change of the first measure first). */
  readonly top?: number;
}

/**
 * The trend table: per group, each measure in the `from` and `to` snapshots and the change
 * (to - from); a group missing from one snapshot counts as 0 there.
 */
export function computeTrend(
  snapshots: { readonly from: GroupAggregator; readonly to: GroupAggregator },
  options: TrendOptions = {},
): Pick<InsightResult, 'columns' | 'rows'> {
  const { from, to } = snapshots;
  const keys = to.keys;
  const measures = to.measures;
  const rows: Record<string, string | number>[] = [];
  const seen = new Set<string>();
  const emit = (key: Readonly<Record<string, string>>): void => {
    const id = keys.map((name) => key[name] ?? '').join('\u0000');
    if (seen.has(id)) return;
    seen.add(id);
    const before = from.get(key);
    const after = to.get(key);
    const row: Record<string, string | number> = {};
    for (const name of keys) row[name] = key[name] ?? '';
    let changed = false;
    for (const measure of measures) {
      const a = before?.sums[measure] ?? 0;
      const b = after?.sums[measure] ?? 0;
      row[`${measure}From`] = a;
      row[`${measure}To`] = b;
      row[`${measure}Change`] = b - a;
      if (b !== a) changed = true;
    }
    if (changed || options.changedOnly === false) rows.push(row);
  };
  for (const group of to.groups()) emit(group.key);
  for (const group of from.groups()) emit(group.key);
  const first = measures[0];
  rows.sort((left, right) => {
    if (first !== undefined) {
      const delta = Math.abs(Number(right[`${first}Change`])) - Math.abs(Number(left[`${first}Change`]));
      if (delta !== 0) return delta;
    }
    for (const name of keys) {
      const order = compareText(String(left[name]), String(right[name]));
      if (order !== 0) return order;
    }
    return 0;
  });
  const columns: InsightColumn[] = keys.map((name) => ({ name, label: name, kind: 'string' }));
  for (const measure of measures) {
    columns.push(
      { name: `${measure}From`, label: `${measure} (from)`, kind: 'number' },
      { name: `${measure}To`, label: `${measure} (to)`, kind: 'number' },
      { name: `${measure}Change`, label: `${measure} change`, kind: 'number' },
    );
  }
  return { columns, rows: options.top === undefined ? rows : rows.slice(0, options.top) };
}

function dayBefore(snapshot: string): string {
  const time = Date.parse(snapshot.length === 10 ? `${snapshot}T00:00:00Z` : snapshot);
  return new Date(time - 86_400_000).toISOString().slice(0, 10);
}

/** `trend`: the change per group of an endpoint's measures between two processing snapshots. */
export const trendInsight: InsightDefinition = {
  name: 'trend',
  title: 'Trend between snapshots',
  description:
    'Per group, the change of the measures between two processing snapshots (default: the day before vs the latest).',
  options: [
    { name: 'from', type: 'date', description: 'The earlier snapshot (default: the day before `to`)' },
    { name: 'to', type: 'date', description: 'The later snapshot (default: the latest)' },
    {
      name: 'endpoint',
      type: 'string',
      description: 'The endpoint to compare (it must take groupby and processedDateTime)',
      default: 'commercialLicenseDeployment',
    },
    {
      name: 'groupby',
      type: 'string',
      description: 'Comma-separated group fields',
      default: 'customerTenantId,customerName',
    },
    { name: 'filter', type: 'string', description: 'A filter on the endpoint' },
    { name: 'top', type: 'number', description: 'Keep the N largest changes' },
    {
      name: 'changedOnly',
      type: 'boolean',
      description: 'Leave out groups that did not change',
      default: true,
    },
    serverGroupbyOption,
  ],
  async run(client, options) {
    const endpointId = optionalText(options, 'endpoint') ?? 'commercialLicenseDeployment';
    const descriptor = client.endpoint(endpointId);
    if (!descriptor.queryOptions.includes('processedDateTime') || descriptor.measures.length === 0) {
      throw new PartnerCenterError({
        code: 'INVALID_REQUEST',
        message: `trend needs an endpoint with snapshots and measures; ${endpointId} has ${descriptor.queryOptions.includes('processedDateTime') ? 'no measures' : 'no processedDateTime'}`,
      });
    }
    // The same check the server's groupby gets, so that a local run refuses what a server run would.
    const keys = checkGroupby(
      descriptor,
      optionalText(options, 'groupby') ?? 'customerTenantId,customerName',
    );
    if (keys === undefined) {
      throw new PartnerCenterError({ code: 'INVALID_REQUEST', message: 'trend: groupby names no field' });
    }
    const shared = {
      endpointId,
      keys,
      measures: descriptor.measures,
      filter: optionalText(options, 'filter'),
      serverGroupby: options.serverGroupby === true,
      signal: options.signal,
    };
    const to = await readGroups(client, { ...shared, processedDateTime: optionalText(options, 'to') });
    const toSnapshot = to.processedDateTime ?? optionalText(options, 'to') ?? null;
    const fromOption =
      optionalText(options, 'from') ?? (toSnapshot === null ? undefined : dayBefore(toSnapshot));
    if (fromOption === undefined) {
      throw new PartnerCenterError({
        code: 'INVALID_REQUEST',
        message: `trend: ${endpointId} returned no rows for the latest snapshot; pass 'from' and 'to'`,
      });
    }
    const from = await readGroups(client, { ...shared, processedDateTime: fromOption });
    const top = optionalCount(options, 'top');
    const table = computeTrend(
      { from: from.groups, to: to.groups },
      { changedOnly: options.changedOnly !== false, ...(top === undefined ? {} : { top }) },
    );
    const fromSnapshot = from.processedDateTime ?? fromOption;
    return {
      insight: 'trend',
      // The two snapshots belong in the title: a trend without them cannot be read.
      title: `Trend of ${endpointId}: ${snapshotDay(fromSnapshot)} → ${toSnapshot === null ? 'latest' : snapshotDay(toSnapshot)}`,
      columns: table.columns,
      rows: table.rows,
      meta: {
        endpoint: endpointId,
        from: fromSnapshot,
        to: toSnapshot,
        rowsRead: { from: from.rowsRead, to: to.rowsRead },
        groups: { from: from.groups.size, to: to.groups.size },
      },
    };
  },
};

/** The day of a snapshot timestamp (`2026-11-20T00:00:00Z` -> `2026-11-20`); other text unchanged. */
function snapshotDay(value: string): string {
  return /^\d{4}-\d{2}-\d{2}T00:00:00(?:\.0+)?Z$/.test(value) ? value.slice(0, 10) : value;
}

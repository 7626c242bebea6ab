import { computeTrend, GroupAggregator, type InsightResult, licensesModule } from '@pc/analytics';
import type { EndpointDescriptor } from '@pc/models';
import { compileFilter, type FilterPredicate } from '@pc/odata-query';
import { HistoryError } from './errors.js';
import type { History } from './history.js';

/** Options of {@link historyTrendInsight}: those of the `trend` insight, with two stored days. */
export interface HistoryTrendOptions {
  /** The earlier stored day (`YYYY-MM-DD`); default the stored day before `to`. */
  readonly from?: string;
  /** The later stored day; default the latest stored day of the endpoint. */
  readonly to?: string;
  /** Default `commercialLicenseDeployment`; any stored endpoint with measures. */
  readonly endpoint?: string;
  /** Comma-separated group fields (default `customerTenantId,customerName`). */
  readonly groupby?: string;
  /** An OData filter on the endpoint's fields, applied to the stored rows. */
  readonly filter?: string;
  /** Keep the N largest changes. */
  readonly top?: number;
  /** Leave out groups that did not change (default true). */
  readonly changedOnly?: boolean;
  /** Descriptors of module endpoints (the built-in licenses ones are known). */
  readonly descriptors?: readonly EndpointDescriptor[];
}

/**
 * The `trend` insight (`@pc/analytics`, same table and columns) computed from two days of a
 * history instead of two server snapshots: Partner Center keeps only the latest days, the history
 * keeps them all. `pc insights trend --history` runs it.
 * @throws HistoryError `invalid-date` when a day is not stored, `invalid-argument` for a bad
 *   endpoint, group field or filter.
 */
export async function historyTrendInsight(
  history: History,
  options: HistoryTrendOptions = {},
): Promise<InsightResult> {
  const endpointId = options.endpoint ?? 'commercialLicenseDeployment';
  const known = [
    ...licensesModule.endpoints.map((endpoint) => endpoint.descriptor),
    ...(options.descriptors ?? []),
  ];
  const descriptor = known.find((candidate) => candidate.id === endpointId);
  if (descriptor === undefined || descriptor.measures.length === 0) {
    throw new HistoryError(
      'invalid-argument',
      `trend: '${endpointId}' is not an endpoint with measures the history knows`,
    );
  }
  const keys = (options.groupby ?? 'customerTenantId,customerName')
    .split(',')
    .map((field) => field.trim())
    .filter((field) => field !== '');
  const groupable = new Set<string>(descriptor.groupable);
  const bad = keys.find((field) => !groupable.has(field));
  if (keys.length === 0 || bad !== undefined) {
    throw new HistoryError(
      'invalid-argument',
      `trend: cannot group ${endpointId} by '${bad ?? ''}'; groupable fields: ${descriptor.groupable.join(', ')}`,
    );
  }
  let predicate: FilterPredicate | undefined;
  if (options.filter !== undefined && options.filter.trim() !== '') {
    try {
      predicate = compileFilter(options.filter, {
        fields: descriptor.filterable,
        operators: descriptor.filterOperators,
      });
    } catch (error) {
      throw new HistoryError('invalid-argument', `trend: invalid filter: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  const days = [
    ...new Set(
      (await history.list()).filter((entry) => entry.endpoint === endpointId).map((entry) => entry.date),
    ),
  ].sort();
  const to = options.to ?? days.at(-1);
  if (to === undefined)
    throw new HistoryError(
      'invalid-date',
      `trend: the history holds no ${endpointId} day; run pc history sync`,
    );
  const from = options.from ?? days.filter((day) => day < to).at(-1);
  if (from === undefined) {
    throw new HistoryError(
      'invalid-date',
      `trend: the history holds no ${endpointId} day before ${to}; pass --from`,
    );
  }
  const aggregate = async (date: string) => {
    const groups = new GroupAggregator({ keys, measures: descriptor.measures });
    for await (const batch of history.snapshot(date, { endpoint: endpointId }).batches()) {
      for (const row of batch) if (predicate === undefined || predicate(row)) groups.add(row);
    }
    return groups;
  };
  const fromGroups = await aggregate(from);
  const toGroups = await aggregate(to);
  const table = computeTrend(
    { from: fromGroups, to: toGroups },
    {
      changedOnly: options.changedOnly !== false,
      ...(options.top === undefined ? {} : { top: options.top }),
    },
  );
  return {
    insight: 'trend',
    title: `Trend of ${endpointId} (history)`,
    columns: table.columns,
    rows: table.rows,
    meta: {
      endpoint: endpointId,
      from,
      to,
      source: history.location,
      rowsRead: { from: fromGroups.rows, to: toGroups.rows },
      groups: { from: fromGroups.size, to: toGroups.size },
    },
  };
}

import type { InsightDefinition, InsightResult } from '../analyticsModule.js';
import { optionalCount, optionalText, snapshotMeta } from '../internal/insightArgs.js';
import { compareText, type GroupAggregator, rate } from '../groupAggregator.js';
import { filterOption, readGroups, serverGroupbyOption, snapshotOption } from '../internal/insightSource.js';

/** The group fields of the adoption insight (E1). */
export const adoptionKeys = ['customerTenantId', 'customerName', 'workloadCode', 'workloadName'] as const;

/**
 * The adoption table from aggregated E1 groups: per customer and workload, active / qualified
 * licenses, lowest rate first (groups without qualified licenses last).
 */
export function computeAdoption(
  groups: GroupAggregator,
  options: { readonly top?: number } = {},
): Pick<InsightResult, 'columns' | 'rows'> & { totals: Record<string, number> } {
  const rows: {
    customerTenantId: string;
    customerName: string;
    workloadCode: string;
    workloadName: string;
    licensesActive: number;
    licensesQualified: number;
    activeRate: number | null;
  }[] = [];
  let active = 0;
  let qualified = 0;
  for (const group of groups.groups()) {
    const licensesActive = group.sums.licensesActive ?? 0;
    const licensesQualified = group.sums.licensesQualified ?? 0;
    active += licensesActive;
    qualified += licensesQualified;
    rows.push({
      customerTenantId: group.key.customerTenantId ?? '',
      customerName: group.key.customerName ?? '',
      workloadCode: group.key.workloadCode ?? '',
      workloadName: group.key.workloadName ?? '',
      licensesActive,
      licensesQualified,
      activeRate: rate(licensesActive, licensesQualified),
    });
  }
  rows.sort((left, right) => {
    if (left.activeRate !== right.activeRate) {
      if (left.activeRate === null) return 1;
      if (right.activeRate === null) return -1;
      return left.activeRate - right.activeRate;
    }
    return (
      right.licensesQualified - left.licensesQualified ||
      compareText(left.customerName, right.customerName) ||
      compareText(left.workloadName, right.workloadName) ||
      compareText(left.customerTenantId, right.customerTenantId) ||
      compareText(left.workloadCode, right.workloadCode)
    );
  });
  return {
    columns: [
      { name: 'customerName', label: 'Customer', kind: 'string' },
      { name: 'customerTenantId', label: 'Customer tenant', kind: 'string' },
      { name: 'workloadName', label: 'Workload', kind: 'string' },
      { name: 'workloadCode', label: 'Code', kind: 'string' },
      { name: 'licensesActive', label: 'Active', kind: 'number' },
      { name: 'licensesQualified', label: 'Qualified', kind: 'number' },
      { name: 'activeRate', label: 'Active %', kind: 'percent' },
    ],
    rows: options.top === undefined ? rows : rows.slice(0, options.top),
    totals: { licensesActive: active, licensesQualified: qualified, groups: rows.length },
  };
}

/** `adoption`: per customer and workload, active / qualified licenses (E1), lowest first. */
export const adoptionInsight: InsightDefinition = {
  name: 'adoption',
  title: 'Workload adoption',
  description: 'Per customer and workload: active licenses over qualified licenses, lowest adoption first.',
  options: [
    { name: 'top', type: 'number', description: 'Keep the N lowest' },
    filterOption('usage', "workloadCode eq 'EXO'"),
    snapshotOption,
    serverGroupbyOption,
  ],
  async run(client, options) {
    const top = optionalCount(options, 'top');
    const read = await readGroups(client, {
      endpointId: 'commercialLicenseUsage',
      keys: adoptionKeys,
      measures: ['licensesActive', 'licensesQualified'],
      filter: optionalText(options, 'filter'),
      processedDateTime: optionalText(options, 'processedDateTime'),
      serverGroupby: options.serverGroupby === true,
      signal: options.signal,
    });
    const table = computeAdoption(read.groups, top === undefined ? {} : { top });
    return {
      insight: 'adoption',
      title: 'Workload adoption',
      columns: table.columns,
      rows: table.rows,
      meta: { ...snapshotMeta(read), totals: table.totals },
    };
  },
};

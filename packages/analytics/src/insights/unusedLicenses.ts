import type { InsightDefinition, InsightResult } from '../analyticsModule.js';
import { compareText, type GroupAggregator, rate } from '../groupAggregator.js';
import { filterOption, readGroups, serverGroupbyOption, snapshotOption } from '../internal/insightSource.js';
import { optionalCount, optionalNumber, optionalText, snapshotMeta } from '../internal/insightArgs.js';

/** Options of {@link computeUnusedLicenses}. */
export interface UnusedLicensesOptions {
  /** Report groups whose deployment rate is below this fraction; default 1 (every group with unused licenses). */
  readonly threshold?: number;
  /** Keep the first N rows. */
  readonly top?: number;
}

/** The group fields of the unused-licenses insight (E2). */
export const unusedLicensesKeys = ['customerTenantId', 'customerName', 'productId', 'productName'] as const;

/**
 * The unused-licenses table from aggregated E2 groups: per customer and product, sold minus
 * deployed and the deployment rate (deployed / sold), largest waste first.
 */
export function computeUnusedLicenses(
  groups: GroupAggregator,
  options: UnusedLicensesOptions = {},
): Pick<InsightResult, 'columns' | 'rows'> & { totals: Record<string, number> } {
  const threshold = options.threshold ?? 1;
  const rows: {
    customerTenantId: string;
    customerName: string;
    productId: string;
    productName: string;
    licensesSold: number;
    licensesDeployed: number;
    unusedLicenses: number;
    deploymentRate: number | null;
  }[] = [];
  let sold = 0;
  let deployed = 0;
  for (const group of groups.groups()) {
    const licensesSold = group.sums.licensesSold ?? 0;
    const licensesDeployed = group.sums.licensesDeployed ?? 0;
    sold += licensesSold;
    deployed += licensesDeployed;
    const unusedLicenses = licensesSold - licensesDeployed;
    const deploymentRate = rate(licensesDeployed, licensesSold);
    if (unusedLicenses <= 0 || deploymentRate === null || deploymentRate >= threshold) continue;
    rows.push({
      customerTenantId: group.key.customerTenantId ?? '',
      customerName: group.key.customerName ?? '',
      productId: group.key.productId ?? '',
      productName: group.key.productName ?? '',
      licensesSold,
      licensesDeployed,
      unusedLicenses,
      deploymentRate,
    });
  }
  rows.sort(
    (left, right) =>
      right.unusedLicenses - left.unusedLicenses ||
      compareText(left.customerName, right.customerName) ||
      compareText(left.productName, right.productName) ||
      compareText(left.customerTenantId, right.customerTenantId) ||
      compareText(left.productId, right.productId),
  );
  const unused = rows.reduce((sum, row) => sum + row.unusedLicenses, 0);
  return {
    columns: [
      { name: 'customerName', label: 'Customer', kind: 'string' },
      { name: 'customerTenantId', label: 'Customer tenant', kind: 'string' },
      { name: 'productName', label: 'Product', kind: 'string' },
      { name: 'productId', label: 'Product id', kind: 'string' },
      { name: 'licensesSold', label: 'Sold', kind: 'number' },
      { name: 'licensesDeployed', label: 'Deployed', kind: 'number' },
      { name: 'unusedLicenses', label: 'Unused', kind: 'number' },
      { name: 'deploymentRate', label: 'Deployed %', kind: 'percent' },
    ],
    rows: options.top === undefined ? rows : rows.slice(0, options.top),
    totals: {
      licensesSold: sold,
      licensesDeployed: deployed,
      unusedLicenses: unused,
      matchingGroups: rows.length,
    },
  };
}

/** `unused-licenses`: per customer and product, sold minus deployed (E2), largest waste first. */
export const unusedLicensesInsight: InsightDefinition = {
  name: 'unused-licenses',
  title: 'Unused licenses',
  description:
    'Per customer and product: licenses sold minus deployed and the deployment rate, largest waste first.',
  options: [
    {
      name: 'threshold',
      type: 'number',
      description: 'Report products whose deployment rate is below this fraction (0.8 = 80%)',
      default: 1,
    },
    { name: 'top', type: 'number', description: 'Keep the N largest' },
    filterOption('deployment', "serviceCode eq 'o365'"),
    snapshotOption,
    serverGroupbyOption,
  ],
  async run(client, options) {
    const threshold = optionalNumber(options, 'threshold');
    const top = optionalCount(options, 'top');
    const read = await readGroups(client, {
      endpointId: 'commercialLicenseDeployment',
      keys: unusedLicensesKeys,
      measures: ['licensesSold', 'licensesDeployed'],
      filter: optionalText(options, 'filter'),
      processedDateTime: optionalText(options, 'processedDateTime'),
      serverGroupby: options.serverGroupby === true,
      signal: options.signal,
    });
    const table = computeUnusedLicenses(read.groups, {
      ...(threshold === undefined ? {} : { threshold }),
      ...(top === undefined ? {} : { top }),
    });
    return {
      insight: 'unused-licenses',
      title: 'Unused licenses',
      columns: table.columns,
      rows: table.rows,
      meta: { ...snapshotMeta(read), groups: read.groups.size, totals: table.totals },
    };
  },
};

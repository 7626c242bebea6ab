import { PartnerCenterError } from '@pc/transport';
import type { InsightColumn, InsightDefinition } from '../analyticsModule.js';
import type { AnalyticsClient } from '../analyticsModule.js';
import { compareText, type GroupAggregator, rate } from '../groupAggregator.js';
import { optionalCount, optionalNumber, optionalText } from '../internal/insightArgs.js';
import {
  type GroupReadResult,
  readGroups,
  serverGroupbyOption,
  snapshotOption,
} from '../internal/insightSource.js';

/**
 * The group fields read from the commercial deployment endpoint (E2) for utilization: one group
 * per customer, product and channel (names and service ride along).
 */
export const utilizationDeploymentKeys = [
  'customerTenantId',
  'customerName',
  'productId',
  'productName',
  'serviceCode',
  'serviceName',
  'channel',
] as const;

/** The group fields read from the commercial usage endpoint (E1): the deployment keys and the workload. */
export const utilizationUsageKeys = [...utilizationDeploymentKeys, 'workloadCode', 'workloadName'] as const;

/** The levels `utilization` can report at (`--by`). */
export const utilizationLevels = ['customer,product', 'customer', 'product', 'service', 'channel'] as const;

/** One level of {@link utilizationLevels}. */
export type UtilizationLevel = (typeof utilizationLevels)[number];

/**
 * Why a utilization row is flagged. The numbers are data, never clamped: a flag says why a rate
 * passes 100 % or why a count may not be this partner's alone.
 *
 * - `deployed-over-sold`: more licenses assigned than sold (over-assignment; fidelity finding A3).
 * - `active-over-qualified`: a workload reports more active than qualified licenses, Microsoft's
 *   "usage % greater than 100 %" (staff turnover, a subscription in grace, trials, Yammer; A2).
 * - `active-over-deployed`: more active licenses than deployed ones.
 * - `usage-without-deployment`: the usage endpoint reports licenses the deployment endpoint does not list.
 * - `cross-partner`: the customer's licenses of this product arrive through more than one channel;
 *   the counts are tenant-wide, across partners and direct purchases, not this partner's alone (A4).
 */
export type UtilizationFlag =
  | 'deployed-over-sold'
  | 'active-over-qualified'
  | 'active-over-deployed'
  | 'usage-without-deployment'
  | 'cross-partner';

const flagOrder: readonly UtilizationFlag[] = [
  'deployed-over-sold',
  'active-over-qualified',
  'active-over-deployed',
  'usage-without-deployment',
  'cross-partner',
];

const flagSummaries: Record<UtilizationFlag, string> = {
  'deployed-over-sold': 'deployed above sold',
  'active-over-qualified': 'usage above 100 % (active above qualified)',
  'active-over-deployed': 'active above deployed',
  'usage-without-deployment': 'usage reported without deployment',
  'cross-partner': 'licenses through several channels (tenant-wide counts)',
};

/** One row of the utilization table. Rates are fractions (1 = 100 %), null when the base is 0. */
export interface UtilizationRow {
  readonly customerTenantId?: string;
  readonly customerName?: string;
  readonly productId?: string;
  readonly productName?: string;
  readonly serviceCode?: string;
  readonly serviceName?: string;
  /** The channel (`--by channel`), or the channels joined by `+` at the customer-and-product level. */
  readonly channel?: string;
  /** Distinct customers in the row (levels above the customer). */
  readonly customers?: number;
  /** Distinct products in the row (levels above the product). */
  readonly products?: number;
  /** `licensesSold` from E2: tenant-wide licenses, across partners (A4). */
  readonly licensesSold: number;
  /** `licensesDeployed` from E2: licenses assigned to users. */
  readonly licensesDeployed: number;
  /** Active licenses: per customer and product, the most active workload's `licensesActive` (E1). */
  readonly licensesActive: number;
  /** `licensesSold − licensesDeployed`; negative when over-assigned. */
  readonly unusedLicenses: number;
  /** `licensesDeployed − licensesActive`; negative when usage passes deployment. */
  readonly inactiveLicenses: number;
  /** `licensesDeployed / licensesSold` (Microsoft's "deployment %"), null when nothing was sold. */
  readonly deployedRate: number | null;
  /** `licensesActive / licensesDeployed`, null when nothing is deployed. */
  readonly activeRate: number | null;
  /** The flag codes, comma-separated ('' when none): see {@link UtilizationFlag}. */
  readonly flags: string;
  /** The reasons behind the flags, with the numbers, separated by `; `. */
  readonly flagReasons: string;
}

/** Options of {@link computeUtilization}. */
export interface UtilizationOptions {
  /** The level of the rows; default `customer,product`. */
  readonly by?: UtilizationLevel;
  /** Keep rows with at least this many licenses sold (so that small tenants do not lead every list). */
  readonly minSold?: number;
  /** Keep the first N rows. */
  readonly top?: number;
}

/** The totals of a utilization table, over every customer-and-product pair (before `minSold`/`top`). */
export interface UtilizationTotals {
  readonly licensesSold: number;
  readonly licensesDeployed: number;
  readonly licensesActive: number;
  readonly unusedLicenses: number;
  readonly inactiveLicenses: number;
  readonly deployedRate: number | null;
  readonly activeRate: number | null;
  readonly customers: number;
  readonly products: number;
  /** Customer-and-product pairs. */
  readonly pairs: number;
  /** Customer-and-product pairs with at least one flag. */
  readonly flaggedPairs: number;
  /** Pairs per flag. */
  readonly flagCounts: Readonly<Record<UtilizationFlag, number>>;
}

/** What {@link computeUtilization} returns. */
export interface UtilizationTable {
  readonly by: UtilizationLevel;
  readonly columns: readonly InsightColumn[];
  readonly rows: readonly UtilizationRow[];
  readonly totals: UtilizationTotals;
}

/** The rule behind `licensesActive`, as the docs and `meta.activeRule` state it. */
export const utilizationActiveRule =
  'active = per customer and product, the licensesActive of its most active workload (E1 counts per workload; ' +
  'a license is active when its user used it in the last 28 days, and the largest workload count is the ' +
  'number of licenses known to be active without counting a user twice)';

/** One customer, product and channel: E2's counts and E1's per workload. */
interface Cell {
  customerTenantId: string;
  customerName: string;
  productId: string;
  productName: string;
  serviceCode: string;
  serviceName: string;
  channel: string;
  licensesSold: number;
  licensesDeployed: number;
  hasDeployment: boolean;
  workloads: Map<string, { name: string; active: number; qualified: number }>;
}

/** One customer and product (the channels merged): the unit every level sums. */
interface Pair {
  readonly customerTenantId: string;
  readonly customerName: string;
  readonly productId: string;
  readonly productName: string;
  readonly serviceCode: string;
  readonly serviceName: string;
  readonly channels: readonly string[];
  readonly licensesSold: number;
  readonly licensesDeployed: number;
  readonly licensesActive: number;
  readonly flags: ReadonlyMap<UtilizationFlag, string>;
}

const sep = '\u0000';

function joinCells(deployment: GroupAggregator, usage: GroupAggregator): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  const cellOf = (key: Readonly<Record<string, string>>): Cell => {
    const customerTenantId = key.customerTenantId ?? '';
    const productId = key.productId ?? '';
    const channel = key.channel ?? '';
    const id = [customerTenantId.toLowerCase(), productId.toLowerCase(), channel.toLowerCase()].join(sep);
    let cell = cells.get(id);
    if (cell === undefined) {
      cell = {
        customerTenantId,
        customerName: '',
        productId,
        productName: '',
        serviceCode: '',
        serviceName: '',
        channel,
        licensesSold: 0,
        licensesDeployed: 0,
        hasDeployment: false,
        workloads: new Map(),
      };
      cells.set(id, cell);
    }
    // A name may be missing on some rows (null, "UNKNOWN"): keep the first real one.
    for (const field of ['customerName', 'productName', 'serviceCode', 'serviceName'] as const) {
      const value = key[field] ?? '';
      if ((cell[field] === '' || cell[field] === 'UNKNOWN') && value !== '') cell[field] = value;
    }
    return cell;
  };
  for (const group of deployment.groups()) {
    const cell = cellOf(group.key);
    cell.hasDeployment = true;
    cell.licensesSold += group.sums.licensesSold ?? 0;
    cell.licensesDeployed += group.sums.licensesDeployed ?? 0;
  }
  for (const group of usage.groups()) {
    const cell = cellOf(group.key);
    const code = group.key.workloadCode ?? '';
    const workload = cell.workloads.get(code.toLowerCase()) ?? {
      name: group.key.workloadName || code,
      active: 0,
      qualified: 0,
    };
    workload.active += group.sums.licensesActive ?? 0;
    workload.qualified += group.sums.licensesQualified ?? 0;
    cell.workloads.set(code.toLowerCase(), workload);
  }
  return cells;
}

function pairsOf(cells: Map<string, Cell>): Pair[] {
  const byPair = new Map<string, Cell[]>();
  for (const cell of cells.values()) {
    const id = [cell.customerTenantId.toLowerCase(), cell.productId.toLowerCase()].join(sep);
    const list = byPair.get(id);
    if (list === undefined) byPair.set(id, [cell]);
    else list.push(cell);
  }
  const pairs: Pair[] = [];
  for (const list of byPair.values()) {
    const flags = new Map<UtilizationFlag, string>();
    let sold = 0;
    let deployed = 0;
    let active = 0;
    const over: string[] = [];
    for (const cell of list) {
      sold += cell.licensesSold;
      deployed += cell.licensesDeployed;
      // The most active workload: a license used in two workloads is one active license.
      let cellActive = 0;
      for (const workload of cell.workloads.values()) {
        cellActive = Math.max(cellActive, workload.active);
        if (workload.active > workload.qualified) {
          over.push(`${workload.name}: ${workload.active} active of ${workload.qualified} qualified`);
        }
      }
      active += cellActive;
      if (!cell.hasDeployment && cell.workloads.size > 0) {
        flags.set(
          'usage-without-deployment',
          `usage reported (${cellActive} active) without a deployment row${cell.channel === '' ? '' : ` in channel ${cell.channel}`}`,
        );
      }
    }
    if (deployed > sold) flags.set('deployed-over-sold', `deployed ${deployed} of ${sold} sold`);
    if (over.length > 0) flags.set('active-over-qualified', `usage above 100 %: ${over.join(', ')}`);
    if (active > deployed) {
      flags.set('active-over-deployed', `${active} active of ${deployed} deployed`);
    }
    const channels = [...new Set(list.map((cell) => cell.channel))].sort(compareText);
    if (channels.length > 1) {
      flags.set(
        'cross-partner',
        `licenses through ${channels.length} channels (${channels.join(', ')}): tenant-wide counts across partners`,
      );
    }
    const first = list[0]!;
    const named = (field: 'customerName' | 'productName' | 'serviceCode' | 'serviceName'): string =>
      list.find((cell) => cell[field] !== '' && cell[field] !== 'UNKNOWN')?.[field] ?? first[field];
    pairs.push({
      customerTenantId: first.customerTenantId,
      customerName: named('customerName'),
      productId: first.productId,
      productName: named('productName'),
      serviceCode: named('serviceCode'),
      serviceName: named('serviceName'),
      channels,
      licensesSold: sold,
      licensesDeployed: deployed,
      licensesActive: active,
      flags,
    });
  }
  return pairs;
}

function flagText(flagged: Map<UtilizationFlag, number>, total: number, single: Pair | undefined) {
  const codes = flagOrder.filter((flag) => flagged.has(flag));
  if (single !== undefined) {
    return { flags: codes.join(', '), flagReasons: codes.map((code) => single.flags.get(code)).join('; ') };
  }
  return {
    flags: codes.join(', '),
    flagReasons: codes
      .map((code) => `${flagSummaries[code]} in ${flagged.get(code)} of ${total} customer-product pairs`)
      .join('; '),
  };
}

function measuresOf(sold: number, deployed: number, active: number) {
  return {
    licensesSold: sold,
    licensesDeployed: deployed,
    licensesActive: active,
    unusedLicenses: sold - deployed,
    inactiveLicenses: deployed - active,
    deployedRate: rate(deployed, sold),
    activeRate: rate(active, deployed),
  };
}

interface Bucket {
  readonly pairs: Pair[];
  readonly dimensions: Record<string, string>;
  readonly channels?: Map<string, Pair[]>;
}

function levelKey(
  pair: Pair,
  by: UtilizationLevel,
  channel: string,
): { id: string; dimensions: Record<string, string> } {
  switch (by) {
    case 'customer,product':
      return {
        id: [pair.customerTenantId.toLowerCase(), pair.productId.toLowerCase()].join(sep),
        dimensions: {
          customerName: pair.customerName,
          customerTenantId: pair.customerTenantId,
          productName: pair.productName,
          productId: pair.productId,
          serviceCode: pair.serviceCode,
          channel: pair.channels.join('+'),
        },
      };
    case 'customer':
      return {
        id: pair.customerTenantId.toLowerCase(),
        dimensions: { customerName: pair.customerName, customerTenantId: pair.customerTenantId },
      };
    case 'product':
      return {
        id: pair.productId.toLowerCase(),
        dimensions: {
          productName: pair.productName,
          productId: pair.productId,
          serviceCode: pair.serviceCode,
        },
      };
    case 'service':
      return {
        id: pair.serviceCode.toLowerCase(),
        dimensions: { serviceCode: pair.serviceCode, serviceName: pair.serviceName },
      };
    case 'channel':
      return { id: channel.toLowerCase(), dimensions: { channel } };
  }
}

const dimensionColumns: Record<UtilizationLevel, InsightColumn[]> = {
  'customer,product': [
    { name: 'customerName', label: 'Customer', kind: 'string' },
    { name: 'customerTenantId', label: 'Customer tenant', kind: 'string' },
    { name: 'productName', label: 'Product', kind: 'string' },
    { name: 'productId', label: 'Product id', kind: 'string' },
    { name: 'serviceCode', label: 'Service', kind: 'string' },
    { name: 'channel', label: 'Channel', kind: 'string' },
  ],
  customer: [
    { name: 'customerName', label: 'Customer', kind: 'string' },
    { name: 'customerTenantId', label: 'Customer tenant', kind: 'string' },
    { name: 'products', label: 'Products', kind: 'number' },
  ],
  product: [
    { name: 'productName', label: 'Product', kind: 'string' },
    { name: 'productId', label: 'Product id', kind: 'string' },
    { name: 'serviceCode', label: 'Service', kind: 'string' },
    { name: 'customers', label: 'Customers', kind: 'number' },
  ],
  service: [
    { name: 'serviceCode', label: 'Service', kind: 'string' },
    { name: 'serviceName', label: 'Service name', kind: 'string' },
    { name: 'customers', label: 'Customers', kind: 'number' },
    { name: 'products', label: 'Products', kind: 'number' },
  ],
  channel: [
    { name: 'channel', label: 'Channel', kind: 'string' },
    { name: 'customers', label: 'Customers', kind: 'number' },
    { name: 'products', label: 'Products', kind: 'number' },
  ],
};

/** The measure and flag columns every level ends with. */
export const utilizationMeasureColumns: readonly InsightColumn[] = [
  { name: 'licensesSold', label: 'Sold', kind: 'number' },
  { name: 'licensesDeployed', label: 'Deployed', kind: 'number' },
  { name: 'licensesActive', label: 'Active', kind: 'number' },
  { name: 'unusedLicenses', label: 'Unused', kind: 'number' },
  { name: 'inactiveLicenses', label: 'Inactive', kind: 'number' },
  { name: 'deployedRate', label: 'Deployed %', kind: 'percent' },
  { name: 'activeRate', label: 'Active %', kind: 'percent' },
  { name: 'flags', label: 'Flags', kind: 'string' },
  { name: 'flagReasons', label: 'Why flagged', kind: 'string' },
];

/** Parses a `--by` value (spaces and order of `customer,product` do not matter). */
export function parseUtilizationLevel(value: string | undefined): UtilizationLevel {
  if (value === undefined) return 'customer,product';
  const parts = value
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== '');
  const text =
    parts.length === 2 && parts.includes('customer') && parts.includes('product')
      ? 'customer,product'
      : parts.join(',');
  if (!(utilizationLevels as readonly string[]).includes(text)) {
    throw new PartnerCenterError({
      code: 'INVALID_REQUEST',
      message: `utilization: option 'by' must be one of ${utilizationLevels.join(' | ')}, got ${JSON.stringify(value)}`,
    });
  }
  return text as UtilizationLevel;
}

/**
 * Orders utilization rows: lowest active rate first (rows without deployed licenses last), then
 * most licenses sold, then by name. Exported so that a reference computation can share the order.
 */
export function compareUtilizationRows(left: UtilizationRow, right: UtilizationRow): number {
  if (left.activeRate !== right.activeRate) {
    if (left.activeRate === null) return 1;
    if (right.activeRate === null) return -1;
    return left.activeRate - right.activeRate;
  }
  return (
    right.licensesSold - left.licensesSold ||
    compareText(left.customerName ?? '', right.customerName ?? '') ||
    compareText(left.productName ?? '', right.productName ?? '') ||
    compareText(left.customerTenantId ?? '', right.customerTenantId ?? '') ||
    compareText(left.productId ?? '', right.productId ?? '') ||
    compareText(left.serviceCode ?? '', right.serviceCode ?? '') ||
    compareText(left.channel ?? '', right.channel ?? '')
  );
}

/**
 * The utilization table: commercial deployment groups (E2, keyed by
 * {@link utilizationDeploymentKeys}) joined with commercial usage groups (E1, keyed by
 * {@link utilizationUsageKeys}) per customer, product and channel, then summed at the level asked
 * for. Counts are never clamped: rows where a rate passes 100 % or counts are tenant-wide carry
 * flags with reasons ({@link UtilizationFlag}).
 */
export function computeUtilization(
  groups: { readonly deployment: GroupAggregator; readonly usage: GroupAggregator },
  options: UtilizationOptions = {},
): UtilizationTable {
  const by = options.by ?? 'customer,product';
  const pairs = pairsOf(joinCells(groups.deployment, groups.usage));
  const buckets = new Map<string, Bucket>();
  const add = (pair: Pair, channel: string): void => {
    const { id, dimensions } = levelKey(pair, by, channel);
    const bucket = buckets.get(id);
    if (bucket === undefined) buckets.set(id, { pairs: [pair], dimensions });
    else bucket.pairs.push(pair);
  };
  for (const pair of pairs) {
    if (by === 'channel') for (const channel of pair.channels) add(pair, channel);
    else add(pair, '');
  }
  // At the channel level a pair split over channels is counted per channel, from its cells.
  const channelCells = by === 'channel' ? channelMeasures(groups) : undefined;
  const rows: UtilizationRow[] = [];
  for (const bucket of buckets.values()) {
    let sold = 0;
    let deployed = 0;
    let active = 0;
    const flagged = new Map<UtilizationFlag, number>();
    for (const pair of bucket.pairs) {
      if (channelCells === undefined) {
        sold += pair.licensesSold;
        deployed += pair.licensesDeployed;
        active += pair.licensesActive;
      }
      for (const flag of pair.flags.keys()) flagged.set(flag, (flagged.get(flag) ?? 0) + 1);
    }
    if (channelCells !== undefined) {
      const measures = channelCells.get((bucket.dimensions.channel ?? '').toLowerCase());
      sold = measures?.sold ?? 0;
      deployed = measures?.deployed ?? 0;
      active = measures?.active ?? 0;
    }
    const counts: Record<string, number> = {};
    if (by === 'product' || by === 'service' || by === 'channel') {
      counts.customers = new Set(bucket.pairs.map((pair) => pair.customerTenantId.toLowerCase())).size;
    }
    if (by === 'customer' || by === 'service' || by === 'channel') {
      counts.products = new Set(bucket.pairs.map((pair) => pair.productId.toLowerCase())).size;
    }
    rows.push({
      ...bucket.dimensions,
      ...counts,
      ...measuresOf(sold, deployed, active),
      ...flagText(flagged, bucket.pairs.length, by === 'customer,product' ? bucket.pairs[0] : undefined),
    });
  }
  rows.sort(compareUtilizationRows);
  const minSold = options.minSold ?? 0;
  const kept = rows.filter((row) => row.licensesSold >= minSold);
  const totals = totalsOf(pairs);
  return {
    by,
    columns: [...dimensionColumns[by], ...utilizationMeasureColumns],
    rows: options.top === undefined ? kept : kept.slice(0, options.top),
    totals,
  };
}

/** Per channel: sold, deployed and active of the cells in that channel. */
function channelMeasures(groups: {
  readonly deployment: GroupAggregator;
  readonly usage: GroupAggregator;
}): Map<string, { sold: number; deployed: number; active: number }> {
  const result = new Map<string, { sold: number; deployed: number; active: number }>();
  for (const cell of joinCells(groups.deployment, groups.usage).values()) {
    const id = cell.channel.toLowerCase();
    const entry = result.get(id) ?? { sold: 0, deployed: 0, active: 0 };
    entry.sold += cell.licensesSold;
    entry.deployed += cell.licensesDeployed;
    let cellActive = 0;
    for (const workload of cell.workloads.values()) cellActive = Math.max(cellActive, workload.active);
    entry.active += cellActive;
    result.set(id, entry);
  }
  return result;
}

function totalsOf(pairs: readonly Pair[]): UtilizationTotals {
  let sold = 0;
  let deployed = 0;
  let active = 0;
  let flaggedPairs = 0;
  const flagCounts = Object.fromEntries(flagOrder.map((flag) => [flag, 0])) as Record<
    UtilizationFlag,
    number
  >;
  for (const pair of pairs) {
    sold += pair.licensesSold;
    deployed += pair.licensesDeployed;
    active += pair.licensesActive;
    if (pair.flags.size > 0) flaggedPairs++;
    for (const flag of pair.flags.keys()) flagCounts[flag]++;
  }
  return {
    ...measuresOf(sold, deployed, active),
    customers: new Set(pairs.map((pair) => pair.customerTenantId.toLowerCase())).size,
    products: new Set(pairs.map((pair) => pair.productId.toLowerCase())).size,
    pairs: pairs.length,
    flaggedPairs,
    flagCounts,
  };
}

/** Both reads of a utilization run. */
export interface UtilizationReads {
  readonly deployment: GroupReadResult;
  readonly usage: GroupReadResult;
}

/**
 * Reads E2 and E1 at the utilization grain, streamed into groups (or grouped by the server with
 * `serverGroupby`). Neither read sends a `processedDateTime` the caller did not give.
 */
export async function readUtilization(
  client: AnalyticsClient,
  options: {
    readonly processedDateTime?: string | undefined;
    readonly serverGroupby?: boolean | undefined;
    readonly signal?: AbortSignal | undefined;
  },
): Promise<UtilizationReads> {
  const shared = {
    processedDateTime: options.processedDateTime,
    serverGroupby: options.serverGroupby === true,
    signal: options.signal,
  };
  const deployment = await readGroups(client, {
    ...shared,
    endpointId: 'commercialLicenseDeployment',
    keys: utilizationDeploymentKeys,
    measures: ['licensesSold', 'licensesDeployed'],
  });
  const usage = await readGroups(client, {
    ...shared,
    endpointId: 'commercialLicenseUsage',
    keys: utilizationUsageKeys,
    measures: ['licensesActive', 'licensesQualified'],
  });
  return { deployment, usage };
}

/**
 * `utilization`: per customer and product (or customer, product, service, channel), licenses sold,
 * deployed and active, unused and inactive, deployed % and active %, with flags (E2 joined with E1).
 */
export const utilizationInsight: InsightDefinition = {
  name: 'utilization',
  title: 'License utilization',
  description:
    'Sold, deployed and active licenses per customer and product (E2 joined with E1): unused, inactive, ' +
    'deployed % and active %, lowest active % first; rows over 100 % or with tenant-wide counts are flagged, never clamped.',
  options: [
    {
      name: 'by',
      type: 'string',
      description: `The level of the rows: ${utilizationLevels.join(' | ')}`,
      default: 'customer,product',
    },
    { name: 'minSold', type: 'number', description: 'Keep rows with at least N licenses sold' },
    { name: 'top', type: 'number', description: 'Keep the first N rows' },
    snapshotOption,
    serverGroupbyOption,
  ],
  async run(client, options) {
    const by = parseUtilizationLevel(optionalText(options, 'by'));
    const minSold = optionalNumber(options, 'minSold');
    if (minSold !== undefined && (!Number.isFinite(minSold) || minSold < 0)) {
      throw new PartnerCenterError({
        code: 'INVALID_REQUEST',
        message: `utilization: option 'minSold' must be 0 or more, got ${minSold}`,
      });
    }
    const top = optionalCount(options, 'top');
    const reads = await readUtilization(client, {
      processedDateTime: optionalText(options, 'processedDateTime'),
      serverGroupby: options.serverGroupby === true,
      signal: options.signal,
    });
    const table = computeUtilization(
      { deployment: reads.deployment.groups, usage: reads.usage.groups },
      { by, ...(minSold === undefined ? {} : { minSold }), ...(top === undefined ? {} : { top }) },
    );
    return {
      insight: 'utilization',
      title: 'License utilization',
      columns: table.columns,
      rows: table.rows as unknown as Record<string, string | number | null>[],
      meta: {
        by,
        processedDateTime: {
          deployment: reads.deployment.processedDateTime,
          usage: reads.usage.processedDateTime,
        },
        rowsRead: { deployment: reads.deployment.rowsRead, usage: reads.usage.rowsRead },
        activeRule: utilizationActiveRule,
        totals: table.totals,
      },
    };
  },
};

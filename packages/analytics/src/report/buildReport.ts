import { PartnerCenterError } from '@pc/transport';
import type { InsightColumn } from '../analyticsModule.js';
import type { AnalyticsClient } from '../analyticsModule.js';
import { compareText, rate } from '../groupAggregator.js';
import {
  computeUtilization,
  readUtilization,
  type UtilizationReads,
  type UtilizationRow,
  type UtilizationTotals,
  utilizationActiveRule,
} from '../insights/utilization.js';

/** A chart of a report section: bars of some columns against a label column of the same rows. */
export interface ReportChart {
  /** `bar`: one bar per series and row, rows as categories. */
  readonly kind: 'bar';
  /** The column whose values label the rows (categories). */
  readonly category: string;
  /** The columns drawn, each a series. */
  readonly series: readonly { readonly column: string; readonly label: string }[];
  /** How the values read: counts, or fractions shown as percentages. */
  readonly valueKind: 'number' | 'percent';
}

/** A row of a report table: JSON-friendly values. */
export type ReportRow = Readonly<Record<string, string | number | null>>;

/** One section of a report: a table (columns and rows), optionally drawn as a chart. */
export interface ReportSection {
  /** Stable identifier (`by-product`, `biggest-unused`...): anchors, sheet order, tests. */
  readonly id: string;
  readonly title: string;
  /** One or two sentences saying what the table holds and how it is cut. */
  readonly description: string;
  readonly columns: readonly InsightColumn[];
  readonly rows: readonly ReportRow[];
  readonly chart?: ReportChart;
}

/** The headline figures: every customer and product of the latest snapshot. */
export interface ReportHeadline extends UtilizationTotals {}

/** The trend between two snapshots, or why there is none. */
export interface ReportTrend {
  /** The earlier snapshot (ISO-8601 UTC), or null when none was found. */
  readonly from: string | null;
  /** The later snapshot. */
  readonly to: string | null;
  /** Headline figures of the earlier snapshot, when it exists. */
  readonly previous: UtilizationTotals | null;
  /** Why the trend is missing, when it is. */
  readonly note?: string;
}

/** The report model: what {@link buildReport} returns and every renderer takes. */
export interface LicensesReport {
  readonly title: string;
  /** When the report was built (ISO-8601 UTC). */
  readonly generatedAt: string;
  /** The snapshots read: the `processedDateTime` of the first page of each endpoint. */
  readonly snapshot: { readonly deployment: string | null; readonly usage: string | null };
  /** The rule behind the active counts. */
  readonly activeRule: string;
  /** The options the report was built with, defaults filled in. */
  readonly options: Required<
    Omit<BuildReportOptions, 'signal' | 'processedDateTime' | 'previousDateTime'>
  > & {
    readonly processedDateTime: string | null;
    readonly previousDateTime: string | null;
  };
  readonly headline: ReportHeadline;
  readonly trend: ReportTrend;
  /**
   * The sections, in reading order: `by-product`, `by-customer`, `biggest-unused`,
   * `adoption-by-workload`, `lowest-adoption`, `trend` (when a trend exists), `flagged`.
   */
  readonly sections: readonly ReportSection[];
}

/** Options of {@link buildReport}. */
export interface BuildReportOptions {
  /** Report title; default "Licenses report". */
  readonly title?: string;
  /** Rows per ranked section; default 15. */
  readonly top?: number;
  /** Customers and customer-product pairs with fewer licenses sold stay out of ranked lists; default 10. */
  readonly minSold?: number;
  /** Customer-workload pairs with fewer qualified licenses stay out of the lowest-adoption list; default 10. */
  readonly minQualified?: number;
  /** The lowest-adoption rows per workload; default 3. */
  readonly perWorkload?: number;
  /** The snapshot to report on; default the latest. */
  readonly processedDateTime?: string;
  /** The snapshot to compare with; default the day before the report's snapshot. */
  readonly previousDateTime?: string;
  /** Compare with an earlier snapshot; default true. */
  readonly trend?: boolean;
  /** Let the server aggregate (`groupby`) instead of streaming every row; the numbers are the same. */
  readonly serverGroupby?: boolean;
  readonly signal?: AbortSignal;
}

const utilizationColumn = (name: string, label: string, kind: InsightColumn['kind']): InsightColumn => ({
  name,
  label,
  kind,
});

const measureColumns: readonly InsightColumn[] = [
  utilizationColumn('licensesSold', 'Sold', 'number'),
  utilizationColumn('licensesDeployed', 'Deployed', 'number'),
  utilizationColumn('licensesActive', 'Active', 'number'),
  utilizationColumn('unusedLicenses', 'Unused', 'number'),
  utilizationColumn('inactiveLicenses', 'Inactive', 'number'),
  utilizationColumn('deployedRate', 'Deployed %', 'percent'),
  utilizationColumn('activeRate', 'Active %', 'percent'),
  utilizationColumn('flags', 'Flags', 'string'),
];

const countsChart = (category: string): ReportChart => ({
  kind: 'bar',
  category,
  series: [
    { column: 'licensesSold', label: 'Sold' },
    { column: 'licensesDeployed', label: 'Deployed' },
    { column: 'licensesActive', label: 'Active' },
  ],
  valueKind: 'number',
});

function pick(row: UtilizationRow, columns: readonly InsightColumn[]): ReportRow {
  const source = row as unknown as Record<string, string | number | null | undefined>;
  return Object.fromEntries(columns.map((column) => [column.name, source[column.name] ?? null]));
}

const bySoldDesc = (left: UtilizationRow, right: UtilizationRow): number =>
  right.licensesSold - left.licensesSold ||
  compareText(left.customerName ?? '', right.customerName ?? '') ||
  compareText(left.productName ?? '', right.productName ?? '');

function dayBefore(snapshot: string): string {
  const time = Date.parse(snapshot.length === 10 ? `${snapshot}T00:00:00Z` : snapshot);
  return new Date(time - 86_400_000).toISOString().slice(0, 10);
}

function checkCount(name: string, value: number | undefined, fallback: number, minimum: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new PartnerCenterError({
      code: 'INVALID_REQUEST',
      message: `buildReport: option '${name}' must be a whole number from ${minimum}, got ${value}`,
    });
  }
  return value;
}

/** Per customer and workload (E1 summed over products and channels), and per workload. */
function adoptionSections(
  reads: UtilizationReads,
  options: { minQualified: number; perWorkload: number },
): ReportSection[] {
  const pairs = new Map<
    string,
    {
      customerName: string;
      customerTenantId: string;
      workloadCode: string;
      workloadName: string;
      active: number;
      qualified: number;
    }
  >();
  const workloads = new Map<
    string,
    { workloadCode: string; workloadName: string; active: number; qualified: number; customers: Set<string> }
  >();
  for (const group of reads.usage.groups.groups()) {
    const tenant = group.key.customerTenantId ?? '';
    const code = group.key.workloadCode ?? '';
    const name = group.key.workloadName || code;
    const active = group.sums.licensesActive ?? 0;
    const qualified = group.sums.licensesQualified ?? 0;
    const id = `${tenant.toLowerCase()}\u0000${code.toLowerCase()}`;
    const pair = pairs.get(id) ?? {
      customerName: group.key.customerName ?? '',
      customerTenantId: tenant,
      workloadCode: code,
      workloadName: name,
      active: 0,
      qualified: 0,
    };
    pair.active += active;
    pair.qualified += qualified;
    pairs.set(id, pair);
    const workload = workloads.get(code.toLowerCase()) ?? {
      workloadCode: code,
      workloadName: name,
      active: 0,
      qualified: 0,
      customers: new Set<string>(),
    };
    workload.active += active;
    workload.qualified += qualified;
    workload.customers.add(tenant.toLowerCase());
    workloads.set(code.toLowerCase(), workload);
  }
  const workloadRows = [...workloads.values()]
    .map((workload) => ({
      workloadName: workload.workloadName,
      workloadCode: workload.workloadCode,
      customers: workload.customers.size,
      licensesQualified: workload.qualified,
      licensesActive: workload.active,
      activeRate: rate(workload.active, workload.qualified),
    }))
    .sort(
      (left, right) =>
        (left.activeRate ?? Number.POSITIVE_INFINITY) - (right.activeRate ?? Number.POSITIVE_INFINITY) ||
        compareText(left.workloadName, right.workloadName),
    );
  const lowest: ReportRow[] = [];
  const byWorkload = new Map<string, typeof pairs extends Map<string, infer V> ? V[] : never>();
  for (const pair of pairs.values()) {
    if (pair.qualified < options.minQualified) continue;
    const list = byWorkload.get(pair.workloadCode.toLowerCase()) ?? [];
    list.push(pair);
    byWorkload.set(pair.workloadCode.toLowerCase(), list);
  }
  for (const workload of workloadRows) {
    const list = byWorkload.get(workload.workloadCode.toLowerCase()) ?? [];
    list.sort(
      (left, right) =>
        left.active / left.qualified - right.active / right.qualified ||
        right.qualified - left.qualified ||
        compareText(left.customerName, right.customerName),
    );
    for (const pair of list.slice(0, options.perWorkload)) {
      lowest.push({
        workloadName: pair.workloadName,
        customerName: pair.customerName,
        customerTenantId: pair.customerTenantId,
        licensesQualified: pair.qualified,
        licensesActive: pair.active,
        activeRate: rate(pair.active, pair.qualified),
      });
    }
  }
  return [
    {
      id: 'adoption-by-workload',
      title: 'Adoption by workload',
      description:
        'Active licenses over qualified licenses per workload, over every customer (Microsoft’s usage %), lowest first.',
      columns: [
        utilizationColumn('workloadName', 'Workload', 'string'),
        utilizationColumn('workloadCode', 'Code', 'string'),
        utilizationColumn('customers', 'Customers', 'number'),
        utilizationColumn('licensesQualified', 'Qualified', 'number'),
        utilizationColumn('licensesActive', 'Active', 'number'),
        utilizationColumn('activeRate', 'Active %', 'percent'),
      ],
      rows: workloadRows,
      chart: {
        kind: 'bar',
        category: 'workloadName',
        series: [{ column: 'activeRate', label: 'Active %' }],
        valueKind: 'percent',
      },
    },
    {
      id: 'lowest-adoption',
      title: 'Lowest adoption per workload',
      description: `Per workload, the ${options.perWorkload} customers with the lowest active % among those with at least ${options.minQualified} qualified licenses.`,
      columns: [
        utilizationColumn('workloadName', 'Workload', 'string'),
        utilizationColumn('customerName', 'Customer', 'string'),
        utilizationColumn('customerTenantId', 'Customer tenant', 'string'),
        utilizationColumn('licensesQualified', 'Qualified', 'number'),
        utilizationColumn('licensesActive', 'Active', 'number'),
        utilizationColumn('activeRate', 'Active %', 'percent'),
      ],
      rows: lowest,
    },
  ];
}

function trendSection(current: UtilizationReads, previous: UtilizationReads, top: number): ReportSection {
  const now = computeUtilization(
    { deployment: current.deployment.groups, usage: current.usage.groups },
    { by: 'product' },
  ).rows;
  const before = computeUtilization(
    { deployment: previous.deployment.groups, usage: previous.usage.groups },
    { by: 'product' },
  ).rows;
  const rows = new Map<string, Record<string, string | number>>();
  const rowOf = (row: UtilizationRow) => {
    const id = (row.productId ?? '').toLowerCase();
    let entry = rows.get(id);
    if (entry === undefined) {
      entry = {
        productName: row.productName ?? '',
        productId: row.productId ?? '',
        soldFrom: 0,
        soldTo: 0,
        deployedFrom: 0,
        deployedTo: 0,
        activeFrom: 0,
        activeTo: 0,
      };
      rows.set(id, entry);
    }
    return entry;
  };
  for (const row of before) {
    const entry = rowOf(row);
    entry.soldFrom = row.licensesSold;
    entry.deployedFrom = row.licensesDeployed;
    entry.activeFrom = row.licensesActive;
  }
  for (const row of now) {
    const entry = rowOf(row);
    entry.soldTo = row.licensesSold;
    entry.deployedTo = row.licensesDeployed;
    entry.activeTo = row.licensesActive;
  }
  const list = [...rows.values()].map((entry) => ({
    productName: entry.productName as string,
    productId: entry.productId as string,
    soldFrom: entry.soldFrom as number,
    soldTo: entry.soldTo as number,
    soldChange: (entry.soldTo as number) - (entry.soldFrom as number),
    deployedFrom: entry.deployedFrom as number,
    deployedTo: entry.deployedTo as number,
    deployedChange: (entry.deployedTo as number) - (entry.deployedFrom as number),
    activeFrom: entry.activeFrom as number,
    activeTo: entry.activeTo as number,
    activeChange: (entry.activeTo as number) - (entry.activeFrom as number),
  }));
  const size = (row: (typeof list)[number]) =>
    Math.abs(row.soldChange) + Math.abs(row.deployedChange) + Math.abs(row.activeChange);
  list.sort((left, right) => size(right) - size(left) || compareText(left.productName, right.productName));
  return {
    id: 'trend',
    title: 'Change between snapshots',
    description: `Per product, sold, deployed and active licenses in the earlier and the later snapshot; the ${top} largest changes.`,
    columns: [
      utilizationColumn('productName', 'Product', 'string'),
      utilizationColumn('productId', 'Product id', 'string'),
      utilizationColumn('soldFrom', 'Sold before', 'number'),
      utilizationColumn('soldTo', 'Sold now', 'number'),
      utilizationColumn('soldChange', 'Sold change', 'number'),
      utilizationColumn('deployedFrom', 'Deployed before', 'number'),
      utilizationColumn('deployedTo', 'Deployed now', 'number'),
      utilizationColumn('deployedChange', 'Deployed change', 'number'),
      utilizationColumn('activeFrom', 'Active before', 'number'),
      utilizationColumn('activeTo', 'Active now', 'number'),
      utilizationColumn('activeChange', 'Active change', 'number'),
    ],
    rows: list.slice(0, top),
    chart: {
      kind: 'bar',
      category: 'productName',
      series: [
        { column: 'soldChange', label: 'Sold change' },
        { column: 'deployedChange', label: 'Deployed change' },
        { column: 'activeChange', label: 'Active change' },
      ],
      valueKind: 'number',
    },
  };
}

/**
 * Builds the licenses report from the SDK's data: reads the commercial deployment (E2) and usage
 * (E1) endpoints once at the utilization grain (and once more at the earlier snapshot for the
 * trend), then derives every section locally. The model is plain data: render it as HTML, a
 * workbook, or your own way.
 *
 * Sections: utilization by product and by customer (largest first), the biggest unused licenses,
 * adoption by workload, the lowest adoption per workload (with a minimum size), the change between
 * two snapshots, and the flagged rows. The earlier snapshot defaults to the day before the latest
 * (the service keeps daily snapshots); when the service has none for that day the trend says so.
 *
 * @throws PartnerCenterError (`INVALID_REQUEST`) on a bad option, or whatever the reads throw.
 */
export async function buildReport(
  client: AnalyticsClient,
  options: BuildReportOptions = {},
): Promise<LicensesReport> {
  const top = checkCount('top', options.top, 15, 1);
  const minSold = checkCount('minSold', options.minSold, 10, 0);
  const minQualified = checkCount('minQualified', options.minQualified, 10, 0);
  const perWorkload = checkCount('perWorkload', options.perWorkload, 3, 1);
  const serverGroupby = options.serverGroupby === true;
  const current = await readUtilization(client, {
    processedDateTime: options.processedDateTime,
    serverGroupby,
    signal: options.signal,
  });
  const groups = { deployment: current.deployment.groups, usage: current.usage.groups };
  const pairs = computeUtilization(groups, { by: 'customer,product' });
  const byProduct = computeUtilization(groups, { by: 'product' });
  const byCustomer = computeUtilization(groups, { by: 'customer', minSold });

  const sections: ReportSection[] = [];
  const productColumns = [
    utilizationColumn('productName', 'Product', 'string'),
    utilizationColumn('serviceCode', 'Service', 'string'),
    utilizationColumn('customers', 'Customers', 'number'),
    ...measureColumns,
  ];
  sections.push({
    id: 'by-product',
    title: 'Utilization by product',
    description: `The ${top} products with the most licenses sold: sold, deployed and active licenses.`,
    columns: productColumns,
    rows: [...byProduct.rows]
      .sort(bySoldDesc)
      .slice(0, top)
      .map((row) => pick(row, productColumns)),
    chart: countsChart('productName'),
  });
  const customerColumns = [
    utilizationColumn('customerName', 'Customer', 'string'),
    utilizationColumn('customerTenantId', 'Customer tenant', 'string'),
    utilizationColumn('products', 'Products', 'number'),
    ...measureColumns,
  ];
  sections.push({
    id: 'by-customer',
    title: 'Utilization by customer',
    description: `The ${top} customers with the most licenses sold (at least ${minSold}).`,
    columns: customerColumns,
    rows: [...byCustomer.rows]
      .sort(bySoldDesc)
      .slice(0, top)
      .map((row) => pick(row, customerColumns)),
    chart: countsChart('customerName'),
  });
  const pairColumns = [
    utilizationColumn('customerName', 'Customer', 'string'),
    utilizationColumn('productName', 'Product', 'string'),
    utilizationColumn('customerTenantId', 'Customer tenant', 'string'),
    ...measureColumns,
  ];
  const unused = pairs.rows
    .filter((row) => row.licensesSold >= minSold && row.unusedLicenses > 0)
    .sort((left, right) => right.unusedLicenses - left.unusedLicenses || bySoldDesc(left, right))
    .slice(0, top)
    .map((row) => ({ ...pick(row, pairColumns), label: `${row.customerName} · ${row.productName}` }));
  sections.push({
    id: 'biggest-unused',
    title: 'Biggest unused licenses',
    description: `Customer and product pairs with the most licenses sold but not deployed (at least ${minSold} sold).`,
    columns: pairColumns,
    rows: unused,
    chart: {
      kind: 'bar',
      category: 'label',
      series: [{ column: 'unusedLicenses', label: 'Unused' }],
      valueKind: 'number',
    },
  });
  sections.push(...adoptionSections(current, { minQualified, perWorkload }));

  const to = current.deployment.processedDateTime ?? current.usage.processedDateTime;
  let trend: ReportTrend = { from: null, to, previous: null, note: 'not asked for' };
  if (options.trend !== false) {
    const from = options.previousDateTime ?? (to === null ? undefined : dayBefore(to));
    if (from === undefined) {
      trend = {
        from: null,
        to,
        previous: null,
        note: 'the service returned no rows for the latest snapshot',
      };
    } else {
      const previous = await readUtilization(client, {
        processedDateTime: from,
        serverGroupby,
        signal: options.signal,
      });
      if (previous.deployment.rowsRead === 0 && previous.usage.rowsRead === 0) {
        trend = { from: null, to, previous: null, note: `the service keeps no snapshot for ${from}` };
      } else {
        const previousTotals = computeUtilization({
          deployment: previous.deployment.groups,
          usage: previous.usage.groups,
        }).totals;
        trend = {
          from: previous.deployment.processedDateTime ?? previous.usage.processedDateTime ?? from,
          to,
          previous: previousTotals,
        };
        sections.push(trendSection(current, previous, top));
      }
    }
  }

  const flaggedColumns = [
    utilizationColumn('customerName', 'Customer', 'string'),
    utilizationColumn('productName', 'Product', 'string'),
    utilizationColumn('channel', 'Channel', 'string'),
    utilizationColumn('licensesSold', 'Sold', 'number'),
    utilizationColumn('licensesDeployed', 'Deployed', 'number'),
    utilizationColumn('licensesActive', 'Active', 'number'),
    utilizationColumn('flags', 'Flags', 'string'),
    utilizationColumn('flagReasons', 'Why flagged', 'string'),
  ];
  sections.push({
    id: 'flagged',
    title: 'Rows to read with care',
    description:
      'Customer and product pairs whose numbers pass 100 % or are tenant-wide across partners; shown as reported, never clamped.',
    columns: flaggedColumns,
    rows: pairs.rows
      .filter((row) => row.flags !== '')
      .sort(bySoldDesc)
      .slice(0, top * 2)
      .map((row) => pick(row, flaggedColumns)),
  });

  return {
    title: options.title ?? 'Licenses report',
    generatedAt: new Date().toISOString(),
    snapshot: { deployment: current.deployment.processedDateTime, usage: current.usage.processedDateTime },
    activeRule: utilizationActiveRule,
    options: {
      title: options.title ?? 'Licenses report',
      top,
      minSold,
      minQualified,
      perWorkload,
      trend: options.trend !== false,
      serverGroupby,
      processedDateTime: options.processedDateTime ?? null,
      previousDateTime: options.previousDateTime ?? null,
    },
    headline: pairs.totals,
    trend,
    sections,
  };
}

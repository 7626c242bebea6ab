import type { InsightDefinition, InsightResult } from '../analyticsModule.js';
import type { AnalyticsClient } from '../analyticsModule.js';
import { compareText, type GroupAggregator, rate } from '../groupAggregator.js';
import { optionalText } from '../internal/insightArgs.js';
import { readGroups, serverGroupbyOption, snapshotOption } from '../internal/insightSource.js';

/** The group fields of the summary insight (E1 and E2). */
export const summaryKeys = ['serviceCode', 'serviceName', 'channel'] as const;

type SummaryRow = {
  serviceCode: string;
  serviceName: string;
  channel: string;
  licensesSold: number;
  licensesDeployed: number;
  deploymentRate: number | null;
  licensesQualified: number;
  licensesActive: number;
  activeRate: number | null;
};

/**
 * The summary table: totals by service and channel, joining aggregated E2 groups (sold,
 * deployed) and E1 groups (qualified, active), largest sales first.
 */
export function computeSummary(options: {
  readonly deployment: GroupAggregator;
  readonly usage: GroupAggregator;
}): Pick<InsightResult, 'columns' | 'rows'> & { totals: Record<string, number> } {
  const rows = new Map<string, SummaryRow>();
  const rowOf = (key: Readonly<Record<string, string>>): SummaryRow => {
    const id = summaryKeys.map((name) => key[name] ?? '').join('\u0000');
    let row = rows.get(id);
    if (row === undefined) {
      row = {
        serviceCode: key.serviceCode ?? '',
        serviceName: key.serviceName ?? '',
        channel: key.channel ?? '',
        licensesSold: 0,
        licensesDeployed: 0,
        deploymentRate: null,
        licensesQualified: 0,
        licensesActive: 0,
        activeRate: null,
      };
      rows.set(id, row);
    }
    return row;
  };
  for (const group of options.deployment.groups()) {
    const row = rowOf(group.key);
    row.licensesSold += group.sums.licensesSold ?? 0;
    row.licensesDeployed += group.sums.licensesDeployed ?? 0;
  }
  for (const group of options.usage.groups()) {
    const row = rowOf(group.key);
    row.licensesQualified += group.sums.licensesQualified ?? 0;
    row.licensesActive += group.sums.licensesActive ?? 0;
  }
  const totals = { licensesSold: 0, licensesDeployed: 0, licensesQualified: 0, licensesActive: 0 };
  for (const row of rows.values()) {
    row.deploymentRate = rate(row.licensesDeployed, row.licensesSold);
    row.activeRate = rate(row.licensesActive, row.licensesQualified);
    totals.licensesSold += row.licensesSold;
    totals.licensesDeployed += row.licensesDeployed;
    totals.licensesQualified += row.licensesQualified;
    totals.licensesActive += row.licensesActive;
  }
  const sorted = [...rows.values()].sort(
    (left, right) =>
      right.licensesSold - left.licensesSold ||
      compareText(left.serviceCode, right.serviceCode) ||
      compareText(left.channel, right.channel) ||
      compareText(left.serviceName, right.serviceName),
  );
  return {
    columns: [
      { name: 'serviceCode', label: 'Service', kind: 'string' },
      { name: 'serviceName', label: 'Service name', kind: 'string' },
      { name: 'channel', label: 'Channel', kind: 'string' },
      { name: 'licensesSold', label: 'Sold', kind: 'number' },
      { name: 'licensesDeployed', label: 'Deployed', kind: 'number' },
      { name: 'deploymentRate', label: 'Deployed %', kind: 'percent' },
      { name: 'licensesQualified', label: 'Qualified', kind: 'number' },
      { name: 'licensesActive', label: 'Active', kind: 'number' },
      { name: 'activeRate', label: 'Active %', kind: 'percent' },
    ],
    rows: sorted,
    totals,
  };
}

/** One line of the cross-check against the legacy partner deployment endpoint (E4). */
export interface SummaryCrossCheck {
  readonly service: string;
  readonly channel: string;
  readonly commercialSold: number | null;
  readonly legacySold: number | null;
  readonly commercialDeploymentRate: number | null;
  readonly legacyDeploymentRate: number | null;
  /** Sold counts equal and rates within 0.005. */
  readonly matches: boolean;
}

async function crossCheck(
  client: AnalyticsClient,
  rows: readonly Record<string, string | number | null>[],
  signal: AbortSignal | undefined,
): Promise<SummaryCrossCheck[]> {
  const commercial = new Map<string, { sold: number; service: string; channel: string }>();
  for (const row of rows) {
    const service = String(row.serviceCode ?? '').toLowerCase();
    const channel = String(row.channel ?? '').toLowerCase();
    const entry = commercial.get(`${service}\u0000${channel}`) ?? { sold: 0, service, channel };
    entry.sold += Number(row.licensesSold ?? 0);
    commercial.set(`${service}\u0000${channel}`, entry);
  }
  // The legacy rows carry a deployed share, not a count: weigh it back into counts, then re-divide.
  const legacy = new Map<string, { sold: number; deployed: number; service: string; channel: string }>();
  const stream = client.list('partnerLicenseDeployment', signal === undefined ? {} : { signal });
  for await (const row of stream) {
    const service = String(row.serviceName ?? '').toLowerCase();
    const channel = String(row.channel ?? '').toLowerCase();
    const sold = Number(row.licensesSold ?? 0);
    const entry = legacy.get(`${service}\u0000${channel}`) ?? { sold: 0, deployed: 0, service, channel };
    entry.sold += sold;
    entry.deployed += sold * Number(row.proratedDeploymentPercent ?? 0);
    legacy.set(`${service}\u0000${channel}`, entry);
  }
  const deployed = new Map<string, number>();
  for (const row of rows) {
    const id = `${String(row.serviceCode ?? '').toLowerCase()}\u0000${String(row.channel ?? '').toLowerCase()}`;
    deployed.set(id, (deployed.get(id) ?? 0) + Number(row.licensesDeployed ?? 0));
  }
  const ids = [...new Set([...commercial.keys(), ...legacy.keys()])].sort(compareText);
  return ids.map((id) => {
    const left = commercial.get(id);
    const right = legacy.get(id);
    const commercialRate = left === undefined ? null : rate(deployed.get(id) ?? 0, left.sold);
    const legacyRate = right === undefined ? null : rate(right.deployed, right.sold);
    return {
      service: left?.service ?? right?.service ?? '',
      channel: left?.channel ?? right?.channel ?? '',
      commercialSold: left?.sold ?? null,
      legacySold: right?.sold ?? null,
      commercialDeploymentRate: commercialRate,
      legacyDeploymentRate: legacyRate,
      matches:
        left !== undefined &&
        right !== undefined &&
        left.sold === right.sold &&
        commercialRate !== null &&
        legacyRate !== null &&
        Math.abs(commercialRate - legacyRate) <= 0.005,
    };
  });
}

/** One line of the cross-check against the legacy partner usage endpoint (E3). */
export interface SummaryUsageCrossCheck {
  readonly service: string;
  readonly workload: string;
  readonly channel: string;
  /** Active / qualified from the commercial usage rows (E1), or null without qualified licenses. */
  readonly commercialActiveRate: number | null;
  readonly legacyActiveRate: number | null;
  /** Both present and the rates within 0.005 (no qualified license counts as 0). */
  readonly matches: boolean;
}

const usageCrossCheckKeys = ['serviceCode', 'workloadName', 'channel'] as const;

async function crossCheckUsage(
  client: AnalyticsClient,
  options: {
    readonly processedDateTime: string | undefined;
    readonly serverGroupby: boolean;
    readonly signal: AbortSignal | undefined;
  },
): Promise<SummaryUsageCrossCheck[]> {
  // E3 reports a rate per service, workload and channel: the summary's groups are coarser, so the
  // commercial side is read again at that grain (streamed, one entry per group).
  const commercial = await readGroups(client, {
    endpointId: 'commercialLicenseUsage',
    keys: usageCrossCheckKeys,
    measures: ['licensesActive', 'licensesQualified'],
    processedDateTime: options.processedDateTime,
    serverGroupby: options.serverGroupby,
    signal: options.signal,
  });
  const idOf = (service: unknown, workload: unknown, channel: unknown): string =>
    [service, workload, channel].map((value) => String(value ?? '').toLowerCase()).join('\u0000');
  const left = new Map<string, { service: string; workload: string; channel: string; rate: number | null }>();
  for (const group of commercial.groups.groups()) {
    const { serviceCode = '', workloadName = '', channel = '' } = group.key;
    left.set(idOf(serviceCode, workloadName, channel), {
      service: serviceCode.toLowerCase(),
      workload: workloadName.toLowerCase(),
      channel: channel.toLowerCase(),
      rate: rate(group.sums.licensesActive ?? 0, group.sums.licensesQualified ?? 0),
    });
  }
  const right = new Map<string, { service: string; workload: string; channel: string; rate: number }>();
  const stream = client.list(
    'partnerLicenseUsage',
    options.signal === undefined ? {} : { signal: options.signal },
  );
  for await (const row of stream) {
    right.set(idOf(row.serviceName, row.workloadName, row.channel), {
      service: String(row.serviceName ?? '').toLowerCase(),
      workload: String(row.workloadName ?? '').toLowerCase(),
      channel: String(row.channel ?? '').toLowerCase(),
      rate: Number(row.proratedLicensesUsagePercent ?? 0),
    });
  }
  const ids = [...new Set([...left.keys(), ...right.keys()])].sort(compareText);
  return ids.map((id) => {
    const commercialLine = left.get(id);
    const legacyLine = right.get(id);
    const line = commercialLine ?? legacyLine!;
    return {
      service: line.service,
      workload: line.workload,
      channel: line.channel,
      commercialActiveRate: commercialLine?.rate ?? null,
      legacyActiveRate: legacyLine?.rate ?? null,
      matches:
        commercialLine !== undefined &&
        legacyLine !== undefined &&
        Math.abs((commercialLine.rate ?? 0) - legacyLine.rate) <= 0.005,
    };
  });
}

/** `summary`: totals by service and channel from E1 and E2, optionally cross-checked against E4 and E3. */
export const summaryInsight: InsightDefinition = {
  name: 'summary',
  title: 'Licenses summary',
  description: 'Licenses sold, deployed, qualified and active by service and channel (commercial endpoints).',
  options: [
    snapshotOption,
    {
      name: 'crossCheck',
      type: 'boolean',
      description:
        'Compare with the legacy partner endpoints: deployment (meta.crossCheck) and usage (meta.crossCheckUsage)',
      default: false,
    },
    serverGroupbyOption,
  ],
  async run(client, options) {
    const serverGroupby = options.serverGroupby === true;
    const deployment = await readGroups(client, {
      endpointId: 'commercialLicenseDeployment',
      keys: summaryKeys,
      measures: ['licensesSold', 'licensesDeployed'],
      processedDateTime: optionalText(options, 'processedDateTime'),
      serverGroupby,
      signal: options.signal,
    });
    // Read usage from the same snapshot as deployment, even if a refresh lands in between.
    const usage = await readGroups(client, {
      endpointId: 'commercialLicenseUsage',
      keys: summaryKeys,
      measures: ['licensesActive', 'licensesQualified'],
      processedDateTime: deployment.processedDateTime ?? optionalText(options, 'processedDateTime'),
      serverGroupby,
      signal: options.signal,
    });
    const table = computeSummary({ deployment: deployment.groups, usage: usage.groups });
    const meta: Record<string, unknown> = {
      processedDateTime: deployment.processedDateTime ?? usage.processedDateTime,
      rowsRead: { deployment: deployment.rowsRead, usage: usage.rowsRead },
      totals: table.totals,
    };
    if (options.crossCheck === true) {
      const lines = await crossCheck(client, table.rows, options.signal);
      const usageLines = await crossCheckUsage(client, {
        processedDateTime: deployment.processedDateTime ?? optionalText(options, 'processedDateTime'),
        serverGroupby,
        signal: options.signal,
      });
      meta.crossCheck = lines;
      meta.crossCheckUsage = usageLines;
      meta.crossCheckMatches =
        lines.every((line) => line.matches) && usageLines.every((line) => line.matches);
    }
    return { insight: 'summary', title: 'Licenses summary', columns: table.columns, rows: table.rows, meta };
  },
};

import { endpoints, type EndpointDescriptor, type SyntheticDataset } from '@pc/models';
import { filterBuilder, printFilter } from '@pc/odata-query';
import type { CustomerIndexedDataset } from './commercialData.js';
import { partnerCenterError } from './httpError.js';
import type { QueryEngine, ServedEndpoint } from './queryEngine.js';
import type { Snapshot } from './snapshots.js';

/** What a legacy handler works from. */
export interface LegacyContext {
  readonly engine: QueryEngine;
  readonly snapshot: Snapshot;
  readonly partnerTenantId: string;
  readonly usage: ServedEndpoint;
  readonly deployment: ServedEndpoint;
  readonly params: Readonly<Record<string, string>>;
}

/** A legacy endpoint: its descriptor and how its items derive from the commercial rows. */
export interface LegacyEndpoint {
  readonly descriptor: EndpointDescriptor;
  items(context: LegacyContext): Record<string, unknown>[];
}

/** `2017-03-09T00:00:00+00:00`: the legacy endpoints send an explicit offset. */
function legacyStamp(snapshot: Snapshot): string {
  return `${snapshot.processedDateTime.slice(0, 19)}+00:00`;
}

function ratio(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

function count(value: unknown): number {
  return typeof value === 'number' ? value : Number(value ?? 0);
}

function hasCustomerIndex(dataset: SyntheticDataset): dataset is CustomerIndexedDataset {
  return typeof (dataset as Partial<CustomerIndexedDataset>).rangeOfCustomer === 'function';
}

/**
 * The commercial rows of one customer (404 when the partner has no such customer). The id was
 * checked before (a GUID, by the request check of `@pc/models`: a malformed one is a 400).
 */
function customerRows(context: LegacyContext, endpoint: ServedEndpoint): Record<string, unknown>[] {
  const customerId = context.params.customerId ?? '';
  const dataset = context.engine.dataset(endpoint, context.partnerTenantId, context.snapshot);
  const base = { endpoint, partnerTenantId: context.partnerTenantId, snapshot: context.snapshot };
  let result: { total: number; rows(start: number, end: number): Record<string, unknown>[] };
  if (hasCustomerIndex(dataset)) {
    const range = dataset.rangeOfCustomer(customerId);
    result = range === undefined ? { total: 0, rows: () => [] } : context.engine.resolve({ ...base, range });
  } else {
    const node = filterBuilder<{ customerTenantId: string }>().eq('customerTenantId', customerId);
    result = context.engine.resolve({ ...base, filter: { node, key: printFilter(node) } });
  }
  if (result.total === 0) {
    throw partnerCenterError({
      status: 404,
      code: 1000,
      description: `Customer ${customerId} was not found for this partner.`,
      data: [{ customerId }],
    });
  }
  return result.rows(0, result.total);
}

/**
 * E3-E6, each derived from the commercial rows of the latest snapshot. Item keys come in the
 * order of the seed examples (`proratedDeploymentPercent, licensesSold, processedDateTime, ...`);
 * `customerId`, `serviceCode` and `workloadCode`, which the examples leave out, sit beside their kin.
 */
export const legacyEndpoints: readonly LegacyEndpoint[] = [
  {
    descriptor: endpoints.partnerLicenseUsage,
    items(context) {
      const grouped = context.engine.resolve({
        endpoint: context.usage,
        partnerTenantId: context.partnerTenantId,
        snapshot: context.snapshot,
        groupby: ['serviceCode', 'workloadName', 'channel'],
      });
      return grouped.rows(0, grouped.total).map((row) => ({
        proratedLicensesUsagePercent: ratio(count(row.licensesActive), count(row.licensesQualified)),
        workloadName: row.workloadName,
        processedDateTime: legacyStamp(context.snapshot),
        serviceName: row.serviceCode,
        channel: row.channel,
        attributes: { objectType: 'PartnerLicensesUsageInsights' },
      }));
    },
  },
  {
    descriptor: endpoints.partnerLicenseDeployment,
    items(context) {
      const grouped = context.engine.resolve({
        endpoint: context.deployment,
        partnerTenantId: context.partnerTenantId,
        snapshot: context.snapshot,
        groupby: ['serviceCode', 'channel'],
      });
      return grouped.rows(0, grouped.total).map((row) => ({
        proratedDeploymentPercent: ratio(count(row.licensesDeployed), count(row.licensesSold)),
        licensesSold: count(row.licensesSold),
        processedDateTime: legacyStamp(context.snapshot),
        serviceName: row.serviceCode,
        channel: row.channel,
        attributes: { objectType: 'PartnerLicensesDeploymentInsights' },
      }));
    },
  },
  {
    descriptor: endpoints.customerLicenseUsage,
    items(context) {
      return customerRows(context, context.usage).map((row) => ({
        customerId: String(row.customerTenantId).toLowerCase(),
        customerName: row.customerName,
        productName: row.productName,
        licensesActive: count(row.licensesActive),
        licensesQualified: count(row.licensesQualified),
        usagePercent: ratio(count(row.licensesActive), count(row.licensesQualified)),
        workloadCode: row.workloadCode,
        workloadName: row.workloadName,
        processedDateTime: legacyStamp(context.snapshot),
        serviceCode: row.serviceCode,
        serviceName: row.serviceCode,
        channel: row.channel,
        attributes: { objectType: 'CustomerLicensesUsageInsights' },
      }));
    },
  },
  {
    descriptor: endpoints.customerLicenseDeployment,
    items(context) {
      return customerRows(context, context.deployment).map((row) => ({
        customerId: String(row.customerTenantId).toLowerCase(),
        customerName: row.customerName,
        productName: row.productName,
        licensesDeployed: count(row.licensesDeployed),
        licensesSold: count(row.licensesSold),
        deploymentPercent: ratio(count(row.licensesDeployed), count(row.licensesSold)),
        processedDateTime: legacyStamp(context.snapshot),
        serviceCode: row.serviceCode,
        serviceName: row.serviceCode,
        channel: row.channel,
        attributes: { objectType: 'CustomerLicensesDeploymentInsights' },
      }));
    },
  },
];

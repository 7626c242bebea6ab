import type { AnalyticsClient, InsightDefinition, InsightResult } from '@pc/analytics';
import { subscriptionAnalytics } from './subscriptionAnalytics.js';

const dayMs = 86_400_000;

interface CustomerTotals {
  customerTenantId: string;
  customerName: string;
  subscriptions: number;
  licenses: number;
  withoutAutoRenew: number;
  firstEnd: string;
}

/** Options of {@link expiringSubscriptions}. */
export interface ExpiringSubscriptionsOptions {
  /** The window, in days after `asOf`; default 30. */
  readonly days?: number;
  /** The reference day (ISO date or date-time); default now. */
  readonly asOf?: string;
  /** Count subscriptions that renew automatically too; default false (only those that will lapse). */
  readonly includeAutoRenew?: boolean;
  /** Keep the first N customers. */
  readonly top?: number;
  readonly signal?: AbortSignal;
}

/**
 * Per customer: the active subscriptions whose commitment ends within `days` of `asOf`, with their
 * licenses, most licenses at stake first. Streams the endpoint (filtered on the server to
 * `status eq 'ACTIVE'`) into one entry per customer, so memory is bounded by the customers.
 */
export async function expiringSubscriptions(
  client: AnalyticsClient,
  options: ExpiringSubscriptionsOptions = {},
): Promise<InsightResult> {
  const days = options.days ?? 30;
  const asOf =
    options.asOf === undefined
      ? Date.now()
      : Date.parse(options.asOf.length === 10 ? `${options.asOf}T00:00:00Z` : options.asOf);
  if (!Number.isFinite(days) || days < 0) throw new RangeError(`days must be a number from 0, got ${days}`);
  if (Number.isNaN(asOf)) throw new RangeError(`asOf is not a date: ${String(options.asOf)}`);
  if (options.top !== undefined && (!Number.isSafeInteger(options.top) || options.top < 1)) {
    throw new RangeError(`top must be a whole number from 1, got ${options.top}`);
  }
  const until = asOf + days * dayMs;
  const customers = new Map<string, CustomerTotals>();
  let rowsRead = 0;
  const rows = client.handle(subscriptionAnalytics).list({
    filter: "status eq 'ACTIVE'",
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  for await (const row of rows) {
    rowsRead += 1;
    // A row the service sent without an end date or a tenant cannot be placed: not an expiring one.
    const { commitmentEndDate, customerTenantId } = row;
    if (commitmentEndDate === null || customerTenantId === null) continue;
    const end = Date.parse(commitmentEndDate);
    if (end < asOf || end > until) continue;
    const autoRenew = (row as { autoRenewEnabled?: unknown }).autoRenewEnabled === true;
    if (autoRenew && options.includeAutoRenew !== true) continue;
    let totals = customers.get(customerTenantId);
    if (totals === undefined) {
      totals = {
        customerTenantId,
        customerName: row.customerName ?? '',
        subscriptions: 0,
        licenses: 0,
        withoutAutoRenew: 0,
        firstEnd: commitmentEndDate,
      };
      customers.set(customerTenantId, totals);
    }
    totals.subscriptions += 1;
    totals.licenses += row.licenseCount ?? 0;
    if (!autoRenew) totals.withoutAutoRenew += 1;
    if (commitmentEndDate < totals.firstEnd) totals.firstEnd = commitmentEndDate;
  }
  const sorted = [...customers.values()].sort(
    (left, right) =>
      right.licenses - left.licenses ||
      (left.firstEnd < right.firstEnd ? -1 : left.firstEnd > right.firstEnd ? 1 : 0) ||
      (left.customerTenantId < right.customerTenantId ? -1 : 1),
  );
  const kept = options.top === undefined ? sorted : sorted.slice(0, options.top);
  return {
    insight: 'expiring-subscriptions',
    title: `Subscriptions ending within ${days} days`,
    columns: [
      { name: 'customerName', label: 'Customer', kind: 'string' },
      { name: 'customerTenantId', label: 'Customer tenant', kind: 'string' },
      { name: 'subscriptions', label: 'Subscriptions', kind: 'number' },
      { name: 'withoutAutoRenew', label: 'No auto-renew', kind: 'number' },
      { name: 'licenses', label: 'Licenses', kind: 'number' },
      { name: 'firstEnd', label: 'First end', kind: 'string' },
    ],
    rows: kept.map((entry) => ({ ...entry, firstEnd: entry.firstEnd.slice(0, 10) })),
    meta: {
      asOf: new Date(asOf).toISOString(),
      until: new Date(until).toISOString(),
      rowsRead,
      customers: customers.size,
    },
  };
}

/** The `expiring-subscriptions` insight, as the module registers it (the CLI shows its options). */
export const expiringSubscriptionsInsight: InsightDefinition = {
  name: 'expiring-subscriptions',
  title: 'Expiring subscriptions',
  description: 'Per customer: active subscriptions whose commitment ends soon, most licenses at stake first.',
  options: [
    { name: 'days', type: 'number', description: 'The window in days', default: 30 },
    { name: 'asOf', type: 'date', description: 'The reference day (default today)' },
    {
      name: 'includeAutoRenew',
      type: 'boolean',
      description: 'Count subscriptions that renew automatically too',
      default: false,
    },
    { name: 'top', type: 'number', description: 'Keep the first N customers' },
  ],
  run(client, options) {
    return expiringSubscriptions(client, {
      ...(typeof options.days === 'number' ? { days: options.days } : {}),
      ...(typeof options.asOf === 'string' ? { asOf: options.asOf } : {}),
      ...(typeof options.includeAutoRenew === 'boolean'
        ? { includeAutoRenew: options.includeAutoRenew }
        : {}),
      ...(typeof options.top === 'number' ? { top: options.top } : {}),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  },
};

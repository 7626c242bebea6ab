import type { MockDataContext, MockDataGenerator, SyntheticDataset } from '@pc/models';

const products = [
  {
    productName: 'OFFICE 365 BUSINESS PREMIUM',
    subscriptionType: 'Office',
    friendlyName: 'FULL OFFICE SUITE',
  },
  { productName: 'MICROSOFT 365 E3', subscriptionType: 'Microsoft365', friendlyName: 'M365 E3' },
  { productName: 'DYNAMICS 365 SALES', subscriptionType: 'Dynamics', friendlyName: 'SALES' },
  { productName: 'ENTERPRISE MOBILITY + SECURITY E3', subscriptionType: 'EMS', friendlyName: 'EMS E3' },
  { productName: 'AZURE PLAN', subscriptionType: 'Azure', friendlyName: 'AZURE' },
] as const;
const markets = ['US', 'GB', 'DE', 'FR', 'NL', 'JP'] as const;
const dayMs = 86_400_000;
/** Subscriptions per customer. */
export const subscriptionsPerCustomer = 4;

/** A 32-bit hash of integers (deterministic, no state). */
function hash(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const value of values) {
    h = Math.imul(h ^ (value | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

function guid(...values: number[]): string {
  const hex = [0, 1, 2, 3]
    .map((part) =>
      hash(...values, part)
        .toString(16)
        .padStart(8, '0'),
    )
    .join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`.toUpperCase();
}

/** The service's date-time form: no offset (UTC), milliseconds when not zero. */
function stamp(time: number): string {
  return new Date(time).toISOString().replace('.000Z', '').replace('Z', '');
}

/**
 * Synthetic subscription analytics for `@pc/mock`: `subscriptionsPerCustomer` subscriptions per
 * customer, row `i` derived from `(seed, partner, snapshot day, i)` only, dates relative to the
 * snapshot's day. Null fields are left out; counts of some rows are numeric strings, as the
 * service sends in places.
 */
export const generateSubscriptions: MockDataGenerator = (context: MockDataContext): SyntheticDataset => {
  const partner = hash(...[...context.partnerTenantId].map((char) => char.charCodeAt(0)));
  const today = Date.parse(context.processedDateTime);
  const day = Math.floor(today / dayMs);
  return {
    count: context.customers * subscriptionsPerCustomer,
    row(index) {
      const customer = Math.floor(index / subscriptionsPerCustomer);
      const r = (salt: number) => hash(context.seed, partner, index, salt);
      const product = products[r(1) % products.length]!;
      const statusDraw = r(2) % 20;
      const status = statusDraw < 16 ? 'ACTIVE' : statusDraw < 18 ? 'SUSPENDED' : 'DEPROVISIONED';
      const created = today - (30 + (r(3) % 1500)) * dayMs + (r(4) % dayMs);
      const start = Math.floor(created / dayMs) * dayMs;
      // End dates from 20 days ago to a year ahead, so that some expire soon.
      const commitmentEnd = today + ((r(5) % 385) - 20) * dayMs;
      const row: Record<string, unknown> = {
        customerTenantId: guid(context.seed, partner, customer),
        customerName: `Customer ${String(customer).padStart(4, '0')}`,
        customerMarket: markets[hash(context.seed, partner, customer) % markets.length],
        id: guid(context.seed, partner, customer, index),
        status,
        productName: product.productName,
        subscriptionType: product.subscriptionType,
        autoRenewEnabled: r(6) % 3 !== 0,
        partnerId: String(4_000_000 + (partner % 900_000)),
        friendlyName: product.friendlyName,
        creationDate: stamp(created),
        effectiveStartDate: stamp(start),
        commitmentEndDate: stamp(commitmentEnd),
        currentStateEndDate: stamp(commitmentEnd),
      };
      if (r(7) % 5 === 0) {
        row.trialStartDate = stamp(start - 30 * dayMs);
        row.trialToPaidConversionDate = stamp(start);
      }
      if (status !== 'DEPROVISIONED' && r(8) % 4 !== 0)
        row.lastUsageDate = stamp(today - (r(9) % 20) * dayMs);
      if (status === 'DEPROVISIONED') row.deprovisionedDate = stamp(today - (r(10) % 90) * dayMs);
      if (created < today - 365 * dayMs) row.lastRenewalDate = stamp(commitmentEnd - 365 * dayMs);
      // Seats move a little from one daily snapshot to the next. They derive from the snapshot's
      // day, not its index (which shifts at each refresh), so a day's rows never change.
      const seats = product.subscriptionType === 'Azure' ? 0 : 1 + (r(11) % 60) + (hash(index, day) % 3);
      row.licenseCount = index % 7 === 0 ? String(seats) : seats;
      return row;
    },
  };
};

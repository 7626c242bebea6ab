import { defineEndpoint, type RowOfEndpoint } from '@pc/models';

const dimensions = [
  'customerTenantId',
  'customerName',
  'customerMarket',
  'id',
  'status',
  'productName',
  'subscriptionType',
  'partnerId',
  'friendlyName',
] as const;

/**
 * `GET /partner/v1/analytics/subscriptions`: one row per subscription of the partner's customers
 * ("Get all subscription analytics information" and "... grouped by dates or terms" in the
 * Partner Center REST docs). Null dates are left out, as the service does. `autoRenewEnabled` is a
 * boolean, a kind `@pc/models` columns do not have yet: it stays in the rows as an extra field but
 * cannot be filtered or grouped here.
 */
export const subscriptionAnalytics = defineEndpoint({
  id: 'subscriptionAnalytics',
  title: 'Subscription analytics',
  description: 'Subscriptions of all customers: status, product, type, dates and license count.',
  path: '/partner/v1/analytics/subscriptions',
  envelope: 'odata',
  columns: [
    { name: 'customerTenantId', kind: 'guid', description: "The customer's tenant id" },
    { name: 'customerName', kind: 'string', description: 'Customer name' },
    {
      name: 'customerMarket',
      kind: 'string',
      description: 'Country/region the customer does business in, e.g. US',
    },
    { name: 'id', kind: 'guid', description: 'Subscription id' },
    { name: 'status', kind: 'string', description: 'ACTIVE, SUSPENDED or DEPROVISIONED' },
    { name: 'productName', kind: 'string', description: 'Product name' },
    {
      name: 'subscriptionType',
      kind: 'string',
      description: 'Office, Azure, Microsoft365, Dynamics or EMS (case-sensitive on the service)',
    },
    { name: 'partnerId', kind: 'string', description: 'MPN id of the (indirect) reseller' },
    { name: 'friendlyName', kind: 'string', description: 'Subscription name' },
    { name: 'creationDate', kind: 'timestamp', description: 'When the subscription was created' },
    { name: 'effectiveStartDate', kind: 'timestamp', description: 'When the subscription starts' },
    { name: 'commitmentEndDate', kind: 'timestamp', description: 'When the subscription ends' },
    { name: 'currentStateEndDate', kind: 'timestamp', description: 'When the current status changes' },
    { name: 'trialStartDate', kind: 'timestamp', optional: true, description: 'Start of the trial, if any' },
    {
      name: 'trialToPaidConversionDate',
      kind: 'timestamp',
      optional: true,
      description: 'Conversion from trial to paid, if any',
    },
    { name: 'lastUsageDate', kind: 'timestamp', optional: true, description: 'Last use, if known' },
    {
      name: 'deprovisionedDate',
      kind: 'timestamp',
      optional: true,
      description: 'Deprovisioning date, if any',
    },
    { name: 'lastRenewalDate', kind: 'timestamp', optional: true, description: 'Last renewal, if any' },
    { name: 'licenseCount', kind: 'count', description: 'Licenses of the subscription (summed by groupby)' },
  ],
  filterable: dimensions,
  groupable: dimensions,
  measures: ['licenseCount'],
  filterOperators: ['eq', 'ne', 'contains', 'and', 'or'],
  queryOptions: ['filter', 'groupby', 'top', 'skip'],
  maxPageSize: 10_000,
  docs: 'https://learn.microsoft.com/en-us/partner-center/developer/get-all-subscription-analytics',
});

/** One parsed row of {@link subscriptionAnalytics} (plus `autoRenewEnabled`, kept as an extra field). */
export type SubscriptionAnalyticsRow = RowOfEndpoint<typeof subscriptionAnalytics> & {
  readonly autoRenewEnabled?: boolean;
};

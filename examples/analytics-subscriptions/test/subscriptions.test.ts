import { type AnalyticsClient, createClient } from '@pc/analytics';
import { startMockServer, type MockServer } from '@pc/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateSubscriptions,
  type SubscriptionAnalyticsRow,
  subscriptionAnalytics,
  subscriptionsModule,
  subscriptionsPerCustomer,
} from '../src/index.js';

const customers = 120;
let mock: MockServer;
let client: AnalyticsClient;
let all: SubscriptionAnalyticsRow[];

beforeAll(async () => {
  mock = await startMockServer({
    port: 0,
    seed: 11,
    customers,
    quiet: true,
    extraEndpoints: subscriptionsModule.endpoints.map((endpoint) => ({
      descriptor: endpoint.descriptor,
      generate: endpoint.mock!,
    })),
  });
  client = createClient({
    baseUrl: mock.url,
    accessToken: mock.issueToken(),
    modules: [subscriptionsModule],
    pageSize: 50,
    retry: { baseDelayMs: 2, maxDelayMs: 20 },
  });
  all = await client.handle(subscriptionAnalytics).list({ concurrency: 1 }).toArray();
});

afterAll(async () => {
  await client?.close();
  await mock?.close();
});

describe('the subscriptions module through the SDK and the mock', () => {
  it('registers its endpoint and insight next to the built-in ones', () => {
    expect(client.modules.map((module) => module.name)).toEqual(['licenses', 'subscriptions']);
    expect(client.endpoint('subscriptionAnalytics').path).toBe('/partner/v1/analytics/subscriptions');
    expect(subscriptionsModule.endpoints[0]!.command).toEqual(['subscriptions']);
    expect(subscriptionsModule.insights.map((insight) => insight.name)).toEqual(['expiring-subscriptions']);
  });

  it('streams every subscription, normalized', () => {
    expect(all).toHaveLength(customers * subscriptionsPerCustomer);
    for (const row of all) {
      expect(row.customerTenantId).toBe(row.customerTenantId?.toLowerCase());
      expect(Number.isInteger(row.licenseCount)).toBe(true);
      expect(row.commitmentEndDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(typeof row.autoRenewEnabled).toBe('boolean');
    }
  });

  it('gives the same rows sequentially and concurrently, and with faults', async () => {
    const concurrent = await client.list('subscriptionAnalytics', { concurrency: 4 }).toArray();
    expect(concurrent).toEqual(all);
    mock.setFaults('429=0.1,503=0.1,reset=0.05,truncate=0.05,retry-after=0');
    try {
      const faulty = await client.list('subscriptionAnalytics', { concurrency: 3 }).toArray();
      expect(faulty).toEqual(all);
    } finally {
      mock.setFaults('');
    }
  });

  it('filters on the server, checked against the descriptor first', async () => {
    const active = await client
      .handle(subscriptionAnalytics)
      .list({ filter: "status eq 'ACTIVE'" })
      .toArray();
    expect(active).toEqual(all.filter((row) => row.status === 'ACTIVE'));
    expect(active.length).toBeGreaterThan(0);
    const e3 = await client
      .list('subscriptionAnalytics', { filter: "contains(productName, 'E3')" })
      .toArray();
    expect(e3).toEqual(all.filter((row) => row.productName?.includes('E3')));
    expect(() => client.list('subscriptionAnalytics', { filter: 'autoRenewEnabled eq true' })).toThrow(
      /autoRenewEnabled/,
    );
    expect(() => client.list('subscriptionAnalytics', { filter: "status gt 'A'" })).toThrow(/gt/);
    expect(() => client.list('subscriptionAnalytics', { processedDateTime: '2026-11-20' })).toThrow(
      /processedDateTime/,
    );
  });

  it('groups on the server: licenseCount per subscription type equals the local sum', async () => {
    const grouped = await client
      .handle(subscriptionAnalytics)
      .list({ groupby: ['subscriptionType'], pageSize: 2 })
      .toArray();
    const local = new Map<string, number>();
    for (const row of all)
      local.set(
        String(row.subscriptionType),
        (local.get(String(row.subscriptionType)) ?? 0) + (row.licenseCount ?? 0),
      );
    expect(new Map(grouped.map((row) => [String(row.subscriptionType), row.licenseCount]))).toEqual(local);
  });

  it('expiring-subscriptions equals the reference computation', async () => {
    const asOf = Date.parse('2026-11-20T00:00:00Z');
    const until = asOf + 45 * 86_400_000;
    const expected = new Map<string, { subscriptions: number; licenses: number }>();
    for (const row of all) {
      const end = Date.parse(String(row.commitmentEndDate));
      if (row.status !== 'ACTIVE' || end < asOf || end > until || row.autoRenewEnabled === true) continue;
      const tenant = String(row.customerTenantId);
      const entry = expected.get(tenant) ?? { subscriptions: 0, licenses: 0 };
      entry.subscriptions += 1;
      entry.licenses += row.licenseCount ?? 0;
      expected.set(tenant, entry);
    }
    const result = await client.runInsight('expiring-subscriptions', { asOf: '2026-11-20', days: '45' });
    expect(result.rows.length).toBe(expected.size);
    expect(result.rows.length).toBeGreaterThan(3);
    for (const row of result.rows) {
      expect({ subscriptions: row.subscriptions, licenses: row.licenses }).toEqual(
        expected.get(String(row.customerTenantId)),
      );
    }
    const licenses = result.rows.map((row) => row.licenses as number);
    expect(licenses).toEqual([...licenses].sort((a, b) => b - a));
    const withAutoRenew = await client.runInsight('expiring-subscriptions', {
      asOf: '2026-11-20',
      days: 45,
      includeAutoRenew: true,
    });
    const total = (rows: readonly Record<string, unknown>[]) =>
      rows.reduce((sum, row) => sum + Number(row.subscriptions), 0);
    expect(total(withAutoRenew.rows)).toBeGreaterThan(total(result.rows));
    const top = await client.runInsight('expiring-subscriptions', { asOf: '2026-11-20', days: 45, top: 3 });
    expect(top.rows).toEqual(result.rows.slice(0, 3));
    await expect(
      client.runInsight('expiring-subscriptions', { asOf: '2026-11-20', top: -1 }),
    ).rejects.toThrow(/top/);
  });

  it('the generator is deterministic and sized by the customers', () => {
    const context = {
      seed: 5,
      partnerTenantId: '4b7c4e3a-2f1d-4c6b-9a8e-5d0f1c2b3a49',
      customers: 10,
      snapshotIndex: 0,
      processedDateTime: '2026-11-20T00:00:00.000Z',
    };
    const first = generateSubscriptions(context);
    const second = generateSubscriptions(context);
    expect(first.count).toBe(10 * subscriptionsPerCustomer);
    expect(first.row(17)).toEqual(second.row(17));
    // A day's rows depend on the day, not on how many refreshes came after it.
    const sameDayLater = generateSubscriptions({ ...context, snapshotIndex: 1 });
    expect(sameDayLater.row(17)).toEqual(first.row(17));
    expect(subscriptionAnalytics.row.safeParse(first.row(3)).success).toBe(true);
  });
});

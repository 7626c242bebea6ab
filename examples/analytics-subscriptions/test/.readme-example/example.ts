import { createClient } from '@pc/analytics';
import { startMockServer } from '@pc/mock';
import { subscriptionAnalytics, subscriptionsModule } from '@pc/example-analytics-subscriptions';

const mock = await startMockServer({
  port: 0,
  customers: 100,
  quiet: true,
  extraEndpoints: subscriptionsModule.endpoints.map((endpoint) => ({
    descriptor: endpoint.descriptor,
    generate: endpoint.mock!,
  })),
});
const client = createClient({
  baseUrl: mock.url,
  accessToken: mock.issueToken(),
  modules: [subscriptionsModule],
});
try {
  // Typed rows (the handle knows the descriptor's row type).
  const active = await client.handle(subscriptionAnalytics).list({ filter: "status eq 'ACTIVE'" }).toArray();
  // Grouped on the server.
  const byType = await client.list('subscriptionAnalytics', { groupby: 'subscriptionType' }).toArray();
  // The module's insight, by name.
  const expiring = await client.runInsight('expiring-subscriptions', { days: 45, asOf: '2026-11-20' });
  console.log(active.length, byType, expiring.rows.slice(0, 5));
} finally {
  await client.close();
  await mock.close();
}

import { type AnalyticsModule, defineAnalyticsModule } from '@pc/analytics';
import { expiringSubscriptionsInsight } from './expiringSubscriptions.js';
import { generateSubscriptions } from './generateSubscriptions.js';
import { subscriptionAnalytics } from './subscriptionAnalytics.js';

/**
 * Partner Center subscription analytics as a `@pc/analytics` module: the endpoint (descriptor),
 * its synthetic data for `@pc/mock`, the `subscriptions` CLI command and the
 * `expiring-subscriptions` insight. Nothing in the core packages knows about it.
 *
 * @example
 * ```ts
 * const client = createClient({ accessToken, modules: [subscriptionsModule] });
 * for await (const row of client.handle(subscriptionAnalytics).list({ filter: "status eq 'ACTIVE'" })) { ... }
 * ```
 */
export const subscriptionsModule: AnalyticsModule = defineAnalyticsModule({
  name: 'subscriptions',
  description:
    'Subscription analytics (/partner/v1/analytics/subscriptions) and the expiring-subscriptions insight.',
  endpoints: [{ descriptor: subscriptionAnalytics, mock: generateSubscriptions, command: ['subscriptions'] }],
  insights: [expiringSubscriptionsInsight],
});

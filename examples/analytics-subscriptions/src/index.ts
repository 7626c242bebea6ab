/**
 * An analytics module from outside the core: Partner Center subscription analytics.
 * @packageDocumentation
 */
export { subscriptionsModule } from './subscriptionsModule.js';
export { subscriptionAnalytics } from './subscriptionAnalytics.js';
export { generateSubscriptions, subscriptionsPerCustomer } from './generateSubscriptions.js';
export { expiringSubscriptions, expiringSubscriptionsInsight } from './expiringSubscriptions.js';

export type { SubscriptionAnalyticsRow } from './subscriptionAnalytics.js';
export type { ExpiringSubscriptionsOptions } from './expiringSubscriptions.js';

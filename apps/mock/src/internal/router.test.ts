import { describe, expect, it } from 'vitest';
import { compileRoute, matchRoute } from './router.js';

describe('router', () => {
  const routes = [
    compileRoute('/v1/customers/{customerId}/analytics/licenses/usage', 'e5'),
    compileRoute('/partner/v1/analytics/commercial/usage/license', 'e1'),
  ];

  it('matches templates with parameters, a trailing slash and any case', () => {
    expect(matchRoute(routes, '/v1/customers/ABC/analytics/licenses/usage')).toEqual({
      target: 'e5',
      template: '/v1/customers/{customerId}/analytics/licenses/usage',
      params: { customerId: 'ABC' },
    });
    expect(matchRoute(routes, '/partner/v1/analytics/commercial/usage/license/')?.target).toBe('e1');
    expect(matchRoute(routes, '/Partner/V1/analytics/commercial/usage/license')?.target).toBe('e1');
    expect(matchRoute(routes, '/partner/v1/analytics/commercial/usage/licenses')).toBeUndefined();
    expect(matchRoute(routes, '/v1/customers/a/b/analytics/licenses/usage')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { parseRateLimit, RateLimiter } from './rateLimit.js';

describe('RateLimiter', () => {
  it('parses <requests>/<seconds>', () => {
    expect(parseRateLimit('100/10')).toEqual({ requests: 100, perSeconds: 10 });
    expect(() => parseRateLimit('fast')).toThrow(/requests>\/<seconds/);
    expect(() => parseRateLimit('0/10')).toThrow(/>= 1/);
  });

  it('allows the budget per window and tenant, then throttles until the window ends', () => {
    const limiter = new RateLimiter({ requests: 2, perSeconds: 10 });
    expect(limiter.check('a', 0).allowed).toBe(true);
    expect(limiter.check('a', 1000).allowed).toBe(true);
    expect(limiter.check('a', 2000)).toEqual({ allowed: false, retryAfterSeconds: 8, early: false });
    expect(limiter.check('b', 2000).allowed).toBe(true);
    expect(limiter.check('a', 10_000).allowed).toBe(true);
  });

  it('throttles again, restarting the wait, a client that comes back before Retry-After', () => {
    const limiter = new RateLimiter(undefined);
    limiter.arm('a', 5, 0);
    expect(limiter.check('a', 4000)).toEqual({ allowed: false, retryAfterSeconds: 5, early: true });
    expect(limiter.check('a', 8000)).toEqual({ allowed: false, retryAfterSeconds: 5, early: true });
    expect(limiter.check('a', 13_001).allowed).toBe(true);
  });
});

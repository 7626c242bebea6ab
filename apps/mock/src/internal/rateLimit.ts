/** A request budget per partner tenant and window. */
export interface RateLimit {
  readonly requests: number;
  readonly perSeconds: number;
}

/** What the limiter decided for one request. */
export type RateDecision =
  | { readonly allowed: true; readonly headers: Readonly<Record<string, string>> }
  | { readonly allowed: false; readonly retryAfterSeconds: number; readonly early: boolean };

interface TenantState {
  windowStart: number;
  count: number;
  blockedUntil: number;
  retryAfterSeconds: number;
}

/** Parses `100/10` (100 requests per 10 seconds). */
export function parseRateLimit(text: string): RateLimit {
  const match = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*s?\s*$/.exec(text);
  if (match === null)
    throw new Error(`invalid rate limit '${text}': expected <requests>/<seconds>, e.g. 100/10`);
  return validateRateLimit({ requests: Number(match[1]), perSeconds: Number(match[2]) });
}

/** Checks a rate limit's numbers. */
export function validateRateLimit(limit: RateLimit): RateLimit {
  if (!Number.isInteger(limit.requests) || limit.requests < 1)
    throw new Error('rate limit: requests must be an integer >= 1');
  if (!(limit.perSeconds > 0)) throw new Error('rate limit: seconds must be > 0');
  return limit;
}

/**
 * Fixed-window throttling per partner tenant, with Dev Proxy's Retry-After enforcement: once a
 * tenant is throttled (by the budget or by an injected 429), a request that comes back before
 * `Retry-After` has passed is throttled again and the wait starts over.
 */
export class RateLimiter {
  private readonly tenants = new Map<string, TenantState>();

  constructor(private readonly limit: RateLimit | undefined) {}

  private state(key: string, now: number): TenantState {
    let state = this.tenants.get(key);
    if (state === undefined) {
      state = { windowStart: now, count: 0, blockedUntil: 0, retryAfterSeconds: 0 };
      this.tenants.set(key, state);
    }
    return state;
  }

  /** Counts a request of `key` at `now` (ms) and says whether it may pass. */
  check(key: string, now: number): RateDecision {
    const state = this.state(key, now);
    if (now < state.blockedUntil) {
      state.blockedUntil = now + state.retryAfterSeconds * 1000;
      return { allowed: false, retryAfterSeconds: state.retryAfterSeconds, early: true };
    }
    if (this.limit === undefined) return { allowed: true, headers: {} };
    const windowMs = this.limit.perSeconds * 1000;
    if (now - state.windowStart >= windowMs) {
      state.windowStart = now;
      state.count = 0;
    }
    const resetSeconds = Math.max(1, Math.ceil((state.windowStart + windowMs - now) / 1000));
    if (state.count >= this.limit.requests) {
      this.arm(key, resetSeconds, now);
      return { allowed: false, retryAfterSeconds: resetSeconds, early: false };
    }
    state.count++;
    return {
      allowed: true,
      headers: {
        'RateLimit-Limit': String(this.limit.requests),
        'RateLimit-Remaining': String(this.limit.requests - state.count),
        'RateLimit-Reset': String(resetSeconds),
      },
    };
  }

  /** Blocks `key` for `seconds` from `now` (after a 429, whatever sent it). */
  arm(key: string, seconds: number, now: number): void {
    const state = this.state(key, now);
    state.retryAfterSeconds = seconds;
    state.blockedUntil = now + seconds * 1000;
  }

  /** Forgets every tenant's window and block. */
  reset(): void {
    this.tenants.clear();
  }
}

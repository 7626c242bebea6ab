import { describe, expect, it } from 'vitest';
import { TokenCache } from './tokenCache.js';

function counter(options: { expiresInMs: number; fail?: () => boolean }) {
  let calls = 0;
  const fetchToken = async () => {
    calls++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (options.fail?.()) throw new Error('refresh failed');
    return { token: `t${calls}`, expiresAt: Date.now() + options.expiresInMs };
  };
  return { fetchToken, calls: () => calls };
}

describe('TokenCache', () => {
  it('fetches once for concurrent callers and then serves the cache', async () => {
    const source = counter({ expiresInMs: 60_000 });
    const cache = new TokenCache({ fetchToken: source.fetchToken, refreshAheadMs: 1_000 });
    const tokens = await Promise.all(Array.from({ length: 5 }, () => cache.get()));
    expect(new Set(tokens.map((token) => token.token))).toEqual(new Set(['t1']));
    expect((await cache.get()).token).toBe('t1');
    expect(source.calls()).toBe(1);
  });

  it('forces one refresh, and skips it when the stale token was already replaced', async () => {
    const source = counter({ expiresInMs: 60_000 });
    const cache = new TokenCache({ fetchToken: source.fetchToken, refreshAheadMs: 1_000 });
    await cache.get();
    expect((await cache.get({ forceRefresh: true, staleToken: 't1' })).token).toBe('t2');
    expect((await cache.get({ forceRefresh: true, staleToken: 't1' })).token).toBe('t2');
    expect(source.calls()).toBe(2);
  });

  it('keeps a still-valid token when an early refresh fails', async () => {
    let failing = false;
    const source = counter({ expiresInMs: 60_000, fail: () => failing });
    const cache = new TokenCache({ fetchToken: source.fetchToken, refreshAheadMs: 59_990 });
    expect((await cache.get()).token).toBe('t1');
    await new Promise((resolve) => setTimeout(resolve, 20));
    failing = true;
    expect((await cache.get()).token).toBe('t1');
    expect(source.calls()).toBe(2);
    await expect(cache.get({ forceRefresh: true })).rejects.toThrow('refresh failed');
  });

  it('lets one waiter abort without cancelling the shared refresh', async () => {
    const source = counter({ expiresInMs: 60_000 });
    const cache = new TokenCache({ fetchToken: source.fetchToken, refreshAheadMs: 1_000 });
    const controller = new AbortController();
    const aborted = cache.get({ signal: controller.signal });
    const other = cache.get();
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    expect((await other).token).toBe('t1');
    expect(source.calls()).toBe(1);
  });
});

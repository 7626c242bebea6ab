import { describe, expect, it } from 'vitest';
import { LruCache } from './lruCache.js';

describe('LruCache', () => {
  it('drops the least recently used entry beyond its capacity', () => {
    const cache = new LruCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });

  it('drops old entries beyond the weight budget, keeping the newest', () => {
    const cache = new LruCache<number>(10, { weigh: (value) => value, maxWeight: 10 });
    cache.set('a', 4);
    cache.set('b', 4);
    cache.set('c', 4);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe(4);
    cache.set('big', 50);
    expect(cache.get('big')).toBe(50);
    expect(cache.get('b')).toBeUndefined();
  });
});

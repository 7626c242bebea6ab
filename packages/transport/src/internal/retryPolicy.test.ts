import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, classifyNetworkError, isRetryableStatus, parseRetryAfter } from './retryPolicy.js';

describe('isRetryableStatus', () => {
  it('retries 408, 429 and 5xx except 501 and 505', () => {
    for (const status of [408, 429, 500, 502, 503, 504, 599]) expect(isRetryableStatus(status)).toBe(true);
    for (const status of [200, 400, 401, 403, 404, 409, 501, 505])
      expect(isRetryableStatus(status)).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('uses equal jitter between half and all of the capped exponential', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const settings = { baseDelayMs: 500, maxDelayMs: 30_000 };
          const clamped = Math.min(30_000, 500 * 2 ** (attempt - 1));
          const delay = backoffDelay(attempt, settings, () => r);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(clamped / 2));
          expect(delay).toBeLessThanOrEqual(clamped);
        },
      ),
    );
    expect(backoffDelay(1, { baseDelayMs: 500, maxDelayMs: 30_000 }, () => 0)).toBe(250);
    expect(backoffDelay(3, { baseDelayMs: 500, maxDelayMs: 30_000 }, () => 0.999999)).toBe(2000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);
  it('reads delta seconds, HTTP dates and the millisecond headers', () => {
    expect(parseRetryAfter({ 'retry-after': '57' }, now)).toBe(57_000);
    expect(parseRetryAfter({ 'retry-after': '0' }, now)).toBe(0);
    expect(parseRetryAfter({ 'retry-after': new Date(now + 30_000).toUTCString() }, now)).toBe(30_000);
    expect(parseRetryAfter({ 'retry-after': new Date(now - 30_000).toUTCString() }, now)).toBe(0);
    expect(parseRetryAfter({ 'retry-after-ms': '1500', 'retry-after': '9' }, now)).toBe(1500);
    expect(parseRetryAfter({ 'x-ms-retry-after-ms': '20' }, now)).toBe(20);
    expect(parseRetryAfter({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(parseRetryAfter({}, now)).toBeUndefined();
  });
});

describe('classifyNetworkError', () => {
  it('names the failure and marks truncated bodies', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(classifyNetworkError(reset, false)).toEqual({
      errorCode: 'ECONNRESET',
      reason: 'connection reset',
      retryable: true,
    });
    expect(classifyNetworkError(reset, true).reason).toBe('truncated body');
    const notFound = new TypeError('wrapped', {
      cause: Object.assign(new Error('x'), { code: 'ENOTFOUND' }),
    });
    expect(classifyNetworkError(notFound, false)).toMatchObject({ errorCode: 'ENOTFOUND', retryable: false });
    const invalid = Object.assign(new Error('invalid x-bad header'), { code: 'UND_ERR_INVALID_ARG' });
    expect(classifyNetworkError(invalid, false)).toMatchObject({
      reason: 'invalid request',
      retryable: false,
    });
  });

  it('retries an unknown error only once the body was under way (a truncated body)', () => {
    const certificate = Object.assign(new Error('unable to verify'), {
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
    expect(classifyNetworkError(certificate, false)).toEqual({
      errorCode: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      reason: 'network error',
      retryable: false,
    });
    expect(classifyNetworkError(new Error('odd'), true)).toEqual({
      errorCode: 'UNKNOWN',
      reason: 'truncated body',
      retryable: true,
    });
  });
});

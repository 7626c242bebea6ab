import { describe, expect, it } from 'vitest';
import { isPartnerCenterError, PartnerCenterError } from './errors.js';

describe('PartnerCenterError', () => {
  it('carries every field and the cause', () => {
    const cause = new Error('socket hang up');
    const error = new PartnerCenterError({
      code: 'HTTP_ERROR',
      message: 'GET /x failed',
      status: 404,
      pcCode: 1000,
      description: 'not found',
      requestId: 'r',
      correlationId: 'c',
      attempts: 1,
      url: 'http://h/x',
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('PartnerCenterError');
    expect(error).toMatchObject({
      code: 'HTTP_ERROR',
      status: 404,
      pcCode: 1000,
      retryable: false,
      attempts: 1,
    });
    expect(error.cause).toBe(cause);
    expect(isPartnerCenterError(error)).toBe(true);
  });

  it('is recognized across duplicate installs through the Symbol.for brand', () => {
    // What another copy of the package builds: a different class, the same global symbol.
    class OtherCopyError extends Error {
      constructor() {
        super('from another copy');
        Object.defineProperty(this, Symbol.for('@pc/transport.PartnerCenterError'), { value: true });
      }
    }
    const foreign = new OtherCopyError();
    expect(isPartnerCenterError(foreign)).toBe(true);
    expect(foreign instanceof PartnerCenterError).toBe(true);
    expect(isPartnerCenterError(new Error('plain'))).toBe(false);
    expect(isPartnerCenterError({ code: 'HTTP_ERROR' })).toBe(false);
    expect(isPartnerCenterError(null)).toBe(false);
  });
});

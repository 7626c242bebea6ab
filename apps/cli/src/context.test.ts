import { describe, expect, it } from 'vitest';
import { Redactor } from './context.js';

describe('Redactor', () => {
  it('hides known secrets, bearer tokens and JWTs', () => {
    const redactor = new Redactor();
    redactor.add('my-client-secret');
    redactor.add('abc');
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const text = redactor.redact(
      `secret=my-client-secret; Authorization: Bearer opaque.token; token ${jwt}; abc stays`,
    );
    expect(text).not.toContain('my-client-secret');
    expect(text).not.toContain('opaque.token');
    expect(text).not.toContain(jwt);
    expect(text).toContain('abc stays');
  });
});

import { describe, expect, it } from 'vitest';
import { redactSecrets, sanitizeHeaders, sanitizeUrl } from './sanitize.js';

describe('sanitizeUrl', () => {
  it('keeps allow-listed query values and redacts the others and any credentials', () => {
    expect(
      sanitizeUrl("https://user:pw@api.example/partner/v1/x?filter=a%20eq%20'b'&top=10&sig=abc&code=xyz"),
    ).toBe('https://api.example/partner/v1/x?filter=a%20eq%20%27b%27&top=10&sig=REDACTED&code=REDACTED');
    expect(sanitizeUrl('not a url')).toBe('[invalid URL]');
  });
});

describe('sanitizeHeaders', () => {
  it('shows allow-listed headers only', () => {
    expect(
      sanitizeHeaders({
        Authorization: 'Bearer t',
        'MS-RequestId': 'r',
        cookie: ['a', 'b'],
        'x-locale': 'en-US',
      }),
    ).toEqual({ Authorization: 'REDACTED', 'MS-RequestId': 'r', cookie: 'REDACTED', 'x-locale': 'en-US' });
  });
});

describe('redactSecrets', () => {
  it('removes every occurrence of each secret', () => {
    expect(redactSecrets('a secret-1 b secret-1 c tok', ['secret-1', undefined, 'tok'])).toBe(
      'a REDACTED b REDACTED c tok',
    );
  });
});

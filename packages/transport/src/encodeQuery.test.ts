import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeQuery } from './encodeQuery.js';

describe('encodeQuery', () => {
  it('encodes spaces as %20, never +, and keeps the order', () => {
    expect(
      encodeQuery([
        ['filter', "serviceCode eq 'O365' or (channel eq 'Reseller')"],
        ['groupby', 'customerId,productName'],
        ['top', '10000'],
      ]),
    ).toBe(
      "filter=serviceCode%20eq%20'O365'%20or%20(channel%20eq%20'Reseller')&groupby=customerId%2CproductName&top=10000",
    );
    expect(encodeQuery([['a+b', 'c&d=e']])).toBe('a%2Bb=c%26d%3De');
    expect(encodeQuery([])).toBe('');
  });

  it('round-trips any names and values through decodeURIComponent', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.string())), (pairs) => {
        const valid = pairs.filter(([name, value]) => !/[\uD800-\uDFFF]/.test(name + value));
        const encoded = encodeQuery(valid);
        expect(encoded).not.toMatch(/[ +]/);
        const decoded =
          encoded === '' ? [] : encoded.split('&').map((part) => part.split('=').map(decodeURIComponent));
        expect(decoded).toEqual(valid.map(([name, value]) => [name, value]));
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { buildQuery } from './buildQuery.js';
import { filterBuilder } from './filterBuilder.js';

describe('buildQuery', () => {
  it('emits parameters in order, without $, as plain text', () => {
    expect(
      buildQuery({
        processedDateTime: '2024-01-31',
        skip: 20,
        top: 10,
        groupby: ['serviceCode', 'channel'],
        filter: "customerName eq 'O''Brien & Co'",
      }),
    ).toEqual([
      ['filter', "customerName eq 'O''Brien & Co'"],
      ['groupby', 'serviceCode,channel'],
      ['top', '10'],
      ['skip', '20'],
      ['processedDateTime', '2024-01-31'],
    ]);
  });

  it('leaves out what is omitted or empty', () => {
    expect(buildQuery({})).toEqual([]);
    expect(buildQuery({ filter: '  ', groupby: [] })).toEqual([]);
    expect(buildQuery({ top: 5 })).toEqual([['top', '5']]);
  });

  it('prints an AST filter and a Date snapshot', () => {
    const f = filterBuilder<{ serviceCode: string }>();
    expect(buildQuery({ filter: f.eq('serviceCode', "a'b"), processedDateTime: new Date(0) })).toEqual([
      ['filter', "serviceCode eq 'a''b'"],
      ['processedDateTime', '1970-01-01T00:00:00.000Z'],
    ]);
  });

  it('normalises a groupby string', () => {
    expect(buildQuery({ groupby: ' a , b ' })).toEqual([['groupby', 'a,b']]);
  });

  it.each([0, -1, 10001, 1.5, Number.NaN])('refuses top %s', (top) => {
    expect(() => buildQuery({ top })).toThrow(/top must be an integer from 1 to 10000/);
  });

  it('accepts the bounds of top', () => {
    expect(buildQuery({ top: 1 })).toEqual([['top', '1']]);
    expect(buildQuery({ top: 10000 })).toEqual([['top', '10000']]);
  });

  it('refuses a negative or fractional skip and an invalid Date', () => {
    expect(() => buildQuery({ skip: -1 })).toThrow(RangeError);
    expect(() => buildQuery({ skip: 0.5 })).toThrow(RangeError);
    expect(() => buildQuery({ processedDateTime: new Date('x') })).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { compileFilter } from './compileFilter.js';
import { date, dateTime, filter, filterBuilder, guid, toLiteral } from './filterBuilder.js';
import { parseFilter } from './parseFilter.js';
import { printFilter } from './printFilter.js';

interface LicenseRow {
  serviceCode: string;
  channel: 'Reseller' | 'Direct';
  customerName: string | null;
  licensesActive: number;
  isTrial?: boolean;
  processedDateTime: Date;
  tenantId: string;
}

const f = filterBuilder<LicenseRow>();

describe('filterBuilder', () => {
  it('builds every operator and escapes every value', () => {
    const node = f.and(
      f.eq('customerName', "O'Brien"),
      f.ne('channel', 'Direct'),
      f.or(f.gt('licensesActive', 10), f.le('licensesActive', -1)),
      f.not(f.contains('serviceCode', "it's")),
      f.in('serviceCode', ['O365', "a'b"]),
      f.startswith('customerName', 'C'),
      f.endswith('customerName', 'd'),
      f.eq('customerName', null),
      f.eq('isTrial', false),
      f.ge('processedDateTime', new Date('2024-01-31T00:00:00Z')),
      f.lt('processedDateTime', date('2024-02-01')),
      f.eq('tenantId', guid('8d6c4d5e-1234-4abc-9def-0123456789ab')),
    );
    const text = printFilter(node);
    expect(text).toBe(
      "customerName eq 'O''Brien' and channel ne 'Direct' and (licensesActive gt 10 or licensesActive le -1)" +
        " and not contains(serviceCode, 'it''s') and serviceCode in ('O365', 'a''b')" +
        " and startswith(customerName, 'C') and endswith(customerName, 'd') and customerName eq null" +
        ' and isTrial eq false and processedDateTime ge 2024-01-31T00:00:00.000Z' +
        ' and processedDateTime lt 2024-02-01 and tenantId eq 8d6c4d5e-1234-4abc-9def-0123456789ab',
    );
    expect(printFilter(parseFilter(text))).toBe(text);
  });

  it('gives a single-operand and/or back unchanged', () => {
    const one = f.eq('serviceCode', 'x');
    expect(f.and(one)).toBe(one);
    expect(f.or(one)).toBe(one);
  });

  it('refuses values no literal can hold', () => {
    expect(() => f.gt('licensesActive', Number.NaN)).toThrow(RangeError);
    expect(() => f.gt('licensesActive', Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => f.ge('processedDateTime', new Date('nope'))).toThrow(RangeError);
    expect(() => f.in('serviceCode', [])).toThrow(RangeError);
    expect(() => guid('not-a-guid')).toThrow(TypeError);
    expect(() => dateTime('2024-01-31')).toThrow(TypeError);
    expect(() => toLiteral(Symbol('x'))).toThrow(TypeError);
    expect(() => toLiteral({})).toThrow(TypeError);
  });

  it('builds filters whose compiled predicate behaves as written', () => {
    const predicate = compileFilter(f.and(f.eq('channel', 'Reseller'), f.gt('licensesActive', 5)));
    expect(predicate({ channel: 'reseller', licensesActive: 6 })).toBe(true);
    expect(predicate({ channel: 'reseller', licensesActive: 5 })).toBe(false);
  });

  it('converts dates', () => {
    expect(date(new Date('2024-01-31T23:00:00Z')).value).toBe('2024-01-31');
    expect(dateTime(new Date(0)).value).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('filter tagged template', () => {
  it('escapes interpolated values', () => {
    const name = "O'Brien') or (1 eq 1";
    const text = filter`customerName eq ${name} and licensesActive gt ${10}`;
    expect(text).toBe("customerName eq 'O''Brien'') or (1 eq 1' and licensesActive gt 10");
    const node = parseFilter(text);
    expect(node.kind).toBe('and');
  });

  it('prints other values as literals and nodes in parentheses', () => {
    const when = new Date('2024-01-31T00:00:00Z');
    expect(
      filter`a eq ${null} and b eq ${true} and c ge ${when} and d eq ${guid('8d6c4d5e-1234-4abc-9def-0123456789ab')}`,
    ).toBe(
      'a eq null and b eq true and c ge 2024-01-31T00:00:00.000Z and d eq 8d6c4d5e-1234-4abc-9def-0123456789ab',
    );
    expect(filter`${f.or(f.eq('serviceCode', 'a'), f.eq('serviceCode', 'b'))} and x eq 1`).toBe(
      "(serviceCode eq 'a' or serviceCode eq 'b') and x eq 1",
    );
    expect(() => filter`a eq ${undefined}`).toThrow(TypeError);
  });
});

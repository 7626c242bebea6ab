import { describe, expectTypeOf, it } from 'vitest';
import type { CallNode, CompareNode } from './ast.js';
import { date, dateTime, type FilterField, filterBuilder, guid, type StringField } from './filterBuilder.js';

interface LicenseRow {
  serviceCode: string;
  channel: 'Reseller' | 'Direct';
  customerName: string | null;
  licensesActive: number;
  isTrial?: boolean;
  processedDateTime: Date;
  tags: string[];
}

const f = filterBuilder<LicenseRow>();

describe('filterBuilder types', () => {
  it('accepts the right fields and values', () => {
    expectTypeOf(f.eq('serviceCode', 'O365')).toEqualTypeOf<CompareNode>();
    expectTypeOf(f.eq('channel', 'Reseller')).toEqualTypeOf<CompareNode>();
    expectTypeOf(f.eq('customerName', null)).toEqualTypeOf<CompareNode>();
    expectTypeOf(f.gt('licensesActive', 3)).toEqualTypeOf<CompareNode>();
    expectTypeOf(f.eq('isTrial', true)).toEqualTypeOf<CompareNode>();
    expectTypeOf(f.ge('processedDateTime', new Date())).toEqualTypeOf<CompareNode>();
    expectTypeOf(f.ge('processedDateTime', date('2024-01-01'))).toEqualTypeOf<CompareNode>();
    expectTypeOf(f.lt('serviceCode', dateTime('2024-01-01T00:00:00Z'))).toEqualTypeOf<CompareNode>();
    expectTypeOf(
      f.eq('serviceCode', guid('8d6c4d5e-1234-4abc-9def-0123456789ab')),
    ).toEqualTypeOf<CompareNode>();
    expectTypeOf(f.contains('customerName', 'x')).toEqualTypeOf<CallNode>();
  });

  it('derives the field unions from the row type', () => {
    expectTypeOf<FilterField<LicenseRow>>().toEqualTypeOf<
      'serviceCode' | 'channel' | 'customerName' | 'licensesActive' | 'isTrial' | 'processedDateTime'
    >();
    expectTypeOf<StringField<LicenseRow>>().toEqualTypeOf<'serviceCode' | 'channel' | 'customerName'>();
  });

  it('rejects misspelled fields', () => {
    // @ts-expect-error: no field serviceCod
    f.eq('serviceCod', 'O365');
    // @ts-expect-error: no field licensesActiv
    f.gt('licensesActiv', 1);
    // @ts-expect-error: arrays cannot be filtered
    f.eq('tags', 'x');
  });

  it('rejects wrongly typed values', () => {
    // @ts-expect-error: licensesActive is a number
    f.eq('licensesActive', '3');
    // @ts-expect-error: serviceCode is a string
    f.eq('serviceCode', 3);
    // @ts-expect-error: channel is 'Reseller' | 'Direct'
    f.eq('channel', 'Resellr');
    // @ts-expect-error: serviceCode is not nullable
    f.eq('serviceCode', null);
    // @ts-expect-error: isTrial is a boolean
    f.eq('isTrial', 'true');
    // @ts-expect-error: no order comparison with null
    f.gt('customerName', null);
    // @ts-expect-error: a Date only for date fields
    f.eq('serviceCode', new Date());
    // @ts-expect-error: in-list values follow the field type
    f.in('licensesActive', [1, '2']);
  });

  it('rejects operators that do not fit the field type', () => {
    // @ts-expect-error: contains takes a string field
    f.contains('licensesActive', '1');
    // @ts-expect-error: booleans have no order
    f.gt('isTrial', true);
  });
});

import { filterBuilder } from '@pc/odata-query';
import { describe, expect, it } from 'vitest';
import { columnKinds } from './columns.js';
import {
  commercialLicenseDeployment,
  commercialLicenseUsage,
  customerLicenseUsage,
  partnerLicenseDeployment,
} from './endpoints.js';
import { checkListRequest, formatListRequestIssue, parseSnapshotDate } from './listRequest.js';

function issuesOf(...args: Parameters<typeof checkListRequest>) {
  const result = checkListRequest(...args);
  if (result.ok) throw new Error('expected issues');
  return result.issues.map(({ code, parameter, offset }) => ({ code, parameter, offset }));
}

describe('checkListRequest', () => {
  it('returns the filter as a checked tree, groupby fields, numbers and the snapshot', () => {
    const result = checkListRequest(commercialLicenseDeployment, {
      filter: "  serviceCode eq 'o365' and channel ne 'direct' ",
      groupby: 'serviceCode, channel',
      top: '500',
      skip: 1000,
      processedDateTime: new Date('2026-11-20T00:00:00Z'),
    });
    expect(result.ok).toBe(true);
    expect(result.request?.filter?.kind).toBe('and');
    expect(result.request?.filterText).toBe("serviceCode eq 'o365' and channel ne 'direct'");
    expect(result.request?.groupby).toEqual(['serviceCode', 'channel']);
    expect(result.request?.top).toBe(500);
    expect(result.request?.skip).toBe(1000);
    expect(result.request?.processedDateTime).toBe('2026-11-20T00:00:00.000Z');
    expect(result.request?.path).toBe(commercialLicenseDeployment.path);
  });

  it('refuses a literal whose type does not suit its column, at the operand', () => {
    expect(issuesOf(commercialLicenseDeployment, { filter: 'channel eq 1' })).toEqual([
      { code: 'operandType', parameter: 'filter', offset: 11 },
    ]);
    expect(issuesOf(commercialLicenseDeployment, { filter: 'channel eq serviceName' })).toEqual([
      { code: 'operandType', parameter: 'filter', offset: 11 },
    ]);
    expect(issuesOf(commercialLicenseDeployment, { filter: "'o365' eq serviceCode" })).toEqual([
      { code: 'operandType', parameter: 'filter', offset: 0 },
    ]);
    expect(issuesOf(commercialLicenseDeployment, { filter: 'serviceCode ne null' })).toEqual([
      { code: 'operandType', parameter: 'filter', offset: 15 },
    ]);
    const result = checkListRequest(commercialLicenseDeployment, { filter: 'channel eq 1' });
    expect(result.issues?.[0]?.message).toBe(
      "channel takes a quoted string such as 'value', not the number 1",
    );
    expect(formatListRequestIssue(result.issues![0]!, 'invalid --filter')).toBe(
      "invalid --filter: channel takes a quoted string such as 'value', not the number 1 at offset 11:\n  channel eq 1\n             ^",
    );
  });

  it('classifies grammar, field and operator faults of filter text', () => {
    expect(issuesOf(commercialLicenseDeployment, { filter: "serviceCode eq 'o365' and" })).toEqual([
      { code: 'filterSyntax', parameter: 'filter', offset: 25 },
    ]);
    expect(issuesOf(commercialLicenseDeployment, { filter: "licensesSold eq '1'" })).toEqual([
      { code: 'unknownField', parameter: 'filter', offset: 0 },
    ]);
    expect(issuesOf(commercialLicenseDeployment, { filter: "serviceCode gt 'a'" })).toEqual([
      { code: 'operatorNotAllowed', parameter: 'filter', offset: 12 },
    ]);
  });

  it('checks a built tree the same way, without offsets', () => {
    const f = filterBuilder<{ channel: string; licensesSold: number }>();
    const built = f.and(f.eq('channel', 'reseller'), f.eq('licensesSold', 3));
    const result = checkListRequest(commercialLicenseDeployment, { filter: built });
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'unknownField', parameter: 'filter', found: '"licensesSold"' }),
    ]);
    expect(result.issues?.[0]?.offset).toBeUndefined();
    const g = filterBuilder<{ channel: string }>();
    expect(
      checkListRequest(commercialLicenseDeployment, { filter: g.gt('channel', 'a') }).issues?.[0]?.code,
    ).toBe('operatorNotAllowed');
    expect(checkListRequest(commercialLicenseDeployment, { filter: g.eq('channel', 'a') }).ok).toBe(true);
  });

  it('refuses a repeated, unknown or empty groupby field with its offset', () => {
    expect(issuesOf(commercialLicenseDeployment, { groupby: 'channel, channel' })).toEqual([
      { code: 'groupbyRepeated', parameter: 'groupby', offset: 9 },
    ]);
    expect(issuesOf(commercialLicenseDeployment, { groupby: ['channel', 'licensesSold'] })).toEqual([
      { code: 'groupbyField', parameter: 'groupby', offset: 8 },
    ]);
    expect(issuesOf(commercialLicenseDeployment, { groupby: ' , ' })).toEqual([
      { code: 'groupbyEmpty', parameter: 'groupby', offset: 0 },
    ]);
    expect(checkListRequest(commercialLicenseDeployment, { groupby: '  ' }).request?.groupby).toBeUndefined();
  });

  it('bounds top by the endpoint maximum and skip from 0', () => {
    for (const top of [0, 10_001, '5.5', 'abc', -1]) {
      expect(issuesOf(commercialLicenseUsage, { top })).toEqual([
        { code: 'outOfRange', parameter: 'top', offset: undefined },
      ]);
    }
    expect(checkListRequest(commercialLicenseUsage, { top: commercialLicenseUsage.maxPageSize }).ok).toBe(
      true,
    );
    expect(issuesOf(commercialLicenseUsage, { skip: '-1' })).toEqual([
      { code: 'outOfRange', parameter: 'skip', offset: undefined },
    ]);
  });

  it('accepts calendar dates and ISO date-times only', () => {
    for (const good of [
      '2026-11-20',
      '2026-11-20T00:00:00Z',
      '2026-11-20T10:00',
      '2026-11-20T10:00:00+02:00',
    ]) {
      expect(checkListRequest(commercialLicenseUsage, { processedDateTime: good }).ok, good).toBe(true);
    }
    for (const bad of ['yesterday', '2026-02-30', '2026-11-20T25:00:00Z', '20261120']) {
      expect(issuesOf(commercialLicenseUsage, { processedDateTime: bad }), bad).toEqual([
        { code: 'invalidDate', parameter: 'processedDateTime', offset: undefined },
      ]);
    }
    expect(issuesOf(commercialLicenseUsage, { processedDateTime: new Date(Number.NaN) })).toHaveLength(1);
    expect(parseSnapshotDate('2026-11-20T10:00+02:00')?.toISOString()).toBe('2026-11-20T08:00:00.000Z');
  });

  it('refuses options the endpoint does not take, unless told to ignore them as the service does', () => {
    const input = { filter: "channel eq 'x'", groupby: 'channel', top: 5, processedDateTime: '2026-11-20' };
    expect(issuesOf(partnerLicenseDeployment, input).map((issue) => issue.parameter)).toEqual([
      'filter',
      'groupby',
      'top',
      'processedDateTime',
    ]);
    const ignored = checkListRequest(partnerLicenseDeployment, input, { unsupported: 'ignore' });
    expect(ignored.ok).toBe(true);
    expect(ignored.request?.filter).toBeUndefined();
  });

  it('fills path parameters and checks them by their column kind', () => {
    const id = '0112A436-B14E-4888-967B-CA4BB2CF1234';
    expect(
      checkListRequest(customerLicenseUsage, { pathParams: { customerId: ` ${id} ` } }).request?.path,
    ).toBe(`/v1/customers/${id}/analytics/licenses/usage`);
    expect(issuesOf(customerLicenseUsage, {})).toEqual([
      { code: 'missingPathParameter', parameter: 'path', offset: undefined },
    ]);
    const bad = checkListRequest(customerLicenseUsage, { pathParams: { customerId: 'abc' } });
    expect(bad.issues?.[0]).toMatchObject({ code: 'invalidPathParameter', name: 'customerId', found: 'abc' });
    expect(bad.issues?.[0]?.message).toContain(columnKinds.guid.requestExample);
  });
});

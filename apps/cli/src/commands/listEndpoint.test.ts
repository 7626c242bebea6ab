import { commercialLicenseDeployment, customerLicenseDeployment, partnerLicenseDeployment } from '@pc/models';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../exitCodes.js';
import { chooseFormat, selectColumns } from '../output/destination.js';
import { checkListFlags, endpointColumns } from './listEndpoint.js';

function usageErrorOf(run: () => unknown): UsageError {
  try {
    run();
  } catch (caught) {
    expect(caught).toBeInstanceOf(UsageError);
    return caught as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('list flag checks', () => {
  it('accepts a valid filter and refuses unknown fields, operators and ill-typed operands with a caret', () => {
    expect(
      checkListFlags(commercialLicenseDeployment, { filter: "serviceCode eq 'o365' and channel ne 'direct'" })
        .filter?.kind,
    ).toBe('and');
    for (const filter of [
      "licensesSold eq '1'",
      "serviceCode gt 'a'",
      "serviceCode eq 'o365",
      'channel eq 1',
    ]) {
      const error = usageErrorOf(() => checkListFlags(commercialLicenseDeployment, { filter }));
      expect(error.message).toMatch(/^invalid --filter: [\s\S]*\n\s*\^$/);
      expect(error.hint).toMatch(/^filterable fields: /);
    }
    expect(
      usageErrorOf(() => checkListFlags(commercialLicenseDeployment, { filter: 'channel eq 1' })).message,
    ).toBe(
      "invalid --filter: channel takes a quoted string such as 'value', not the number 1 at offset 11:\n  channel eq 1\n             ^",
    );
    expect(() => checkListFlags(partnerLicenseDeployment, { filter: "channel eq 'x'" })).toThrow(
      /takes no --filter/,
    );
  });
  it('checks --groupby, --processed-date and path parameters', () => {
    expect(checkListFlags(commercialLicenseDeployment, { groupby: 'serviceCode, channel' }).groupby).toEqual([
      'serviceCode',
      'channel',
    ]);
    expect(() => checkListFlags(commercialLicenseDeployment, { groupby: 'licensesSold' })).toThrow(
      UsageError,
    );
    expect(
      usageErrorOf(() => checkListFlags(commercialLicenseDeployment, { groupby: 'channel,channel' })).message,
    ).toBe("invalid --groupby: 'channel' is listed twice at offset 8:\n  channel,channel\n          ^");
    expect(
      checkListFlags(commercialLicenseDeployment, { processedDate: '2026-11-20' }).processedDateTime,
    ).toBe('2026-11-20');
    expect(() => checkListFlags(commercialLicenseDeployment, { processedDate: 'yesterday' })).toThrow(
      /^invalid --processed-date: /,
    );
    expect(() =>
      checkListFlags(
        customerLicenseDeployment,
        {},
        { values: { customerId: 'abc' }, flags: { customerId: '--customer' } },
      ),
    ).toThrow(/^invalid --customer: 'abc' is not a valid customerId/);
  });
  it('derives the columns, grouped or not, and applies --fields', () => {
    expect(endpointColumns(commercialLicenseDeployment, undefined).map((column) => column.name)).toEqual([
      ...commercialLicenseDeployment.fields,
    ]);
    expect(endpointColumns(commercialLicenseDeployment, ['channel']).map((column) => column.name)).toEqual([
      'channel',
      'licensesDeployed',
      'licensesSold',
      'processedDateTime',
    ]);
    const selection = selectColumns(
      endpointColumns(commercialLicenseDeployment, undefined),
      'licensesSold,CHANNEL',
    );
    expect(selection.columns.map((column) => column.name)).toEqual(['licensesSold', 'channel']);
    expect(() => selectColumns(endpointColumns(commercialLicenseDeployment, undefined), 'nope')).toThrow(
      expect.objectContaining({
        message: "unknown field 'nope' in --fields",
        hint: expect.stringMatching(/^available: /),
      }),
    );
  });
  it('chooses the format: configured, else the --out extension, else table on a TTY and json otherwise', () => {
    expect(chooseFormat({ configured: 'yaml', outFile: 'x.csv', stdoutIsTTY: true })).toBe('yaml');
    expect(chooseFormat({ configured: undefined, outFile: 'x.CSV', stdoutIsTTY: true })).toBe('csv');
    expect(chooseFormat({ configured: undefined, outFile: 'x.data', stdoutIsTTY: true })).toBe('json');
    expect(chooseFormat({ configured: undefined, outFile: undefined, stdoutIsTTY: true })).toBe('table');
    expect(chooseFormat({ configured: undefined, outFile: undefined, stdoutIsTTY: false })).toBe('json');
  });
});

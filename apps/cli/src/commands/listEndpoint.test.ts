import { commercialLicenseDeployment, partnerLicenseDeployment } from '@pc/models';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../exitCodes.js';
import { chooseFormat, selectColumns } from '../output/destination.js';
import { endpointColumns, validateFilter, validateGroupby, validateProcessedDate } from './listEndpoint.js';

describe('list flag checks', () => {
  it('accepts a valid filter and refuses unknown fields and operators with a caret', () => {
    expect(
      validateFilter(commercialLicenseDeployment, "serviceCode eq 'o365' and channel ne 'direct'"),
    ).toBeDefined();
    for (const filter of ["licensesSold eq '1'", "serviceCode gt 'a'", "serviceCode eq 'o365"]) {
      const error = (() => {
        try {
          validateFilter(commercialLicenseDeployment, filter);
          return undefined;
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(/\n\s*\^/);
    }
    expect(() => validateFilter(partnerLicenseDeployment, "channel eq 'x'")).toThrow(/takes no --filter/);
  });
  it('checks --groupby and --processed-date', () => {
    expect(validateGroupby(commercialLicenseDeployment, 'serviceCode, channel')).toEqual([
      'serviceCode',
      'channel',
    ]);
    expect(() => validateGroupby(commercialLicenseDeployment, 'licensesSold')).toThrow(UsageError);
    expect(() => validateGroupby(commercialLicenseDeployment, 'channel,channel')).toThrow(UsageError);
    expect(validateProcessedDate('2026-11-20')).toBe('2026-11-20');
    expect(() => validateProcessedDate('yesterday')).toThrow(UsageError);
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

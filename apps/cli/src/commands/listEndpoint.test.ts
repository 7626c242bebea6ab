import { commercialLicenseDeployment, partnerLicenseDeployment } from '@pc/models';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../exitCodes.js';
import { chooseFormat, selectColumns } from '../output/destination.js';
import {
  endpointColumns,
  outputSelection,
  tableColumns,
  validateFilter,
  validateGroupby,
  validateProcessedDate,
} from './listEndpoint.js';

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
    // Field names without regard to case, sent as the endpoint spells them.
    expect(validateFilter(commercialLicenseDeployment, "SERVICECODE eq 'o365' and channel eq 'x'")).toBe(
      "serviceCode eq 'o365' and channel eq 'x'",
    );
    expect(() => validateFilter(commercialLicenseDeployment, "servceCode eq 'o365'")).toThrow(
      /unknown field 'servceCode' \(did you mean serviceCode\?\)\n\s+servceCode eq 'o365'\n\s+\^{10}/,
    );
    expect(() => validateFilter(commercialLicenseDeployment, "serviceCode gt 'a'")).toThrow(
      expect.objectContaining({ hint: expect.stringMatching(/use --where/) }),
    );
  });
  it('checks --groupby and --processed-date', () => {
    expect(validateGroupby(commercialLicenseDeployment, 'serviceCode, channel')).toEqual([
      'serviceCode',
      'channel',
    ]);
    expect(() => validateGroupby(commercialLicenseDeployment, 'licensesSold')).toThrow(UsageError);
    expect(() => validateGroupby(commercialLicenseDeployment, 'channel,channel')).toThrow(UsageError);
    // Case-insensitive, and a typo gets a suggestion.
    expect(validateGroupby(commercialLicenseDeployment, 'customername,PRODUCTNAME')).toEqual([
      'customerName',
      'productName',
    ]);
    expect(() => validateGroupby(commercialLicenseDeployment, 'custmerName')).toThrow(
      /cannot group by 'custmerName' in --groupby \(did you mean customerName\?\)/,
    );
    expect(() => validateGroupby(commercialLicenseDeployment, 'licensessold')).toThrow(/it is a measure/);
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
        hint: expect.stringMatching(/^fields: /),
      }),
    );
  });
  it('chooses the format: configured, else the --out extension, else table on a TTY and json otherwise', () => {
    expect(chooseFormat({ configured: 'yaml', outFile: 'x.csv', stdoutIsTTY: true })).toBe('yaml');
    expect(chooseFormat({ configured: undefined, outFile: 'x.CSV', stdoutIsTTY: true })).toBe('csv');
    expect(() => chooseFormat({ configured: undefined, outFile: 'x.xlsx2', stdoutIsTTY: true })).toThrow(
      /cannot tell the format of --out 'x.xlsx2': unknown extension '.xlsx2'/,
    );
    expect(() => chooseFormat({ configured: undefined, outFile: 'report', stdoutIsTTY: true })).toThrow(
      /no extension/,
    );
    // PC_OUTPUT or the config file give way to the extension of --out; only -o beats it.
    expect(
      chooseFormat({ configured: 'json', configuredSource: 'env', outFile: 'x.tsv', stdoutIsTTY: false }),
    ).toBe('tsv');
    expect(
      chooseFormat({ configured: 'json', configuredSource: 'flag', outFile: 'x.tsv', stdoutIsTTY: false }),
    ).toBe('json');
    expect(chooseFormat({ configured: undefined, outFile: 'x.md', stdoutIsTTY: true })).toBe('md');
    expect(chooseFormat({ configured: undefined, outFile: undefined, stdoutIsTTY: true })).toBe('table');
    expect(chooseFormat({ configured: undefined, outFile: undefined, stdoutIsTTY: false })).toBe('json');
  });
  it('shows a curated set of columns in a table: names first, measures always, no GUIDs', () => {
    const available = endpointColumns(commercialLicenseDeployment, undefined);
    expect(tableColumns(commercialLicenseDeployment, available, undefined).map((c) => c.name)).toEqual([
      'customerName',
      'productName',
      'serviceCode',
      'channel',
      'licensesSold',
      'licensesDeployed',
    ]);
    const grouped = endpointColumns(commercialLicenseDeployment, ['customerTenantId', 'customerName']);
    expect(
      tableColumns(commercialLicenseDeployment, grouped, ['customerTenantId', 'customerName']).map(
        (c) => c.name,
      ),
    ).toEqual(['customerName', 'customerTenantId', 'licensesDeployed', 'licensesSold']);
    // A legacy endpoint gets the generic rule: text (names first), then every number.
    const legacy = endpointColumns(partnerLicenseDeployment, undefined);
    expect(tableColumns(partnerLicenseDeployment, legacy, undefined).map((c) => c.name)).toEqual([
      'serviceName',
      'channel',
      'licensesSold',
      'proratedDeploymentPercent',
    ]);
    // Data formats keep every field; --fields '*' brings them all to a table.
    const base = { descriptor: commercialLicenseDeployment, groupby: undefined };
    expect(outputSelection({ ...base, fields: undefined, format: 'csv' }).columns).toHaveLength(10);
    expect(outputSelection({ ...base, fields: '*', format: 'table' }).columns).toHaveLength(10);
    expect(outputSelection({ ...base, fields: undefined, format: 'table' }).columns).toHaveLength(6);
  });
});

import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type AnalyticsClient, createClient } from '@pc/analytics';
import { startMockServer } from '@pc/mock';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runPc, tempDir } from './helpers.js';

type Mock = Awaited<ReturnType<typeof startMockServer>>;

let mock: Mock;
let client: AnalyticsClient;
let env: Record<string, string>;
let configDir: string;

/** The runs of one test may queue behind other work on a loaded machine: generous limits. */
const slow = 180_000;
let options: { env: Record<string, string>; configDir: string; timeoutMs: number };

beforeAll(async () => {
  assertBuilt();
  mock = await startMockServer({ port: 0, seed: 8, customers: 80, quiet: true });
  client = createClient({ baseUrl: mock.url, accessToken: mock.issueToken() });
  env = { PC_BASE_URL: mock.url, PC_ACCESS_TOKEN: mock.issueToken() };
  configDir = await tempDir();
  options = { env, configDir, timeoutMs: slow };
});

afterAll(async () => {
  await client?.close();
  await mock?.close();
});

describe('pc insights utilization', () => {
  it(
    'prints the SDK rows for every --by, and --min-sold cuts small tenants',
    async () => {
      const levels = ['customer,product', 'customer', 'product', 'service', 'channel'];
      const results = await Promise.all(
        levels.map((by) => runPc(['insights', 'utilization', '--by', by, '-o', 'json'], options)),
      );
      for (const [index, by] of levels.entries()) {
        const result = results[index]!;
        expect({ by, code: result.code, stderr: result.stderr }).toEqual({ by, code: 0, stderr: '' });
        expect(JSON.parse(result.stdout)).toEqual((await client.insights.utilization({ by })).rows);
      }
      const big = await runPc(['insights', 'utilization', '--min-sold', '100', '-o', 'json'], options);
      const rows = JSON.parse(big.stdout) as { licensesSold: number }[];
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((row) => row.licensesSold >= 100)).toBe(true);
      const bad = await runPc(['insights', 'utilization', '--by', 'workload'], options);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/option 'by' must be one of/);
      expect(bad.stderr).not.toMatch(/\n\s+at /);
    },
    slow,
  );
});

describe('-o xlsx and Excel-friendly csv', () => {
  it(
    'writes an xlsx whose cells equal the JSON output, typed',
    async () => {
      const dir = await tempDir('pc-xlsx-e2e-');
      const path = join(dir, 'utilization.xlsx');
      const json = await runPc(['insights', 'utilization', '--by', 'product', '-o', 'json'], options);
      const written = await runPc(['insights', 'utilization', '--by', 'product', '--out', path], options);
      expect({ code: written.code, stderr: written.stderr, stdout: written.stdout }).toEqual({
        code: 0,
        stderr: '',
        stdout: '',
      });
      const expected = JSON.parse(json.stdout) as Record<string, string | number | null>[];
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(path);
      const sheet = book.worksheets[0]!;
      expect(sheet.name).toBe('License utilization');
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      expect(sheet.rowCount).toBe(expected.length + 1);
      expected.forEach((row, index) => {
        const cells = (sheet.getRow(index + 2).values as unknown[]).slice(1);
        header.forEach((label, column) => {
          const key = Object.keys(row)[column]!;
          const value = row[key];
          const cell = cells[column];
          if (typeof value === 'number') expect(cell).toBeCloseTo(value, 10);
          else expect(cell ?? null).toEqual(value === '' ? null : value);
          expect(typeof label).toBe('string');
        });
      });
      const unknownDir = await runPc(['insights', 'utilization', '--out', join(dir, 'no/such/dir/u.xlsx')], {
        ...options,
      });
      expect(unknownDir.code).not.toBe(0);
      expect(unknownDir.stderr).not.toMatch(/\n\s+at /);
    },
    slow,
  );

  it(
    'csv takes ; from a decimal-comma --locale, --bom, and keeps non-ASCII names',
    async () => {
      const dir = await tempDir('pc-csv-e2e-');
      const path = join(dir, 'deployment.csv');
      const result = await runPc(
        [
          'licenses',
          'deployment',
          '--locale',
          'de-DE',
          '--bom',
          '--fields',
          'customerName,licensesSold',
          '--out',
          path,
        ],
        options,
      );
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      const text = await readFile(path, 'utf8');
      expect(text.startsWith('\uFEFFcustomerName;licensesSold\r\n')).toBe(true);
      const records = parseCsv(text, { bom: true, delimiter: ';', columns: true }) as Record<
        string,
        string
      >[];
      const rows = await client.commercial.licenses.deployment.list().toArray();
      expect(records.map((record) => [record.customerName, Number(record.licensesSold)])).toEqual(
        rows.map((row) => [row.customerName, row.licensesSold]),
      );
      const comma = await runPc(['licenses', 'deployment', '--top', '2', '-o', 'csv', '--delimiter', 'tab'], {
        ...options,
      });
      expect(comma.stdout.split('\r\n')[0]).toContain('\t');
      const bad = await runPc(['licenses', 'deployment', '-o', 'csv', '--delimiter', ';;'], options);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--delimiter must be one character');
      expect((await stat(path)).size).toBeGreaterThan(100);
    },
    slow,
  );
});

import { search } from '@jmespath-community/jmespath';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../exitCodes.js';
import type { OutputColumn, OutputRow } from './format.js';
import { compileQuery, compileWhere, parseSort, rowComparator, runPipeline } from './localQuery.js';

const columns: OutputColumn[] = [
  { name: 'customerName', display: 'string' },
  { name: 'productName', display: 'string' },
  { name: 'licensesSold', display: 'number' },
  { name: 'licensesDeployed', display: 'number' },
];

const rows: OutputRow[] = [
  { customerName: 'Contoso', productName: 'OFFICE 365 E3', licensesSold: 120, licensesDeployed: 100 },
  {
    customerName: '株式会社コントソ',
    productName: 'MICROSOFT 365 E5',
    licensesSold: 35,
    licensesDeployed: 35,
  },
  { customerName: 'Fabrikam 🚀', productName: 'OFFICE 365 E3', licensesSold: 900, licensesDeployed: 12 },
  { customerName: 'adatum', productName: null, licensesSold: 7, licensesDeployed: 9 },
];

async function collect(
  pipeline: Parameters<typeof runPipeline>[1],
): Promise<{ values: unknown[]; document?: unknown }> {
  const values: unknown[] = [];
  let document: unknown;
  await runPipeline(rows, pipeline, {
    write: (value) => {
      values.push(value);
      return undefined;
    },
    document: async (value) => {
      document = value;
    },
  });
  return document === undefined ? { values } : { values, document };
}

describe('--query', () => {
  it('streams projections row by row, with the result JMESPath gives on the whole array', async () => {
    for (const text of [
      '[?licensesSold > `100`].customerName',
      '[].{c: customerName, unused: licensesSold - licensesDeployed}',
      '[*].productName',
      "[?contains(productName || '', 'E3')]",
    ]) {
      const query = compileQuery(text);
      expect(query.perRow).toBe(true);
      const { values } = await collect({ query });
      expect(values).toEqual(search(rows as never, text));
    }
  });
  it('runs anything else once on the collected rows', async () => {
    const sorted = compileQuery('sort_by(@, &licensesSold)[-2:].customerName');
    expect(sorted.perRow).toBe(false);
    expect((await collect({ query: sorted })).values).toEqual(['Contoso', 'Fabrikam 🚀']);
    const count = await collect({ query: compileQuery('length(@)') });
    expect(count).toEqual({ values: [], document: 4 });
  });
  it('refuses an expression that does not parse, exit 2', () => {
    expect(() => compileQuery('[?licensesSold >')).toThrow(UsageError);
    expect(() => compileQuery('[?licensesSold >')).toThrow(/invalid --query/);
  });
});

describe('--where', () => {
  it('evaluates the whole filter language locally, field names without regard to case', async () => {
    const where = compileWhere("LicensesSold gt 100 and contains(productName, 'e3')", columns);
    expect((await collect({ where })).values).toEqual([rows[0], rows[2]]);
    const missing = compileWhere('productName eq null or licensesSold le 35', columns);
    expect((await collect({ where: missing })).values).toEqual([rows[1], rows[3]]);
  });
  it('refuses an unknown field with a suggestion and a caret', () => {
    expect(() => compileWhere('licenseSold gt 1', columns)).toThrow(
      /invalid --where: unknown field 'licenseSold' \(did you mean licensesSold\?\)\n {2}licenseSold gt 1\n {2}\^{11}/,
    );
  });
});

describe('--sort', () => {
  it('sorts numbers numerically and text without regard to case, descending with -, empty last', async () => {
    const byUnused = parseSort('-licensesSold', columns);
    expect((await collect({ sort: byUnused })).values.map((row) => (row as OutputRow).licensesSold)).toEqual([
      900, 120, 35, 7,
    ]);
    const byName = parseSort('customername', columns);
    expect(byName).toEqual([{ name: 'customerName', descending: false }]);
    const names = (await collect({ sort: byName })).values.map((row) => (row as OutputRow).customerName);
    expect(names).toEqual(['adatum', 'Contoso', 'Fabrikam 🚀', '株式会社コントソ']);
    const products = [...rows].sort(rowComparator(parseSort('-productName,licensesSold', columns)));
    expect(products.map((row) => row.licensesSold)).toEqual([120, 900, 35, 7]);
  });
  it('refuses an unknown field with "did you mean"', () => {
    expect(() => parseSort('-licencesSold', columns)).toThrow(
      /unknown field 'licencesSold' in --sort \(did you mean licensesSold\?\)/,
    );
  });
  it('runs --where, then --sort, then --query', async () => {
    const result = await collect({
      where: compileWhere('licensesSold ge 35', columns),
      sort: parseSort('licensesSold', columns),
      query: compileQuery('[].customerName'),
    });
    expect(result.values).toEqual(['株式会社コントソ', 'Contoso', 'Fabrikam 🚀']);
  });
});

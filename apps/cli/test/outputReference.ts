/**
 * The cases of the byte-identity test of the writers (issue 17): the same mock data, every text
 * format, written by the CLI. `pnpm tsx apps/cli/test/generateOutputReference.ts` recorded the
 * expected bytes from the CLI as it was before the hot-path rewrite (main at 5b5ecfe).
 */
export interface OutputCase {
  /** The fixture's file name. */
  readonly name: string;
  /** Which mock (see {@link referenceMocks}). */
  readonly mock: 'ideal' | 'realistic';
  /** The `pc` arguments. */
  readonly args: readonly string[];
}

/** The mocks of the cases: seed 1, a few hundred rows, fixed processing date. */
export const referenceMocks = {
  ideal: { seed: 1, customers: 12, quiet: true },
  realistic: { seed: 7, customers: 10, quiet: true, profile: 'realistic' },
} as const;

const formats = ['ndjson', 'csv', 'tsv', 'json', 'table', 'yaml'] as const;

/** Every case: deployment and usage in every text format, plus --fields, --groupby and csv options. */
export const outputCases: readonly OutputCase[] = [
  ...formats.flatMap((format) => [
    {
      name: `deployment.ideal.${format}`,
      mock: 'ideal' as const,
      args: ['licenses', 'deployment', '-o', format],
    },
    { name: `usage.ideal.${format}`, mock: 'ideal' as const, args: ['licenses', 'usage', '-o', format] },
    {
      name: `deployment.realistic.${format}`,
      mock: 'realistic' as const,
      args: ['licenses', 'deployment', '-o', format],
    },
  ]),
  ...(['ndjson', 'csv', 'json'] as const).map((format) => ({
    name: `deployment.fields.${format}`,
    mock: 'ideal' as const,
    args: ['licenses', 'deployment', '-o', format, '--fields', 'customerName,licensesSold,serviceCode'],
  })),
  ...(['ndjson', 'csv', 'table'] as const).map((format) => ({
    name: `deployment.groupby.${format}`,
    mock: 'ideal' as const,
    args: ['licenses', 'deployment', '-o', format, '--groupby', 'serviceCode,productName'],
  })),
  {
    name: 'deployment.bom-semicolon.csv',
    mock: 'ideal',
    args: ['licenses', 'deployment', '-o', 'csv', '--bom', '--delimiter', ';'],
  },
  {
    name: 'deployment.de-CH.table',
    mock: 'ideal',
    args: ['licenses', 'deployment', '-o', 'table', '--locale', 'de-CH'],
  },
  {
    name: 'deployment.de-CH.csv',
    mock: 'ideal',
    args: ['licenses', 'deployment', '-o', 'csv', '--locale', 'de-CH'],
  },
  { name: 'deployment.legacy.csv', mock: 'ideal', args: ['licenses', 'deployment', '--legacy', '-o', 'csv'] },
  { name: 'deployment.out.ndjson', mock: 'ideal', args: ['licenses', 'deployment', '--out', '{OUT}.ndjson'] },
  { name: 'deployment.out.csv', mock: 'ideal', args: ['licenses', 'deployment', '--out', '{OUT}.csv'] },
];

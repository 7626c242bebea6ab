import { PassThrough } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { OutputColumn, OutputFormat, OutputRow } from './format.js';
import { TextSink } from './sink.js';
import { createRowWriter, csvField, tsvField } from './writers.js';

async function render(
  format: OutputFormat,
  rows: readonly unknown[],
  options: {
    columns?: OutputColumn[];
    project?: boolean;
    locale?: string;
    width?: number;
    headers?: boolean;
    color?: boolean;
  } = {},
): Promise<string> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const writer = createRowWriter({ format, sink: new TextSink(stream), ...options });
  for (const row of rows) await writer.write(row);
  await writer.end();
  return Buffer.concat(chunks).toString('utf8');
}

const tricky: OutputRow[] = [
  { name: 'Contoso, "Ltd"', count: 1234567, note: 'line1\nline2', tab: 'a\tb', empty: null },
  { name: "O'Neil \\ Sons", count: 0.5, note: '', tab: 'yes', empty: null },
];

describe('json', () => {
  it('writes one valid array, also when empty', async () => {
    expect(JSON.parse(await render('json', tricky))).toEqual(tricky);
    expect(JSON.parse(await render('json', []))).toEqual([]);
  });
  it('projects and orders --fields', async () => {
    const columns: OutputColumn[] = [
      { name: 'count', display: 'number' },
      { name: 'name', display: 'string' },
    ];
    const text = await render('json', tricky, { columns, project: true });
    const parsed = JSON.parse(text) as Record<string, unknown>[];
    expect(Object.keys(parsed[0]!)).toEqual(['count', 'name']);
  });
});

describe('ndjson', () => {
  it('writes one object per line', async () => {
    const lines = (await render('ndjson', tricky)).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual(tricky);
  });
});

describe('csv', () => {
  it('round-trips through a CSV parser, header first, CRLF line ends', async () => {
    const text = await render('csv', tricky);
    expect(text.startsWith('name,count,note,tab,empty\r\n')).toBe(true);
    const records = parseCsv(text, { columns: true }) as Record<string, string>[];
    expect(records).toEqual(
      tricky.map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([key, value]) => [key, value === null ? '' : String(value)]),
        ),
      ),
    );
  });
  it('quotes only what RFC 4180 needs', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a\r\nb')).toBe('"a\r\nb"');
    expect(csvField({ objectType: 'X' })).toBe('"{""objectType"":""X""}"');
  });
  it('writes the header for an empty result when the columns are known', async () => {
    expect(await render('csv', [], { columns: [{ name: 'a', display: 'string' }] })).toBe('a\r\n');
  });
});

describe('tsv', () => {
  it('escapes tabs, newlines and backslashes', async () => {
    expect(tsvField('a\tb\nc\\d')).toBe('a\\tb\\nc\\\\d');
    const lines = (await render('tsv', tricky)).split('\n');
    expect(lines[0]).toBe('name\tcount\tnote\ttab\tempty');
    expect(lines[1]).toBe('Contoso, "Ltd"\t1234567\tline1\\nline2\ta\\tb\t');
  });
});

describe('tsv headers', () => {
  it('leaves the header out with headers: false (tsv on a pipe, --no-headers)', async () => {
    const lines = (await render('tsv', tricky, { headers: false })).split('\n');
    expect(lines[0]).toBe('Contoso, "Ltd"\t1234567\tline1\\nline2\ta\\tb\t');
    expect(await render('csv', [], { columns: [{ name: 'a', display: 'string' }], headers: false })).toBe('');
  });
});

describe('jsonc', () => {
  it('is indented JSON, coloured only when asked', async () => {
    const plain = await render('jsonc', tricky);
    expect(JSON.parse(plain)).toEqual(tricky);
    expect(plain).not.toContain('\x1b[');
    const colored = await render('jsonc', tricky, { color: true });
    expect(colored).toContain('\x1b[94m"name"\x1b[39m');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI colours
    expect(JSON.parse(colored.replace(/\x1b\[\d+m/g, ''))).toEqual(tricky);
  });
});

describe('md', () => {
  it('writes a GitHub table: pipes escaped, line breaks as <br>, numbers right-aligned', async () => {
    const columns: OutputColumn[] = [
      { name: 'name', display: 'string' },
      { name: 'count', display: 'number' },
    ];
    const text = await render('md', [{ name: 'a|b\nc', count: 3 }], { columns });
    expect(text).toBe('| name | count |\n| --- | ---: |\n| a\\|b<br>c | 3 |\n');
  });
  it('writes query values that are not rows as Result or ColumnN', async () => {
    expect(await render('md', ['x', 'y'])).toBe('| Result |\n| --- |\n| x |\n| y |\n');
    expect(await render('tsv', [['a', 1]], { headers: false })).toBe('a\t1\n');
    expect(JSON.parse(await render('json', ['x', 2]))).toEqual(['x', 2]);
  });
});

describe('yaml', () => {
  it('parses back to the rows', async () => {
    expect(parseYaml(await render('yaml', tricky))).toEqual(tricky);
    expect(parseYaml(await render('yaml', []))).toEqual([]);
    const nested = [{ attributes: { objectType: 'T' }, yes: 'no', n: 1 }];
    expect(parseYaml(await render('yaml', nested))).toEqual(nested);
  });
});

describe('table', () => {
  const columns: OutputColumn[] = [
    { name: 'name', display: 'string' },
    { name: 'count', display: 'number' },
    { name: 'rate', display: 'ratio' },
    { name: 'when', display: 'date' },
  ];
  const rows = [
    { name: 'Contoso', count: 1234567, rate: 0.25, when: '2026-11-20T00:00:00.000Z' },
    { name: 'Fabrikam', count: 12, rate: 1, when: '2026-11-19T00:00:00.000Z' },
  ];
  it('formats numbers, percentages and dates for the locale and right-aligns numbers', async () => {
    const english = await render('table', rows, { columns, locale: 'en-US' });
    expect(english).toContain('1,234,567');
    expect(english).toContain('25%');
    expect(english).toContain('Nov 20, 2026');
    const german = await render('table', rows, { columns, locale: 'de-DE' });
    expect(german).toContain('1.234.567');
    expect(german).toMatch(/25\s?%/);
    const lines = english.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^name\s+count\s+rate\s+when$/);
    const countEnd = lines[0]!.indexOf('count') + 'count'.length;
    expect(lines[1]!.indexOf('1,234,567') + '1,234,567'.length).toBe(countEnd);
  });
  it('cuts text columns to the terminal width', async () => {
    const wide = [{ name: 'x'.repeat(80), count: 1, rate: 0.5, when: '2026-11-20T00:00:00.000Z' }];
    const text = await render('table', wide, { columns, width: 60 });
    for (const line of text.trimEnd().split('\n')) expect([...line].length).toBeLessThanOrEqual(60);
    expect(text).toContain('…');
  });
});

describe('none', () => {
  it('writes nothing', async () => {
    expect(await render('none', tricky)).toBe('');
  });
});

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { OutputColumn, OutputRow } from './format.js';
import { TextSink } from './sink.js';
import { cutToWidth, displayWidth, fitWidths } from './table.js';
import { createRowWriter } from './writers.js';

async function table(
  rows: readonly OutputRow[],
  options: { columns: OutputColumn[]; width?: number; humanValues?: boolean; headers?: boolean },
): Promise<string> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const writer = createRowWriter({ format: 'table', sink: new TextSink(stream), ...options });
  for (const row of rows) await writer.write(row);
  await writer.end();
  return Buffer.concat(chunks).toString('utf8');
}

const columns: OutputColumn[] = [
  { name: 'customerName', display: 'string' },
  { name: 'customerTenantId', display: 'string' },
  { name: 'licensesSold', display: 'number' },
];
const rows = [
  {
    customerName: 'Contoso GmbH',
    customerTenantId: '0112a436-9bf1-4a7a-9a54-c0e3b6a2d9f0',
    licensesSold: 1200,
  },
  {
    customerName: '株式会社コントソ',
    customerTenantId: '1112a436-9bf1-4a7a-9a54-c0e3b6a2d9f0',
    licensesSold: 35,
  },
  {
    customerName: 'Müller & Söhne AG',
    customerTenantId: '2112a436-9bf1-4a7a-9a54-c0e3b6a2d9f0',
    licensesSold: 7,
  },
  {
    customerName: 'Fabrikam 🚀 Ltd',
    customerTenantId: '3112a436-9bf1-4a7a-9a54-c0e3b6a2d9f0',
    licensesSold: 9,
  },
];

describe('display width', () => {
  it('counts terminal cells: CJK and emoji take 2, combining marks 0', () => {
    expect(displayWidth('株式会社')).toBe(8);
    expect(displayWidth('🚀')).toBe(2);
    expect(displayWidth('Mu\u0308ller')).toBe(6);
    expect(cutToWidth('株式会社コントソ', 7)).toBe('株式会…');
    expect(displayWidth(cutToWidth('Fabrikam 🚀 Ltd', 10))).toBeLessThanOrEqual(10);
  });
  it('aligns CJK and emoji names: every number ends in the same terminal column', async () => {
    const text = await table(rows, { columns });
    const lines = text.trimEnd().split('\n');
    const ends = lines.map((line) => displayWidth(line));
    expect(new Set(ends).size).toBe(1);
    expect(text).toContain('1,200');
  });
  it('shrinks GUIDs before names, never numbers, and never wraps', async () => {
    const text = await table(rows, { columns, width: 50 });
    const lines = text.trimEnd().split('\n');
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(50);
    expect(text).toContain('株式会社コントソ');
    expect(text).toContain('Müller & Söhne AG');
    expect(text).toContain('1,200');
    expect(text).not.toContain('0112a436-9bf1-4a7a-9a54-c0e3b6a2d9f0');
    const narrow = await table(rows, { columns, width: 30 });
    for (const line of narrow.trimEnd().split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(30);
    expect(narrow).toContain('1,200');
  });
  it('fits widths by rank: ids (0) then dates (1) then text (2), numbers never', () => {
    const cols: OutputColumn[] = [
      { name: 'a', display: 'string' },
      { name: 'b', display: 'string' },
      { name: 'n', display: 'number' },
    ];
    expect(fitWidths([20, 36, 10], cols, 50, [2, 0, 2])).toEqual([20, 16, 10]);
    expect(fitWidths([20, 36, 10], cols, 30, [2, 0, 2])).toEqual([10, 6, 10]);
  });
  it('prints plain values on a pipe and leaves the header out with --no-headers', async () => {
    const text = await table(rows, { columns, humanValues: false, headers: false });
    expect(text.split('\n')[0]).toMatch(/^Contoso GmbH\s+0112a436-9bf1-4a7a-9a54-c0e3b6a2d9f0\s+1200$/);
  });
});

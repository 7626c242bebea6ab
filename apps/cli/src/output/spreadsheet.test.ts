import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutputColumn, OutputRow } from './format.js';
import { TextSink } from './sink.js';
import { escapeFormula, excelDelimiterFor, parseDelimiter } from './spreadsheetSafety.js';
import { createRowWriter } from './writers.js';
import { createXlsxRowWriter, XlsxWorkbook } from './xlsx.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pc-xlsx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Names the realistic mock sends: non-ASCII, a comma, a quote, a leading `=` and friends. */
const names = [
  'Müller & Söhne GmbH',
  'Société Générale d’Électricité',
  '株式会社サンプル',
  '示例有限公司',
  'Café 🚀 Ltd',
  'Smith, Jones and "Partners"',
  '=HYPERLINK("http://x.example","click")',
  '+44 Holdings',
  '-minus Corp',
  '@at Corp',
  '\tTabbed',
  '\rReturn',
];

const columns: OutputColumn[] = [
  { name: 'customerName', display: 'string' },
  { name: 'licensesSold', display: 'number' },
  { name: 'deployedRate', display: 'ratio' },
  { name: 'processedDateTime', display: 'date' },
];
const rows: OutputRow[] = names.map((name, index) => ({
  customerName: name,
  licensesSold: index * 1000 - 3,
  deployedRate: index / names.length,
  processedDateTime: '2026-11-20T00:00:00Z',
}));

async function csvText(options: {
  bom?: boolean;
  delimiter?: string;
  escapeFormulas?: boolean;
}): Promise<string> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const writer = createRowWriter({ format: 'csv', sink: new TextSink(stream), columns, ...options });
  for (const row of rows) await writer.write(row);
  await writer.end();
  return Buffer.concat(chunks).toString('utf8');
}

describe('formula escaping and delimiters', () => {
  it('escapes exactly the OWASP starting characters', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      expect(escapeFormula(`${start}x`)).toBe(`'${start}x`);
    for (const text of ['', 'plain', ' =x', "'=x", 'x=1']) expect(escapeFormula(text)).toBe(text);
  });

  it('takes the delimiter Excel expects from the display locale', () => {
    expect(excelDelimiterFor('de-DE')).toBe(';');
    expect(excelDelimiterFor('fr-FR')).toBe(';');
    expect(excelDelimiterFor('de-CH')).toBe(',');
    expect(excelDelimiterFor('en-US')).toBe(',');
    expect(excelDelimiterFor('ja-JP')).toBe(',');
    expect(excelDelimiterFor('not a locale')).toBe(',');
    expect(parseDelimiter('semicolon')).toBe(';');
    expect(parseDelimiter('\\t')).toBe('\t');
    expect(parseDelimiter('|')).toBe('|');
    expect(() => parseDelimiter('"')).toThrow(/--delimiter must be one character/);
    expect(() => parseDelimiter(';;')).toThrow(/got ';;'/);
  });
});

describe('csv for Excel', () => {
  it('with a BOM and ; reads back with csv-parse; names round-trip, formulas escaped', async () => {
    const text = await csvText({ bom: true, delimiter: ';', escapeFormulas: true });
    expect(text.startsWith('\uFEFF')).toBe(true);
    const records = parseCsv(text, { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(names.length);
    records.forEach((record, index) => {
      const name = names[index]!;
      const dangerous = /^[=+\-@\t\r]/.test(name);
      expect(record.customerName).toBe(dangerous ? `'${name}` : name);
      expect(Number(record.licensesSold)).toBe(index * 1000 - 3);
    });
  });

  it('round-trips the exact names with escaping turned off, and quotes fields holding the delimiter', async () => {
    const text = await csvText({ delimiter: ';', escapeFormulas: false });
    expect(text.startsWith('\uFEFF')).toBe(false);
    const records = parseCsv(text, { delimiter: ';', columns: true }) as Record<string, string>[];
    expect(records.map((record) => record.customerName)).toEqual(names);
    const semicolon = await csvText({ delimiter: ';' });
    expect(semicolon).toContain('"Smith, Jones and ""Partners"""'.replace(/"/g, '"'));
  });
});

describe('xlsx', () => {
  it('writes typed cells, a frozen bold header, widths, an autofilter and escaped formulas', async () => {
    const path = join(dir, 'typed.xlsx');
    const stream = createWriteStream(path);
    const writer = createXlsxRowWriter({ stream, sheetName: 'Customers', columns });
    for (const row of rows) await writer.write(row);
    await writer.end();
    stream.end();
    await once(stream, 'close');

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    const sheet = book.getWorksheet('Customers')!;
    expect(sheet.rowCount).toBe(names.length + 1);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe(`A1:D${names.length + 1}`);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.getRow(1).values).toEqual([undefined, ...columns.map((column) => column.name)]);
    expect(sheet.getColumn(1).width).toBeGreaterThan(20);
    rows.forEach((row, index) => {
      const line = sheet.getRow(index + 2);
      const name = names[index]!;
      // XML turns a lone CR into LF when read (XML 1.0, end-of-line handling): compare after that.
      const shown = /^[=+\-@\t\r]/.test(name) ? `'${name}` : name;
      expect(line.getCell(1).value).toBe(shown.replace(/\r/g, '\n'));
      expect(line.getCell(1).type).toBe(ExcelJS.ValueType.String);
      expect(line.getCell(2).value).toBe(row.licensesSold);
      expect(line.getCell(2).type).toBe(ExcelJS.ValueType.Number);
      expect(line.getCell(3).value).toBeCloseTo(row.deployedRate as number, 12);
      expect(line.getCell(3).numFmt).toBe('0.0%');
      expect(line.getCell(4).value).toEqual(new Date('2026-11-20T00:00:00Z'));
      expect(line.getCell(4).type).toBe(ExcelJS.ValueType.Date);
    });
  });

  it('leaves text alone with escaping off, and writes one sheet per section', async () => {
    const path = join(dir, 'sections.xlsx');
    const stream = createWriteStream(path);
    const workbook = new XlsxWorkbook(stream, { escapeFormulas: false });
    const first = workbook.addSheet({ name: 'By product', columns });
    for (const row of rows.slice(0, 3)) first.addRow(row);
    expect(() => workbook.addSheet({ name: 'too early' })).toThrow(/commit sheet 'By product'/);
    await first.commit();
    const second = workbook.addSheet({ name: 'By product', columns });
    second.addRow(rows[6]!);
    await workbook.commit();
    stream.end();
    await once(stream, 'close');

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(['By product', 'By product (2)']);
    expect(book.worksheets[1]!.getRow(2).getCell(1).value).toBe(names[6]);
  });
});

describe('xlsx memory', () => {
  it('holds back rows while compression lags, so the uncompressed XML never piles up', async () => {
    // The sheet's XML waits for deflate in archiver's input stream; without the wait it grows by
    // about 400 bytes a row (decision 0016). Measure that backlog at every row the writer is given.
    const path = join(dir, 'backlog.xlsx');
    const file = createWriteStream(path);
    const writer = createXlsxRowWriter({ stream: file, sheetName: 'Data' });
    const rows = 60_000;
    let largestBacklog = 0;
    let inputsSeen = 0;
    for (let index = 0; index < rows; index++) {
      const wait = writer.write({
        customerName: `${names[index % names.length]} ${index}`,
        productName: 'Office 365 E3',
        licensesDeployed: index % 997,
        licensesSold: index % 1009,
        processedDateTime: '2026-11-20T00:00:00Z',
      });
      if (wait !== undefined) await wait;
      const inputs = writer.compressorBacklog();
      if (inputs !== undefined) {
        inputsSeen++;
        largestBacklog = Math.max(largestBacklog, inputs);
      }
    }
    await writer.end();
    file.end();
    await once(file, 'close');
    expect(inputsSeen).toBeGreaterThan(0);
    expect(largestBacklog).toBeLessThan(4 * 1024 * 1024);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    expect(workbook.getWorksheet('Data')?.rowCount).toBe(rows + 1);
  }, 120_000);
});

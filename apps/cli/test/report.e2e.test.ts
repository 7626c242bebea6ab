/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// page.evaluate callbacks run in the browser: the DOM types apply there.
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LicensesReport } from '@pc/analytics';
import { startMockServer } from '@pc/mock';
import ExcelJS from 'exceljs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, ensureChromium } from './chromium.js';
import { assertBuilt, repoRoot, runPc, tempDir } from './helpers.js';

type Mock = Awaited<ReturnType<typeof startMockServer>>;

/** Where the test leaves its screenshots for a person to look at (git-ignored). */
const screenshotDir = resolve(repoRoot, 'apps/cli/test-results');
const slow = 300_000;

let mock: Mock;
let browser: Browser;
let dir: string;
let htmlPath: string;
let model: LicensesReport;

beforeAll(async () => {
  assertBuilt();
  const executablePath = ensureChromium();
  mock = await startMockServer({ port: 0, seed: 7, customers: 300, snapshots: 2, quiet: true });
  const options = {
    env: { PC_BASE_URL: mock.url, PC_ACCESS_TOKEN: mock.issueToken() },
    configDir: await tempDir(),
    timeoutMs: slow,
  };
  dir = await tempDir('pc-report-');
  htmlPath = join(dir, 'report.html');
  const [html, json] = await Promise.all([
    runPc(['report', '--out', htmlPath, '--title', 'Contoso Partner: licenses'], options),
    runPc(['report', '-o', 'json', '--title', 'Contoso Partner: licenses'], options),
  ]);
  expect({ code: html.code, stderr: html.stderr }).toEqual({ code: 0, stderr: `pc: wrote ${htmlPath}\n` });
  expect({ code: json.code, stderr: json.stderr }).toEqual({ code: 0, stderr: '' });
  model = JSON.parse(json.stdout) as LicensesReport;
  browser = await chromium.launch({ executablePath, args: chromiumArgs, headless: true });
  await mkdir(screenshotDir, { recursive: true });
}, slow);

afterAll(async () => {
  await browser?.close();
  await mock?.close();
});

/** Opens the report from file:// with the network off; collects console errors and every request. */
async function openReport(options: { width: number; javaScript?: boolean; dark?: boolean }) {
  const context = await browser.newContext({
    viewport: { width: options.width, height: 900 },
    javaScriptEnabled: options.javaScript !== false,
    colorScheme: options.dark === true ? 'dark' : 'light',
    offline: true,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  const failed: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  page.on('requestfailed', (request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`));
  await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
  return { page, context, errors, requests, failed };
}

/** Every table's cells as the page holds them: section id -> rows of [column, data-value]. */
function tables(page: Page) {
  return page.evaluate(() => {
    const result: Record<string, Record<string, string>[]> = {};
    for (const table of document.querySelectorAll('table.sortable')) {
      const id = table.getAttribute('data-section') ?? '';
      result[id] = [...table.querySelectorAll('tbody tr')].map((row) =>
        Object.fromEntries(
          [...row.querySelectorAll('td[data-name]')].map((cell) => [
            cell.getAttribute('data-name'),
            cell.getAttribute('data-value'),
          ]),
        ),
      );
    }
    return result;
  });
}

describe('pc report --out report.html in Chromium', () => {
  it(
    'loads from file:// offline with no console error and no request but the file itself',
    async () => {
      const { page, context, errors, requests, failed } = await openReport({ width: 1280 });
      await page.waitForSelector('figure.chart .live svg');
      expect(errors).toEqual([]);
      expect(failed).toEqual([]);
      expect(requests.every((url) => url.startsWith('file://') && url.endsWith('report.html'))).toBe(true);
      expect(requests).toHaveLength(1);
      const html = await readFile(htmlPath, 'utf8');
      expect(html).not.toMatch(/<(?:script|link|img)[^>]+(?:src|href)=["']?(?:https?:)?\/\//i);
      await context.close();
    },
    slow,
  );

  it(
    'draws every chart with its data, and every number equals the CLI JSON',
    async () => {
      const { page, context } = await openReport({ width: 1280 });
      await page.waitForSelector('figure.chart .live svg');
      const charted = model.sections.filter(
        (section) => section.chart !== undefined && section.rows.length > 0,
      );
      expect(charted.length).toBeGreaterThanOrEqual(4);
      for (const section of charted) {
        const counts = await page.evaluate((id) => {
          const figure = document.querySelector(`section#${id} figure.chart`);
          const svg = figure?.querySelector('svg');
          return {
            svg: svg !== null && svg !== undefined,
            paths: svg?.querySelectorAll('path').length ?? 0,
            text: svg?.textContent ?? '',
          };
        }, section.id);
        expect(counts.svg, section.id).toBe(true);
        // One bar per row and series at least, plus the axes.
        expect(counts.paths, section.id).toBeGreaterThanOrEqual(section.rows.length);
        const firstLabel = String(section.rows[0]![section.chart!.category]).slice(0, 8);
        expect(counts.text, section.id).toContain(firstLabel);
      }
      const page_tables = await tables(page);
      expect(Object.keys(page_tables)).toEqual(model.sections.map((section) => section.id));
      for (const section of model.sections) {
        const shown = page_tables[section.id]!.filter((row) => Object.keys(row).length > 0);
        expect(shown, section.id).toEqual(
          section.rows.map((row) =>
            Object.fromEntries(
              section.columns.map((column) => [
                column.name,
                row[column.name] === null || row[column.name] === undefined ? '' : String(row[column.name]),
              ]),
            ),
          ),
        );
      }
      const figures = await page.evaluate(() =>
        Object.fromEntries(
          [...document.querySelectorAll('[data-figure]')].map((node) => [
            node.getAttribute('data-figure'),
            Number(node.getAttribute('data-value')),
          ]),
        ),
      );
      expect(figures).toEqual({
        customers: model.headline.customers,
        products: model.headline.products,
        licensesSold: model.headline.licensesSold,
        licensesDeployed: model.headline.licensesDeployed,
        licensesActive: model.headline.licensesActive,
        unusedLicenses: model.headline.unusedLicenses,
        inactiveLicenses: model.headline.inactiveLicenses,
        flaggedPairs: model.headline.flaggedPairs,
      });
      await context.close();
    },
    slow,
  );

  it(
    'sorts a table by a header click, and reads without JavaScript',
    async () => {
      const { page, context } = await openReport({ width: 1280 });
      const header = page.locator('table[data-section="by-product"] th button', { hasText: 'Unused' });
      await header.click();
      const ascending = await page.$$eval(
        'table[data-section="by-product"] td[data-name="unusedLicenses"]',
        (cells) => cells.map((cell) => Number(cell.getAttribute('data-value'))),
      );
      expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
      await header.click();
      const descending = await page.$$eval(
        'table[data-section="by-product"] td[data-name="unusedLicenses"]',
        (cells) => cells.map((cell) => Number(cell.getAttribute('data-value'))),
      );
      expect(descending).toEqual([...ascending].reverse());
      await context.close();

      const still = await openReport({ width: 1280, javaScript: false });
      const noScript = await still.page.evaluate(() => ({
        svgs: document.querySelectorAll('figure.chart svg').length,
        rows: document.querySelectorAll('table tbody tr').length,
        text: document.querySelector('#by-product')?.textContent ?? '',
      }));
      expect(noScript.svgs).toBe(
        model.sections.filter((section) => section.chart !== undefined && section.rows.length > 0).length,
      );
      expect(noScript.rows).toBeGreaterThan(20);
      expect(noScript.text).toContain(String(model.sections[0]!.rows[0]!.productName));
      await still.context.close();
    },
    slow,
  );

  it(
    'takes screenshots at 1280 and 390 pixels, light and dark, and prints',
    async () => {
      for (const [width, dark] of [
        [1280, false],
        [390, false],
        [1280, true],
      ] as const) {
        const { page, context, errors } = await openReport({ width, dark });
        await page.waitForSelector('figure.chart .live svg');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `horizontal overflow at ${width}px`).toBeLessThanOrEqual(0);
        const path = join(screenshotDir, `report-${width}${dark ? '-dark' : ''}.png`);
        await page.screenshot({ path, fullPage: true });
        expect((await stat(path)).size).toBeGreaterThan(20_000);
        if (width === 1280 && !dark) {
          const pdf = await page.pdf({ format: 'A4' });
          expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
        }
        expect(errors).toEqual([]);
        await context.close();
      }
    },
    slow,
  );
});

describe('pc report --out report.xlsx', () => {
  it(
    'writes the same sections as sheets, with the numbers of the JSON model',
    async () => {
      const path = join(dir, 'report.xlsx');
      const result = await runPc(['report', '--out', path, '--title', 'Contoso Partner: licenses'], {
        env: { PC_BASE_URL: mock.url, PC_ACCESS_TOKEN: mock.issueToken() },
        configDir: await tempDir(),
        timeoutMs: slow,
      });
      expect(result.code).toBe(0);
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(path);
      expect(book.worksheets.map((sheet) => sheet.name)).toEqual([
        'Summary',
        ...model.sections.map((section) => section.title),
      ]);
      expect(book.getWorksheet('Summary')!.getRow(4).values).toEqual([
        undefined,
        'Licenses sold',
        model.headline.licensesSold,
        ...(model.trend.previous === null ? [] : [model.trend.previous.licensesSold]),
      ]);
      for (const section of model.sections) {
        const sheet = book.getWorksheet(section.title)!;
        expect(sheet.rowCount, section.id).toBe(section.rows.length + 1);
        section.rows.forEach((row, index) => {
          const cells = sheet.getRow(index + 2);
          section.columns.forEach((column, columnIndex) => {
            const value = row[column.name];
            const cell = cells.getCell(columnIndex + 1).value;
            if (typeof value === 'number')
              expect(cell, `${section.id} ${column.name}`).toBeCloseTo(value, 10);
            else if (typeof value === 'string' && /^[=+\-@\t\r]/.test(value)) expect(cell).toBe(`'${value}`);
            else expect(cell ?? '', `${section.id} ${column.name}`).toBe(value ?? '');
          });
        });
      }
    },
    slow,
  );
});

import type { LicensesReport } from '@pc/analytics';
import { describe, expect, it } from 'vitest';
import { reportFormat } from '../commands/report.js';
import { renderReportHtml } from './html.js';

const hostile = '<img src=x onerror=alert(1)></script><script>alert(2)</script>';

const totals = {
  licensesSold: 10,
  licensesDeployed: 12,
  licensesActive: 5,
  unusedLicenses: -2,
  inactiveLicenses: 7,
  deployedRate: 1.2,
  activeRate: 5 / 12,
  customers: 1,
  products: 1,
  pairs: 1,
  flaggedPairs: 1,
  flagCounts: {
    'deployed-over-sold': 1,
    'active-over-qualified': 0,
    'active-over-deployed': 0,
    'usage-without-deployment': 0,
    'cross-partner': 0,
  },
};

const model: LicensesReport = {
  title: `Report ${hostile}`,
  generatedAt: '2026-11-21T08:00:00.000Z',
  snapshot: { deployment: '2026-11-20T00:00:00Z', usage: '2026-11-20T00:00:00Z' },
  activeRule: 'active = the most active workload',
  options: {
    title: 'x',
    top: 15,
    minSold: 10,
    minQualified: 10,
    perWorkload: 3,
    trend: false,
    serverGroupby: false,
    processedDateTime: null,
    previousDateTime: null,
  },
  headline: totals,
  trend: { source: null, from: null, to: '2026-11-20T00:00:00Z', previous: null, note: 'not asked for' },
  sections: [
    {
      id: 'by-customer',
      title: 'Utilization by customer',
      description: 'd',
      columns: [
        { name: 'customerName', label: 'Customer', kind: 'string' },
        { name: 'licensesSold', label: 'Sold', kind: 'number' },
        { name: 'deployedRate', label: 'Deployed %', kind: 'percent' },
      ],
      rows: [{ customerName: hostile, licensesSold: 10, deployedRate: 1.2 }],
      chart: {
        kind: 'bar',
        category: 'customerName',
        series: [{ column: 'licensesSold', label: 'Sold' }],
        valueKind: 'number',
      },
    },
  ],
};

describe('renderReportHtml', () => {
  it('escapes every text from the data, in the page and in the chart data', async () => {
    const html = await renderReportHtml(model, { locale: 'de-DE' });
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>alert(2)');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // Inside the JSON of the chart, < is \u003c: no </script> can close the element early.
    expect(html).toContain('\\u003cimg src=x');
    // Over 100 % is shown as it is, in the display locale.
    expect(html).toMatch(/120\s%/u);
    expect(html).toMatch(/data-value="1\.2"/);
    expect(html.match(/<script>/g)?.length).toBe(2);
  });
});

describe('reportFormat', () => {
  it('takes the format from --out or -o, and refuses what it cannot write', () => {
    expect(reportFormat({ out: 'r.HTML', output: undefined, stdoutIsTTY: true })).toBe('html');
    expect(reportFormat({ out: 'r.xlsx', output: undefined, stdoutIsTTY: true })).toBe('xlsx');
    expect(reportFormat({ out: undefined, output: 'json', stdoutIsTTY: true })).toBe('json');
    expect(reportFormat({ out: undefined, output: undefined, stdoutIsTTY: false })).toBe('json');
    expect(() => reportFormat({ out: 'r.pdf', output: undefined, stdoutIsTTY: true })).toThrow(
      /cannot tell the report format of 'r.pdf'/,
    );
    expect(() => reportFormat({ out: undefined, output: undefined, stdoutIsTTY: true })).toThrow(
      /pc report writes a file/,
    );
    expect(() => reportFormat({ out: undefined, output: 'xlsx', stdoutIsTTY: true })).toThrow(/binary/);
    expect(() => reportFormat({ out: undefined, output: 'csv', stdoutIsTTY: false })).toThrow(
      /html, xlsx or json/,
    );
  });
});

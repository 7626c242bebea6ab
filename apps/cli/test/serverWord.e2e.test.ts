import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, runPc, tempDir } from './helpers.js';

/** What the test's own server does for the next requests. */
interface Mode {
  rows: number;
  cap: number;
  /** Answer page requests whose skip is at least this with a 500 (a failure mid-download). */
  failFromSkip?: number;
  /** Answer every request with this status and body. */
  status?: { code: number; body: string; type?: string };
  /** Change a row before it is sent. */
  quirk?: (row: Record<string, unknown>, index: number) => Record<string, unknown>;
}

let server: Server;
let baseUrl: string;
let mode: Mode;
const received: { url: string; headers: IncomingMessage['headers'] }[] = [];
let configDir: string;

function row(index: number): Record<string, unknown> {
  return {
    processedDateTime: index % 3 === 0 ? '2026-11-17T00:00:00' : '2026-11-20T03:25:16.36',
    serviceCode: index % 3 === 0 ? 'crm' : 'o365',
    serviceName: index % 3 === 0 ? 'Dynamics CRM' : 'Microsoft Office 365',
    channel: 'reseller',
    customerTenantId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    customerName: `Customer ${index}`,
    productId: '11111111-2222-4333-8444-555555555555',
    productName: 'Product',
    licensesDeployed: index % 7,
    licensesSold: 20,
  };
}

beforeAll(async () => {
  assertBuilt();
  configDir = await tempDir();
  server = createServer((request, response) => {
    received.push({ url: request.url ?? '', headers: request.headers });
    const url = new URL(request.url ?? '/', 'http://x');
    const json = (code: number, body: unknown) => {
      response.writeHead(code, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(body));
    };
    if (mode.status !== undefined) {
      response.writeHead(mode.status.code, { 'content-type': mode.status.type ?? 'application/json' });
      response.end(mode.status.body);
      return;
    }
    if (url.pathname === '/v1/analytics/licenses/deployment') {
      // A legacy collection in two pages: the link is relative to /v1 and needs its header.
      const seek = url.searchParams.get('seek');
      const item = (serviceName: string) => ({
        processedDateTime: '2026-11-20T00:00:00+00:00',
        serviceName,
        channel: 'reseller',
        licensesSold: 10,
        proratedDeploymentPercent: 0.5,
        attributes: { objectType: 'PartnerLicensesDeploymentInsights' },
      });
      if (seek === null) {
        return json(200, {
          totalCount: 2,
          items: [item('o365')],
          links: {
            next: {
              uri: '/analytics/licenses/deployment?seek=2',
              method: 'GET',
              headers: [{ key: 'MS-ContinuationToken', value: 'token-page-2' }],
            },
          },
          attributes: { objectType: 'Collection' },
        });
      }
      if (request.headers['ms-continuationtoken'] !== 'token-page-2') {
        return json(400, { code: 400, description: 'MS-ContinuationToken is missing' });
      }
      return json(200, { totalCount: 2, items: [item('crm')], attributes: { objectType: 'Collection' } });
    }
    const skip = Number(url.searchParams.get('skip') ?? 0);
    const top = Number(url.searchParams.get('top') ?? 10_000);
    if (mode.failFromSkip !== undefined && skip >= mode.failFromSkip) {
      return json(500, { code: 500, description: 'the shard is down' });
    }
    const count = Math.max(0, Math.min(top, mode.cap, mode.rows - skip));
    const rows = Array.from({ length: count }, (_, offset) => {
      const index = skip + offset;
      return mode.quirk?.(row(index), index) ?? row(index);
    });
    const next = new URLSearchParams(url.searchParams);
    next.set('skip', String(skip + count));
    const link =
      skip + count < mode.rows ? `${baseUrl}${url.pathname}?${next.toString().replaceAll('+', '%20')}` : null;
    json(200, { Value: rows, '@nextLink': link, TotalCount: mode.rows });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

beforeEach(() => {
  mode = { rows: 2500, cap: 1000 };
  received.length = 0;
});

const pc = (args: string[], env: Record<string, string> = {}) =>
  runPc(['--no-progress', ...args], {
    configDir,
    env: { PC_BASE_URL: baseUrl, PC_ACCESS_TOKEN: 'token-of-the-e2e-test', ...env },
    timeoutMs: 60_000,
  });

const ndjson = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('pc reads by the server’s word', { timeout: 180_000 }, () => {
  it('a server that caps pages below top: every row, exit 0 (case 1)', async () => {
    const result = await pc(['licenses', 'deployment', '-o', 'ndjson']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const rows = ndjson(result.stdout);
    expect(rows).toHaveLength(2500);
    expect(rows.map((entry) => entry.customerName)).toEqual(
      Array.from({ length: 2500 }, (_, index) => `Customer ${index}`),
    );
    // No snapshot nobody asked for.
    expect(received.every((request) => !/processedDateTime/i.test(request.url))).toBe(true);
  });

  it('insights unused-licenses sees every row of a capped server', async () => {
    const result = await pc(['insights', 'unused-licenses', '-o', 'json']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as { licensesSold: number }[];
    // 2500 customers, one product each: sold 20 per row.
    expect(rows.length).toBeGreaterThan(2000);
  });

  it('a row without productId is data; a count that is not a number is set aside, exit 6 (case 2)', async () => {
    const out = await tempDir();
    mode = {
      rows: 30,
      cap: 10,
      quirk: (entry, index) => {
        if (index === 3) {
          const { productId: _, ...rest } = entry;
          return rest;
        }
        if (index === 17) return { ...entry, licensesSold: 'n/a' };
        return entry;
      },
    };
    const rejects = join(out, 'rejects.ndjson');
    const result = await pc([
      'licenses',
      'deployment',
      '-o',
      'csv',
      '--out',
      join(out, 'rows.csv'),
      '--rejects',
      rejects,
    ]);
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(
      /1 unusable row was set aside \(written to .*rejects\.ndjson\); every other row was written/,
    );
    expect(result.stderr).toMatch(/page 2, \$\.Value\[7\]\.licensesSold: expected a whole number.*"n\/a"/);
    const csv = parseCsv(await readFile(join(out, 'rows.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    expect(csv).toHaveLength(29);
    expect(csv[3]).toMatchObject({ customerName: 'Customer 3', productId: '' });
    const rejected = ndjson(await readFile(rejects, 'utf8'));
    expect(rejected).toEqual([
      expect.objectContaining({
        page: 2,
        path: '$.Value[7].licensesSold',
        row: expect.objectContaining({ customerName: 'Customer 17' }),
      }),
    ]);
    // --invalid-rows throw stops; skip drops quietly.
    const thrown = await pc(['licenses', 'deployment', '-o', 'ndjson', '--invalid-rows', 'throw']);
    expect(thrown.code).toBe(6);
    expect(thrown.stderr).toMatch(/unusable row.*\$\.Value\[7\]\.licensesSold/);
    const skipped = await pc(['licenses', 'deployment', '-o', 'ndjson', '--invalid-rows', 'skip']);
    expect(skipped.code).toBe(0);
    expect(ndjson(skipped.stdout)).toHaveLength(29);
    expect((await pc(['licenses', 'deployment', '--invalid-rows', 'drop'])).code).toBe(2);
  });

  it('pc help exit-codes documents exit 6', async () => {
    const result = await pc(['help', 'exit-codes']);
    expect(result.stdout).toMatch(/\n {2}6 {4}unusable rows/);
  });

  it.each([
    ['--locale', 'de_CH'],
    ['PC_LOCALE', 'de_CH.UTF-8'],
    ['--locale', 'C'],
    ['--locale', 'POSIX'],
  ])('%s %s works, and X-Locale stays en-US (cases 3 and 7)', async (where, value) => {
    mode = { rows: 3, cap: 10 };
    const result =
      where === '--locale'
        ? await pc(['licenses', 'deployment', '-o', 'table', '--locale', value])
        : await pc(['licenses', 'deployment', '-o', 'table'], { PC_LOCALE: value });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(received.every((request) => request.headers['x-locale'] === 'en-US')).toBe(true);
  });

  it('--api-locale sets X-Locale apart from the display locale; an unknown locale is exit 2', async () => {
    mode = { rows: 3, cap: 10 };
    const result = await pc([
      'licenses',
      'deployment',
      '-o',
      'json',
      '--locale',
      'de-CH',
      '--api-locale',
      'fr_FR.UTF-8',
    ]);
    expect(result.code).toBe(0);
    expect(received.every((request) => request.headers['x-locale'] === 'fr-FR')).toBe(true);
    for (const args of [
      ['--locale', 'xx_YY'],
      ['--api-locale', 'not a locale'],
    ]) {
      const bad = await pc(['licenses', 'deployment', ...args]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/unknown locale/);
      expect(bad.stderr).not.toMatch(/at .*\.js:\d+/);
    }
  });

  it('legacy links.next: a uri without /v1 and its headers are followed (case 4)', async () => {
    const result = await pc(['licenses', 'deployment', '--legacy', '-o', 'ndjson', '-q']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(ndjson(result.stdout).map((entry) => entry.serviceName)).toEqual(['o365', 'crm']);
    expect(received[1]?.url).toBe('/v1/analytics/licenses/deployment?seek=2');
    expect(received[1]?.headers['ms-continuationtoken']).toBe('token-page-2');
  });

  it('204 No Content is an empty result (case 5)', async () => {
    mode = { rows: 0, cap: 1, status: { code: 204, body: '' } };
    const result = await pc(['licenses', 'deployment', '-o', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  it.each([
    [
      'Graph-style',
      '{"error":{"code":"Forbidden","message":"User does not have the required permissions"}}',
      'application/json',
      /User does not have the required permissions/,
    ],
    [
      'ASP.NET',
      '{"Message":"Authorization has been denied for this request."}',
      'application/json',
      /Authorization has been denied/,
    ],
    [
      'HTML',
      '<html><head><title>403 - Forbidden: Access is denied.</title></head><body><h1>Denied</h1></body></html>',
      'text/html',
      /403 - Forbidden: Access is denied\.: Denied/,
    ],
  ])('a 403 with a %s body shows the server’s message (case 6)', async (_name, body, type, message) => {
    mode = { rows: 0, cap: 1, status: { code: 403, body, type } };
    const result = await pc(['licenses', 'deployment', '-o', 'json']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(message);
  });

  it.each(['json', 'ndjson', 'csv'])(
    'after an error mid-download, %s on stdout ends at the last complete row and the exit code says it failed',
    async (format) => {
      mode = { rows: 2500, cap: 1000, failFromSkip: 1000 };
      const result = await pc([
        'licenses',
        'deployment',
        '-o',
        format,
        '--retries',
        '0',
        '--concurrency',
        '1',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/the shard is down/);
      if (format === 'json') expect(JSON.parse(result.stdout)).toHaveLength(1000);
      if (format === 'ndjson') {
        expect(result.stdout.endsWith('\n')).toBe(true);
        expect(ndjson(result.stdout)).toHaveLength(1000);
      }
      if (format === 'csv') {
        expect(result.stdout.endsWith('\r\n')).toBe(true);
        expect(parseCsv(result.stdout, { columns: true })).toHaveLength(1000);
      }
    },
  );

  it('after an error mid-download, --out writes no file', async () => {
    const out = await tempDir();
    mode = { rows: 2500, cap: 1000, failFromSkip: 1000 };
    const target = join(out, 'rows.json');
    const result = await pc(['licenses', 'deployment', '--out', target, '--retries', '0']);
    expect(result.code).toBe(1);
    await expect(readFile(target, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openHistory } from '@pc/history';
import { startMockServer } from '@pc/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runPc, tempDir } from './helpers.js';

type Mock = Awaited<ReturnType<typeof startMockServer>>;
type Row = Record<string, unknown>;

/** The machine may be busy: a `pc` run gets two minutes, a test five. */
const timeoutMs = 120_000;
const testTimeout = 300_000;

let mock: Mock;
let env: Record<string, string>;
let configDir: string;
let db: string;

interface ReportJson {
  snapshot: { deployment: string | null; usage: string | null };
  trend: {
    source: { kind: string; label: string } | null;
    from: string | null;
    previous: {
      licensesSold: number;
      licensesDeployed: number;
      licensesActive: number;
      pairs: number;
    } | null;
    note?: string;
  };
  sections: { id: string; rows: Record<string, string | number | null>[] }[];
}

async function report(args: string[] = []): Promise<ReportJson> {
  const result = await runPc(['report', '--history', db, '--top', '1000', '-o', 'json', ...args], {
    env,
    configDir,
    timeoutMs,
  });
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(result.stdout) as ReportJson;
}

async function sync(): Promise<{ service: string; date: string; endpoint: string; status: string }[]> {
  const result = await runPc(['history', 'sync', '--db', db, '-o', 'json'], { env, configDir, timeoutMs });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

const key = (...parts: unknown[]) => parts.map((part) => String(part ?? '').toLowerCase()).join('\u0000');

/**
 * The reference, from the stored rows: per service, the rows of its own earlier day; sold and
 * deployed summed; active per customer, product and channel as its most active workload, summed.
 */
function reference(deployment: Row[], usage: Row[]) {
  let sold = 0;
  let deployed = 0;
  const soldByProduct = new Map<string, number>();
  for (const row of deployment) {
    sold += Number(row.licensesSold ?? 0);
    deployed += Number(row.licensesDeployed ?? 0);
    const product = key(row.productId);
    soldByProduct.set(product, (soldByProduct.get(product) ?? 0) + Number(row.licensesSold ?? 0));
  }
  const workloads = new Map<string, Map<string, number>>();
  for (const row of usage) {
    const cell = key(row.customerTenantId, row.productId, row.channel);
    const perWorkload = workloads.get(cell) ?? new Map<string, number>();
    const workload = key(row.workloadCode);
    perWorkload.set(workload, (perWorkload.get(workload) ?? 0) + Number(row.licensesActive ?? 0));
    workloads.set(cell, perWorkload);
  }
  let active = 0;
  for (const perWorkload of workloads.values()) active += Math.max(0, ...perWorkload.values());
  return { sold, deployed, active, soldByProduct };
}

beforeAll(async () => {
  assertBuilt();
  // The realistic profile: crm rows lag o365 rows by 2 days, and each advance moves one service.
  mock = await startMockServer({
    port: 0,
    seed: 19,
    customers: 50,
    snapshots: 4,
    profile: 'realistic',
    quiet: true,
  });
  configDir = await tempDir();
  db = join(await tempDir('pc-report-history-'), 'history.duckdb');
  env = { PC_BASE_URL: mock.url, PC_ACCESS_TOKEN: mock.issueToken() };
}, testTimeout);

afterAll(async () => {
  await mock?.close();
});

describe('pc report --history', () => {
  it(
    'says so when the history holds no earlier day, then compares two synced days per service',
    async () => {
      const first = await sync();
      expect(first.some((entry) => entry.status === 'stored')).toBe(true);
      const lonely = await report();
      expect(lonely.trend).toMatchObject({
        source: { kind: 'supplied', label: `history ${db}` },
        from: null,
        previous: null,
        note: expect.stringMatching(/^the history holds no day before \d{4}-\d{2}-\d{2}$/),
      });
      expect(lonely.sections.map((section) => section.id)).not.toContain('trend');

      // A new day of each service (o365 first, then crm), with the mock's churn, synced again.
      for (let advance = 0; advance < 2; advance++) {
        const response = await fetch(`${mock.url}/_mock/snapshots/advance`, { method: 'POST' });
        expect(response.status).toBe(200);
      }
      const second = await sync();
      expect(second.filter((entry) => entry.status === 'stored').length).toBeGreaterThan(0);

      const model = await report();
      expect(model.trend.source).toEqual({ kind: 'supplied', label: `history ${db}` });
      expect(model.trend.from).not.toBeNull();

      // The reference: each service's latest stored day before its day in the report.
      const history = await openHistory({ url: db });
      try {
        const stored = await history.list();
        const rowsOf = async (endpoint: string) => {
          const rows: Row[] = [];
          const services = [
            ...new Set(stored.filter((entry) => entry.endpoint === endpoint).map((e) => e.service)),
          ];
          const days: Record<string, string> = {};
          for (const service of services) {
            const held = stored
              .filter((entry) => entry.endpoint === endpoint && entry.service === service)
              .map((entry) => entry.date)
              .sort();
            expect(held.length, `${endpoint} ${service}`).toBe(2);
            days[service] = held[0]!;
            const all = await history.snapshot(held[0]!, { endpoint }).toArray();
            rows.push(...all.filter((row) => row.serviceCode === service));
          }
          return { rows, days };
        };
        const deployment = await rowsOf('commercialLicenseDeployment');
        const usage = await rowsOf('commercialLicenseUsage');
        // crm lags o365: the earlier days differ by service, and the note says which.
        expect(new Set(Object.values(deployment.days)).size).toBeGreaterThan(1);
        expect(model.trend.note).toContain('earlier days differ by service');
        for (const [service, day] of Object.entries(deployment.days)) {
          expect(model.trend.note).toContain(`${service} ${day}`);
        }
        expect(model.trend.from).toBe(
          [...Object.values(deployment.days), ...Object.values(usage.days)].sort().at(-1),
        );
        const expected = reference(deployment.rows, usage.rows);
        expect({
          sold: model.trend.previous?.licensesSold,
          deployed: model.trend.previous?.licensesDeployed,
          active: model.trend.previous?.licensesActive,
        }).toEqual({ sold: expected.sold, deployed: expected.deployed, active: expected.active });
        const trend = model.sections.find((section) => section.id === 'trend')!;
        expect(trend.rows.length).toBeGreaterThan(0);
        for (const row of trend.rows) {
          expect(row.soldFrom, String(row.productName)).toBe(
            expected.soldByProduct.get(key(row.productId)) ?? 0,
          );
          expect(row.soldChange).toBe(Number(row.soldTo) - Number(row.soldFrom));
        }
        // The churn moved something between the two days.
        expect(trend.rows.some((row) => row.soldChange !== 0 || row.activeChange !== 0)).toBe(true);
      } finally {
        await history.close();
      }

      // A day the history does not hold: said so, nothing read from the service instead.
      const missing = await report(['--previous-date', '2001-01-01']);
      expect(missing.trend).toMatchObject({ from: null, note: 'the history holds no day 2001-01-01' });

      // The page and the workbook name where the earlier snapshot came from.
      const page = join(await tempDir('pc-report-history-html-'), 'report.html');
      const html = await runPc(['report', '--history', db, '--out', page], { env, configDir, timeoutMs });
      expect(html.code, html.stderr).toBe(0);
      expect(await readFile(page, 'utf8')).toContain(`(from history ${db})`);
    },
    testTimeout * 2,
  );
});

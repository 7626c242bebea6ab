import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AnalyticsClient, createClient } from '@pc/analytics';
import { openHistory } from '@pc/history';
import { startMockServer } from '@pc/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runPc, tempDir } from './helpers.js';

type Mock = Awaited<ReturnType<typeof startMockServer>>;

let mock: Mock;
let client: AnalyticsClient;
let env: Record<string, string>;
let configDir: string;
let db: string;
const days = ['2026-11-16', '2026-11-18', '2026-11-20'];
/** The machine may be busy: a `pc` run gets two minutes, a test four. */
const timeoutMs = 120_000;
const testTimeout = 240_000;

beforeAll(async () => {
  assertBuilt();
  mock = await startMockServer({ port: 0, seed: 9, customers: 60, snapshots: 5, quiet: true });
  client = createClient({ baseUrl: mock.url, accessToken: mock.issueToken() });
  configDir = await tempDir();
  db = join(await tempDir('pc-history-e2e-'), 'history.duckdb');
  env = { PC_BASE_URL: mock.url, PC_ACCESS_TOKEN: mock.issueToken(), PC_HISTORY_URL: db };
  for (const day of days) {
    const result = await runPc(['history', 'sync', '--processed-date', day, '-o', 'json'], {
      env,
      configDir,
      timeoutMs,
    });
    expect({ code: result.code, stderr: result.stderr }).toEqual({
      code: 0,
      stderr: expect.stringMatching(/^pc: stored \d+ rows \(run \d+\)\n$/),
    });
    const snapshots = JSON.parse(result.stdout) as { status: string; date: string }[];
    expect(snapshots.every((snapshot) => snapshot.status === 'stored' && snapshot.date === day)).toBe(true);
  }
}, 300_000);

afterAll(async () => {
  await client?.close();
  await mock?.close();
});

describe('pc history', () => {
  it(
    'says so when a sync finds nothing new, and lists the stored days',
    async () => {
      const again = await runPc(['history', 'sync', '-o', 'json'], { env, configDir, timeoutMs });
      expect(again.code).toBe(0);
      expect(again.stderr).toMatch(/nothing new: every day read is already stored/);
      expect(
        (JSON.parse(again.stdout) as { status: string }[]).every((s) => s.status === 'already-stored'),
      ).toBe(true);
      const listed = await runPc(['history', 'list', '-o', 'json'], { env, configDir, timeoutMs });
      const dates = (JSON.parse(listed.stdout) as { date: string }[]).map((row) => row.date);
      expect([...new Set(dates)]).toEqual(days);
    },
    testTimeout,
  );

  it(
    "show --date D -o ndjson equals that day's download, byte for byte",
    async () => {
      for (const [endpoint, command] of [
        ['deployment', ['licenses', 'deployment']],
        ['usage', ['licenses', 'usage']],
      ] as const) {
        const day = days[0]!;
        const [shown, downloaded] = await Promise.all([
          runPc(['history', 'show', '--date', day, '--endpoint', endpoint, '-o', 'ndjson'], {
            env,
            configDir,
            timeoutMs,
          }),
          runPc([...command, '--processed-date', day, '-o', 'ndjson'], { env, configDir, timeoutMs }),
        ]);
        expect(shown.code).toBe(0);
        expect(shown.stdout.length).toBeGreaterThan(1000);
        expect(shown.stdout).toBe(downloaded.stdout);
      }
    },
    testTimeout,
  );

  it(
    'trend and timeline print what the SDK computes from the same history',
    async () => {
      const trend = await runPc(
        ['history', 'trend', '--from', days[0]!, '--to', days[2]!, '--by', 'service', '-o', 'json'],
        {
          env,
          configDir,
        },
      );
      expect(trend.code).toBe(0);
      const customer = String(
        (await client.commercial.licenses.deployment.list({ top: 1 }).toArray())[0]!.customerTenantId,
      );
      const timeline = await runPc(['history', 'timeline', '--customer', customer, '-o', 'json'], {
        env,
        configDir,
        timeoutMs,
      });
      const history = await openHistory(db);
      try {
        expect(JSON.parse(trend.stdout)).toEqual(
          await history.trend({ from: days[0]!, to: days[2]!, by: 'service' }),
        );
        expect(JSON.parse(timeline.stdout)).toEqual(
          (await history.timeline(customer)).map((span) => ({
            productName: span.productName,
            workloadCode: span.workloadCode,
            from: span.from,
            to: span.to,
            licensesSold: span.licensesSold,
            licensesDeployed: span.licensesDeployed,
            licensesActive: span.licensesActive,
            licensesQualified: span.licensesQualified,
            productId: span.productId,
            serviceCode: span.serviceCode,
            channel: span.channel,
            endpoint: span.endpoint,
          })),
        );
        expect((await history.runs()).at(-1)?.tool).toMatch(/^pc \d+\.\d+\.\d+/);
      } finally {
        await history.close();
      }
    },
    testTimeout,
  );

  it(
    'pc insights trend --history equals pc insights trend over the server snapshots',
    async () => {
      const flags = ['--from', days[0]!, '--to', days[2]!, '--top', '10', '-o', 'json'];
      const [fromHistory, fromServer] = await Promise.all([
        runPc(['insights', 'trend', '--history', db, ...flags], { env, configDir, timeoutMs }),
        runPc(['insights', 'trend', ...flags], { env, configDir, timeoutMs }),
      ]);
      expect(fromHistory.code).toBe(0);
      expect(fromServer.code).toBe(0);
      expect(JSON.parse(fromHistory.stdout)).toEqual(JSON.parse(fromServer.stdout));
      expect(JSON.parse(fromHistory.stdout).length).toBeGreaterThan(0);
    },
    testTimeout,
  );

  it(
    'exports the star schema as CSV',
    async () => {
      const outDir = await tempDir('pc-history-export-');
      const result = await runPc(
        ['history', 'export', '--format', 'csv', '--out-dir', outDir, '-o', 'json'],
        {
          env,
          configDir,
          timeoutMs,
        },
      );
      expect(result.code).toBe(0);
      const files = JSON.parse(result.stdout) as { table: string; rows: number }[];
      expect(files.map((file) => file.table)).toEqual([
        'fact_deployment',
        'fact_usage',
        'dim_customer',
        'dim_product',
        'dim_date',
      ]);
      const dates = await readFile(join(outDir, 'dim_date.csv'), 'utf8');
      expect(dates.trim().split('\n')).toEqual([
        'date_key,date,year,month,day',
        '20261116,2026-11-16,2026,11,16',
        '20261118,2026-11-18,2026,11,18',
        '20261120,2026-11-20,2026,11,20',
      ]);
    },
    testTimeout,
  );

  it(
    'refuses bad input with a clear message and exit 2, never a stack trace',
    async () => {
      const missing = await runPc(['history', 'show', '--date', '2020-01-01'], { env, configDir, timeoutMs });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(
        /holds no commercialLicenseDeployment snapshot of 2020-01-01; stored days: 2026-11-16/,
      );
      expect(missing.stderr).not.toMatch(/\n\s+at /);
      const scheme = await runPc(['history', 'list', '--db', 'mysql://somewhere/db'], {
        env,
        configDir,
        timeoutMs,
      });
      expect(scheme.code).toBe(2);
      expect(scheme.stderr).toMatch(/unknown history location 'mysql:/);
      const by = await runPc(['history', 'trend', '--from', days[0]!, '--to', days[1]!, '--by', 'colour'], {
        env,
        configDir,
        timeoutMs,
      });
      expect(by.code).toBe(2);
      const migrate = await runPc(['history', 'migrate'], { env, configDir, timeoutMs });
      expect(migrate).toMatchObject({
        code: 0,
        stderr: 'pc: the history schema is at version 1; nothing to apply\n',
      });
    },
    testTimeout,
  );
});

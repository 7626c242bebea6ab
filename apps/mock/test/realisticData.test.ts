// Contract tests of the data switches over real HTTP with a plain undici client: per-service
// processing dates (A1) and the data quirks at their stated rates (A2, A3, A8, A13, A14).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, type MockServerOptions, profileDefaults, startMockServer } from '../src/index.js';
import { paths } from './helpers.js';
import { followPages, plainGet, rowsOf } from './plain.js';

const started: MockServer[] = [];
async function start(options: MockServerOptions): Promise<MockServer> {
  const server = await startMockServer({ port: 0, quiet: true, ...options });
  started.push(server);
  return server;
}
afterAll(() => Promise.all(started.map((server) => server.close())));

const day = (stamp: unknown) => String(stamp).slice(0, 10);
const byService = (rows: readonly Record<string, unknown>[], service: string) =>
  rows.filter((row) => row.serviceCode === service);

describe('per-service processing dates (A1)', () => {
  let server: MockServer;
  let token: string;
  beforeAll(async () => {
    server = await start({ customers: 80, serviceDates: 'per-service', crmLagDays: 2 });
    token = server.issueToken();
  });

  it('in one response, crm rows lag o365 rows by the lag, and o365 carries a time of day', async () => {
    for (const path of [paths.deployment, paths.usage]) {
      const page = (await plainGet(`${server.url}${path}`, { token })).json<{
        Value: Record<string, unknown>[];
      }>();
      const o365 = new Set(byService(page.Value, 'o365').map((row) => row.processedDateTime));
      const crm = new Set(byService(page.Value, 'crm').map((row) => row.processedDateTime));
      expect(o365.size, path).toBe(1);
      expect(crm.size, path).toBe(1);
      const [o365Stamp] = [...o365] as string[];
      const [crmStamp] = [...crm] as string[];
      expect(o365Stamp).toMatch(/^2026-11-20T\d{2}:\d{2}:\d{2}(\.\d{1,3})?$/);
      expect(o365Stamp).not.toMatch(/T00:00:00$/);
      expect(crmStamp).toBe('2026-11-18T00:00:00');
    }
  });

  it("crm rows are the data of crm's own day: the same counts an ideal server gives for that day", async () => {
    const ideal = await start({ customers: 80 });
    const idealRows = rowsOf(
      await followPages(ideal, `${paths.deployment}?processedDateTime=2026-11-18`, ideal.issueToken()),
    );
    const rows = rowsOf(await followPages(server, paths.deployment, token));
    const crm = byService(rows, 'crm');
    expect(crm.length).toBeGreaterThan(5);
    const idealCrm = byService(idealRows, 'crm');
    expect(crm.map((row) => [row.customerTenantId, row.licensesSold, row.licensesDeployed])).toEqual(
      idealCrm.map((row) => [row.customerTenantId, row.licensesSold, row.licensesDeployed]),
    );
  });

  it('a snapshot advance moves one service at a time, o365 first', async () => {
    const dates = async () => {
      const rows = rowsOf(await followPages(server, paths.deployment, token));
      return {
        o365: day(byService(rows, 'o365')[0]!.processedDateTime),
        crm: day(byService(rows, 'crm')[0]!.processedDateTime),
      };
    };
    try {
      expect(await dates()).toEqual({ o365: '2026-11-20', crm: '2026-11-18' });
      server.advanceSnapshot();
      expect(await dates()).toEqual({ o365: '2026-11-21', crm: '2026-11-18' });
      server.advanceSnapshot();
      expect(await dates()).toEqual({ o365: '2026-11-21', crm: '2026-11-19' });
      const admin = (await plainGet(`${server.url}/_mock/snapshots`)).json<{
        services: Record<string, string[]>;
      }>();
      expect(admin.services.o365!.map(day)).toEqual(['2026-11-21', '2026-11-20', '2026-11-19']);
      expect(admin.services.crm!.map(day)).toEqual(['2026-11-19', '2026-11-18', '2026-11-17']);
    } finally {
      server.reset();
    }
  });

  it('a processedDateTime asked for gives the rows of the services that kept that day', async () => {
    const services = async (date: string) => {
      const rows = rowsOf(await followPages(server, `${paths.usage}?processedDateTime=${date}`, token));
      return {
        services: [...new Set(rows.map((row) => row.serviceCode))].sort(),
        days: [...new Set(rows.map((row) => day(row.processedDateTime)))],
      };
    };
    // o365 keeps 11-20, 11-19, 11-18; crm keeps 11-18, 11-17, 11-16.
    expect(await services('2026-11-20')).toEqual({ services: ['o365'], days: ['2026-11-20'] });
    expect(await services('2026-11-18')).toEqual({ services: ['crm', 'o365'], days: ['2026-11-18'] });
    expect(await services('2026-11-16')).toEqual({ services: ['crm'], days: ['2026-11-16'] });
    expect(await services('2026-11-15')).toEqual({ services: [], days: [] });
  });

  it('legacy partner rows carry each service its own stamp, with an offset', async () => {
    const e4 = (await plainGet(`${server.url}${paths.partnerDeployment}`, { token })).json<{
      items: Record<string, unknown>[];
    }>();
    const stamps = new Map(e4.items.map((item) => [item.serviceName, item.processedDateTime]));
    expect(stamps.get('crm')).toBe('2026-11-18T00:00:00+00:00');
    expect(String(stamps.get('o365'))).toMatch(/^2026-11-20T\d{2}:\d{2}:\d{2}(\.\d{1,3})?\+00:00$/);
  });

  it('uniform dates (ideal) give every row one date', async () => {
    const ideal = await start({ customers: 30 });
    const rows = rowsOf(await followPages(ideal, paths.usage, ideal.issueToken()));
    expect(new Set(rows.map((row) => row.processedDateTime))).toEqual(new Set(['2026-11-20T00:00:00']));
  });

  it('is per-service with a 2-day crm lag in the realistic profile', () => {
    expect(profileDefaults.realistic).toMatchObject({ serviceDates: 'per-service', crmLagDays: 2 });
    expect(profileDefaults.ideal.serviceDates).toBe('uniform');
  });
});

/** A count as sent: a number, or a numeric string on rows of the `numericStrings` quirk. */
function count(value: unknown): number {
  if (typeof value === 'number') return value;
  expect(value).toMatch(/^\d+$/);
  return Number(value);
}

function rate(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

/** Within half and one and a half times the stated rate (samples of thousands of rows). */
function expectRate(name: string, measured: number, stated: number): void {
  expect(measured, `${name}: measured ${measured}, stated ${stated}`).toBeGreaterThan(stated * 0.5);
  expect(measured, `${name}: measured ${measured}, stated ${stated}`).toBeLessThan(stated * 1.5);
}

describe('data quirks at their stated rates (A2, A3, A8, A13, A14)', () => {
  const rates = profileDefaults.realistic.quirks;
  let usage: Record<string, unknown>[];
  let deployment: Record<string, unknown>[];
  let server: MockServer;
  beforeAll(async () => {
    server = await start({ customers: 2000, quirks: rates });
    const token = server.issueToken();
    usage = rowsOf(await followPages(server, paths.usage, token));
    deployment = rowsOf(await followPages(server, paths.deployment, token));
  });

  const customers = (rows: readonly Record<string, unknown>[]) => {
    const byId = new Map<unknown, Record<string, unknown>>();
    for (const row of rows) byId.set(row.customerTenantId, row);
    return [...byId.values()];
  };

  it('usage above 100 % (active > qualified) and deployed above sold', () => {
    const over = usage.filter(
      (row) => count(row.licensesActive ?? row.licenseActive) > count(row.licensesQualified),
    );
    expectRate('over-usage', rate(over.length, usage.length), rates.overUsage!);
    const overAssigned = deployment.filter((row) => count(row.licensesDeployed) > count(row.licensesSold));
    expectRate('over-assignment', rate(overAssigned.length, deployment.length), rates.overAssignment!);
  });

  it('awkward customer names: German, French, Japanese, Chinese, emoji, comma, quotes, leading =', () => {
    const all = customers(deployment);
    const names = all
      .map((row) => row.customerName)
      .filter((name): name is string => typeof name === 'string');
    const awkward = names.filter((name) => /[^\x20-\x7e]|[,"]|^=|'.*'/.test(name));
    expectRate('non-ascii-names', rate(awkward.length, all.length), rates.nonAsciiNames!);
    for (const pattern of [
      /ü|ö|ß/,
      /É|Œ/,
      /[\u3040-\u30ff]/,
      /[\u4e00-\u9fff]/,
      /\p{Extended_Pictographic}/u,
      /,/,
      /"/,
      /'/,
      /^=/,
    ]) {
      expect(
        names.some((name) => pattern.test(name)),
        String(pattern),
      ).toBe(true);
    }
  });

  it('nulls, "UNKNOWN" values and the licenseActive spelling', () => {
    const all = customers(deployment);
    expectRate(
      'null customerName',
      rate(all.filter((row) => row.customerName === null).length, all.length),
      rates.nulls!,
    );
    expectRate(
      'null productName',
      rate(deployment.filter((row) => row.productName === null).length, deployment.length),
      rates.nulls!,
    );
    expectRate(
      'UNKNOWN channel',
      rate(all.filter((row) => row.channel === 'UNKNOWN').length, all.length),
      rates.unknownValues!,
    );
    expectRate(
      'UNKNOWN workloadName',
      rate(usage.filter((row) => row.workloadName === 'UNKNOWN').length, usage.length),
      rates.unknownValues!,
    );
    const singular = usage.filter((row) => 'licenseActive' in row);
    expectRate('licenseActive', rate(singular.length, usage.length), rates.licenseActive!);
    for (const row of usage) expect('licenseActive' in row !== 'licensesActive' in row).toBe(true);
  });

  it('numeric-string counts, both counts of a row', () => {
    const strings = deployment.filter((row) => typeof row.licensesSold === 'string');
    expectRate('numeric-strings', rate(strings.length, deployment.length), rates.numericStrings!);
    for (const row of strings) {
      expect(row.licensesSold).toMatch(/^\d+$/);
      expect(row.licensesDeployed).toMatch(/^\d+$/);
    }
  });

  it('legacy customer items without their optional fields', async () => {
    const token = server.issueToken();
    let items = 0;
    let missing = 0;
    for (const customer of customers(usage).slice(0, 60)) {
      const id = String(customer.customerTenantId).toLowerCase();
      const page = (await plainGet(`${server.url}${paths.customerUsage(id)}`, { token })).json<{
        items: Record<string, unknown>[];
      }>();
      items += page.items.length;
      missing += page.items.filter((item) => !('customerId' in item)).length;
      for (const item of page.items)
        if (!('customerId' in item)) expect(item).not.toHaveProperty('workloadCode');
    }
    expectRate('missing-optional', rate(missing, items), rates.missingOptional!);
  });

  it('each quirk can be turned on alone; ideal has none', async () => {
    const only = await start({ customers: 300, quirks: 'license-active=0.2' });
    const rows = rowsOf(await followPages(only, paths.usage, only.issueToken()));
    expect(rows.some((row) => 'licenseActive' in row)).toBe(true);
    expect(rows.every((row) => typeof row.licensesQualified === 'number')).toBe(true);
    expect(rows.every((row) => row.workloadName !== 'UNKNOWN' && row.productName !== null)).toBe(true);
    expect(
      rows.every((row) => count(row.licensesActive ?? row.licenseActive) <= count(row.licensesQualified)),
    ).toBe(true);
    const ideal = await start({ customers: 300 });
    const tidy = rowsOf(await followPages(ideal, paths.usage, ideal.issueToken()));
    expect(tidy.every((row) => 'licensesActive' in row && row.customerName !== null)).toBe(true);
    expect(tidy.every((row) => /^[\x20-\x7e]+$/.test(String(row.customerName)))).toBe(true);
  });

  it('grouped results sum every row, whatever its spelling or count type', async () => {
    const token = server.issueToken();
    const grouped = (await plainGet(`${server.url}${paths.usage}?groupby=serviceCode`, { token })).json<{
      Value: Record<string, unknown>[];
    }>();
    for (const group of grouped.Value) {
      const rows = usage.filter((row) => row.serviceCode === group.serviceCode);
      const active = rows.reduce((sum, row) => sum + count(row.licensesActive ?? row.licenseActive), 0);
      expect(count(group.licensesActive)).toBe(active);
    }
  });

  it('refuses an unknown quirk or a rate outside 0..1, naming it', async () => {
    await expect(start({ quirks: 'typos=0.1' })).rejects.toThrow(/quirks: invalid 'typos=0.1'/);
    await expect(start({ quirks: { nulls: 2 } })).rejects.toThrow(/nulls must be a rate from 0 to 1/);
  });
});

describe('the realistic profile', () => {
  it('serves every quirk together, every body with a BOM, the same rows however the links are written', async () => {
    const server = await start({ customers: 400, profile: 'realistic' });
    const token = server.issueToken();
    const pages = await followPages(server, paths.usage, token);
    const rows = rowsOf(pages);
    expect(pages.length).toBeGreaterThan(1);
    expect(rows).toHaveLength(pages[0]!.page.TotalCount);
    expect(rows.some((row) => 'licenseActive' in row)).toBe(true);
    expect(rows.some((row) => typeof row.licensesQualified === 'string')).toBe(true);
    expect(new Set(rows.map((row) => row.serviceCode))).toEqual(new Set(['o365', 'crm']));
    const raw = await plainGet(`${server.url}${paths.usage}?top=1`, { token });
    expect(raw.bom).toBe(true);
  });
});

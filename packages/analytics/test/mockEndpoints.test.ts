import { startMockServer, type MockServer } from '@pc/mock';
import { isPartnerCenterError } from '@pc/transport';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AnalyticsClient, createClient } from '../src/index.js';
import { resetDeprecationWarnings } from '../src/internal/deprecation.js';

let mock: MockServer;
let client: AnalyticsClient;
const warnings: string[] = [];

beforeAll(async () => {
  mock = await startMockServer({ port: 0, seed: 7, customers: 150, snapshots: 3, quiet: true });
  client = createClient({
    baseUrl: mock.url,
    accessToken: mock.issueToken(),
    pageSize: 100,
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    hooks: { onWarning: (message) => warnings.push(message) },
  });
});

afterAll(async () => {
  await client?.close();
  await mock?.close();
});

beforeEach(() => {
  mock.reset();
  resetDeprecationWarnings();
  warnings.length = 0;
});

describe('every endpoint against the mock', () => {
  it('E1 and E2 stream normalized rows of the latest snapshot', async () => {
    const usage = await client.commercial.licenses.usage.list().toArray();
    const deployment = await client.commercial.licenses.deployment.list().toArray();
    expect(usage.length).toBeGreaterThan(150);
    expect(deployment.length).toBeGreaterThan(150);
    for (const row of [...usage.slice(0, 50), ...deployment.slice(0, 50)]) {
      expect(row.processedDateTime).toBe('2026-11-20T00:00:00.000Z');
      expect(row.customerTenantId).toBe(row.customerTenantId?.toLowerCase());
    }
    expect(
      usage.every((row) => Number.isInteger(row.licensesActive) && Number.isInteger(row.licensesQualified)),
    ).toBe(true);
    expect(deployment.every((row) => Number.isInteger(row.licensesSold))).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('E3 and E4 (legacy, partner-wide) work and warn once, naming the replacement', async () => {
    const usage = await client.analytics.licenses.usage.list().toArray();
    const deployment = await client.analytics.licenses.deployment.list().toArray();
    await client.analytics.licenses.deployment.list().toArray();
    expect(usage.length).toBeGreaterThan(0);
    expect(deployment.length).toBeGreaterThan(0);
    expect(
      deployment.every(
        (row) => (row.proratedDeploymentPercent ?? -1) >= 0 && (row.proratedDeploymentPercent ?? 2) <= 1,
      ),
    ).toBe(true);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/partnerLicenseUsage .*superseded by commercialLicenseUsage/);
    expect(warnings[1]).toMatch(/partnerLicenseDeployment .*superseded by commercialLicenseDeployment/);
  });

  it('E5 and E6 (legacy, one customer) equal the commercial rows of that customer', async () => {
    const [first] = await client.commercial.licenses.deployment.list({ top: 1 }).toArray();
    const customerId = first!.customerTenantId!;
    const customer = client.customers.byId(customerId);
    const deployment = await customer.analytics.licenses.deployment.list().toArray();
    const usage = await customer.analytics.licenses.usage.list().toArray();
    const filter = `customerTenantId eq '${customerId}'`;
    const commercialDeployment = await client.commercial.licenses.deployment.list({ filter }).toArray();
    const commercialUsage = await client.commercial.licenses.usage.list({ filter }).toArray();
    expect(deployment.map((row) => [row.productName, row.licensesSold, row.licensesDeployed])).toEqual(
      commercialDeployment.map((row) => [row.productName, row.licensesSold, row.licensesDeployed]),
    );
    expect(usage.reduce((sum, row) => sum + (row.licensesActive ?? 0), 0)).toBe(
      commercialUsage.reduce((sum, row) => sum + (row.licensesActive ?? 0), 0),
    );
    expect(warnings).toHaveLength(2);
  });

  it('a server error reaches the caller as a PartnerCenterError (E6, unknown customer)', async () => {
    const error = await client.customers
      .byId('00000000-0000-4000-8000-000000000000')
      .analytics.licenses.deployment.list()
      .toArray()
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(isPartnerCenterError(error) && error.status).toBe(404);
  });

  it('the generic list() reaches every registered endpoint', async () => {
    for (const id of [
      'commercialLicenseUsage',
      'commercialLicenseDeployment',
      'partnerLicenseUsage',
      'partnerLicenseDeployment',
    ]) {
      const rows = await client.list(id, { top: 5 }).toArray();
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.length).toBeLessThanOrEqual(5);
    }
  });
});

describe('credentials against the mock', () => {
  it('App+User from a refresh token reads the data; app-only warns and is refused', async () => {
    const credentials = {
      tenantId: mock.partnerTenantId,
      clientId: 'mock-client-id',
      clientSecret: 'mock-client-secret',
      authorityUrl: mock.url,
    };
    const appUser = createClient({
      baseUrl: mock.url,
      credentials: { ...credentials, refreshToken: 'mock-refresh-token' },
    });
    const appOnlyWarnings: string[] = [];
    const appOnly = createClient({
      baseUrl: mock.url,
      credentials,
      retry: { maxAttempts: 1 },
      hooks: { onWarning: (message) => appOnlyWarnings.push(message) },
    });
    try {
      expect(await appUser.commercial.licenses.usage.list({ top: 3 }).toArray()).toHaveLength(3);
      const error = await appOnly.commercial.licenses.usage
        .list({ top: 3 })
        .toArray()
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(isPartnerCenterError(error) && error.status).toBe(403);
      expect(appOnlyWarnings.join('\n')).toMatch(/App\+User/);
    } finally {
      await appUser.close();
      await appOnly.close();
    }
  });
});

describe('filters and groupby against the mock', () => {
  it('a filter returns exactly the matching rows', async () => {
    const all = await client.commercial.licenses.deployment.list().toArray();
    const channel = all[0]!.channel;
    const filtered = await client.commercial.licenses.deployment
      .list({ filter: `channel eq '${channel}' and serviceCode ne 'nothing'` })
      .toArray();
    expect(filtered).toEqual(all.filter((row) => row.channel?.toLowerCase() === channel?.toLowerCase()));
  });

  it('groupby sums the measures per group like a local sum', async () => {
    const all = await client.commercial.licenses.usage.list().toArray();
    const grouped = await client.commercial.licenses.usage
      .list({ groupby: ['workloadCode', 'channel'], pageSize: 3 })
      .toArray();
    const local = new Map<string, number>();
    for (const row of all) {
      const key = `${row.workloadCode}|${row.channel}`;
      local.set(key, (local.get(key) ?? 0) + (row.licensesActive ?? 0));
    }
    expect(grouped).toHaveLength(local.size);
    for (const row of grouped)
      expect(row.licensesActive).toBe(local.get(`${row.workloadCode}|${row.channel}`));
  });
});

describe('paging against the mock', () => {
  it('sequential and concurrent reads give identical rows', async () => {
    const sequential = await client.commercial.licenses.deployment
      .list({ concurrency: 1, pageSize: 50 })
      .toArray();
    const concurrent = await client.commercial.licenses.deployment
      .list({ concurrency: 6, pageSize: 50 })
      .toArray();
    const large = await client.commercial.licenses.deployment.list({ pageSize: 10_000 }).toArray();
    expect(sequential.length).toBeGreaterThan(500);
    expect(concurrent).toEqual(sequential);
    expect(large).toEqual(sequential);
  });

  it('a snapshot advanced mid-download restarts the read once, from the first page', async () => {
    const before = await client.commercial.licenses.usage.list({ pageSize: 50 }).toArray();
    let pages = 0;
    let restarts = 0;
    let rows: typeof before = [];
    for await (const page of client.commercial.licenses.usage
      .list({ pageSize: 50, concurrency: 3 })
      .byPage()) {
      pages += 1;
      if (pages === 2) mock.advanceSnapshot();
      if (page.restarted) {
        restarts += 1;
        rows = [];
      }
      rows.push(...page.items);
    }
    expect(restarts).toBe(1);
    expect(warnings.some((warning) => /refreshed during the read .*reading again/.test(warning))).toBe(true);
    // The rows are exactly those of the new snapshot, as a read started after the advance sees them.
    const after = await client.commercial.licenses.usage.list({ pageSize: 50, concurrency: 1 }).toArray();
    expect(after[0]!.processedDateTime).not.toBe(before[0]!.processedDateTime);
    expect(rows).toEqual(after);
    // No processedDateTime was ever sent: the client did not pin a snapshot nobody asked for.
    expect(mock.journal().every((entry) => !('processedDateTime' in entry.query))).toBe(true);
  });

  it('injected 429/503/reset/truncate faults give the same rows as a clean run', async () => {
    const clean = await client.commercial.licenses.deployment.list({ pageSize: 40 }).toArray();
    const throttles: number[] = [];
    const faulty = createClient({
      baseUrl: mock.url,
      accessToken: mock.issueToken(),
      pageSize: 40,
      retry: { maxAttempts: 10, baseDelayMs: 2, maxDelayMs: 20 },
      hooks: { onRetry: (event) => throttles.push(event.throttled ? 1 : 0) },
    });
    mock.setFaults('429=0.08,503=0.08,reset=0.04,truncate=0.04,retry-after=0');
    try {
      const rows = await faulty.commercial.licenses.deployment.list({ concurrency: 4 }).toArray();
      expect(rows).toEqual(clean);
      expect(throttles.length).toBeGreaterThan(0);
    } finally {
      mock.setFaults('');
      await faulty.close();
    }
  });

  it('drops to one request in flight once the server throttles', async () => {
    let inFlight = 0;
    let throttled = false;
    const launchesAfterThrottle: number[] = [];
    const observed = createClient({
      baseUrl: mock.url,
      accessToken: mock.issueToken(),
      pageSize: 20,
      retry: { maxAttempts: 10, baseDelayMs: 1, maxDelayMs: 5 },
      hooks: {
        onRequest: (event) => {
          if (event.attempt !== 1) return;
          inFlight += 1;
          if (throttled) launchesAfterThrottle.push(inFlight);
        },
        onResponse: (event) => {
          if (event.status === 200) inFlight -= 1;
        },
        onRetry: (event) => {
          if (event.throttled) throttled = true;
        },
      },
    });
    mock.setFaults('429=0.2,retry-after=0');
    try {
      let pages = 0;
      for await (const _page of observed.commercial.licenses.deployment.list({ concurrency: 4 }).byPage())
        pages += 1;
      expect(pages).toBeGreaterThan(20);
      expect(throttled).toBe(true);
      // Up to `concurrency` requests may have been launched before the throttle was seen; every
      // later one starts alone.
      const later = launchesAfterThrottle.slice(4);
      expect(later.length).toBeGreaterThan(5);
      expect(later.every((count) => count === 1)).toBe(true);
    } finally {
      mock.setFaults('');
      await observed.close();
    }
  });
});

// Contract tests of the envelope and shape switches, over real HTTP with a plain undici client:
// grouped rows (A8), error bodies (A9), legacy quirks (A12, research §5.1) and 204 No Content.
import { afterAll, describe, expect, it } from 'vitest';
import { type MockServer, type MockServerOptions, startMockServer } from '../src/index.js';
import { paths } from './helpers.js';
import { plainGet } from './plain.js';

const started: MockServer[] = [];
async function start(options: MockServerOptions): Promise<MockServer> {
  const server = await startMockServer({ port: 0, quiet: true, customers: 40, ...options });
  started.push(server);
  return server;
}
afterAll(() => Promise.all(started.map((server) => server.close())));

interface Grouped {
  Value: Record<string, unknown>[];
  '@nextLink': string | null;
  TotalCount: number;
}

describe('grouped rows (A8)', () => {
  const query = `${paths.deployment}?groupby=channel,serviceCode`;

  it('ideal: group fields, number measures and processedDateTime, groups in first-seen order', async () => {
    const server = await start({});
    const page = (await plainGet(`${server.url}${query}`, { token: server.issueToken() })).json<Grouped>();
    for (const row of page.Value) {
      expect(Object.keys(row).sort()).toEqual(
        ['channel', 'licensesDeployed', 'licensesSold', 'processedDateTime', 'serviceCode'].sort(),
      );
      expect(typeof row.licensesSold).toBe('number');
    }
  });

  it('without processedDateTime: only the group fields and the measures', async () => {
    const server = await start({ groupedProcessedDateTime: false });
    const page = (await plainGet(`${server.url}${query}`, { token: server.issueToken() })).json<Grouped>();
    expect(page.Value.length).toBeGreaterThan(1);
    for (const row of page.Value)
      expect(Object.keys(row).sort()).toEqual(['channel', 'licensesDeployed', 'licensesSold', 'serviceCode']);
  });

  it('string measures carry the same sums as number measures; key order sorts the groups', async () => {
    const numbers = await start({});
    const strings = await start({ groupedMeasures: 'string', groupedOrder: 'key' });
    const a = (await plainGet(`${numbers.url}${query}`, { token: numbers.issueToken() })).json<Grouped>();
    const b = (await plainGet(`${strings.url}${query}`, { token: strings.issueToken() })).json<Grouped>();
    expect(b.TotalCount).toBe(a.TotalCount);
    const keyOf = (row: Record<string, unknown>) => `${row.channel}|${row.serviceCode}`;
    expect(b.Value.map(keyOf)).toEqual([...a.Value.map(keyOf)].sort());
    const sums = new Map(a.Value.map((row) => [keyOf(row), row.licensesSold]));
    for (const row of b.Value) {
      expect(typeof row.licensesSold).toBe('string');
      expect(row.licensesSold).toMatch(/^\d+$/);
      expect(Number(row.licensesSold)).toBe(sums.get(keyOf(row)));
    }
  });

  it('realistic: no processedDateTime, string measures, key order', async () => {
    const server = await start({ profile: 'realistic' });
    const page = (await plainGet(`${server.url}${query}`, { token: server.issueToken() })).json<Grouped>();
    const keys = page.Value.map((row) => `${row.channel}|${row.serviceCode}`);
    expect(keys).toEqual([...keys].sort());
    for (const row of page.Value) {
      expect(row).not.toHaveProperty('processedDateTime');
      expect(typeof row.licensesDeployed).toBe('string');
    }
  });
});

describe('error bodies (A9)', () => {
  it('analytics: a bad query gets the analytics API body, naming what is wrong in innererror.data', async () => {
    const server = await start({ errorStyle: 'analytics' });
    const token = server.issueToken();
    for (const query of [
      'top=10001',
      'top=0',
      'skip=x',
      "filter=nope eq 'x'",
      'groupby=nope',
      'processedDateTime=soon',
    ]) {
      const answer = await plainGet(`${server.url}${paths.usage}?${query}`, { token });
      expect(answer.status, query).toBe(400);
      const body = answer.json<{ innererror: { data: string[] } }>();
      expect(body, query).toMatchObject({
        code: 'BadRequest',
        data: [],
        details: [],
        innererror: {
          code: 'InvalidQueryParameters',
          details: [],
          message: 'One or More Query Parameters has invalid values.',
          source: 'AnalyticsAPI',
        },
        message: 'The calling client sent a bad request to the service.',
        source: 'AnalyticsAPI',
      });
      expect(body.innererror.data, query).toHaveLength(1);
      expect(body.innererror.data[0], query).toMatch(/top|skip|filter|groupby|processedDateTime/i);
    }
  });

  it('keeps the Partner Center body where that is documented: auth, unknown paths, legacy ids', async () => {
    const server = await start({ profile: 'realistic' });
    const token = server.issueToken();
    const answers = await Promise.all([
      plainGet(`${server.url}${paths.usage}`),
      plainGet(`${server.url}${paths.usage}`, { token: server.issueToken({ appOnly: true }) }),
      plainGet(`${server.url}/partner/v1/analytics/nothing`, { token }),
      plainGet(`${server.url}${paths.customerUsage('not-a-guid')}`, { token }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([401, 403, 404, 400]);
    for (const answer of answers) {
      const body = answer.json();
      expect(body).toHaveProperty('code');
      expect(typeof body.description).toBe('string');
      expect(body).not.toHaveProperty('innererror');
    }
  });

  it('partner-center (ideal): the bad query keeps {code, description, data, source}', async () => {
    const server = await start({});
    const answer = await plainGet(`${server.url}${paths.usage}?top=0`, { token: server.issueToken() });
    expect(answer.json()).toMatchObject({ code: 800002, source: 'pc-mock' });
  });
});

describe('204 No Content (fault kind no-content)', () => {
  it('answers 204 with no body and no Content-Type, from the header or the probabilities', async () => {
    const server = await start({});
    const token = server.issueToken();
    const answer = await plainGet(`${server.url}${paths.usage}?top=5`, {
      token,
      headers: { 'x-pc-mock-fault': 'no-content' },
    });
    expect(answer.status).toBe(204);
    expect(answer.bytes).toHaveLength(0);
    expect(answer.headers['content-type']).toBeUndefined();
    expect(answer.headers['ms-requestid']).toBeTruthy();
    server.setFaults('no-content=1');
    expect((await plainGet(`${server.url}${paths.deployment}`, { token })).status).toBe(204);
    expect(server.journal().map((entry) => [entry.status, entry.fault])).toEqual([
      [204, 'no-content'],
      [204, 'no-content'],
    ]);
  });
});

describe('legacy quirks (A12, research §5.1)', () => {
  it('E6 answers an empty collection with legacyE6 empty (still 400 for a malformed id); E5 keeps its rows', async () => {
    const server = await start({ legacyE6: 'empty' });
    const token = server.issueToken();
    const some = (await plainGet(`${server.url}${paths.usage}?top=1`, { token })).json<Grouped>().Value[0]!;
    const id = String(some.customerTenantId).toLowerCase();
    const e6 = await plainGet(`${server.url}${paths.customerDeployment(id)}`, { token });
    expect(e6.status).toBe(200);
    expect(e6.json()).toEqual({ totalCount: 0, items: [], attributes: { objectType: 'Collection' } });
    expect((await plainGet(`${server.url}${paths.customerDeployment('nope')}`, { token })).status).toBe(400);
    const e5 = (await plainGet(`${server.url}${paths.customerUsage(id)}`, { token })).json();
    expect(e5.totalCount).toBeGreaterThan(0);
    const live = await start({});
    const e6Live = await plainGet(`${live.url}${paths.customerDeployment(id)}`, { token: live.issueToken() });
    expect(e6Live.json().totalCount).toBeGreaterThan(0);
  });

  async function readLegacy(
    server: MockServer,
    path: string,
    resolve: (uri: string) => string,
  ): Promise<{ items: Record<string, unknown>[]; pages: Record<string, unknown>[] }> {
    const token = server.issueToken();
    let url: string | undefined = `${server.url}${path}`;
    let headers: Record<string, string> = {};
    const items: Record<string, unknown>[] = [];
    const pages: Record<string, unknown>[] = [];
    while (url !== undefined) {
      const answer = await plainGet(url, { token, headers });
      expect(answer.status, answer.text).toBe(200);
      const page = answer.json<{
        totalCount: number;
        items: Record<string, unknown>[];
        links?: { next?: { uri: string; method: string; headers: { key: string; value: string }[] } };
      }>();
      pages.push(page);
      expect(page.totalCount).toBe(page.items.length);
      items.push(...page.items);
      const next = page.links?.next;
      url = next === undefined ? undefined : resolve(next.uri);
      headers = Object.fromEntries((next?.headers ?? []).map((header) => [header.key, header.value]));
    }
    return { items, pages };
  }

  it('v1: links.next.uri is relative to /v1 and its MS-ContinuationToken is required by the next page', async () => {
    const server = await start({ legacyNextLink: 'v1', legacyPageSize: 7 });
    const ideal = await start({});
    const whole = (await plainGet(`${ideal.url}${paths.partnerUsage}`, { token: ideal.issueToken() })).json();
    const { items, pages } = await readLegacy(server, paths.partnerUsage, (uri) => `${server.url}/v1${uri}`);
    expect(pages.length).toBeGreaterThan(2);
    const first = pages[0] as { links: { next: { uri: string; method: string; headers: unknown[] } } };
    expect(first.links.next.uri).toBe('/analytics/licenses/usage?seekOperation=Next');
    expect(first.links.next.method).toBe('GET');
    expect(first.links.next.headers).toEqual([{ key: 'MS-ContinuationToken', value: expect.any(String) }]);
    expect(pages.at(-1)).not.toHaveProperty('links');
    expect(items.length).toBe(whole.totalCount);
    const key = (item: Record<string, unknown>) => `${item.serviceName}|${item.workloadName}|${item.channel}`;
    expect(new Set(items.map(key)).size).toBe(items.length);
    // The next page without its header: 400, naming the header.
    const token = server.issueToken();
    const bare = await plainGet(`${server.url}/v1${first.links.next.uri}`, { token });
    expect(bare.status).toBe(400);
    expect(bare.json().description).toMatch(/MS-ContinuationToken/);
    // A token of another collection is refused too.
    const foreign = await plainGet(`${server.url}${paths.partnerDeployment}?seekOperation=Next`, {
      token,
      headers: { 'MS-ContinuationToken': (first.links.next.headers[0] as { value: string }).value },
    });
    expect(foreign.status).toBe(400);
  });

  it('root: links.next.uri is relative to the root, and customer collections page too', async () => {
    const server = await start({ legacyNextLink: 'root', legacyPageSize: 5 });
    const token = server.issueToken();
    const some = (await plainGet(`${server.url}${paths.usage}?top=1`, { token })).json<Grouped>().Value[0]!;
    const id = String(some.customerTenantId).toLowerCase();
    const { items, pages } = await readLegacy(
      server,
      paths.customerUsage(id),
      (uri) => `${server.url}${uri}`,
    );
    const first = pages[0] as { links?: { next: { uri: string } } };
    if (pages.length > 1) expect(first.links?.next.uri).toBe(`${paths.customerUsage(id)}?seekOperation=Next`);
    const live = await start({});
    const whole = (
      await plainGet(`${live.url}${paths.customerUsage(id)}`, { token: live.issueToken() })
    ).json();
    expect(items.length).toBe(whole.totalCount);
  });

  it('realistic: E6 empty and legacy pages of 20 with v1 links', async () => {
    const server = await start({ profile: 'realistic', customers: 200 });
    const token = server.issueToken();
    const page = (await plainGet(`${server.url}${paths.partnerUsage}`, { token })).json();
    expect(page.items).toHaveLength(20);
    expect((page.links as { next: { uri: string } }).next.uri).toBe(
      '/analytics/licenses/usage?seekOperation=Next',
    );
  });
});

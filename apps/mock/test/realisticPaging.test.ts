// Contract tests of the paging switches (page cap, next-link style), the BOM and the profiles, over
// real HTTP with a plain undici client. Evidence rows: A6, A7, A11 of fidelity-findings.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, parseMockFlags, startMockServer, switchDocs } from '../src/index.js';
import { paths } from './helpers.js';
import { followPages, plainGet, rowsOf } from './plain.js';

const started: MockServer[] = [];
async function start(options: Parameters<typeof startMockServer>[0]): Promise<MockServer> {
  const server = await startMockServer({ port: 0, quiet: true, ...options });
  started.push(server);
  return server;
}
afterAll(() => Promise.all(started.map((server) => server.close())));

/** Encodes a query value as undici sends it (WHATWG URL encodes the quote, encodeURIComponent does not). */
const q = (value: string) => encodeURIComponent(value).replaceAll("'", '%27');

const deploymentKey = (row: Record<string, unknown>) => `${row.customerTenantId}|${row.productId}`;
const usageKey = (row: Record<string, unknown>) =>
  `${row.customerTenantId}|${row.productId}|${row.workloadCode}`;

describe('page cap (A6, A7)', () => {
  let capped: MockServer;
  let reference: MockServer;
  beforeAll(async () => {
    capped = await start({ customers: 25, pageCap: 50 });
    reference = await start({ customers: 25 });
  });

  it('holds for every top: pages of min(top, cap) rows, a link while rows remain, every row exactly once', async () => {
    const token = capped.issueToken();
    const all = rowsOf(await followPages(reference, paths.deployment, reference.issueToken()));
    expect(all.length).toBeGreaterThan(150);
    for (const top of [3, 49, 50, 51, 120, 10_000, undefined]) {
      const query = top === undefined ? '' : `?top=${top}`;
      const pages = await followPages(capped, `${paths.deployment}${query}`, token);
      const size = Math.min(top ?? 10_000, 50);
      pages.forEach(({ page }, index) => {
        const last = index === pages.length - 1;
        expect(page.TotalCount, `top=${top}`).toBe(all.length);
        if (last) {
          expect(page['@nextLink'], `top=${top}`).toBeNull();
          expect(page.Value.length).toBeLessThanOrEqual(size);
        } else {
          expect(page.Value, `top=${top} page ${index}`).toHaveLength(size);
          expect(page['@nextLink'], `top=${top}`).not.toBeNull();
        }
      });
      const rows = rowsOf(pages);
      expect(rows.map(deploymentKey), `top=${top}`).toEqual(all.map(deploymentKey));
      expect(new Set(rows.map(deploymentKey)).size).toBe(all.length);
    }
  });

  it('advances skip by the rows actually returned and keeps the rest of the query', async () => {
    const token = capped.issueToken();
    const filter = q("channel eq 'reseller'");
    const answer = await plainGet(`${capped.url}${paths.usage}?filter=${filter}&top=500&skip=10`, { token });
    const page = answer.json<{ Value: unknown[]; '@nextLink': string }>();
    expect(page.Value).toHaveLength(50);
    expect(page['@nextLink']).toBe(`${capped.url}${paths.usage}?filter=${filter}&top=500&skip=60`);
  });

  it('caps grouped results too, TotalCount counting the groups', async () => {
    const token = capped.issueToken();
    const pages = await followPages(capped, `${paths.usage}?groupby=customerTenantId,productId`, token);
    const rows = rowsOf(pages);
    expect(pages.length).toBeGreaterThan(1);
    expect(rows).toHaveLength(pages[0]!.page.TotalCount);
    expect(new Set(rows.map(deploymentKey)).size).toBe(rows.length);
  });

  it('is 2000 in the realistic profile, whatever top asks', async () => {
    const server = await start({ customers: 300, profile: 'realistic' });
    const token = server.issueToken();
    const pages = await followPages(server, `${paths.usage}?top=10000`, token);
    const total = pages[0]!.page.TotalCount;
    expect(total).toBeGreaterThan(4000);
    expect(pages.map(({ page }) => page.Value.length)).toEqual(
      Array.from({ length: pages.length }, (_, index) =>
        index < pages.length - 1 ? 2000 : total - 2000 * (pages.length - 1),
      ),
    );
    expect(new Set(rowsOf(pages).map(usageKey)).size).toBe(total);
  });
});

describe('next-link style (A6)', () => {
  const query = `?filter=${q("channel eq 'reseller' or productName eq 'OFFICE 365 ENTERPRISE E3'")}&top=40`;
  let servers: Record<'absolute' | 'relative' | 'relative-raw', MockServer>;
  beforeAll(async () => {
    servers = {
      absolute: await start({ customers: 30, nextLinkStyle: 'absolute' }),
      relative: await start({ customers: 30, nextLinkStyle: 'relative' }),
      'relative-raw': await start({ customers: 30, nextLinkStyle: 'relative-raw' }),
    };
  });

  it('absolute: origin, path and the query as the caller encoded it, skip advanced', async () => {
    const server = servers.absolute;
    const page = (
      await plainGet(`${server.url}${paths.usage}${query}`, { token: server.issueToken() })
    ).json();
    expect(page['@nextLink']).toBe(`${server.url}${paths.usage}${query}&skip=40`);
  });

  it('relative: a path and query, no origin', async () => {
    const server = servers.relative;
    const page = (
      await plainGet(`${server.url}${paths.usage}${query}`, { token: server.issueToken() })
    ).json();
    expect(page['@nextLink']).toBe(`${paths.usage}${query}&skip=40`);
  });

  it('relative-raw: relative, with literal spaces and quotes; & = % stay encoded', async () => {
    const server = servers['relative-raw'];
    const token = server.issueToken();
    const page = (await plainGet(`${server.url}${paths.usage}${query}`, { token })).json();
    expect(page['@nextLink']).toBe(
      `${paths.usage}?filter=channel eq 'reseller' or productName eq 'OFFICE 365 ENTERPRISE E3'&top=40&skip=40`,
    );
    const ampersand = `?filter=${q("customerName eq 'City Power & Light 100%'")}&top=1`;
    const odd = (await plainGet(`${server.url}${paths.deployment}${ampersand}`, { token })).json();
    // No such customer: no rows and no link; the link of a matching query keeps & and % encoded.
    expect(odd['@nextLink']).toBeNull();
    const kept = (
      await plainGet(`${server.url}${paths.deployment}?filter=${q("channel ne 'x&y=z'")}&top=1`, { token })
    ).json();
    expect(kept['@nextLink']).toBe(`${paths.deployment}?filter=channel ne 'x%26y%3Dz'&top=1&skip=1`);
  });

  it('every style, resolved against the page URL, reads the same rows exactly once', async () => {
    const reads = await Promise.all(
      Object.values(servers).map(async (server) =>
        rowsOf(await followPages(server, `${paths.usage}${query}`, server.issueToken())).map(usageKey),
      ),
    );
    expect(reads[0]!.length).toBeGreaterThan(80);
    expect(new Set(reads[0]).size).toBe(reads[0]!.length);
    expect(reads[1]).toEqual(reads[0]);
    expect(reads[2]).toEqual(reads[0]);
  });

  it('is relative-raw in the realistic profile', async () => {
    const server = await start({ customers: 10, profile: 'realistic' });
    const page = (
      await plainGet(`${server.url}${paths.deployment}?top=5`, { token: server.issueToken() })
    ).json();
    expect(page['@nextLink']).toBe(`${paths.deployment}?top=5&skip=5`);
  });
});

describe('UTF-8 BOM (A11)', () => {
  it('starts every API body with a BOM when on: pages, legacy, errors; not the token endpoint', async () => {
    const server = await start({ customers: 10, bom: true });
    const token = server.issueToken();
    const answers = await Promise.all([
      plainGet(`${server.url}${paths.usage}?top=3`, { token }),
      plainGet(`${server.url}${paths.partnerDeployment}`, { token }),
      plainGet(`${server.url}${paths.usage}?top=0`, { token }),
      plainGet(`${server.url}${paths.usage}`),
      plainGet(`${server.url}/partner/v1/analytics/nothing`, { token }),
      plainGet(`${server.url}${paths.usage}`, { token, headers: { 'x-pc-mock-fault': '503' } }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 400, 401, 404, 503]);
    for (const answer of answers) {
      expect(answer.bom, `${answer.status} ${answer.text}`).toBe(true);
      expect(answer.bytes.subarray(3, 4).toString()).toBe('{');
      expect(() => answer.json()).not.toThrow();
      expect(Number(answer.headers['content-length'])).toBe(answer.bytes.length);
    }
    const tokenAnswer = await plainGet(`${server.url}/common/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(tokenAnswer.bom).toBe(false);
    // A `bom` fault on top of the profile's BOM still sends one BOM.
    const both = await plainGet(`${server.url}${paths.usage}?top=1`, {
      token,
      headers: { 'x-pc-mock-fault': 'bom' },
    });
    expect(both.bom).toBe(true);
    expect(both.text.startsWith('{')).toBe(true);
  });

  it('is on in realistic and off in ideal', async () => {
    const realistic = await start({ customers: 5, profile: 'realistic' });
    const ideal = await start({ customers: 5, profile: 'ideal' });
    const on = await plainGet(`${realistic.url}${paths.deployment}?top=1`, { token: realistic.issueToken() });
    const off = await plainGet(`${ideal.url}${paths.deployment}?top=1`, { token: ideal.issueToken() });
    expect(on.bom).toBe(true);
    expect(off.bom).toBe(false);
  });
});

describe('profiles', () => {
  it('each switch given wins over the profile', async () => {
    const server = await start({
      customers: 10,
      profile: 'realistic',
      pageCap: 0,
      nextLinkStyle: 'absolute',
      bom: false,
    });
    const answer = await plainGet(`${server.url}${paths.usage}?top=2500`, { token: server.issueToken() });
    expect(answer.bom).toBe(false);
    const page = answer.json<{ Value: unknown[]; '@nextLink': string | null; TotalCount: number }>();
    expect(page.Value).toHaveLength(Math.min(2500, page.TotalCount));
    if (page.TotalCount > 2500) expect(page['@nextLink']).toMatch(/^http:\/\//);
  });

  it('refuses an unknown profile, style or cap, naming the option', async () => {
    await expect(startMockServer({ port: 0, quiet: true, profile: 'real' as never })).rejects.toThrow(
      /profile must be one of ideal, realistic/,
    );
    await expect(startMockServer({ port: 0, quiet: true, nextLinkStyle: 'raw' as never })).rejects.toThrow(
      /nextLinkStyle must be one of absolute, relative, relative-raw/,
    );
    await expect(startMockServer({ port: 0, quiet: true, pageCap: -1 })).rejects.toThrow(/pageCap/);
    expect(() => parseMockFlags(['--profile', 'nope'])).toThrow(/profile must be one of/);
    expect(() => parseMockFlags(['--bom', 'maybe'])).toThrow(/--bom must be on or off/);
  });

  it('/openapi.json lists the profile and every switch with its value, profiles and evidence row', async () => {
    const server = await start({ customers: 5, profile: 'realistic', pageCap: 700 });
    const document = (await plainGet(`${server.url}/openapi.json`)).json<{
      info: { 'x-pc-mock-profile': string; 'x-pc-mock-switches': Record<string, unknown>[] };
    }>();
    expect(document.info['x-pc-mock-profile']).toBe('realistic');
    const switches = document.info['x-pc-mock-switches'];
    expect(switches.map((item) => item.option)).toEqual(switchDocs.map((doc) => doc.option));
    for (const item of switches) {
      expect(item.evidence, String(item.option)).toMatch(/^(A\d+|research)/);
      expect(Object.keys(item.profiles as object)).toEqual(['ideal', 'realistic']);
    }
    expect(switches[0]).toMatchObject({
      flag: '--page-cap <n>',
      evidence: 'A6, A7',
      value: '700',
      profiles: { ideal: 'none', realistic: '2000' },
    });
    expect(switches[1]).toMatchObject({ value: 'relative-raw', evidence: 'A6' });
    expect(switches[2]).toMatchObject({ value: 'on', evidence: 'A11' });
  });

  it('parses the switches from flags', () => {
    expect(
      parseMockFlags([
        '--profile',
        'realistic',
        '--page-cap',
        '1000',
        '--next-link-style',
        'relative',
        '--bom',
        'off',
      ]),
    ).toEqual({ profile: 'realistic', pageCap: 1000, nextLinkStyle: 'relative', bom: false });
  });
});

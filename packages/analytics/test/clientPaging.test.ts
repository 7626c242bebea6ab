import { isPartnerCenterError } from '@pc/transport';
import { filterBuilder } from '@pc/odata-query';
import { commercialLicenseDeployment, defineEndpoint, type CommercialLicenseDeploymentRow } from '@pc/models';
import { beforeEach, describe, expect, it } from 'vitest';
import { createClient, defineAnalyticsModule } from '../src/index.js';
import { resetDeprecationWarnings } from '../src/internal/deprecation.js';
import { createFakeTransport } from './fixtures/fakeTransport.js';

const snapshots = [
  { processedDateTime: '2026-11-20T00:00:00.000Z', rows: 523 },
  { processedDateTime: '2026-11-19T00:00:00.000Z', rows: 498 },
];

function setup(options: Partial<Parameters<typeof createFakeTransport>[0]> = {}) {
  const fake = createFakeTransport({ snapshots, ...options });
  const warnings: string[] = [];
  const client = createClient({
    transport: fake.transport,
    pageSize: 50,
    hooks: { onWarning: (message) => warnings.push(message) },
  });
  return { fake, client, warnings };
}

describe('paging against a fake server', () => {
  beforeEach(() => resetDeprecationWarnings());

  it('gives the same normalized rows sequentially and concurrently, in order', async () => {
    const { client, fake } = setup();
    const sequential = await client.commercial.licenses.deployment.list({ concurrency: 1 }).toArray();
    const concurrent = await client.commercial.licenses.deployment.list({ concurrency: 5 }).toArray();
    expect(sequential).toHaveLength(523);
    expect(concurrent).toEqual(sequential);
    expect(fake.stats().maxInFlight).toBeGreaterThan(1);
    expect(fake.stats().maxInFlight).toBeLessThanOrEqual(5);
    const first = sequential[0]!;
    expect(first.processedDateTime).toBe('2026-11-20T00:00:00.000Z');
    expect(first.customerTenantId).toBe(first.customerTenantId.toLowerCase());
    expect(typeof first.licensesDeployed).toBe('number');
  });

  it('parses pages fetched ahead only at their turn, and asks again for a body that is not JSON', async () => {
    const { client } = setup();
    const expected = await client.commercial.licenses.deployment.list({ concurrency: 1 }).toArray();
    const deferred = setup({
      deferred: { malformed: (request) => request.query.skip === '200' && deferredSkip200++ === 0 },
    });
    let deferredSkip200 = 0;
    const rows = await deferred.client.commercial.licenses.deployment.list({ concurrency: 4 }).toArray();
    expect(rows).toEqual(expected);
    // Pages 1-10 came as deferred bodies; the malformed one was asked for again (getJson).
    expect(deferred.fake.stats().deferredAnswers).toBe(10);
    const skips = deferred.fake.requests.map((request) => request.query.skip ?? '0');
    expect(skips.filter((skip) => skip === '200')).toHaveLength(2);
  });

  it('asks for top rows in total and trims the last page', async () => {
    const { client, fake } = setup();
    const rows = await client.commercial.licenses.deployment.list({ top: 123, concurrency: 2 }).toArray();
    expect(rows).toHaveLength(123);
    const tops = fake.requests.map((request) => `${request.query.skip ?? 0}+${request.query.top}`);
    expect(tops).toEqual(['0+50', '50+50', '100+23']);
  });

  it('pins the snapshot of the first page so a refresh mid-read cannot tear the result', async () => {
    const clean = setup();
    clean.fake.state.latest = 1;
    const expected = await clean.client.commercial.licenses.deployment.list({ concurrency: 1 }).toArray();
    expect(expected).toHaveLength(498);

    const { client, fake } = setup({
      beforeAnswer: (_request, state) => {
        // The service publishes the next snapshot right after the first page.
        if (fakeRequests() === 2) state.latest = 0;
      },
    });
    const fakeRequests = () => fake.requests.length;
    fake.state.latest = 1;
    const pages = [];
    for await (const page of client.commercial.licenses.deployment.list({ concurrency: 3 }).byPage())
      pages.push(page);
    expect(pages.flatMap((page) => page.items)).toEqual(expected);
    expect(pages.every((page) => page.processedDateTime === '2026-11-19T00:00:00.000Z')).toBe(true);
    expect(pages.map((page) => page.pageIndex)).toEqual(pages.map((_, index) => index));
    expect(fake.requests[0]!.query.processedDateTime).toBeUndefined();
    expect(
      fake.requests
        .slice(1)
        .every((request) => request.query.processedDateTime === '2026-11-19T00:00:00.000Z'),
    ).toBe(true);
  });

  it('reads the snapshot asked for', async () => {
    const { client, fake } = setup();
    const rows = await client.commercial.licenses.deployment
      .list({ processedDateTime: '2026-11-19' })
      .toArray();
    expect(rows).toHaveLength(498);
    expect(fake.requests.every((request) => request.query.processedDateTime === '2026-11-19')).toBe(true);
  });

  it('reads an empty result with one request, and an empty insight', async () => {
    const { client, fake } = setup();
    const pages = [];
    for await (const page of client.commercial.licenses.deployment
      .list({ processedDateTime: '2026-01-01', concurrency: 4 })
      .byPage())
      pages.push(page);
    expect(pages.map((page) => [page.pageIndex, page.items.length, page.processedDateTime])).toEqual([
      [0, 0, '2026-01-01T00:00:00.000Z'],
    ]);
    expect(fake.requests).toHaveLength(1);
    const nothing = await client.commercial.licenses.deployment
      .list({ filter: "channel eq 'nowhere'" })
      .toArray();
    expect(nothing).toEqual([]);
    const insight = await client.insights.unusedLicenses({ filter: "channel eq 'nowhere'" });
    expect(insight.rows).toEqual([]);
    expect(insight.meta).toMatchObject({ rowsRead: 0, processedDateTime: null, groups: 0 });
  });

  it('sends filters (text or typed builder) and checks them before any request', async () => {
    const { client, fake } = setup();
    const text = await client.commercial.licenses.deployment
      .list({ filter: "serviceCode eq 'o365'" })
      .toArray();
    const f = filterBuilder<CommercialLicenseDeploymentRow>();
    const built = await client.commercial.licenses.deployment
      .list({ filter: f.and(f.eq('serviceCode', 'o365'), f.ne('channel', 'nowhere')) })
      .toArray();
    expect(text.length).toBeGreaterThan(0);
    expect(text.every((row) => row.serviceCode.toLowerCase() === 'o365')).toBe(true);
    expect(built).toEqual(text);
    const sent = fake.requests.length;

    const refused = [
      () => client.commercial.licenses.deployment.list({ filter: "licensesSold eq '3'" }),
      () => client.commercial.licenses.deployment.list({ filter: "serviceCode gt 'a'" }),
      () => client.commercial.licenses.deployment.list({ filter: "serviceCode eq 'a' and" }),
      () => client.commercial.licenses.deployment.list({ groupby: 'licensesSold' as 'channel' }),
      () => client.analytics.licenses.deployment.list({ filter: "channel eq 'x'" }),
      () => client.commercial.licenses.deployment.list({ top: 0 }),
      () => client.commercial.licenses.deployment.list({ processedDateTime: 'yesterday' }),
    ];
    for (const attempt of refused) {
      let caught: unknown;
      try {
        attempt();
      } catch (error) {
        caught = error;
      }
      expect(isPartnerCenterError(caught) && caught.code === 'INVALID_REQUEST').toBe(true);
    }
    expect(fake.requests.length).toBe(sent);
  });

  it('names the filter problem with a caret', () => {
    const { client } = setup();
    expect(() => client.commercial.licenses.deployment.list({ filter: "productNam eq 'x'" })).toThrow(
      /productNam[\s\S]*\^/,
    );
  });

  it('parses grouped pages (counts sent as strings) and pages them too', async () => {
    const { client } = setup();
    const grouped = await client.commercial.licenses.deployment
      .list({ groupby: ['customerTenantId'], pageSize: 10, concurrency: 3 })
      .toArray();
    expect(grouped).toHaveLength(37);
    const rows = await client.commercial.licenses.deployment.list().toArray();
    const sold = rows.reduce((sum, row) => sum + row.licensesSold, 0);
    expect(grouped.reduce((sum, row) => sum + (row.licensesSold as number), 0)).toBe(sold);
    expect(grouped.every((row) => typeof row.licensesDeployed === 'number')).toBe(true);
  });

  it('wraps a bad page in a DECODE error naming the JSON path and the request id', async () => {
    const { client } = setup({
      overrideBody: (request) =>
        request.query.skip === '100'
          ? { Value: [{ ...validRow(), licensesSold: 'many' }], '@nextLink': null, TotalCount: 1 }
          : undefined,
    });
    const error = await client.commercial.licenses.deployment
      .list({ concurrency: 2 })
      .toArray()
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(isPartnerCenterError(error)).toBe(true);
    if (!isPartnerCenterError(error)) return;
    expect(error.code).toBe('DECODE');
    expect(error.message).toMatch(/items\.0\.licensesSold/);
    expect(error.message).toContain(error.requestId);
    expect((error.cause as Error).name).toBe('ZodError');
  });

  it('stops cleanly when the consumer breaks early, and honours the signal', async () => {
    const { client, fake } = setup();
    let seen = 0;
    for await (const _row of client.commercial.licenses.deployment.list({ concurrency: 4 })) {
      seen += 1;
      if (seen === 60) break;
    }
    expect(seen).toBe(60);
    // Page 0, then a window of 4 kept full while the consumer reads page 1 (pages 2-5): of the 11
    // pages, nothing past the window was asked for, and nothing is asked for after the break.
    expect(fake.requests.length).toBeLessThanOrEqual(6);
    const requestsAtBreak = fake.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.requests.length).toBe(requestsAtBreak);
    expect(fake.stats().inFlight).toBe(0);

    const controller = new AbortController();
    controller.abort(new Error('cancelled by the test'));
    await expect(
      client.commercial.licenses.deployment.list({ signal: controller.signal }).toArray(),
    ).rejects.toThrow('cancelled by the test');
    expect(fake.requests.length).toBe(requestsAtBreak);

    // Aborted in the middle of a read: the read fails with the reason and stops asking.
    const midRead = new AbortController();
    const pagesSeen: number[] = [];
    await expect(async () => {
      for await (const page of client.commercial.licenses.deployment
        .list({ signal: midRead.signal, concurrency: 2 })
        .byPage()) {
        pagesSeen.push(page.pageIndex);
        if (page.pageIndex === 2) midRead.abort(new Error('stopped mid-read'));
      }
    }).rejects.toThrow('stopped mid-read');
    expect(pagesSeen).toEqual([0, 1, 2]);
    const requestsAtAbort = fake.requests.length;
    expect(requestsAtAbort - requestsAtBreak).toBeLessThanOrEqual(5);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.requests.length).toBe(requestsAtAbort);
    expect(fake.stats().inFlight).toBe(0);
  });

  it('sends one correlation id per read (or the one given)', async () => {
    const { client, fake } = setup();
    await client.commercial.licenses.deployment.list({ top: 200 }).toArray();
    await client.commercial.licenses.deployment.list({ top: 200 }).toArray();
    await client.commercial.licenses.deployment.list({ top: 200, correlationId: 'mine' }).toArray();
    const ids = fake.requests.map((request) => request.correlationId);
    expect(ids).toHaveLength(12);
    expect(new Set(ids.slice(0, 4)).size).toBe(1);
    expect(new Set(ids.slice(4, 8)).size).toBe(1);
    expect(ids[0]).not.toBe(ids[4]);
    expect(ids.slice(8)).toEqual(['mine', 'mine', 'mine', 'mine']);
  });

  it('reports progress per page', async () => {
    const events: { pageIndex: number; rowsSoFar: number; totalCount: number | null }[] = [];
    const fake = createFakeTransport({ snapshots });
    const client = createClient({
      transport: fake.transport,
      pageSize: 200,
      hooks: { onPage: (event) => events.push(event) },
    });
    await client.commercial.licenses.deployment.list().toArray();
    expect(events.map((event) => [event.pageIndex, event.rowsSoFar, event.totalCount])).toEqual([
      [0, 200, 523],
      [1, 400, 523],
      [2, 523, 523],
    ]);
  });

  it('follows nextLink on legacy endpoints, fills path parameters and warns once per endpoint', async () => {
    const legacyItem = {
      processedDateTime: '2026-11-20T03:25:16.36+00:00',
      serviceName: 'o365',
      channel: 'reseller',
      customerName: 'Contoso',
      productName: 'E3',
      licensesDeployed: 3,
      licensesSold: '4',
      deploymentPercent: 0.75,
      attributes: { objectType: 'CustomerLicensesDeploymentInsights' },
    };
    const { client, fake, warnings } = setup({
      overrideBody: (request) =>
        request.path.endsWith('/more')
          ? { totalCount: 1, items: [legacyItem], attributes: { objectType: 'Collection' } }
          : {
              totalCount: 2,
              items: [legacyItem, legacyItem],
              links: { next: { uri: '/v1/customers/abc/more' } },
            },
    });
    // A customer id that is not a GUID is refused before any request (the service answers 400).
    expect(() => client.customers.byId('ABC').analytics.licenses.deployment.list()).toThrow(
      expect.objectContaining({
        code: 'INVALID_REQUEST',
        message: expect.stringContaining("'ABC' is not a valid customerId"),
      }),
    );
    expect(fake.requests).toHaveLength(0);
    const customer = client.customers.byId('0112A436-B14E-4888-967B-CA4BB2CF1234');
    const rows = await customer.analytics.licenses.deployment.list().toArray();
    await customer.analytics.licenses.deployment.list().toArray();
    expect(rows).toHaveLength(3);
    expect(rows[0]!.licensesSold).toBe(4);
    expect(fake.requests[0]!.path).toBe(
      '/v1/customers/0112A436-B14E-4888-967B-CA4BB2CF1234/analytics/licenses/deployment',
    );
    expect(fake.requests[0]!.query).toEqual({});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/customerLicenseDeployment.*superseded by commercialLicenseDeployment/);
    expect(warnings[0]).toContain('/partner/v1/analytics/commercial/deployment/license');
  });

  it('sends the query of an endpoint that pages by nextLink only, and follows the links', async () => {
    const linkPaged = defineEndpoint({
      id: 'linkPagedDeployment',
      title: 'Deployment, paged by nextLink',
      description: 'A module endpoint that takes filter and top but no skip',
      path: '/partner/v1/analytics/link-paged',
      envelope: 'odata',
      columns: commercialLicenseDeployment.columns as typeof commercialLicenseDeployment.columns,
      filterable: ['serviceCode', 'channel'],
      filterOperators: ['eq', 'and'],
      queryOptions: ['filter', 'top'],
    });
    const fake = createFakeTransport({ snapshots });
    const client = createClient({
      transport: fake.transport,
      pageSize: 50,
      modules: [
        defineAnalyticsModule({
          name: 'link-paged',
          description: 'x',
          endpoints: [{ descriptor: linkPaged }],
        }),
      ],
    });
    const rows = await client
      .list('linkPagedDeployment', { filter: "serviceCode eq 'crm'", top: 120 })
      .toArray();
    expect(rows).toHaveLength(120);
    expect(rows.every((row) => String(row.serviceCode).toLowerCase() === 'crm')).toBe(true);
    expect(
      fake.requests.map((request) => [request.query.filter, request.query.top, request.query.skip]),
    ).toEqual([
      ["serviceCode eq 'crm'", '50', undefined],
      ["serviceCode eq 'crm'", '50', '50'],
      ["serviceCode eq 'crm'", '50', '100'],
    ]);
  });

  it('knows its endpoints and explains unknown ids', () => {
    const { client } = setup();
    expect(client.endpoint('commercialLicenseUsage').path).toBe(
      '/partner/v1/analytics/commercial/usage/license',
    );
    expect(() => client.list('nope')).toThrow(/Unknown endpoint 'nope'.*commercialLicenseUsage/);
    expect(client.modules.map((module) => module.name)).toEqual(['licenses']);
  });
});

function validRow(): Record<string, unknown> {
  return {
    processedDateTime: '2026-11-20T00:00:00',
    serviceCode: 'O365',
    serviceName: 'Office',
    channel: 'Reseller',
    customerTenantId: 'AAAA',
    customerName: 'A',
    productId: 'P',
    productName: 'Product',
    licensesDeployed: 1,
    licensesSold: 2,
  };
}

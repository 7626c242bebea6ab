import { afterEach, describe, expect, it } from 'vitest';
import {
  createStaticTokenProvider,
  createTransport,
  isPartnerCenterError,
  type PageParser,
  type Transport,
} from '../src/index.js';
import { type LoopbackServer, sendJson, startServer } from './support/loopbackServer.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Envelope {
  Value: number[];
  '@nextLink': string | null;
  TotalCount: number;
}
const parsePage: PageParser<number> = (body) => {
  const envelope = body as Envelope;
  return { items: envelope.Value, nextLink: envelope['@nextLink'], totalCount: envelope.TotalCount };
};

async function setup(
  links: (server: string) => Array<string | null>,
): Promise<{ server: LoopbackServer; transport: Transport }> {
  let origin = '';
  const server = await startServer((request, response) => {
    const skip = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('skip') ?? '0');
    const page = skip / 2;
    const nextLinks = links(origin);
    sendJson(response, 200, { Value: [skip, skip + 1], '@nextLink': nextLinks[page] ?? null, TotalCount: 6 });
  });
  origin = server.url;
  cleanups.push(() => server.close());
  const transport = createTransport({
    baseUrl: server.url,
    tokenProvider: createStaticTokenProvider('page-token'),
    proxy: false,
    correlationId: 'paging-op',
  });
  cleanups.push(() => transport.close());
  return { server, transport };
}

describe('paginate', () => {
  it('follows absolute and relative next links verbatim and stops on null', async () => {
    const { server, transport } = await setup((origin) => [
      `${origin}/rows?filter=a%20eq%20'x'&skip=2`,
      "/rows?filter=a%20eq%20'x'&skip=4",
      null,
    ]);
    const items: number[] = [];
    for await (const item of transport.paginate('/rows', { parsePage, query: [['filter', "a eq 'x'"]] })) {
      items.push(item);
    }
    expect(items).toEqual([0, 1, 2, 3, 4, 5]);
    expect(server.requests.map((request) => request.url)).toEqual([
      "/rows?filter=a%20eq%20'x'",
      "/rows?filter=a%20eq%20'x'&skip=2",
      "/rows?filter=a%20eq%20'x'&skip=4",
    ]);
    const requestIds = new Set(server.requests.map((request) => request.headers['ms-requestid']));
    expect(requestIds.size).toBe(3);
    expect(server.requests.every((request) => request.headers['ms-correlationid'] === 'paging-op')).toBe(
      true,
    );
  });

  it('exposes pages through byPage, with the next link and total, and can resume from a saved link', async () => {
    const { server, transport } = await setup(() => ['/rows?skip=2', '/rows?skip=4', null]);
    const pages = [];
    for await (const page of transport.paginate('/rows', { parsePage }).byPage()) pages.push(page);
    expect(pages.map((page) => page.items)).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(pages.map((page) => page.nextLink)).toEqual(['/rows?skip=2', '/rows?skip=4', null]);
    expect(pages[0]?.totalCount).toBe(6);
    const resumed = [];
    for await (const page of transport
      .paginate('/rows', { parsePage })
      .byPage({ continuationToken: '/rows?skip=4' })) {
      resumed.push(...page.items);
    }
    expect(resumed).toEqual([4, 5]);
    expect(server.requests).toHaveLength(4);
  });

  it('resolves a relative continuation token against the first page URL, not the origin root', async () => {
    const { server, transport } = await setup(() => ['?skip=2', null]);
    const items: number[] = [];
    for await (const page of transport
      .paginate('/partner/rows', { parsePage, query: [['top', '2']] })
      .byPage({ continuationToken: '?skip=2' })) {
      items.push(...page.items);
    }
    expect(items).toEqual([2, 3]);
    expect(server.requests.map((request) => request.url)).toEqual(['/partner/rows?skip=2']);
  });

  it('refuses a continuation token of another origin before sending anything', async () => {
    const foreign = await startServer((_request, response) =>
      sendJson(response, 200, { Value: [], '@nextLink': null }),
    );
    cleanups.push(() => foreign.close());
    const { server, transport } = await setup(() => [null]);
    let caught: unknown;
    try {
      for await (const _page of transport
        .paginate('/rows', { parsePage })
        .byPage({ continuationToken: `${foreign.url}/rows?skip=2` })) {
        // never reached
      }
    } catch (error) {
      caught = error;
    }
    expect(isPartnerCenterError(caught) && caught.code).toBe('FOREIGN_NEXT_LINK');
    expect(foreign.requests).toHaveLength(0);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a next link to another origin without sending the token there', async () => {
    const foreign = await startServer((_request, response) =>
      sendJson(response, 200, { Value: [], '@nextLink': null }),
    );
    cleanups.push(() => foreign.close());
    const { server, transport } = await setup(() => [`${foreign.url}/rows?skip=2`]);
    const seen: number[] = [];
    let caught: unknown;
    try {
      for await (const item of transport.paginate('/rows', { parsePage })) seen.push(item);
    } catch (error) {
      caught = error;
    }
    expect(isPartnerCenterError(caught) && caught.code).toBe('FOREIGN_NEXT_LINK');
    expect(isPartnerCenterError(caught) && caught.requestId).toBe(
      server.requests[0]?.headers['ms-requestid'],
    );
    expect(seen).toEqual([0, 1]);
    expect(foreign.requests).toHaveLength(0);
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a next link that loops back to the same page', async () => {
    const { server, transport } = await setup(() => ['/rows']);
    let caught: unknown;
    try {
      for await (const _page of transport.paginate('/rows', { parsePage }).byPage()) {
        // read every page
      }
    } catch (error) {
      caught = error;
    }
    expect(isPartnerCenterError(caught) && caught.code).toBe('PAGING');
    expect(server.requests).toHaveLength(1);
  });
});

describe('fetchPage', () => {
  it('fetches one page with skip/top in the query, concurrently', async () => {
    const { server, transport } = await setup(() => [null, null, null]);
    const pages = await Promise.all(
      [0, 2, 4].map((skip) =>
        transport.fetchPage('/rows', {
          parsePage,
          query: [
            ['top', '2'],
            ['skip', String(skip)],
          ],
        }),
      ),
    );
    expect(pages.map((page) => page.items)).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(server.requests.map((request) => request.url).sort()).toEqual([
      '/rows?top=2&skip=0',
      '/rows?top=2&skip=2',
      '/rows?top=2&skip=4',
    ]);
  });

  it('wraps a parser failure in DECODE with the request id', async () => {
    const { transport } = await setup(() => [null]);
    let caught: unknown;
    try {
      await transport.fetchPage('/rows', {
        parsePage: () => {
          throw new TypeError('Value is missing');
        },
      });
    } catch (error) {
      caught = error;
    }
    expect(isPartnerCenterError(caught) && caught.code).toBe('DECODE');
    expect(isPartnerCenterError(caught) && caught.message).toMatch(
      /Value is missing \[request id [0-9a-f-]{36}\]/,
    );
  });
});

describe('next links that would send the token elsewhere', () => {
  it.each([
    ['protocol-relative to another host', () => '//evil.example/rows?skip=2'],
    ['protocol-relative to our own host', (origin: string) => `//${new URL(origin).host}/rows?skip=2`],
    ['user information', (origin: string) => `${origin.replace('http://', 'http://user:pass@')}/rows?skip=2`],
    ['another origin', () => 'http://127.0.0.2:9/rows?skip=2'],
    ['another scheme', () => 'file:///etc/passwd'],
  ])('refuses %s before sending anything', async (_name, link) => {
    const { server, transport } = await setup((origin) => [link(origin)]);
    let caught: unknown;
    try {
      for await (const _page of transport.paginate('/rows', { parsePage }).byPage()) {
        // read every page
      }
    } catch (error) {
      caught = error;
    }
    expect(isPartnerCenterError(caught) && caught.code).toBe('FOREIGN_NEXT_LINK');
    expect((caught as Error).message).not.toMatch(/pass@/);
    expect(server.requests).toHaveLength(1);
  });

  it('resolveNextLink resolves relative and raw links against the page URL', async () => {
    const { resolveNextLink } = await import('../src/index.js');
    const page = 'http://127.0.0.1:1/partner/v1/analytics/commercial/deployment/license?top=2';
    expect(resolveNextLink("license?filter=a eq 'b'&top=2&skip=2", page, 'http://127.0.0.1:1')).toBe(
      'http://127.0.0.1:1/partner/v1/analytics/commercial/deployment/license?filter=a%20eq%20%27b%27&top=2&skip=2',
    );
    expect(resolveNextLink('/partner/v1/x?skip=4', page, 'http://127.0.0.1:1')).toBe(
      'http://127.0.0.1:1/partner/v1/x?skip=4',
    );
    expect(() => resolveNextLink('https://127.0.0.1:1/x', page, 'http://127.0.0.1:1')).toThrow(/Refusing/);
  });
});

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a test server writes its next links (fidelity finding A6 and the opaque tokens some services use). */
export type LinkStyle = 'absolute' | 'relative' | 'relative-raw' | 'root-relative' | 'opaque';

/** A fault the server answers one request with, instead of the page. */
export type Fault = '503' | '429' | 'reset' | 'short';

/** The behaviour of the paging world; every field can change between reads. */
export interface WorldOptions {
  /** Rows in the whole result. */
  rows: number;
  /** The most rows one page holds whatever `top` asks (a function of the page's skip, or one number). */
  cap: number | ((skip: number) => number);
  style: LinkStyle;
  /** The fault of the request with this 0-based number, if any (`short` returns fewer rows, with a link). */
  fault?: (requestNumber: number) => Fault | undefined;
  /** Ignore `skip` and always answer the first rows (a broken server). */
  ignoreSkip?: boolean;
  /** Processing date of a row of a service, by request number (a refresh mid-read). */
  dateOf?: (service: string, requestNumber: number) => string;
  /** Add a parameter that changes on every link (links never repeat). */
  nonce?: boolean;
  /** The TotalCount to report instead of the real one. */
  totalCount?: number;
  /** Change this row (a quirky value) before it is sent. */
  quirk?: (row: Record<string, unknown>, index: number) => Record<string, unknown>;
}

/** One row of the world, in wire form: its index is in `customerName` and the counts. */
export function worldRow(index: number, date: (service: string) => string): Record<string, unknown> {
  const service = index % 3 === 0 ? 'crm' : 'o365';
  return {
    processedDateTime: date(service),
    serviceCode: service,
    serviceName: service === 'crm' ? 'Dynamics CRM' : 'Microsoft Office 365',
    channel: 'reseller',
    customerTenantId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    customerName: `Customer ${index}`,
    productId: `11111111-2222-4333-8444-${String(index % 5).padStart(12, '0')}`,
    productName: `Product ${index % 5}`,
    licensesDeployed: index % 7,
    licensesSold: (index % 11) + 7,
  };
}

const path = '/partner/v1/analytics/commercial/deployment/license';

/** A real HTTP server on 127.0.0.1 that pages E2 rows by the rules in {@link WorldOptions}. */
export async function startPagingWorld(initial: WorldOptions) {
  let options = initial;
  let requestNumber = 0;
  const received: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const number = requestNumber++;
    received.push(request.url ?? '');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = JSON.stringify(body);
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      response.end(text);
    };
    const fault = options.fault?.(number);
    if (fault === 'reset') {
      request.socket.destroy();
      return;
    }
    if (fault === '503') return send(503, { code: 503, description: 'try later' });
    if (fault === '429') return send(429, { statusCode: 429, message: 'slow down' }, { 'retry-after': '0' });
    const url = new URL(request.url ?? '/', 'http://world.invalid');
    let query = url.searchParams;
    const opaque = query.get('opaque');
    if (opaque !== null) query = new URLSearchParams(Buffer.from(opaque, 'base64url').toString('utf8'));
    const top = Number(query.get('top') ?? 10_000);
    const skip = options.ignoreSkip === true ? 0 : Number(query.get('skip') ?? 0);
    const cap = typeof options.cap === 'number' ? options.cap : options.cap(skip);
    let count = Math.max(0, Math.min(top, cap, options.rows - skip));
    if (fault === 'short' && count > 1) count = Math.floor(count / 2);
    const date = (service: string) =>
      options.dateOf?.(service, number) ??
      (service === 'crm' ? '2026-11-17T00:00:00' : '2026-11-20T03:25:16.36');
    const rows: Record<string, unknown>[] = [];
    for (let index = skip; index < skip + count; index++) {
      const row = worldRow(index, date);
      rows.push(options.quirk?.(row, index) ?? row);
    }
    const nextSkip = skip + count;
    let link: string | null = null;
    if (nextSkip < options.rows || options.ignoreSkip === true) {
      const next = new URLSearchParams(query);
      next.set('skip', String(nextSkip));
      if (options.nonce === true) next.set('n', String(number));
      const raw = [...next].map(([name, value]) => `${name}=${value}`).join('&');
      const encoded = next.toString().replaceAll('+', '%20');
      const host = `http://${request.headers.host}`;
      switch (options.style) {
        case 'absolute':
          link = `${host}${path}?${encoded}`;
          break;
        case 'root-relative':
          link = `${path}?${encoded}`;
          break;
        case 'relative':
          link = `license?${encoded}`;
          break;
        case 'relative-raw':
          link = `license?${raw}`;
          break;
        case 'opaque':
          link = `${path}?opaque=${Buffer.from(raw).toString('base64url')}`;
          break;
      }
    }
    send(200, { Value: rows, '@nextLink': link, TotalCount: options.totalCount ?? options.rows });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    /** Replaces the world's behaviour and forgets the requests seen. */
    set(next: WorldOptions) {
      options = next;
      requestNumber = 0;
      received.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The reference reader: a plain `fetch` that follows the links one by one, as the server wrote
 * them, with no cleverness; it returns the rows as sent (wire form).
 */
export async function referenceRows(
  baseUrl: string,
  query = 'top=10000',
): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  let url: string | null = `${baseUrl}${path}?${query}`;
  for (let pages = 0; url !== null; pages++) {
    if (pages > 100_000) throw new Error('the reference reader ran away');
    let response: Response | undefined;
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        response = await fetch(url, { headers: { authorization: 'Bearer reference' } });
      } catch {
        continue;
      }
      if (response.ok) break;
    }
    if (response === undefined || !response.ok) throw new Error(`reference read failed at ${url}`);
    const body = (await response.json()) as { Value: Record<string, unknown>[]; '@nextLink': string | null };
    rows.push(...body.Value);
    url = body['@nextLink'] === null ? null : new URL(body['@nextLink'], url).href;
  }
  return rows;
}

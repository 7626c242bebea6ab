import {
  type EndpointDescriptor,
  endpoints,
  entraErrorBodySchema,
  partnerCenterErrorBodySchema,
  throttleErrorBodySchema,
} from '@pc/models';
import { request } from 'undici';
import { type MockServer, type MockServerOptions, startMockServer } from '../src/index.js';

/** A plain HTTP answer. */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

/** GET (or another method) over real HTTP with undici, reading the whole body as text. */
export async function call(
  url: string,
  options: {
    token?: string;
    headers?: Record<string, string>;
    method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
    body?: string;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const response = await request(url, {
    method: options.method ?? 'GET',
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const text = await response.body.text();
  checkShape(url, response.statusCode, text);
  return {
    status: response.statusCode,
    headers: response.headers,
    text,
    json<T>() {
      return JSON.parse(text) as T;
    },
  };
}

/** Starts a small quiet mock on a free port. */
export function startSmall(options: MockServerOptions = {}): Promise<MockServer> {
  return startMockServer({ port: 0, customers: 60, quiet: true, ...options });
}

/** Every row of a paged query, following `@nextLink` from the first page. */
export async function readAll(
  server: MockServer,
  path: string,
  token = server.issueToken(),
): Promise<{ rows: Record<string, unknown>[]; pages: number; totalCount: number }> {
  let url: string | null = `${server.url}${path}`;
  const rows: Record<string, unknown>[] = [];
  let pages = 0;
  let totalCount = -1;
  while (url !== null) {
    const answer = await call(url, { token });
    if (answer.status !== 200) throw new Error(`${url}: ${answer.status} ${answer.text}`);
    const body = answer.json<{
      Value: Record<string, unknown>[];
      '@nextLink': string | null;
      TotalCount: number;
    }>();
    rows.push(...body.Value);
    totalCount = body.TotalCount;
    pages++;
    url = body['@nextLink'];
  }
  return { rows, pages, totalCount };
}

export const paths = {
  usage: '/partner/v1/analytics/commercial/usage/license',
  deployment: '/partner/v1/analytics/commercial/deployment/license',
  partnerUsage: '/v1/analytics/licenses/usage',
  partnerDeployment: '/v1/analytics/licenses/deployment',
  customerUsage: (id: string) => `/v1/customers/${id}/analytics/licenses/usage`,
  customerDeployment: (id: string) => `/v1/customers/${id}/analytics/licenses/deployment`,
} as const;

/** Encodes a query value the way Partner Center clients do (`%20` for spaces). */
export function q(value: string): string {
  return encodeURIComponent(value);
}

const builtIn: readonly [RegExp, EndpointDescriptor][] = [
  [/\/analytics\/commercial\/usage\/license\/?$/i, endpoints.commercialLicenseUsage],
  [/\/analytics\/commercial\/deployment\/license\/?$/i, endpoints.commercialLicenseDeployment],
  [/^\/v1\/analytics\/licenses\/usage\/?$/i, endpoints.partnerLicenseUsage],
  [/^\/v1\/analytics\/licenses\/deployment\/?$/i, endpoints.partnerLicenseDeployment],
  [/^\/v1\/customers\/[^/]+\/analytics\/licenses\/usage\/?$/i, endpoints.customerLicenseUsage],
  [/^\/v1\/customers\/[^/]+\/analytics\/licenses\/deployment\/?$/i, endpoints.customerLicenseDeployment],
];

/**
 * Every answer a test reads goes through the models' schemas: pages of the built-in endpoints
 * (grouped pages too), Partner Center and Entra error bodies, and the gateway's 429 body.
 */
function checkShape(url: string, status: number, text: string): void {
  const { pathname, searchParams } = new URL(url);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return; // Cut bodies (truncate faults) are what those tests look at.
  }
  if (status === 429) {
    throttleErrorBodySchema.parse(body);
    return;
  }
  if (status >= 400) {
    (pathname.includes('/oauth2/') ? entraErrorBodySchema : partnerCenterErrorBodySchema).parse(body);
    return;
  }
  const descriptor = builtIn.find(([pattern]) => pattern.test(pathname))?.[1];
  if (descriptor === undefined) return;
  const groupby = [...searchParams].find(
    ([name]) => name.replace(/^\$/, '').toLowerCase() === 'groupby',
  )?.[1];
  const schema =
    groupby === undefined || groupby === ''
      ? descriptor.page
      : descriptor.groupedPage(groupby.split(',').map((field) => field.trim()) as never);
  schema.parse(body);
}

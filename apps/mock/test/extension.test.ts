import { defineEndpoint, type MockDataGenerator } from '@pc/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { call, readAll, startSmall } from './helpers.js';

/** Another team's module: subscriptions analytics, served without any change to the mock. */
const subscriptions = defineEndpoint({
  id: 'subscriptionsAnalytics',
  title: 'Subscriptions analytics',
  description: 'Subscriptions per customer, type and status.',
  path: '/partner/v1/analytics/subscriptions',
  envelope: 'odata',
  columns: [
    { name: 'customerTenantId', kind: 'guid', description: 'Customer' },
    { name: 'subscriptionType', kind: 'string', description: 'Type' },
    { name: 'status', kind: 'string', description: 'Status' },
    { name: 'subscriptionCount', kind: 'count', description: 'Subscriptions' },
    { name: 'licenseCount', kind: 'count', description: 'Licenses' },
    { name: 'processedDateTime', kind: 'timestamp', description: 'Snapshot' },
  ],
  filterable: ['customerTenantId', 'subscriptionType', 'status'],
  groupable: ['subscriptionType', 'status'],
  measures: ['subscriptionCount', 'licenseCount'],
  filterOperators: ['eq', 'ne', 'and', 'or'],
  queryOptions: ['filter', 'groupby', 'top', 'skip', 'processedDateTime'],
});

const types = ['Office', 'Azure', 'Dynamics'];
const statuses = ['ACTIVE', 'SUSPENDED'];
const generate: MockDataGenerator = (context) => ({
  count: context.customers * 2,
  row(index) {
    const mix = (index * 2654435761 + context.seed) >>> 0;
    return {
      customerTenantId: `00000000-0000-4000-8000-${String(Math.floor(index / 2)).padStart(12, '0')}`,
      subscriptionType: types[mix % 3]!,
      status: statuses[(mix >>> 3) % 2]!,
      subscriptionCount: String(1 + (mix % 5)),
      licenseCount: String(mix % 50),
      processedDateTime: context.processedDateTime,
    };
  },
});

let server: MockServer;
let token: string;

beforeAll(async () => {
  server = await startSmall({ customers: 30, extraEndpoints: [{ descriptor: subscriptions, generate }] });
  token = server.issueToken();
});
afterAll(() => server.close());

describe('extraEndpoints', () => {
  it('serves the descriptor with paging, filter, groupby and auth like the built-in ones', async () => {
    const all = await readAll(server, '/partner/v1/analytics/subscriptions?top=7', token);
    expect(all.rows).toHaveLength(60);
    expect(all.totalCount).toBe(60);
    const page = await call(`${server.url}/partner/v1/analytics/subscriptions?top=5`, { token });
    expect(subscriptions.page.parse(JSON.parse(page.text)).items).toHaveLength(5);
    const filtered = await call(
      `${server.url}/partner/v1/analytics/subscriptions?filter=${encodeURIComponent("subscriptionType eq 'azure'")}`,
      { token },
    );
    expect(filtered.json<{ Value: unknown[] }>().Value).toEqual(
      all.rows.filter((row) => row.subscriptionType === 'Azure'),
    );
    const grouped = await call(`${server.url}/partner/v1/analytics/subscriptions?groupby=status`, { token });
    const groups = grouped.json<{ Value: { status: string; licenseCount: number }[] }>().Value;
    for (const group of groups) {
      const expected = all.rows
        .filter((row) => row.status === group.status)
        .reduce((sum, row) => sum + Number(row.licenseCount), 0);
      expect(group.licenseCount).toBe(expected);
    }
    expect((await call(`${server.url}/partner/v1/analytics/subscriptions`)).status).toBe(401);
    expect(
      (
        await call(
          `${server.url}/partner/v1/analytics/subscriptions?filter=${encodeURIComponent("licenseCount eq '1'")}`,
          { token },
        )
      ).status,
    ).toBe(400);
  });

  it('lists the extra endpoint in /openapi.json next to the built-in ones', async () => {
    const document = (await call(`${server.url}/openapi.json`)).json<{
      openapi: string;
      paths: Record<
        string,
        { get?: { operationId: string; deprecated?: boolean; parameters: { name: string }[] } }
      >;
      components: {
        schemas: Record<string, { properties: Record<string, { type: string; format?: string }> }>;
      };
    }>();
    expect(document.openapi).toBe('3.1.0');
    expect(document.paths['/partner/v1/analytics/subscriptions']?.get?.operationId).toBe(
      'subscriptionsAnalytics',
    );
    expect(document.components.schemas.subscriptionsAnalyticsRow!.properties.licenseCount!.type).toBe(
      'integer',
    );
    for (const path of [
      '/partner/v1/analytics/commercial/usage/license',
      '/v1/analytics/commercial/usage/license',
      '/partner/v1/analytics/commercial/deployment/license',
      '/v1/analytics/licenses/usage',
      '/v1/analytics/licenses/deployment',
      '/v1/customers/{customerId}/analytics/licenses/usage',
      '/v1/customers/{customerId}/analytics/licenses/deployment',
      '/{tenant}/oauth2/token',
      '/{tenant}/oauth2/v2.0/token',
    ]) {
      expect(document.paths[path], path).toBeDefined();
    }
    expect(document.paths['/v1/analytics/licenses/usage']!.get!.deprecated).toBe(true);
    expect(
      document.paths['/partner/v1/analytics/commercial/usage/license']!.get!.parameters.map((p) => p.name),
    ).toEqual(['filter', 'groupby', 'top', 'skip', 'processedDateTime']);
    expect(document.components.schemas.commercialLicenseUsageRow!.properties.customerTenantId!.format).toBe(
      'uuid',
    );
  });

  it('describes what is served: timestamps match the pattern, grouped rows hold every required field', async () => {
    type RowSchema = { required: string[]; properties: Record<string, { pattern?: string }> };
    const schemas = (await call(`${server.url}/openapi.json`)).json<{
      components: { schemas: Record<string, RowSchema> };
    }>().components.schemas;
    const usage = schemas.commercialLicenseUsageRow!;
    const timestamp = new RegExp(usage.properties.processedDateTime!.pattern!);
    const answers = {
      plain: await call(`${server.url}/partner/v1/analytics/commercial/usage/license?top=3`, { token }),
      grouped: await call(`${server.url}/partner/v1/analytics/commercial/usage/license?groupby=channel`, {
        token,
      }),
    };
    for (const answer of Object.values(answers)) {
      const rows = answer.json<{ Value: Record<string, unknown>[] }>().Value;
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        for (const field of usage.required) expect(row, field).toHaveProperty(field);
        expect(String(row.processedDateTime)).toMatch(timestamp);
      }
    }
    const legacy = await call(`${server.url}/v1/analytics/licenses/usage`, { token });
    const legacySchema = schemas.partnerLicenseUsageRow!;
    for (const item of legacy.json<{ items: Record<string, unknown>[] }>().items) {
      for (const field of legacySchema.required) expect(item, field).toHaveProperty(field);
      expect(String(item.processedDateTime)).toMatch(
        new RegExp(legacySchema.properties.processedDateTime!.pattern!),
      );
    }
  });

  it('refuses two endpoints on the same path', async () => {
    await expect(
      startSmall({
        extraEndpoints: [
          { descriptor: { ...subscriptions, path: '/v1/analytics/licenses/usage' }, generate },
        ],
      }),
    ).rejects.toThrow(/two endpoints/);
  });
});

import type {
  CommercialLicenseDeploymentRow,
  CommercialLicenseUsageRow,
  CustomerLicenseUsageRow,
} from '@pc/models';
import { defineEndpoint } from '@pc/models';
import { filterBuilder } from '@pc/odata-query';
import { describe, expectTypeOf, it } from 'vitest';
import { type AnalyticsClient, createClient, type InsightResult, type RowPage } from './index.js';

declare const client: AnalyticsClient;

describe('the client types', () => {
  it('types the fluent endpoints by their rows', () => {
    expectTypeOf(client.commercial.licenses.usage.list().toArray()).resolves.toEqualTypeOf<
      CommercialLicenseUsageRow[]
    >();
    expectTypeOf(client.customers.byId('id').analytics.licenses.usage.list()).toMatchTypeOf<
      AsyncIterable<CustomerLicenseUsageRow>
    >();
    expectTypeOf(client.commercial.licenses.deployment.list().byPage()).toEqualTypeOf<
      AsyncIterable<RowPage<CommercialLicenseDeploymentRow>>
    >();
    expectTypeOf(client.insights.trend()).resolves.toEqualTypeOf<InsightResult>();
  });

  it('checks groupby fields and accepts the typed filter builder', () => {
    const f = filterBuilder<CommercialLicenseUsageRow>();
    client.commercial.licenses.usage.list({
      groupby: ['serviceCode', 'channel'],
      filter: f.eq('serviceCode', 'o365'),
    });
    // @ts-expect-error: not a field of the usage rows
    client.commercial.licenses.usage.list({ groupby: ['licensesSold'] });
  });

  it('gives module endpoints typed handles', () => {
    const descriptor = defineEndpoint({
      id: 'things',
      title: 'Things',
      description: 'Things',
      path: '/things',
      envelope: 'odata',
      columns: [
        { name: 'name', kind: 'string', description: 'name' },
        { name: 'size', kind: 'count', description: 'size' },
      ],
    });
    expectTypeOf(client.handle(descriptor).list().toArray()).resolves.toEqualTypeOf<
      { name: string | null; size: number | null }[]
    >();
    expectTypeOf(createClient).returns.toEqualTypeOf<AnalyticsClient>();
  });
});

import { commercialLicenseUsage, partnerLicenseUsage } from '@pc/models';
import { describe, expect, it } from 'vitest';
import { defineAnalyticsModule, type InsightDefinition } from './analyticsModule.js';
import { createModuleRegistry } from './internal/moduleRegistry.js';
import { licensesModule } from './licensesModule.js';

const insight = (name: string, options: InsightDefinition['options'] = []): InsightDefinition => ({
  name,
  title: name,
  description: name,
  options,
  run: async () => ({ insight: name, title: name, columns: [], rows: [] }),
});

describe('defineAnalyticsModule', () => {
  it('freezes a well-formed module and defaults insights to none', () => {
    const module = defineAnalyticsModule({
      name: 'usage-extra',
      description: 'x',
      endpoints: [{ descriptor: commercialLicenseUsage, command: ['usage-extra'] }],
    });
    expect(module.insights).toEqual([]);
    expect(Object.isFrozen(module)).toBe(true);
    expect(Object.isFrozen(module.endpoints)).toBe(true);
  });

  it('refuses malformed names and repeats', () => {
    const base = { description: 'x', endpoints: [] };
    expect(() => defineAnalyticsModule({ ...base, name: 'Bad Name' })).toThrow(/kebab-case/);
    expect(() => defineAnalyticsModule({ ...base, name: 'm', insights: [insight('noCamel')] })).toThrow(
      /kebab-case/,
    );
    expect(() =>
      defineAnalyticsModule({ ...base, name: 'm', insights: [insight('a'), insight('a')] }),
    ).toThrow(/twice/);
    expect(() =>
      defineAnalyticsModule({
        ...base,
        name: 'm',
        insights: [insight('a', [{ name: 'bad-option', type: 'number', description: '' }])],
      }),
    ).toThrow(/camelCase/);
    expect(() =>
      defineAnalyticsModule({
        name: 'm',
        description: 'x',
        endpoints: [{ descriptor: partnerLicenseUsage }, { descriptor: partnerLicenseUsage }],
      }),
    ).toThrow(/listed twice/);
  });
});

describe('module registry', () => {
  it('indexes the built-in module', () => {
    const registry = createModuleRegistry([licensesModule]);
    expect(registry.endpointIds).toEqual([
      'commercialLicenseUsage',
      'commercialLicenseDeployment',
      'partnerLicenseUsage',
      'partnerLicenseDeployment',
      'customerLicenseUsage',
      'customerLicenseDeployment',
    ]);
    expect(registry.insightNames).toEqual(['unused-licenses', 'adoption', 'summary', 'trend', 'utilization']);
    expect(registry.hasEndpoint(commercialLicenseUsage)).toBe(true);
    expect(() => registry.insight('nope')).toThrow(/Unknown insight 'nope'. Known insights: unused-licenses/);
  });

  it('refuses a module that clashes with another', () => {
    const clash = defineAnalyticsModule({
      name: 'clash',
      description: 'x',
      endpoints: [{ descriptor: commercialLicenseUsage }],
    });
    expect(() => createModuleRegistry([licensesModule, clash])).toThrow(/already registered by 'licenses'/);
    const insightClash = defineAnalyticsModule({
      name: 'other',
      description: 'x',
      endpoints: [],
      insights: [insight('trend')],
    });
    expect(() => createModuleRegistry([licensesModule, insightClash])).toThrow(/Insight 'trend'/);
    expect(() => createModuleRegistry([licensesModule, licensesModule])).toThrow(/registered twice/);
  });
});

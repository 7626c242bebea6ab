import { describe, expect, it } from 'vitest';
import type { InsightDefinition } from '../analyticsModule.js';
import { resolveInsightOptions } from './insightOptions.js';

const definition: InsightDefinition = {
  name: 'demo',
  title: 'Demo',
  description: 'Demo',
  options: [
    { name: 'threshold', type: 'number', description: '', default: 1 },
    { name: 'enabled', type: 'boolean', description: '' },
    { name: 'from', type: 'date', description: '' },
    { name: 'label', type: 'string', description: '' },
  ],
  run: async () => ({ insight: 'demo', title: 'Demo', columns: [], rows: [] }),
};

describe('resolveInsightOptions', () => {
  it('coerces the CLI text to the declared types and fills defaults', () => {
    const signal = new AbortController().signal;
    expect(
      resolveInsightOptions(definition, { enabled: 'yes', from: '2026-11-20', label: 7, signal }),
    ).toEqual({
      threshold: 1,
      enabled: true,
      from: '2026-11-20',
      label: '7',
      signal,
    });
    expect(
      resolveInsightOptions(definition, { threshold: '0.8', from: new Date(Date.UTC(2026, 10, 20)) }),
    ).toEqual({
      threshold: 0.8,
      from: '2026-11-20T00:00:00.000Z',
    });
  });

  it('refuses unknown options and bad values', () => {
    expect(() => resolveInsightOptions(definition, { thresold: 1 })).toThrow(
      /no option 'thresold'.*threshold/,
    );
    expect(() => resolveInsightOptions(definition, { threshold: 'lots' })).toThrow(/must be a number/);
    expect(() => resolveInsightOptions(definition, { enabled: 'maybe' })).toThrow(/true or false/);
    expect(() => resolveInsightOptions(definition, { from: 'last week' })).toThrow(/date/);
  });
});

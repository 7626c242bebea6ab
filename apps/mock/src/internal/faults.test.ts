import { describe, expect, it } from 'vitest';
import { FaultInjector, parseFaultHeader, parseFaultSpec, printFaultSpec } from './faults.js';

describe('fault specs', () => {
  it('parse and print the --faults syntax', () => {
    const spec = parseFaultSpec(
      '429=0.1, 503=0.05,reset=0.02,truncate=0.02,slow=0.05,retry-after=3,slow-ms=400',
    );
    expect(spec).toEqual({
      '429': 0.1,
      '503': 0.05,
      reset: 0.02,
      truncate: 0.02,
      slow: 0.05,
      retryAfterSeconds: 3,
      slowMs: 400,
    });
    expect(printFaultSpec(spec)).toBe(
      '429=0.1,503=0.05,reset=0.02,truncate=0.02,slow=0.05,retry-after=3,slow-ms=400',
    );
    expect(parseFaultSpec('')).toEqual({});
  });

  it('refuse unknown names, bad numbers and probabilities adding up past 1', () => {
    expect(() => parseFaultSpec('boom=0.1')).toThrow(/unknown fault 'boom'/);
    expect(() => parseFaultSpec('429')).toThrow(/name=probability/);
    expect(() => parseFaultSpec('429=0.7,503=0.7')).toThrow(/more than 1/);
  });

  it('parse x-pc-mock-fault headers', () => {
    expect(parseFaultHeader('429;retry-after=2')).toMatchObject({
      kind: 'status',
      status: 429,
      retryAfterSeconds: 2,
    });
    expect(parseFaultHeader('429')).toMatchObject({ retryAfterSeconds: 1 });
    expect(parseFaultHeader('503')).toMatchObject({ kind: 'status', status: 503 });
    expect(parseFaultHeader('truncate')).toMatchObject({ kind: 'truncate', truncateMode: 'chunked' });
    expect(parseFaultHeader('truncate; mode=length')).toMatchObject({ truncateMode: 'length' });
    expect(parseFaultHeader('slow;ms=10')).toMatchObject({ kind: 'slow', slowMs: 10 });
    for (const kind of ['reset', 'bom', 'hang', 'empty']) expect(parseFaultHeader(kind).kind).toBe(kind);
    expect(() => parseFaultHeader('200')).toThrow(/400..599/);
    expect(() => parseFaultHeader('truncate;mode=half')).toThrow(/mode/);
  });

  it('draw a reproducible schedule near the given rates', () => {
    const draw = (seed: number) => {
      const injector = new FaultInjector({ spec: { '429': 0.2, reset: 0.1 }, seed });
      return Array.from({ length: 2000 }, () => injector.draw()?.kind ?? 'none');
    };
    const first = draw(5);
    expect(draw(5)).toEqual(first);
    expect(draw(6)).not.toEqual(first);
    const share = (kind: string) => first.filter((item) => item === kind).length / first.length;
    expect(share('status')).toBeGreaterThan(0.15);
    expect(share('status')).toBeLessThan(0.25);
    expect(share('reset')).toBeGreaterThan(0.06);
    expect(share('reset')).toBeLessThan(0.14);
  });
});

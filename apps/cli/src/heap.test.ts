import { describe, expect, it } from 'vitest';
import { shouldTuneHeap } from './heap.js';

describe('shouldTuneHeap', () => {
  it('tunes the young generation unless the user sized it', () => {
    expect(shouldTuneHeap({ env: {}, execArgv: [] })).toBe(true);
    expect(shouldTuneHeap({ env: { NODE_OPTIONS: '--max-old-space-size=512' }, execArgv: [] })).toBe(true);
    expect(shouldTuneHeap({ env: {}, execArgv: ['--max-semi-space-size=32'] })).toBe(false);
    expect(shouldTuneHeap({ env: {}, execArgv: ['--semi_space_growth_factor=4'] })).toBe(false);
    expect(shouldTuneHeap({ env: { NODE_OPTIONS: '--min-semi-space-size=16' }, execArgv: [] })).toBe(false);
  });
});

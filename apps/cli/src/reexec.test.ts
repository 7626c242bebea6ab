import { describe, expect, it } from 'vitest';
import { shouldReexec } from './reexec.js';

describe('shouldReexec', () => {
  it('re-executes once, and not when heap flags are set by hand', () => {
    expect(shouldReexec({ env: {}, execArgv: [] })).toBe(true);
    expect(shouldReexec({ env: { PC_NO_REEXEC: '1' }, execArgv: [] })).toBe(false);
    expect(shouldReexec({ env: {}, execArgv: ['--max-old-space-size=512'] })).toBe(false);
    expect(shouldReexec({ env: { NODE_OPTIONS: '--max-semi-space-size=4' }, execArgv: [] })).toBe(false);
  });
});

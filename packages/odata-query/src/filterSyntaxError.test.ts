import { describe, expect, it } from 'vitest';
import { FilterSyntaxError, isFilterSyntaxError } from './filterSyntaxError.js';

describe('FilterSyntaxError', () => {
  it('carries offset, expected, found, input and a caret message', () => {
    const error = new FilterSyntaxError({
      input: 'a eq',
      offset: 4,
      expected: ['a literal'],
      found: 'end of input',
    });
    expect(error).toMatchObject({
      name: 'FilterSyntaxError',
      offset: 4,
      expected: ['a literal'],
      found: 'end of input',
    });
    expect(error.message).toBe('Expected a literal but found end of input at offset 4:\n  a eq\n      ^');
  });

  it('windows long inputs around the fault', () => {
    const input = `${'x'.repeat(300)}!${'y'.repeat(300)}`;
    const error = new FilterSyntaxError({ input, offset: 300, expected: [], found: '"!"' });
    const [, line, caret] = error.message.split('\n') as [string, string, string];
    expect(line.length).toBeLessThan(120);
    expect(line[caret.indexOf('^')]).toBe('!');
  });

  it('is recognised by shape, also from another copy of the package', () => {
    const foreign = Object.assign(new Error('x'), {
      name: 'FilterSyntaxError',
      offset: 1,
      expected: [],
      found: 'y',
      input: 'z',
    });
    expect(isFilterSyntaxError(foreign)).toBe(true);
    expect(isFilterSyntaxError(new Error('x'))).toBe(false);
    expect(isFilterSyntaxError({ name: 'FilterSyntaxError' })).toBe(false);
    expect(isFilterSyntaxError(null)).toBe(false);
  });
});

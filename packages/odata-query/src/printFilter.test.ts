import { describe, expect, it } from 'vitest';
import type { FilterNode } from './ast.js';
import { filterBuilder, guid } from './filterBuilder.js';
import { parseFilter } from './parseFilter.js';
import { printFilter, printLiteral } from './printFilter.js';

const canonical = (text: string): string => printFilter(parseFilter(text));

describe('printFilter', () => {
  it('normalises whitespace and drops parentheses that change nothing', () => {
    expect(canonical("  a  eq 'x'   and(b eq 1)")).toBe("a eq 'x' and b eq 1");
    expect(canonical('(a eq 1 and b eq 2) or c eq 3')).toBe('a eq 1 and b eq 2 or c eq 3');
    expect(canonical('a eq 1 or (b eq 2 or c eq 3)')).toBe('a eq 1 or b eq 2 or c eq 3');
    expect(canonical('((a eq 1))')).toBe('a eq 1');
  });

  it('keeps the parentheses the meaning needs', () => {
    expect(canonical('a eq 1 and (b eq 2 or c eq 3)')).toBe('a eq 1 and (b eq 2 or c eq 3)');
    expect(canonical('(a eq 1 or b eq 2) and c eq 3')).toBe('(a eq 1 or b eq 2) and c eq 3');
    expect(canonical('not (a eq 1 and b eq 2)')).toBe('not (a eq 1 and b eq 2)');
  });

  it('parenthesises a comparison under not, as OData precedence would read it otherwise', () => {
    expect(canonical('not a eq 1')).toBe('not (a eq 1)');
    expect(canonical("not contains(a,'x')")).toBe("not contains(a, 'x')");
    expect(canonical('not not (a eq 1)')).toBe('not not (a eq 1)');
  });

  it('doubles quotes and prints every literal type', () => {
    expect(canonical("a eq 'O''Brien'")).toBe("a eq 'O''Brien'");
    expect(canonical("a in ('x','y' , 1, -2.5, true, null)")).toBe("a in ('x', 'y', 1, -2.5, true, null)");
    expect(canonical('d ge 2024-01-31 and t lt 2024-01-31T10:00:00.5+02:00')).toBe(
      'd ge 2024-01-31 and t lt 2024-01-31T10:00:00.5+02:00',
    );
    expect(canonical('g eq 8D6C4D5E-1234-4ABC-9DEF-0123456789AB')).toBe(
      'g eq 8D6C4D5E-1234-4ABC-9DEF-0123456789AB',
    );
    expect(canonical('n eq 1e21')).toBe('n eq 1e+21');
  });

  it('never URL-encodes', () => {
    expect(canonical("a eq 'x & y %20'")).toBe("a eq 'x & y %20'");
  });

  it('prints built ASTs, also with right-nested chains', () => {
    const f = filterBuilder<{ a: string; n: number; id: string }>();
    const node: FilterNode = {
      kind: 'and',
      left: f.eq('a', 'x'),
      right: f.and(
        f.gt('n', 1),
        f.or(f.lt('n', 0), f.eq('id', guid('8d6c4d5e-1234-4abc-9def-0123456789ab'))),
      ),
      start: 0,
      end: 0,
    };
    expect(printFilter(node)).toBe(
      "a eq 'x' and n gt 1 and (n lt 0 or id eq 8d6c4d5e-1234-4abc-9def-0123456789ab)",
    );
  });

  it('refuses ASTs the grammar cannot express', () => {
    const field = (name: string): FilterNode => ({
      kind: 'compare',
      operator: 'eq',
      left: { kind: 'field', name, start: 0, end: 0 },
      right: { kind: 'literal', type: 'number', value: 1, start: 0, end: 0 },
      start: 0,
      end: 0,
    });
    expect(() => printFilter(field('two words'))).toThrow(TypeError);
    expect(() => printFilter(field('and'))).toThrow(TypeError);
    expect(() =>
      printLiteral({ kind: 'literal', type: 'number', value: Number.NaN, start: 0, end: 0 }),
    ).toThrow();
    expect(() =>
      printLiteral({ kind: 'literal', type: 'date', value: '2024-02-30', start: 0, end: 0 }),
    ).toThrow();
    expect(() => printLiteral({ kind: 'literal', type: 'guid', value: 'nope', start: 0, end: 0 })).toThrow();
    expect(() =>
      printFilter({
        kind: 'in',
        left: { kind: 'field', name: 'a', start: 0, end: 0 },
        values: [],
        start: 0,
        end: 0,
      }),
    ).toThrow(/empty in-list/);
  });
});

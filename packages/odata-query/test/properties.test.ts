import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileFilter,
  type FilterNode,
  isFilterSyntaxError,
  parseFilter,
  printFilter,
} from '../src/index.js';
import { compileNode } from '../src/internal/closureCompiler.js';
import { filterArb, rowArb } from './arbitraries.js';
import { referenceEvaluate } from './referenceEvaluator.js';

describe('print and parse', () => {
  it('print -> parse -> print is stable for every AST', () => {
    fc.assert(
      fc.property(filterArb, (node) => {
        const printed = printFilter(node);
        expect(printFilter(parseFilter(printed))).toBe(printed);
      }),
      { numRuns: 1000 },
    );
  });

  it('the reparsed AST means the same as the original', () => {
    fc.assert(
      fc.property(filterArb, fc.array(rowArb, { minLength: 1, maxLength: 10 }), (node, rows) => {
        const reparsed = parseFilter(printFilter(node));
        for (const row of rows) expect(referenceEvaluate(reparsed, row)).toBe(referenceEvaluate(node, row));
      }),
      { numRuns: 500 },
    );
  });

  it('offsets of a parsed tree slice back to text that parses to the same node', () => {
    fc.assert(
      fc.property(filterArb, (node) => {
        const text = printFilter(node);
        const parsed = parseFilter(text);
        const visit = (n: FilterNode): void => {
          expect(printFilter(parseFilter(text.slice(n.start, n.end)))).toBe(printFilter(n));
          if (n.kind === 'and' || n.kind === 'or') {
            visit(n.left);
            visit(n.right);
          } else if (n.kind === 'not') {
            visit(n.operand);
          }
        };
        visit(parsed);
      }),
      { numRuns: 300 },
    );
  });
});

describe('compiled predicates', () => {
  it('agree with the reference evaluator on random rows', () => {
    fc.assert(
      fc.property(filterArb, fc.array(rowArb, { minLength: 1, maxLength: 20 }), (node, rows) => {
        const predicate = compileFilter(node);
        for (const row of rows) {
          expect(predicate(row), `${printFilter(node)} on ${JSON.stringify(row)}`).toBe(
            referenceEvaluate(node, row),
          );
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('the closure fallback (no code generation) agrees with the reference evaluator too', () => {
    fc.assert(
      fc.property(filterArb, fc.array(rowArb, { minLength: 1, maxLength: 20 }), (node, rows) => {
        const predicate = compileNode(node);
        for (const row of rows) {
          expect(predicate(row), `${printFilter(node)} on ${JSON.stringify(row)}`).toBe(
            referenceEvaluate(node, row),
          );
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('fuzz', () => {
  const alphabet = fc.constantFrom(
    ...`abcnotreqinl()',0123456789-.:TZ+% ${'\t'}&"$=_`.split(''),
    ' and ',
    ' or ',
    ' eq ',
    'not ',
    "''",
    '%20',
    '%27',
    'contains(',
    '2024-01-31',
    '8d6c4d5e-1234-4abc-9def-0123456789ab',
  );
  const noise = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.array(alphabet, { maxLength: 30 }).map((parts) => parts.join('')),
    filterArb.chain((node) => {
      const text = printFilter(node);
      return fc
        .tuple(fc.nat(text.length), fc.nat(4), fc.string({ maxLength: 3 }))
        .map(([at, cut, insert]) => text.slice(0, at) + insert + text.slice(at + cut));
    }),
  );

  it('random input only ever parses or throws FilterSyntaxError at an offset inside the input', () => {
    fc.assert(
      fc.property(noise, (text) => {
        let node: FilterNode;
        try {
          node = parseFilter(text);
        } catch (error) {
          expect(isFilterSyntaxError(error), String(error)).toBe(true);
          if (isFilterSyntaxError(error)) {
            expect(error.offset).toBeGreaterThanOrEqual(0);
            expect(error.offset).toBeLessThanOrEqual(text.length);
            expect(error.message).toContain('^');
          }
          return;
        }
        const printed = printFilter(node);
        expect(printFilter(parseFilter(printed))).toBe(printed);
      }),
      { numRuns: 3000 },
    );
  });
});

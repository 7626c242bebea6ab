import { describe, expect, it } from 'vitest';
import { compileFilter, type FilterRow } from './compileFilter.js';
import { filterBuilder } from './filterBuilder.js';
import { FilterSyntaxError } from './filterSyntaxError.js';
import { compileNode } from './internal/closureCompiler.js';
import { parseFilter } from './parseFilter.js';

function matches(filter: string, row: Record<string, unknown>): boolean {
  return compileFilter(filter)(row);
}

describe('compileFilter: strings', () => {
  it('compares eq and ne without regard to case', () => {
    expect(matches("serviceCode eq 'O365'", { serviceCode: 'o365' })).toBe(true);
    expect(matches("serviceCode eq 'o365'", { serviceCode: 'O365' })).toBe(true);
    expect(matches("serviceCode eq 'O365'", { serviceCode: 'O3650' })).toBe(false);
    expect(matches("serviceCode ne 'O365'", { serviceCode: 'o365' })).toBe(false);
    expect(matches("serviceCode ne 'O365'", { serviceCode: 'x' })).toBe(true);
  });

  it('handles non-ASCII literals and values', () => {
    expect(matches("city eq 'MÜNCHEN'", { city: 'münchen' })).toBe(true);
    expect(matches("name eq 'i̇'", { name: 'İ' })).toBe(true);
    expect(matches("name eq 'k'", { name: '\u212a' })).toBe(true);
  });

  it('matches unescaped quotes', () => {
    expect(matches("customerName eq 'O''Brien'", { customerName: "o'brien" })).toBe(true);
  });

  it('orders strings without regard to case', () => {
    expect(matches("name gt 'b'", { name: 'C' })).toBe(true);
    expect(matches("name lt 'b'", { name: 'A' })).toBe(true);
    expect(matches("name ge 'B'", { name: 'b' })).toBe(true);
    expect(matches("name le 'B'", { name: 'c' })).toBe(false);
  });

  it('does not match a string literal against other types', () => {
    expect(matches("n eq '1'", { n: 1 })).toBe(false);
    expect(matches("n ne '1'", { n: 1 })).toBe(true);
    expect(matches("n gt '0'", { n: 1 })).toBe(false);
  });

  it('runs the string functions without regard to case', () => {
    const row = { customerName: 'Contoso Ltd' };
    expect(matches("contains(customerName, 'SO L')", row)).toBe(true);
    expect(matches("startswith(customerName, 'contoso')", row)).toBe(true);
    expect(matches("endswith(customerName, 'LTD')", row)).toBe(true);
    expect(matches("endswith(customerName, 'Contoso')", row)).toBe(false);
    expect(matches("contains(customerName, 'x')", { customerName: null })).toBe(false);
    expect(matches("contains(customerName, 'x')", {})).toBe(false);
    expect(matches('contains(customerName, 1)', row)).toBe(false);
  });

  it('evaluates a function with two fields', () => {
    expect(matches('contains(a, b)', { a: 'Hello', b: 'ELL' })).toBe(true);
    expect(matches('startswith(a, b)', { a: 'Hello', b: 1 })).toBe(false);
  });
});

describe('compileFilter: numbers, booleans, GUIDs, dates', () => {
  it('compares numbers numerically', () => {
    expect(matches('n gt 9', { n: 10 })).toBe(true);
    expect(matches('n ge 10', { n: 10 })).toBe(true);
    expect(matches('n lt 10', { n: 10 })).toBe(false);
    expect(matches('n le 1e1', { n: 10 })).toBe(true);
    expect(matches('n eq 10', { n: 10.5 })).toBe(false);
    expect(matches('n eq 10', { n: '10' })).toBe(false);
  });

  it('compares booleans', () => {
    expect(matches('active eq true', { active: true })).toBe(true);
    expect(matches('active eq true', { active: 'true' })).toBe(false);
    expect(matches('active ne true', { active: false })).toBe(true);
    expect(matches('active gt false', { active: true })).toBe(true);
  });

  it('matches a GUID literal against a string holding it in any case', () => {
    const filter = 'tenantId eq 8D6C4D5E-1234-4ABC-9DEF-0123456789AB';
    expect(matches(filter, { tenantId: '8d6c4d5e-1234-4abc-9def-0123456789ab' })).toBe(true);
    expect(matches(filter, { tenantId: '8d6c4d5e-1234-4abc-9def-0123456789ac' })).toBe(false);
  });

  it('compares date-times as instants against ISO strings and Dates', () => {
    const filter = 'processedDateTime ge 2024-01-31T10:00:00+02:00';
    expect(matches(filter, { processedDateTime: '2024-01-31T08:00:00Z' })).toBe(true);
    expect(matches(filter, { processedDateTime: '2024-01-31T07:59:59.999Z' })).toBe(false);
    expect(matches(filter, { processedDateTime: '2024-01-31T08:00:00' })).toBe(true);
    expect(matches(filter, { processedDateTime: new Date('2024-01-31T08:00:00Z') })).toBe(true);
    expect(matches(filter, { processedDateTime: 'not a date' })).toBe(false);
    expect(matches('t eq 2024-01-31T08:00:00Z', { t: '2024-01-31T10:00:00+02:00' })).toBe(true);
    expect(matches('t ne 2024-01-31T08:00:00Z', { t: 'garbage' })).toBe(true);
  });

  it('reads a date literal as midnight UTC', () => {
    expect(matches('d eq 2024-01-31', { d: '2024-01-31T00:00:00Z' })).toBe(true);
    expect(matches('d eq 2024-01-31', { d: '2024-01-31' })).toBe(true);
    expect(matches('d lt 2024-01-31', { d: '2024-01-30T23:59:59Z' })).toBe(true);
  });
});

describe('compileFilter: null and missing fields', () => {
  it('matches eq null only for null', () => {
    expect(matches('a eq null', { a: null })).toBe(true);
    expect(matches('a eq null', { a: '' })).toBe(false);
    expect(matches('a eq null', {})).toBe(false);
    expect(matches('null eq a', { a: null })).toBe(true);
  });

  it('matches ne null for every present non-null value', () => {
    expect(matches('a ne null', { a: 0 })).toBe(true);
    expect(matches('a ne null', { a: null })).toBe(false);
    expect(matches('a ne null', {})).toBe(false);
  });

  it('treats null as unequal to any value and unordered', () => {
    expect(matches("a eq 'x'", { a: null })).toBe(false);
    expect(matches("a ne 'x'", { a: null })).toBe(true);
    expect(matches('a gt 1', { a: null })).toBe(false);
    expect(matches('a le 1', { a: null })).toBe(false);
    expect(matches('a gt null', { a: 1 })).toBe(false);
  });

  it('makes every comparison on a missing field false, and not inverts that', () => {
    for (const filter of ["a eq 'x'", "a ne 'x'", 'a gt 1', "a in ('x')", "contains(a, 'x')"]) {
      expect(matches(filter, {})).toBe(false);
      expect(matches(`not (${filter})`, {})).toBe(true);
    }
  });
});

describe('compileFilter: field names every object inherits', () => {
  it('treats constructor, toString and __proto__ as missing unless the row owns them', () => {
    const cases = [
      "constructor ne 'x'",
      'toString ne null',
      '__proto__ ne null',
      "hasOwnProperty eq 'x' or valueOf in ('y')",
      "contains(toString, 'function')",
      'constructor eq toString',
      "constructor ne toString or 'a' eq constructor",
    ];
    for (const text of cases) {
      expect(matches(text, {}), text).toBe(false);
      expect(compileNode(parseFilter(text))({}), text).toBe(false);
    }
    const owned = JSON.parse('{"constructor": "Y", "toString": "y", "__proto__": 1}') as FilterRow;
    for (const predicate of [compileFilter, (text: string) => compileNode(parseFilter(text))]) {
      expect(predicate("constructor eq 'y'")(owned)).toBe(true);
      expect(predicate('constructor eq toString')(owned)).toBe(true);
      expect(predicate('__proto__ eq 1')(owned)).toBe(true);
      expect(predicate("constructor ne 'y'")(owned)).toBe(false);
    }
  });
});

describe('compileFilter: in, logic, literals on both sides', () => {
  it('matches in-lists of strings without regard to case', () => {
    expect(matches("code in ('A', 'B')", { code: 'b' })).toBe(true);
    expect(matches("code in ('A', 'B')", { code: 'c' })).toBe(false);
    expect(matches("code in ('A', 'B')", { code: null })).toBe(false);
  });

  it('matches mixed in-lists, including null', () => {
    expect(matches("v in (1, 'x', null)", { v: 1 })).toBe(true);
    expect(matches("v in (1, 'x', null)", { v: 'X' })).toBe(true);
    expect(matches("v in (1, 'x', null)", { v: null })).toBe(true);
    expect(matches("v in (1, 'x', null)", { v: 2 })).toBe(false);
  });

  it('combines with and, or and not, also in long chains', () => {
    const filter = "serviceCode eq 'O365' or (channel eq 'Reseller' and customerName ne 'O''Brien')";
    expect(matches(filter, { serviceCode: 'o365' })).toBe(true);
    expect(matches(filter, { serviceCode: 'x', channel: 'reseller', customerName: "o'brien" })).toBe(false);
    expect(matches(filter, { serviceCode: 'x', channel: 'RESELLER', customerName: 'z' })).toBe(true);
    const longAnd = Array.from({ length: 5000 }, (_, i) => `n ne ${i}`).join(' and ');
    expect(matches(longAnd, { n: 5000 })).toBe(true);
    expect(matches(longAnd, { n: 4999 })).toBe(false);
    const longOr = Array.from({ length: 5000 }, (_, i) => `n eq ${i}`).join(' or ');
    expect(matches(longOr, { n: 4999 })).toBe(true);
  });

  it('folds comparisons of two literals and compares two fields', () => {
    expect(matches("'a' eq 'A'", {})).toBe(true);
    expect(matches('1 gt 2', {})).toBe(false);
    expect(matches('a eq b', { a: 'X', b: 'x' })).toBe(true);
    expect(matches('a lt b', { a: 1, b: 2 })).toBe(true);
    expect(matches('a eq b', { a: 1 })).toBe(false);
    expect(matches('a ne b', { a: null, b: 1 })).toBe(true);
  });
});

describe('compileFilter: inputs and options', () => {
  it('accepts an AST', () => {
    const f = filterBuilder<{ n: number }>();
    expect(compileFilter(f.gt('n', 1))({ n: 2 })).toBe(true);
    expect(compileFilter(parseFilter('n gt 1'))({ n: 0 })).toBe(false);
  });

  it('checks text and ASTs against the options', () => {
    const options = { fields: ['n'], operators: ['eq'] } as const;
    expect(() => compileFilter('m eq 1', options)).toThrow(FilterSyntaxError);
    const f = filterBuilder<{ n: number }>();
    expect(() => compileFilter(f.gt('n', 1), options)).toThrow(/Operator "gt" is not allowed/);
    expect(compileFilter(f.eq('n', 1), options)({ n: 1 })).toBe(true);
  });
});

describe('compileFilter: ASCII fast path', () => {
  it('folds only letters and hands non-ASCII values to toLowerCase', () => {
    expect(matches("a eq 'a[1'", { a: 'A[1' })).toBe(true);
    expect(matches("a eq 'a{1'", { a: 'a[1' })).toBe(false);
    expect(matches("a eq '@'", { a: '`' })).toBe(false);
    expect(matches("a eq 'kb'", { a: '\u212aB' })).toBe(true);
    expect(matches("a eq 'ab'", { a: 'aé' })).toBe(false);
  });
});

describe('compileFilter: generated code', () => {
  it('reads any field name as data, never as code', () => {
    const name = '"]; globalThis.injected = true; r["';
    const predicate = compileFilter({
      kind: 'compare',
      operator: 'eq',
      left: { kind: 'field', name, start: 0, end: 0 },
      right: {
        kind: 'literal',
        type: 'string',
        value: "x'); globalThis.injected = true; ('",
        start: 0,
        end: 0,
      },
      start: 0,
      end: 0,
    });
    expect(predicate({ [name]: "X'); GLOBALTHIS.INJECTED = TRUE; ('" })).toBe(true);
    expect(predicate({})).toBe(false);
    expect((globalThis as { injected?: unknown }).injected).toBeUndefined();
  });

  it('handles null literals on either side and every operator inline', () => {
    expect(matches('null ne a', { a: 1 })).toBe(true);
    expect(matches('null lt a', { a: 1 })).toBe(false);
    expect(matches('5 gt n and 1 le n', { n: 1 })).toBe(true);
  });
});

/** Per-literal comparison closures: the building blocks of compiled predicates (decisions/0010-filter-semantics.md). */
import type { CallNode, CompareOperator, LiteralNode, OperandNode } from '../ast.js';
import { isoToEpochMs } from './literals.js';

/** A row as the compiled predicate reads it: field name to value. */
export type FilterRow = Readonly<Record<string, unknown>>;

/** A compiled filter: true when the row matches. */
export type FilterPredicate = (row: FilterRow) => boolean;

/** How a literal compares with a row value: `eq` for equality, `cmp` for order (NaN when incomparable). */
export interface Comparand {
  readonly eq: (value: unknown) => boolean;
  readonly cmp: (value: unknown) => number;
}

/**
 * True for names every plain object inherits (`constructor`, `toString`, `__proto__`...). A row has
 * such a field only as an own property; `row[name]` would otherwise read `Object.prototype`.
 */
export function isInheritedName(name: string): boolean {
  return name in Object.prototype;
}

/** Reads field `name` of a row: a plain property load, or an own-property check for inherited names. */
export function fieldReader(name: string): (row: FilterRow) => unknown {
  if (isInheritedName(name)) return (row) => (Object.hasOwn(row, name) ? row[name] : undefined);
  return (row) => row[name];
}

export const alwaysFalse: FilterPredicate = () => false;
export const alwaysTrue: FilterPredicate = () => true;

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 128) return false;
  return true;
}

function instantOf(value: unknown): number {
  if (typeof value === 'string') return isoToEpochMs(value);
  if (value instanceof Date) return value.getTime();
  return Number.NaN;
}

function order(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : a === b ? 0 : Number.NaN;
}

/**
 * Case-insensitive equality of `value` with an ASCII `lower` (already lower-case) of the same
 * length, without allocating: ASCII letters are folded by hand, and the first non-ASCII character
 * hands over to `toLowerCase` (some, like the Kelvin sign, lower-case to ASCII).
 */
function asciiEqualsIgnoringCase(value: string, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    let code = value.charCodeAt(i);
    const expected = lower.charCodeAt(i);
    if (code === expected) continue;
    if (code >= 128) return value.toLowerCase() === lower;
    if (code >= 65 && code <= 90) code += 32;
    if (code !== expected) return false;
  }
  return true;
}

function stringComparand(literal: string): Comparand {
  const lower = literal.toLowerCase();
  const length = lower.length;
  // For an ASCII literal a different length can never lower-case to it (only U+0130 changes length,
  // and it lower-cases to a non-ASCII pair), so the length check is a safe early exit.
  const eq = isAscii(literal)
    ? (value: unknown): boolean =>
        typeof value === 'string' && value.length === length && asciiEqualsIgnoringCase(value, lower)
    : (value: unknown): boolean => typeof value === 'string' && value.toLowerCase() === lower;
  const cmp = (value: unknown): number =>
    typeof value === 'string' ? order(value.toLowerCase(), lower) : Number.NaN;
  return { eq, cmp };
}

function numberComparand(literal: number): Comparand {
  return {
    eq: (value) => value === literal,
    cmp: (value) => (typeof value === 'number' ? order(value, literal) : Number.NaN),
  };
}

function booleanComparand(literal: boolean): Comparand {
  const rank = literal ? 1 : 0;
  return {
    eq: (value) => value === literal,
    cmp: (value) => (typeof value === 'boolean' ? (value ? 1 : 0) - rank : Number.NaN),
  };
}

function instantComparand(literal: string): Comparand {
  const instant = isoToEpochMs(literal);
  return {
    eq: (value) => value !== null && value !== undefined && instantOf(value) === instant,
    cmp: (value) => order(instantOf(value), instant),
  };
}

const nullComparand: Comparand = {
  eq: (value) => value === null,
  cmp: () => Number.NaN,
};

export function comparandOf(literal: LiteralNode): Comparand {
  switch (literal.type) {
    case 'string':
    case 'guid':
      return stringComparand(literal.value);
    case 'number':
      return numberComparand(literal.value);
    case 'boolean':
      return booleanComparand(literal.value);
    case 'null':
      return nullComparand;
    case 'date':
    case 'dateTime':
      return instantComparand(literal.value);
  }
}

/**
 * The value a literal stands for when it sits where a row value would (literal-vs-literal, function
 * arguments, the left of `in`): dates and date-times are instants (a `Date`), not their text.
 */
function runtimeValue(literal: LiteralNode): unknown {
  if (literal.type === 'date' || literal.type === 'dateTime') return new Date(isoToEpochMs(literal.value));
  return literal.value;
}

export const flipped: Record<CompareOperator, CompareOperator> = {
  eq: 'eq',
  ne: 'ne',
  gt: 'lt',
  ge: 'le',
  lt: 'gt',
  le: 'ge',
};

export function compareFieldWithLiteral(
  name: string,
  operator: CompareOperator,
  literal: LiteralNode,
): FilterPredicate {
  if (isInheritedName(name)) {
    const read = fieldReader(name);
    const test = compareFieldWithLiteral('value', operator, literal);
    return (row) => test({ value: read(row) });
  }
  if (literal.type === 'null') {
    if (operator === 'eq') return (row) => row[name] === null;
    if (operator === 'ne') {
      return (row) => {
        const value = row[name];
        return value !== null && value !== undefined;
      };
    }
    return alwaysFalse;
  }
  const { eq, cmp } = comparandOf(literal);
  switch (operator) {
    case 'eq':
      return (row) => eq(row[name]);
    case 'ne':
      return (row) => {
        const value = row[name];
        return value !== undefined && !eq(value);
      };
    case 'gt':
      return (row) => cmp(row[name]) > 0;
    case 'ge':
      return (row) => cmp(row[name]) >= 0;
    case 'lt':
      return (row) => cmp(row[name]) < 0;
    case 'le':
      return (row) => cmp(row[name]) <= 0;
  }
}

/** Order of two row values for field-vs-field comparisons: same-type values only (strings ignore case). */
function genericOrder(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return order(a.toLowerCase(), b.toLowerCase());
  if (typeof a === 'number' && typeof b === 'number') return order(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return (a ? 1 : 0) - (b ? 1 : 0);
  if (a instanceof Date && b instanceof Date) return order(a.getTime(), b.getTime());
  return Number.NaN;
}

export function compareFields(left: string, operator: CompareOperator, right: string): FilterPredicate {
  if (isInheritedName(left) || isInheritedName(right)) {
    const readLeft = fieldReader(left);
    const readRight = fieldReader(right);
    const test = compareFields('a', operator, 'b');
    return (row) => test({ a: readLeft(row), b: readRight(row) });
  }
  switch (operator) {
    case 'eq':
      return (row) => {
        const a = row[left];
        const b = row[right];
        if (a === undefined || b === undefined) return false;
        return a === null || b === null ? a === b : genericOrder(a, b) === 0;
      };
    case 'ne':
      return (row) => {
        const a = row[left];
        const b = row[right];
        if (a === undefined || b === undefined) return false;
        return a === null || b === null ? a !== b : genericOrder(a, b) !== 0;
      };
    case 'gt':
      return (row) => genericOrder(row[left], row[right]) > 0;
    case 'ge':
      return (row) => genericOrder(row[left], row[right]) >= 0;
    case 'lt':
      return (row) => genericOrder(row[left], row[right]) < 0;
    case 'le':
      return (row) => genericOrder(row[left], row[right]) <= 0;
  }
}

export function compileCompare(
  operator: CompareOperator,
  left: OperandNode,
  right: OperandNode,
): FilterPredicate {
  if (left.kind === 'field') {
    return right.kind === 'field'
      ? compareFields(left.name, operator, right.name)
      : compareFieldWithLiteral(left.name, operator, right);
  }
  if (right.kind === 'field') return compareFieldWithLiteral(right.name, flipped[operator], left);
  // Two literals: the left one plays the row value, so the answer is a constant.
  const constant = compareFieldWithLiteral('value', operator, right)({ value: runtimeValue(left) });
  return constant ? alwaysTrue : alwaysFalse;
}

export function operandReader(node: OperandNode): (row: FilterRow) => unknown {
  if (node.kind === 'field') return fieldReader(node.name);
  const constant = runtimeValue(node);
  return () => constant;
}

export function compileIn(left: OperandNode, values: readonly LiteralNode[]): FilterPredicate {
  const read = operandReader(left);
  if (values.every((value) => value.type === 'string' || value.type === 'guid')) {
    const set = new Set(values.map((value) => (value.value as string).toLowerCase()));
    return (row) => {
      const value = read(row);
      return typeof value === 'string' && set.has(value.toLowerCase());
    };
  }
  const tests = values.map((value) => comparandOf(value).eq);
  return (row) => {
    const value = read(row);
    if (value === undefined) return false;
    for (let i = 0; i < tests.length; i++) if ((tests[i] as (value: unknown) => boolean)(value)) return true;
    return false;
  };
}

export function compileCall(node: CallNode): FilterPredicate {
  const [first, second] = node.args;
  const readFirst = operandReader(first);
  const test =
    node.name === 'contains'
      ? (a: string, b: string) => a.includes(b)
      : node.name === 'startswith'
        ? (a: string, b: string) => a.startsWith(b)
        : (a: string, b: string) => a.endsWith(b);
  if (second.kind === 'literal') {
    if (second.type !== 'string' && second.type !== 'guid') return alwaysFalse;
    const needle = second.value.toLowerCase();
    return (row) => {
      const value = readFirst(row);
      return typeof value === 'string' && test(value.toLowerCase(), needle);
    };
  }
  const readSecond = operandReader(second);
  return (row) => {
    const a = readFirst(row);
    const b = readSecond(row);
    return typeof a === 'string' && typeof b === 'string' && test(a.toLowerCase(), b.toLowerCase());
  };
}

/**
 * A plain tree-walking evaluator written straight from decisions/0010-filter-semantics.md, with no
 * shared code, as the yardstick for the compiled predicates in the property tests.
 */
import type { FilterNode, LiteralNode, OperandNode } from '../src/index.js';

type Typed =
  | { readonly t: 'missing' }
  | { readonly t: 'null' }
  | { readonly t: 'string'; readonly v: string }
  | { readonly t: 'number'; readonly v: number }
  | { readonly t: 'boolean'; readonly v: boolean }
  | { readonly t: 'instant'; readonly v: number }
  | { readonly t: 'other' };

const isoPattern = /^\d{4}-\d{2}-\d{2}(?:[T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

function parseInstant(text: string): number {
  if (!isoPattern.test(text)) return Number.NaN;
  if (text.length === 10) return Date.parse(`${text}T00:00:00Z`);
  const hasOffset = /(?:Z|[+-]\d{2}:\d{2})$/.test(text);
  // Date.parse keeps only milliseconds; trim longer fractions the way a reader of instants would.
  const trimmed = text.replace(/(\.\d{3})\d+/, '$1');
  return Date.parse(hasOffset ? trimmed : `${trimmed}Z`);
}

function fromRow(value: unknown): Typed {
  if (value === undefined) return { t: 'missing' };
  if (value === null) return { t: 'null' };
  if (typeof value === 'string') return { t: 'string', v: value };
  if (typeof value === 'number') return { t: 'number', v: value };
  if (typeof value === 'boolean') return { t: 'boolean', v: value };
  if (value instanceof Date) return { t: 'instant', v: value.getTime() };
  return { t: 'other' };
}

function fromLiteral(node: LiteralNode): Typed {
  switch (node.type) {
    case 'string':
    case 'guid':
      return { t: 'string', v: node.value };
    case 'number':
      return { t: 'number', v: node.value };
    case 'boolean':
      return { t: 'boolean', v: node.value };
    case 'null':
      return { t: 'null' };
    case 'date':
    case 'dateTime':
      return { t: 'instant', v: parseInstant(node.value) };
  }
}

/** The sign of `row value` against `literal`, or NaN when they cannot be ordered. */
function order(value: Typed, literal: Typed): number {
  if (literal.t === 'instant') {
    const v = value.t === 'instant' ? value.v : value.t === 'string' ? parseInstant(value.v) : Number.NaN;
    return Number.isNaN(v) || Number.isNaN(literal.v) ? Number.NaN : Math.sign(v - literal.v);
  }
  if (literal.t === 'string' && value.t === 'string') {
    const a = value.v.toLowerCase();
    const b = literal.v.toLowerCase();
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (literal.t === 'number' && value.t === 'number') {
    return value.v < literal.v ? -1 : value.v > literal.v ? 1 : value.v === literal.v ? 0 : Number.NaN;
  }
  if (literal.t === 'boolean' && value.t === 'boolean') return Number(value.v) - Number(literal.v);
  return Number.NaN;
}

function equal(value: Typed, literal: Typed): boolean {
  if (value.t === 'missing') return false;
  if (value.t === 'null' || literal.t === 'null') return value.t === 'null' && literal.t === 'null';
  return order(value, literal) === 0;
}

function compare(operator: string, value: Typed, literal: Typed): boolean {
  if (value.t === 'missing') return false;
  switch (operator) {
    case 'eq':
      return equal(value, literal);
    case 'ne':
      return !equal(value, literal);
    case 'gt':
      return order(value, literal) > 0;
    case 'ge':
      return order(value, literal) >= 0;
    case 'lt':
      return order(value, literal) < 0;
    default:
      return order(value, literal) <= 0;
  }
}

const mirror: Record<string, string> = { eq: 'eq', ne: 'ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' };

/** A field the row does not own (`constructor` on `{}`) is missing, whatever the prototype holds. */
function fieldValue(row: Readonly<Record<string, unknown>>, name: string): Typed {
  return fromRow(Object.hasOwn(row, name) ? row[name] : undefined);
}

function operandValue(node: OperandNode, row: Readonly<Record<string, unknown>>): Typed {
  return node.kind === 'field' ? fieldValue(row, node.name) : fromLiteral(node);
}

/** Order of two row values (field vs field): same types only; an ISO string is not read as a date. */
function orderRowValues(a: Typed, b: Typed): number {
  if (a.t === 'string' && b.t === 'string') {
    const x = a.v.toLowerCase();
    const y = b.v.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if ((a.t === 'number' && b.t === 'number') || (a.t === 'instant' && b.t === 'instant')) {
    return a.v < b.v ? -1 : a.v > b.v ? 1 : a.v === b.v ? 0 : Number.NaN;
  }
  if (a.t === 'boolean' && b.t === 'boolean') return Number(a.v) - Number(b.v);
  return Number.NaN;
}

function compareRowValues(operator: string, a: Typed, b: Typed): boolean {
  if (a.t === 'missing' || b.t === 'missing') return false;
  const bothNull = a.t === 'null' && b.t === 'null';
  const eitherNull = a.t === 'null' || b.t === 'null';
  switch (operator) {
    case 'eq':
      return eitherNull ? bothNull : orderRowValues(a, b) === 0;
    case 'ne':
      return eitherNull ? !bothNull : orderRowValues(a, b) !== 0;
    case 'gt':
      return orderRowValues(a, b) > 0;
    case 'ge':
      return orderRowValues(a, b) >= 0;
    case 'lt':
      return orderRowValues(a, b) < 0;
    default:
      return orderRowValues(a, b) <= 0;
  }
}

/**
 * Evaluates `node` against `row` by walking the tree. A literal on the left of a comparison with a
 * literal plays the row value (a date literal is an instant, not its text).
 */
export function referenceEvaluate(node: FilterNode, row: Readonly<Record<string, unknown>>): boolean {
  switch (node.kind) {
    case 'and':
      return referenceEvaluate(node.left, row) && referenceEvaluate(node.right, row);
    case 'or':
      return referenceEvaluate(node.left, row) || referenceEvaluate(node.right, row);
    case 'not':
      return !referenceEvaluate(node.operand, row);
    case 'compare': {
      const { left, right } = node;
      if (left.kind === 'field' && right.kind === 'field') {
        return compareRowValues(node.operator, fieldValue(row, left.name), fieldValue(row, right.name));
      }
      if (right.kind === 'literal')
        return compare(node.operator, operandValue(left, row), fromLiteral(right));
      return compare(
        mirror[node.operator] as string,
        fieldValue(row, right.name),
        fromLiteral(left as LiteralNode),
      );
    }
    case 'in': {
      const value = operandValue(node.left, row);
      return node.values.some((literal) => equal(value, fromLiteral(literal)));
    }
    case 'call': {
      const a = operandValue(node.args[0], row);
      const b = operandValue(node.args[1], row);
      if (a.t !== 'string' || b.t !== 'string') return false;
      const hay = a.v.toLowerCase();
      const needle = b.v.toLowerCase();
      if (node.name === 'contains') return hay.includes(needle);
      if (node.name === 'startswith') return hay.startsWith(needle);
      return hay.endsWith(needle);
    }
  }
}

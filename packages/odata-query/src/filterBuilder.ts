import type {
  AndNode,
  CallNode,
  CompareNode,
  CompareOperator,
  DateLiteral,
  DateTimeLiteral,
  FilterNode,
  FunctionName,
  GuidLiteral,
  InNode,
  LiteralNode,
  NotNode,
  OrNode,
} from './ast.js';
import { printFilter, printLiteral, quoteString } from './printFilter.js';

/** The row value types a filter can test. */
type Filterable = string | number | boolean | Date;

/** Field names of `Row` whose values are strings, numbers, booleans or dates (possibly null or optional). */
export type FilterField<Row> = {
  [K in keyof Row & string]-?: [NonNullable<Row[K]>] extends [never]
    ? never
    : NonNullable<Row[K]> extends Filterable
      ? K
      : never;
}[keyof Row & string];

/** Field names of `Row` whose values are strings. */
export type StringField<Row> = {
  [K in keyof Row & string]-?: [NonNullable<Row[K]>] extends [never]
    ? never
    : NonNullable<Row[K]> extends string
      ? K
      : never;
}[keyof Row & string];

/** Field names of `Row` whose values have an order: strings, numbers, dates. */
export type OrderedField<Row> = {
  [K in keyof Row & string]-?: [NonNullable<Row[K]>] extends [never]
    ? never
    : NonNullable<Row[K]> extends string | number | Date
      ? K
      : never;
}[keyof Row & string];

type ValueForMember<M> = M extends string
  ? M | GuidLiteral | DateLiteral | DateTimeLiteral
  : M extends number
    ? M
    : M extends boolean
      ? M
      : M extends Date
        ? Date | DateLiteral | DateTimeLiteral
        : never;

/**
 * The values a field of type `T` may be compared with: the same primitive type (string literal
 * unions stay unions), `null` when `T` admits null, and for strings and dates the explicit
 * {@link guid}, {@link date} and {@link dateTime} literals.
 */
export type FilterValue<T> = ValueForMember<NonNullable<T>> | (null extends T ? null : never);

/** Builds filter ASTs over a row type: misspelled fields and wrongly typed values do not compile. */
export interface FilterBuilder<Row> {
  /** `field eq value` */
  eq<K extends FilterField<Row>>(field: K, value: FilterValue<Row[K]>): CompareNode;
  /** `field ne value` */
  ne<K extends FilterField<Row>>(field: K, value: FilterValue<Row[K]>): CompareNode;
  /** `field gt value` */
  gt<K extends OrderedField<Row>>(field: K, value: Exclude<FilterValue<Row[K]>, null>): CompareNode;
  /** `field ge value` */
  ge<K extends OrderedField<Row>>(field: K, value: Exclude<FilterValue<Row[K]>, null>): CompareNode;
  /** `field lt value` */
  lt<K extends OrderedField<Row>>(field: K, value: Exclude<FilterValue<Row[K]>, null>): CompareNode;
  /** `field le value` */
  le<K extends OrderedField<Row>>(field: K, value: Exclude<FilterValue<Row[K]>, null>): CompareNode;
  /** `field in (v1, v2, ...)`; at least one value. */
  in<K extends FilterField<Row>>(field: K, values: readonly FilterValue<Row[K]>[]): InNode;
  /** `contains(field, 'text')` */
  contains<K extends StringField<Row>>(field: K, text: string): CallNode;
  /** `startswith(field, 'text')` */
  startswith<K extends StringField<Row>>(field: K, text: string): CallNode;
  /** `endswith(field, 'text')` */
  endswith<K extends StringField<Row>>(field: K, text: string): CallNode;
  /** All of the filters (`a and b and ...`); at least one. */
  and(first: FilterNode, ...rest: FilterNode[]): FilterNode;
  /** Any of the filters (`a or b or ...`); at least one. */
  or(first: FilterNode, ...rest: FilterNode[]): FilterNode;
  /** `not filter` */
  not(filter: FilterNode): NotNode;
}

/** A GUID literal (printed without quotes), for string fields that hold GUIDs. */
export function guid(value: string): GuidLiteral {
  const node: GuidLiteral = { kind: 'literal', type: 'guid', value, start: 0, end: 0 };
  printLiteral(node);
  return node;
}

/** A date literal (`2024-01-31`); a `Date` gives its UTC calendar day. */
export function date(value: string | Date): DateLiteral {
  const text = typeof value === 'string' ? value : isoOf(value).slice(0, 10);
  const node: DateLiteral = { kind: 'literal', type: 'date', value: text, start: 0, end: 0 };
  printLiteral(node);
  return node;
}

/** A date-time literal (`2024-01-31T10:00:00.000Z`); a `Date` is printed with `toISOString()`. */
export function dateTime(value: string | Date): DateTimeLiteral {
  const text = typeof value === 'string' ? value : isoOf(value);
  const node: DateTimeLiteral = { kind: 'literal', type: 'dateTime', value: text, start: 0, end: 0 };
  printLiteral(node);
  return node;
}

function isoOf(value: Date): string {
  if (Number.isNaN(value.getTime())) throw new RangeError('Cannot use an invalid Date in a filter');
  return value.toISOString();
}

function isLiteralNode(value: object): value is LiteralNode {
  return (value as { kind?: unknown }).kind === 'literal';
}

/** Turns a JavaScript value into a literal node (strings, finite numbers, booleans, null, Dates, literal nodes). */
export function toLiteral(value: unknown): LiteralNode {
  switch (typeof value) {
    case 'string':
      return { kind: 'literal', type: 'string', value, start: 0, end: 0 };
    case 'number':
      if (!Number.isFinite(value))
        throw new RangeError(`Cannot use ${value} in a filter: numbers must be finite`);
      return { kind: 'literal', type: 'number', value, start: 0, end: 0 };
    case 'boolean':
      return { kind: 'literal', type: 'boolean', value, start: 0, end: 0 };
    case 'object':
      if (value === null) return { kind: 'literal', type: 'null', value: null, start: 0, end: 0 };
      if (value instanceof Date)
        return { kind: 'literal', type: 'dateTime', value: isoOf(value), start: 0, end: 0 };
      if (isLiteralNode(value)) return value;
      break;
    default:
      break;
  }
  throw new TypeError(`Cannot use ${String(value)} (${typeof value}) as a filter value`);
}

function compare(operator: CompareOperator, field: string, value: unknown): CompareNode {
  return {
    kind: 'compare',
    operator,
    left: { kind: 'field', name: field, start: 0, end: 0 },
    right: toLiteral(value),
    start: 0,
    end: 0,
  };
}

function call(name: FunctionName, field: string, text: string): CallNode {
  if (typeof text !== 'string') throw new TypeError(`${name} takes a string, got ${typeof text}`);
  return {
    kind: 'call',
    name,
    args: [
      { kind: 'field', name: field, start: 0, end: 0 },
      { kind: 'literal', type: 'string', value: text, start: 0, end: 0 },
    ],
    start: 0,
    end: 0,
  };
}

function chain(kind: 'and' | 'or', first: FilterNode, rest: readonly FilterNode[]): FilterNode {
  let node = first;
  for (const next of rest) {
    const joined: AndNode | OrNode = { kind, left: node, right: next, start: 0, end: 0 };
    node = joined;
  }
  return node;
}

const builder: FilterBuilder<Record<string, Filterable | null>> = {
  eq: (field, value) => compare('eq', field, value),
  ne: (field, value) => compare('ne', field, value),
  gt: (field, value) => compare('gt', field, value),
  ge: (field, value) => compare('ge', field, value),
  lt: (field, value) => compare('lt', field, value),
  le: (field, value) => compare('le', field, value),
  in: (field, values) => {
    if (values.length === 0) throw new RangeError(`The in-list for ${field} needs at least one value`);
    return {
      kind: 'in',
      left: { kind: 'field', name: field, start: 0, end: 0 },
      values: values.map(toLiteral),
      start: 0,
      end: 0,
    };
  },
  contains: (field, text) => call('contains', field, text),
  startswith: (field, text) => call('startswith', field, text),
  endswith: (field, text) => call('endswith', field, text),
  and: (first, ...rest) => chain('and', first, rest),
  or: (first, ...rest) => chain('or', first, rest),
  not: (filter) => ({ kind: 'not', operand: filter, start: 0, end: 0 }),
};

/**
 * A typed filter builder over `Row`. Field names are checked against `Row`, each value against the
 * field's type, and every value is escaped when printed.
 *
 * @example
 * ```ts
 * const f = filterBuilder<{ serviceCode: string; licensesActive: number }>();
 * printFilter(f.and(f.eq('serviceCode', "O'365"), f.gt('licensesActive', 10)));
 * // "serviceCode eq 'O''365' and licensesActive gt 10"
 * ```
 */
export function filterBuilder<Row>(): FilterBuilder<Row> {
  return builder as unknown as FilterBuilder<Row>;
}

function interpolate(value: unknown): string {
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    const kind = (value as { kind?: unknown }).kind;
    if (kind === 'literal') return printLiteral(value as LiteralNode);
    if (kind === 'and' || kind === 'or') return `(${printFilter(value as FilterNode)})`;
    if (kind === 'compare' || kind === 'in' || kind === 'call' || kind === 'not') {
      return `(${printFilter(value as FilterNode)})`;
    }
  }
  if (typeof value === 'string') return quoteString(value);
  return printLiteral(toLiteral(value));
}

/**
 * A tagged template that writes filter text with every interpolation printed as an escaped literal
 * (strings quoted with `''` doubling, Dates as date-times, literal nodes as themselves, filter nodes
 * parenthesized). The result is text; pass it to `parseFilter` to check it against an endpoint.
 *
 * @example
 * ```ts
 * filter`customerName eq ${"O'Brien"} and licensesActive gt ${10}`;
 * // "customerName eq 'O''Brien' and licensesActive gt 10"
 * ```
 */
export function filter(strings: TemplateStringsArray, ...values: readonly unknown[]): string {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += interpolate(values[i]) + (strings[i + 1] ?? '');
  return out;
}

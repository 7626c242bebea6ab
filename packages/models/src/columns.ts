import { z } from 'zod';
import {
  INVALID,
  normalizeAttributes,
  normalizeCount,
  normalizeGuid,
  normalizeRatio,
  normalizeString,
  normalizeTimestamp,
} from './internal/values.js';

/**
 * What a column holds on the wire and what it becomes once parsed:
 * - `string`: a string, as is;
 * - `guid`: an identifier string, lower-cased;
 * - `count`: a non-negative integer, sent as a number or a numeric string;
 * - `ratio`: a finite number (percentages are fractions, 1.0 = 100%), number or numeric string;
 * - `timestamp`: an ISO-8601 date-time, normalized to `toISOString()` form (no offset = UTC);
 * - `attributes`: the legacy resources' `{ objectType, etag? }`.
 */
export type ColumnKind = 'string' | 'guid' | 'count' | 'ratio' | 'timestamp' | 'attributes';

/** One field of an endpoint's row, as the descriptor declares it. */
export interface ColumnSpec {
  /** Field name on the wire and in parsed rows (camelCase, as documented). */
  readonly name: string;
  readonly kind: ColumnKind;
  /** The service leaves the field out (legacy rows omit `customerId`, `serviceCode`, `workloadCode`). */
  readonly optional?: boolean;
  /** Other spellings accepted on the wire and renamed to `name` (the usage doc's `licenseActive`). */
  readonly aliases?: readonly string[];
  /** One line for help texts and the OpenAPI document. */
  readonly description: string;
}

/** The `attributes` object of legacy resources. */
export interface ResourceAttributes {
  readonly objectType?: string;
  readonly etag?: string;
}

/** The TypeScript type of a parsed value of each column kind. */
export type ColumnValue<K extends ColumnKind> = K extends 'count' | 'ratio'
  ? number
  : K extends 'attributes'
    ? ResourceAttributes
    : string;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The parsed row type of a list of column specs (declared `as const`). */
export type RowOf<Columns extends readonly ColumnSpec[]> = Simplify<
  {
    [C in Columns[number] as C extends { optional: true } ? never : C['name']]: ColumnValue<C['kind']>;
  } & {
    [C in Columns[number] as C extends { optional: true } ? C['name'] : never]?: ColumnValue<C['kind']>;
  }
>;

type Normalizer = (value: unknown) => unknown;

/** The literal types of `@pc/odata-query`'s filter language (`LiteralNode['type']`). */
export type FilterLiteralType = 'string' | 'number' | 'boolean' | 'null' | 'date' | 'dateTime' | 'guid';

/** How a column is shown by default: the display kinds of the CLI's output writers. */
export type ColumnDisplayKind = 'string' | 'number' | 'ratio' | 'date' | 'json';

/** Everything pc knows about one {@link ColumnKind}, in one place (see {@link columnKinds}). */
export interface ColumnKindFacts {
  /** What a wire value must be, for error messages (`expected a GUID string`). */
  readonly message: string;
  /**
   * The filter literals a column of this kind can be compared with. Partner Center's grammar is
   * `field eq 'string'`: text and GUID columns take a quoted string only (an unquoted GUID, a
   * number, `null` or `true` would silently match nothing); an optional column also takes `null`.
   */
  readonly filterLiterals: readonly FilterLiteralType[];
  /** A value given as request text (a path parameter) must match this, when set (GUIDs). */
  readonly requestPattern: RegExp | undefined;
  /** An example of a valid request value, for messages. */
  readonly requestExample: string;
  /** The JSON Schema of a wire value (the mock's OpenAPI document). */
  readonly jsonSchema: Readonly<Record<string, unknown>>;
  /** How the CLI shows the value by default. */
  readonly display: ColumnDisplayKind;
}

/**
 * The per-kind facts of every column kind: messages, which filter literals suit it, the request
 * pattern, the JSON Schema and the default display. Typed `Record<ColumnKind, ...>` so that a new
 * kind cannot be added without saying all of them. Sources: the endpoint pages (GUIDs, counts as
 * numbers or numeric strings, timestamps without offset) and decision 0010 (filter semantics).
 */
export const columnKinds: Readonly<Record<ColumnKind, ColumnKindFacts>> = {
  string: {
    message: 'expected a string',
    filterLiterals: ['string'],
    requestPattern: undefined,
    requestExample: 'o365',
    jsonSchema: { type: 'string' },
    display: 'string',
  },
  guid: {
    message: 'expected a GUID string',
    filterLiterals: ['string'],
    requestPattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    requestExample: '0112a436-b14e-4888-967b-ca4bb2cf1234',
    jsonSchema: { type: 'string', format: 'uuid' },
    display: 'string',
  },
  count: {
    message: 'expected a non-negative integer (a number or a numeric string)',
    filterLiterals: ['number'],
    requestPattern: /^\d+$/,
    requestExample: '42',
    jsonSchema: { type: 'integer', minimum: 0 },
    display: 'number',
  },
  ratio: {
    message: 'expected a finite number (a number or a numeric string)',
    filterLiterals: ['number'],
    requestPattern: undefined,
    requestExample: '0.75',
    jsonSchema: { type: 'number' },
    display: 'ratio',
  },
  timestamp: {
    message: 'expected an ISO-8601 date or date-time',
    filterLiterals: ['string', 'date', 'dateTime'],
    requestPattern: undefined,
    requestExample: '2026-11-20',
    // Not `format: date-time`: the commercial endpoints send no offset (`2018-10-14T00:00:00`).
    jsonSchema: {
      type: 'string',
      pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})?$',
    },
    display: 'date',
  },
  attributes: {
    message: 'expected an object { objectType, etag? }',
    filterLiterals: [],
    requestPattern: undefined,
    requestExample: '{}',
    jsonSchema: {
      type: 'object',
      properties: { objectType: { type: 'string' }, etag: { type: 'string' } },
    },
    display: 'json',
  },
};

const normalizers: Record<ColumnKind, Normalizer> = {
  string: normalizeString,
  guid: normalizeGuid,
  count: normalizeCount,
  ratio: normalizeRatio,
  timestamp: normalizeTimestamp,
  attributes: normalizeAttributes,
};

/** The zod schema of one column kind: validates the wire value and returns the normalized one. */
export function columnSchema(kind: ColumnKind): z.ZodType<unknown> {
  const normalize = normalizers[kind];
  const base =
    kind === 'count' || kind === 'ratio'
      ? z.union([z.number(), z.string()], { error: columnKinds[kind].message })
      : kind === 'attributes'
        ? z.looseObject({}, { error: columnKinds[kind].message })
        : z.string({ error: columnKinds[kind].message });
  return base.transform((value, context) => {
    const result = normalize(value);
    if (result === INVALID) {
      context.addIssue({
        code: 'custom',
        message: `${columnKinds[kind].message}, got ${JSON.stringify(value)}`,
        input: value,
      });
      return z.NEVER;
    }
    return result;
  });
}

/**
 * Compiles a row normalizer for the fast page path: it checks and normalizes a parsed JSON row in
 * place (unknown fields stay as they are) and returns `false` at the first invalid field, in
 * which case the caller falls back to the zod schema for a precise error. The checks are generated
 * as one straight-line function per column list; each column remembers its last input, because
 * consecutive rows repeat identifiers and timestamps.
 */
export function compileRowNormalizer(
  columns: readonly ColumnSpec[],
): (row: Record<string, unknown>) => boolean {
  const lines: string[] = ['let value;'];
  const memo: string[] = [];
  columns.forEach((column, index) => {
    const key = JSON.stringify(column.name);
    lines.push(`value = row[${key}];`);
    if (column.aliases !== undefined) {
      for (const alias of column.aliases) {
        const aliasKey = JSON.stringify(alias);
        lines.push(
          `if (value === undefined && row[${aliasKey}] !== undefined) { value = row[${aliasKey}]; delete row[${aliasKey}]; row[${key}] = value; }`,
        );
      }
    }
    lines.push(`if (value === undefined) ${column.optional === true ? '{} else' : 'return false; else'} {`);
    switch (column.kind) {
      case 'string':
        lines.push(`if (typeof value !== 'string') return false;`);
        break;
      case 'count':
        lines.push(
          `if (typeof value !== 'number' || !(value >= 0) || !Number.isSafeInteger(value)) { const n = normalize.count(value); if (n === INVALID) return false; row[${key}] = n; }`,
        );
        break;
      case 'ratio':
        lines.push(
          `if (typeof value !== 'number' || !Number.isFinite(value)) { const n = normalize.ratio(value); if (n === INVALID) return false; row[${key}] = n; }`,
        );
        break;
      case 'guid':
      case 'timestamp':
        memo.push(`let in${index}, out${index};`);
        lines.push(
          `if (value !== in${index}) { const n = normalize.${column.kind}(value); if (n === INVALID) return false; in${index} = value; out${index} = n; }`,
          `if (out${index} !== value) row[${key}] = out${index};`,
        );
        break;
      case 'attributes':
        lines.push(`if (normalize.attributes(value) === INVALID) return false;`);
        break;
    }
    lines.push('}');
  });
  lines.push('return true;');
  const factory = new Function(
    'normalize',
    'INVALID',
    `${memo.join('\n')}\nreturn function normalizeRow(row) {\n${lines.join('\n')}\n};`,
  ) as (n: typeof normalizers, invalid: typeof INVALID) => (row: Record<string, unknown>) => boolean;
  return factory(normalizers, INVALID);
}

/** Renames alias spellings (`licenseActive`) to the canonical field name, on a copy. */
export function applyAliases(columns: readonly ColumnSpec[], value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const column of columns) {
    if (column.aliases === undefined) continue;
    const record = (copy ?? value) as Record<string, unknown>;
    if (record[column.name] !== undefined) continue;
    for (const alias of column.aliases) {
      if (record[alias] !== undefined) {
        copy ??= { ...(value as Record<string, unknown>) };
        copy[column.name] = copy[alias];
        delete copy[alias];
        break;
      }
    }
  }
  return copy ?? value;
}

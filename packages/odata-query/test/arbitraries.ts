/** fast-check generators for filter ASTs and rows, shared by the property tests. */
import fc from 'fast-check';
import type {
  CompareOperator,
  FieldNode,
  FilterNode,
  FunctionName,
  LiteralNode,
  OperandNode,
} from '../src/index.js';

const at = { start: 0, end: 0 } as const;
// `constructor` is a name every object inherits: a row without it must read as missing.
export const fieldNames = ['serviceCode', 'channel', 'n', 'when', 'id', 'flag', 'constructor'] as const;

const strings = fc.constantFrom(
  '',
  'o365',
  'O365',
  'Contoso',
  "O'Brien",
  "o'brien",
  "''",
  'a&b %20',
  'ünï',
  'İ',
  'x',
);
const guids = fc
  .constantFrom('8d6c4d5e-1234-4abc-9def-0123456789ab', 'ffffffff-0000-4abc-9def-0123456789ab')
  .chain((g) => fc.boolean().map((upper) => (upper ? g.toUpperCase() : g)));
const dates = fc.constantFrom('2024-01-30', '2024-01-31', '2024-02-29');
const dateTimes = fc.constantFrom(
  '2024-01-31T00:00:00Z',
  '2024-01-31T10:00:00+02:00',
  '2024-01-31T08:00:00.123Z',
  '2024-01-31T08:00',
  '2024-01-30T23:59:59.9999-01:00',
);
const numbers = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0.5, -2.25, 1e21, 1e-7),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

export const literalArb: fc.Arbitrary<LiteralNode> = fc.oneof(
  strings.map((value): LiteralNode => ({ kind: 'literal', type: 'string', value, ...at })),
  numbers.map((value): LiteralNode => ({ kind: 'literal', type: 'number', value, ...at })),
  fc.boolean().map((value): LiteralNode => ({ kind: 'literal', type: 'boolean', value, ...at })),
  fc.constant<LiteralNode>({ kind: 'literal', type: 'null', value: null, ...at }),
  dates.map((value): LiteralNode => ({ kind: 'literal', type: 'date', value, ...at })),
  dateTimes.map((value): LiteralNode => ({ kind: 'literal', type: 'dateTime', value, ...at })),
  guids.map((value): LiteralNode => ({ kind: 'literal', type: 'guid', value, ...at })),
);

const fieldArb: fc.Arbitrary<FieldNode> = fc
  .constantFrom(...fieldNames)
  .map((name) => ({ kind: 'field', name, ...at }));
/** Any operand: mostly fields, so that rows matter, but literals too. */
const operandArb: fc.Arbitrary<OperandNode> = fc.oneof(
  { arbitrary: fieldArb, weight: 3 },
  { arbitrary: literalArb, weight: 1 },
);
const compareOperator = fc.constantFrom<CompareOperator>('eq', 'ne', 'gt', 'ge', 'lt', 'le');
const functionName = fc.constantFrom<FunctionName>('contains', 'startswith', 'endswith');

const leafArb: fc.Arbitrary<FilterNode> = fc.oneof(
  // field vs literal, either way round: the common case.
  {
    weight: 4,
    arbitrary: fc.tuple(compareOperator, fieldArb, literalArb, fc.boolean()).map(
      ([operator, field, literal, flip]): FilterNode => ({
        kind: 'compare',
        operator,
        left: flip ? literal : field,
        right: flip ? field : literal,
        ...at,
      }),
    ),
  },
  // field vs field and literal vs literal as well.
  {
    weight: 1,
    arbitrary: fc
      .tuple(compareOperator, operandArb, operandArb)
      .map(([operator, left, right]): FilterNode => ({ kind: 'compare', operator, left, right, ...at })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(operandArb, fc.array(literalArb, { minLength: 1, maxLength: 4 }))
      .map(([left, values]): FilterNode => ({ kind: 'in', left, values, ...at })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(functionName, operandArb, operandArb)
      .map(([name, first, second]): FilterNode => ({ kind: 'call', name, args: [first, second], ...at })),
  },
);

/** Random filter ASTs, with every node kind, nested a few levels deep. */
export const filterArb: fc.Arbitrary<FilterNode> = fc.letrec<{ node: FilterNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc
      .tuple(fc.constantFrom('and', 'or'), tie('node'), tie('node'))
      .map(
        ([kind, left, right]): FilterNode =>
          kind === 'and' ? { kind, left, right, ...at } : { kind, left, right, ...at },
      ),
    tie('node').map((operand): FilterNode => ({ kind: 'not', operand, ...at })),
  ),
})).node;

const rowValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  strings,
  guids,
  dates,
  dateTimes,
  fc.constantFrom('not a date', '2024-01-31T10:00:00.000Z'),
  numbers,
  fc.boolean(),
  dateTimes.map((text) => new Date(/Z|[+-]\d\d:\d\d$/.test(text) ? text : `${text}Z`)),
);

/** Random rows over the same field names, values of every type, some fields missing. */
export const rowArb: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(...fieldNames.map(() => rowValue))
  .map((values) => {
    const row: Record<string, unknown> = {};
    fieldNames.forEach((name, i) => {
      if (values[i] !== undefined) row[name] = values[i];
    });
    return row;
  });

/** Every operator the filter language knows. An endpoint descriptor lists the ones its endpoint accepts. */
export type FilterOperator =
  | 'eq'
  | 'ne'
  | 'gt'
  | 'ge'
  | 'lt'
  | 'le'
  | 'in'
  | 'and'
  | 'or'
  | 'not'
  | 'contains'
  | 'startswith'
  | 'endswith';

/** The six comparison operators. */
export type CompareOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/** The string functions that return a boolean. */
export type FunctionName = 'contains' | 'startswith' | 'endswith';

/** Source offsets of a node: `start` inclusive, `end` exclusive, both 0-based in the parsed text. Built nodes carry 0/0. */
export interface NodeRange {
  readonly start: number;
  readonly end: number;
}

/** A reference to a row field, such as `serviceCode`. */
export interface FieldNode extends NodeRange {
  readonly kind: 'field';
  readonly name: string;
}

/** A single-quoted string literal; `value` holds the text with `''` already unescaped. */
export interface StringLiteral extends NodeRange {
  readonly kind: 'literal';
  readonly type: 'string';
  readonly value: string;
}

/** A finite number literal. */
export interface NumberLiteral extends NodeRange {
  readonly kind: 'literal';
  readonly type: 'number';
  readonly value: number;
}

/** `true` or `false`. */
export interface BooleanLiteral extends NodeRange {
  readonly kind: 'literal';
  readonly type: 'boolean';
  readonly value: boolean;
}

/** `null`. */
export interface NullLiteral extends NodeRange {
  readonly kind: 'literal';
  readonly type: 'null';
  readonly value: null;
}

/** An ISO date (`2024-01-31`), kept as written. */
export interface DateLiteral extends NodeRange {
  readonly kind: 'literal';
  readonly type: 'date';
  readonly value: string;
}

/** An ISO date-time (`2024-01-31T10:00:00Z`), kept as written; without an offset it means UTC. */
export interface DateTimeLiteral extends NodeRange {
  readonly kind: 'literal';
  readonly type: 'dateTime';
  readonly value: string;
}

/** An unquoted GUID (`8d6c...`), kept as written. */
export interface GuidLiteral extends NodeRange {
  readonly kind: 'literal';
  readonly type: 'guid';
  readonly value: string;
}

/** Any literal value. */
export type LiteralNode =
  | StringLiteral
  | NumberLiteral
  | BooleanLiteral
  | NullLiteral
  | DateLiteral
  | DateTimeLiteral
  | GuidLiteral;

/** An operand of a comparison or function: a field or a literal. */
export type OperandNode = FieldNode | LiteralNode;

/** `left op right`, e.g. `serviceCode eq 'O365'`. */
export interface CompareNode extends NodeRange {
  readonly kind: 'compare';
  readonly operator: CompareOperator;
  readonly left: OperandNode;
  readonly right: OperandNode;
}

/** `left in (v1, v2, ...)`. */
export interface InNode extends NodeRange {
  readonly kind: 'in';
  readonly left: OperandNode;
  readonly values: readonly LiteralNode[];
}

/** `contains(a, b)`, `startswith(a, b)` or `endswith(a, b)`. */
export interface CallNode extends NodeRange {
  readonly kind: 'call';
  readonly name: FunctionName;
  readonly args: readonly [OperandNode, OperandNode];
}

/** `left and right`. */
export interface AndNode extends NodeRange {
  readonly kind: 'and';
  readonly left: FilterNode;
  readonly right: FilterNode;
}

/** `left or right`. */
export interface OrNode extends NodeRange {
  readonly kind: 'or';
  readonly left: FilterNode;
  readonly right: FilterNode;
}

/** `not operand`. */
export interface NotNode extends NodeRange {
  readonly kind: 'not';
  readonly operand: FilterNode;
}

/** A boolean filter expression: the root of every parsed or built filter. */
export type FilterNode = CompareNode | InNode | CallNode | AndNode | OrNode | NotNode;

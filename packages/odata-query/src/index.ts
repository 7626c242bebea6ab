export type {
  AndNode,
  BooleanLiteral,
  CallNode,
  CompareNode,
  CompareOperator,
  DateLiteral,
  DateTimeLiteral,
  FieldNode,
  FilterNode,
  FilterOperator,
  FunctionName,
  GuidLiteral,
  InNode,
  LiteralNode,
  NodeRange,
  NotNode,
  NullLiteral,
  NumberLiteral,
  OperandNode,
  OrNode,
  StringLiteral,
} from './ast.js';
export type { QueryOptions } from './buildQuery.js';
export { buildQuery, maxTop } from './buildQuery.js';
export type { FilterPredicate, FilterRow } from './compileFilter.js';
export { compileFilter } from './compileFilter.js';
export type {
  FilterBuilder,
  FilterField,
  FilterValue,
  OrderedField,
  StringField,
} from './filterBuilder.js';
export { date, dateTime, filter, filterBuilder, guid, toLiteral } from './filterBuilder.js';
export { filterFields } from './filterFields.js';
export type { FilterErrorCode, FilterSyntaxErrorOptions } from './filterSyntaxError.js';
export { caretSnippet, FilterSyntaxError, isFilterSyntaxError } from './filterSyntaxError.js';
export type { ParseFilterOptions } from './parseFilter.js';
export { parseFilter } from './parseFilter.js';
export { printFilter, printLiteral, quoteString } from './printFilter.js';

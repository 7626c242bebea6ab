import type { ColumnKind, EndpointDescriptor } from '@pc/models';
import {
  type FilterNode,
  type FilterOperator,
  FilterSyntaxError,
  isFilterSyntaxError,
  type OperandNode,
  parseFilter,
  printFilter,
} from '@pc/odata-query';
import { partnerCenterError } from './httpError.js';
import { type NextLinkStyle, rawQuery } from './profiles.js';

/** Query parameters by lower-case name without a leading `$` (`$Top` and `top` are the same). */
export type QueryParameters = ReadonlyMap<string, string>;

/** Reads a query string's parameters without regard to the case or a `$` prefix of their names. */
export function readQueryParameters(search: URLSearchParams): QueryParameters {
  const parameters = new Map<string, string>();
  for (const [name, value] of search) parameters.set(name.replace(/^\$/, '').toLowerCase(), value);
  return parameters;
}

/** The validated paging, filter and grouping of a request. */
export interface ParsedQuery {
  readonly top: number;
  readonly skip: number;
  readonly filter?: { readonly node: FilterNode; readonly key: string };
  readonly groupby?: readonly string[];
  readonly processedDateTime?: string;
}

function integer(name: string, value: string, { min, max }: { min: number; max: number }): number {
  const trimmed = value.trim();
  const parsed = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw partnerCenterError({
      status: 400,
      code: 800002,
      description: `Invalid ${name} '${value}': expected an integer from ${min} to ${max}.`,
      data: [{ parameter: name, min, max }],
    });
  }
  return parsed;
}

/** The literals a column can be compared with (Partner Center's grammar: `field eq 'string'`). */
const literalTypes: Readonly<Record<ColumnKind, readonly string[]>> = {
  string: ['string'],
  guid: ['string'],
  count: ['number'],
  ratio: ['number'],
  timestamp: ['string', 'date', 'dateTime'],
  attributes: [],
};

function describeOperand(operand: OperandNode): string {
  if (operand.kind === 'field') return `the field ${operand.name}`;
  if (operand.type === 'null') return 'null';
  return `the ${operand.type} ${operand.type === 'string' ? `'${operand.value}'` : String(operand.value)}`;
}

/**
 * Checks that every comparison has a field on its left and, on its right, a literal of a type the
 * field's column can hold (a quoted string for the text and GUID fields: an unquoted GUID, number,
 * `null` or `true` would otherwise silently match nothing).
 * @throws FilterSyntaxError at the offending operand.
 */
function checkOperands(descriptor: EndpointDescriptor, node: FilterNode, input: string): void {
  const refuse = (operand: OperandNode, expected: readonly string[], reason: string): never => {
    throw new FilterSyntaxError({
      input,
      offset: operand.start,
      expected,
      found: describeOperand(operand),
      reason,
    });
  };
  const pair = (left: OperandNode, right: OperandNode) => {
    if (left.kind !== 'field')
      return refuse(left, ['a field name'], `Expected a field name but found ${describeOperand(left)}`);
    const column = descriptor.columns.find((candidate) => candidate.name === left.name);
    const allowed = [...(column === undefined ? [] : literalTypes[column.kind])];
    if (column?.optional === true) allowed.push('null');
    if (right.kind === 'field' || !allowed.includes(right.type)) {
      const expected = allowed.map((type) =>
        type === 'string' ? "a quoted string such as 'value'" : `a ${type}`,
      );
      refuse(right, expected, `${left.name} takes ${expected.join(' or ')}, not ${describeOperand(right)}`);
    }
  };
  switch (node.kind) {
    case 'and':
    case 'or':
      checkOperands(descriptor, node.left, input);
      checkOperands(descriptor, node.right, input);
      return;
    case 'not':
      checkOperands(descriptor, node.operand, input);
      return;
    case 'compare':
      pair(node.left, node.right);
      return;
    case 'in':
      for (const value of node.values) pair(node.left, value);
      return;
    case 'call':
      pair(node.args[0], node.args[1]);
      return;
  }
}

/** Parses and checks `filter` against the descriptor's fields and operators; 400 names the problem and where. */
export function parseEndpointFilter(
  descriptor: EndpointDescriptor,
  text: string,
): { node: FilterNode; key: string } {
  try {
    const node = parseFilter(text, {
      fields: descriptor.filterable,
      operators: descriptor.filterOperators as readonly FilterOperator[],
    });
    checkOperands(descriptor, node, text);
    return { node, key: printFilter(node) };
  } catch (error) {
    if (!isFilterSyntaxError(error)) throw error;
    throw partnerCenterError({
      status: 400,
      code: 800002,
      description: `Invalid filter: ${error.message}`,
      data: [{ offset: error.offset, expected: error.expected, found: error.found }],
    });
  }
}

/** Parses `groupby` (comma-separated groupable fields). */
export function parseGroupby(descriptor: EndpointDescriptor, text: string): string[] {
  const fields: string[] = [];
  for (const raw of text.split(',')) {
    const field = raw.trim();
    if (field === '') continue;
    if (!descriptor.groupable.includes(field)) {
      throw partnerCenterError({
        status: 400,
        code: 800002,
        description: `Invalid groupby: unknown field '${field}' at offset ${text.indexOf(raw) + raw.indexOf(field)}; groupable fields are ${descriptor.groupable.join(', ')}.`,
        data: [
          { offset: text.indexOf(raw) + raw.indexOf(field), expected: descriptor.groupable, found: field },
        ],
      });
    }
    if (!fields.includes(field)) fields.push(field);
  }
  if (fields.length === 0) {
    throw partnerCenterError({
      status: 400,
      code: 800002,
      description: `Invalid groupby '${text}': name at least one of ${descriptor.groupable.join(', ')}.`,
    });
  }
  return fields;
}

/** Reads the query options the descriptor accepts (others are ignored, as the service does). */
export function parseQuery(descriptor: EndpointDescriptor, parameters: QueryParameters): ParsedQuery {
  const options = descriptor.queryOptions;
  const topText = options.includes('top') ? parameters.get('top') : undefined;
  const skipText = options.includes('skip') ? parameters.get('skip') : undefined;
  const filterText = options.includes('filter') ? parameters.get('filter') : undefined;
  const groupbyText = options.includes('groupby') ? parameters.get('groupby') : undefined;
  const processed = options.includes('processedDateTime') ? parameters.get('processeddatetime') : undefined;
  const top =
    topText === undefined
      ? descriptor.maxPageSize
      : integer('top', topText, { min: 1, max: descriptor.maxPageSize });
  const skip =
    skipText === undefined ? 0 : integer('skip', skipText, { min: 0, max: Number.MAX_SAFE_INTEGER });
  const filter =
    filterText === undefined || filterText.trim() === ''
      ? undefined
      : parseEndpointFilter(descriptor, filterText);
  const groupby =
    groupbyText === undefined || groupbyText.trim() === ''
      ? undefined
      : parseGroupby(descriptor, groupbyText);
  return {
    top,
    skip,
    ...(filter === undefined ? {} : { filter }),
    ...(groupby === undefined ? {} : { groupby }),
    ...(processed === undefined ? {} : { processedDateTime: processed }),
  };
}

/**
 * The same request with `skip` set to `skip` (kept in place and spelling when present), written in
 * `style` (evidence A6): with the origin (`absolute`, the default), as a path and query
 * (`relative`), or as a path and a query with literal spaces and quotes (`relative-raw`).
 */
export function nextLinkOf(options: {
  readonly baseUrl: string;
  readonly pathname: string;
  readonly rawQuery: string;
  readonly skip: number;
  readonly style?: NextLinkStyle;
}): string {
  const parts = options.rawQuery === '' ? [] : options.rawQuery.split('&');
  let replaced = false;
  const next = parts.map((part) => {
    const name = part.split('=')[0] ?? '';
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch (error) {
      if (!(error instanceof URIError)) throw error;
    }
    if (decoded.replace(/^\$/, '').toLowerCase() === 'skip') {
      replaced = true;
      return `${name}=${options.skip}`;
    }
    return part;
  });
  if (!replaced) next.push(`skip=${options.skip}`);
  const query = next.join('&');
  switch (options.style ?? 'absolute') {
    case 'relative':
      return `${options.pathname}?${query}`;
    case 'relative-raw':
      return `${options.pathname}?${rawQuery(query)}`;
    default:
      return `${options.baseUrl}${options.pathname}?${query}`;
  }
}

import {
  caretSnippet,
  type FilterNode,
  isFilterSyntaxError,
  type OperandNode,
  parseFilter,
} from '@pc/odata-query';
import { columnKinds, type FilterLiteralType } from './columns.js';
import type { EndpointDescriptor, QueryOptionName } from './defineEndpoint.js';

/**
 * The one check of a list request against its endpoint's descriptor. The CLI, the SDK and the mock
 * all call {@link checkListRequest} and only turn its issues into their own error shapes (exit 2
 * with a caret; `PartnerCenterError` `INVALID_REQUEST`; a Partner Center 400 body), so the three
 * accept and refuse the same requests for the same reasons. Decision 0015 describes it.
 */

/** What kind of problem a {@link ListRequestIssue} reports. */
export type ListRequestIssueCode =
  /** The endpoint takes no such query option (refused by clients, ignored by servers). */
  | 'unsupportedOption'
  /** The filter is not valid OData (the grammar of decision 0010). */
  | 'filterSyntax'
  /** The filter names a field the endpoint cannot filter on. */
  | 'unknownField'
  /** The filter uses an operator the endpoint does not accept. */
  | 'operatorNotAllowed'
  /** A comparison's operands do not suit: a literal on the left, or a value the column cannot hold. */
  | 'operandType'
  /** `groupby` names a field the endpoint cannot group by. */
  | 'groupbyField'
  /** `groupby` names a field twice. */
  | 'groupbyRepeated'
  /** `groupby` is only commas. */
  | 'groupbyEmpty'
  /** `top` or `skip` is not a whole number in range. */
  | 'outOfRange'
  /** `processedDateTime` is not a calendar date or ISO date-time. */
  | 'invalidDate'
  /** A `{placeholder}` of the path has no value. */
  | 'missingPathParameter'
  /** A path parameter's value does not suit its column (a customer id that is not a GUID). */
  | 'invalidPathParameter';

/** One problem of a list request: what, in which parameter, and where in its text. */
export interface ListRequestIssue {
  readonly code: ListRequestIssueCode;
  /** The query option at fault, or `path` for a path parameter (named by `name`). */
  readonly parameter: QueryOptionName | 'path';
  /** The path parameter's name (`customerId`) when `parameter` is `path`. */
  readonly name?: string;
  /**
   * One sentence naming the problem, without naming the parameter itself (each consumer names it
   * its own way: `--filter`, `filter`, `$filter`), e.g. `channel takes a quoted string such as
   * 'value', not the number 1`.
   */
  readonly message: string;
  /** The parameter's text as checked, when the value was text (a caret is drawn under `offset`). */
  readonly input?: string;
  /** 0-based offset into `input` of the first wrong character. */
  readonly offset?: number;
  /** What would have been accepted there. */
  readonly expected?: readonly string[];
  /** What was there instead. */
  readonly found?: string;
}

/** A list request as a caller holds it: text from a command line or a URL, or typed values. */
export interface ListRequestInput {
  /** OData filter text, or a syntax tree from `@pc/odata-query` (parsed or built). Blank = none. */
  readonly filter?: string | FilterNode;
  /** Fields to group by: comma-separated text or a list. Blank = none. */
  readonly groupby?: string | readonly string[];
  /** Rows per request (the wire's `top`): a whole number from 1 to the endpoint's `maxPageSize`. */
  readonly top?: number | string;
  /** Rows to skip: a whole number from 0. */
  readonly skip?: number | string;
  /** The snapshot: a date (`2026-11-20`), an ISO date-time (no offset = UTC) or a Date. Blank = the latest. */
  readonly processedDateTime?: string | Date;
  /** Values of the path's `{placeholders}`. */
  readonly pathParams?: Readonly<Record<string, string | undefined>>;
}

/** How {@link checkListRequest} treats what the descriptor does not cover. */
export interface CheckListRequestOptions {
  /**
   * A query option the endpoint does not take: `refuse` (the default, for clients: the service
   * would ignore it and answer rows the user did not ask for) or `ignore` (what the service does,
   * so the mock does it too).
   */
  readonly unsupported?: 'refuse' | 'ignore';
}

/** A list request that passed {@link checkListRequest}: typed, trimmed, parsed once. */
export interface CheckedListRequest {
  readonly descriptor: EndpointDescriptor;
  /** `descriptor.path` with its placeholders filled, each value trimmed and percent-encoded. */
  readonly path: string;
  /** The trimmed path parameter values by name. */
  readonly pathParams: Readonly<Record<string, string>>;
  /** The filter as a checked syntax tree (fields, operators and operand types); undefined = none. */
  readonly filter: FilterNode | undefined;
  /** The filter's text as given (trimmed), when it came as text: offsets of `filter` point into it. */
  readonly filterText: string | undefined;
  /** Distinct groupable fields, in the order given; undefined = no grouping. */
  readonly groupby: readonly string[] | undefined;
  /** Rows per request when given. */
  readonly top: number | undefined;
  /** Rows to skip when given. */
  readonly skip: number | undefined;
  /** The snapshot as text: trimmed as given, or a Date's `toISOString()`. */
  readonly processedDateTime: string | undefined;
}

/** The answer of {@link checkListRequest}: the checked request, or every issue found (at least one). */
export type ListRequestCheck =
  | { readonly ok: true; readonly request: CheckedListRequest; readonly issues?: undefined }
  | { readonly ok: false; readonly request?: undefined; readonly issues: readonly ListRequestIssue[] };

/** A calendar date, optionally with a time and an offset (`2026-11-20`, `2026-11-20T00:00:00Z`). */
const snapshotPattern =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** True when `YYYY-MM-DD` names a real day (`Date.parse` would roll `2026-02-30` over to March). */
function isCalendarDate(date: string): boolean {
  const time = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === date;
}

/**
 * The UTC instant a `processedDateTime` text names (a date means its midnight UTC; no offset = UTC),
 * or undefined when the text is not a calendar date with an optional time and offset.
 */
export function parseSnapshotDate(text: string): Date | undefined {
  const match = snapshotPattern.exec(text.trim());
  if (match === null || !isCalendarDate(match[1]!)) return undefined;
  const offset = match[3] === undefined ? 'Z' : match[3].toUpperCase();
  const time = match[2] === undefined ? '00:00:00' : match[2];
  const parsed = Date.parse(`${match[1]}T${time}${offset}`);
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
}

function describeOperand(operand: OperandNode): string {
  if (operand.kind === 'field') return `the field ${operand.name}`;
  if (operand.type === 'null') return 'null';
  return `the ${operand.type} ${operand.type === 'string' ? `'${operand.value}'` : String(operand.value)}`;
}

function describeLiteralType(type: FilterLiteralType): string {
  return type === 'string' ? "a quoted string such as 'value'" : type === 'null' ? 'null' : `a ${type}`;
}

/** Where each issue of a filter tree points: the node's offset when the text is known. */
interface FilterContext {
  readonly descriptor: EndpointDescriptor;
  /** The text the tree was parsed from, or undefined for a built tree (its offsets mean nothing). */
  readonly input: string | undefined;
  readonly filterable: ReadonlySet<string>;
  readonly operators: ReadonlySet<string>;
}

function filterIssue(
  context: FilterContext,
  at: { readonly start: number },
  fields: Omit<ListRequestIssue, 'parameter' | 'input' | 'offset'>,
): ListRequestIssue {
  return context.input === undefined
    ? { parameter: 'filter', ...fields }
    : { parameter: 'filter', input: context.input, offset: at.start, ...fields };
}

function checkField(context: FilterContext, operand: OperandNode): ListRequestIssue | undefined {
  if (operand.kind !== 'field' || context.filterable.has(operand.name)) return undefined;
  const allowed = [...context.filterable];
  return filterIssue(context, operand, {
    code: 'unknownField',
    message: `Unknown field "${operand.name}" (allowed: ${allowed.join(', ') || 'none'})`,
    expected: allowed,
    found: `"${operand.name}"`,
  });
}

function checkOperator(
  context: FilterContext,
  operator: string,
  at: { readonly start: number },
): ListRequestIssue | undefined {
  if (context.operators.has(operator)) return undefined;
  const allowed = [...context.operators];
  return filterIssue(context, at, {
    code: 'operatorNotAllowed',
    message: `Operator "${operator}" is not allowed here (allowed: ${allowed.join(', ') || 'none'})`,
    expected: allowed,
    found: `"${operator}"`,
  });
}

/** A field on the left and, on the right, a literal of a type the field's column can hold. */
function checkPair(
  context: FilterContext,
  left: OperandNode,
  right: OperandNode,
): ListRequestIssue | undefined {
  const unknown = checkField(context, left) ?? checkField(context, right);
  if (unknown !== undefined) return unknown;
  if (left.kind !== 'field') {
    return filterIssue(context, left, {
      code: 'operandType',
      message: `Expected a field name but found ${describeOperand(left)}`,
      expected: ['a field name'],
      found: describeOperand(left),
    });
  }
  const column = context.descriptor.columns.find((candidate) => candidate.name === left.name);
  const allowed: FilterLiteralType[] =
    column === undefined ? [] : [...columnKinds[column.kind].filterLiterals];
  if (column?.optional === true) allowed.push('null');
  if (right.kind === 'field' || !allowed.includes(right.type)) {
    const expected = allowed.map(describeLiteralType);
    return filterIssue(context, right, {
      code: 'operandType',
      message: `${left.name} takes ${expected.join(' or ') || 'no value'}, not ${describeOperand(right)}`,
      expected,
      found: describeOperand(right),
    });
  }
  return undefined;
}

/**
 * Checks a filter tree, in source order: fields, operators, and that each comparison has a field
 * on its left and a literal its column can hold on its right. Walks `and`/`or` chains without
 * recursion on their left spine (a chain of thousands of terms is a left-deep tree).
 */
function checkFilterNode(context: FilterContext, root: FilterNode): ListRequestIssue | undefined {
  const stack: FilterNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as FilterNode;
    switch (node.kind) {
      case 'and':
      case 'or': {
        const refused = checkOperator(context, node.kind, node);
        if (refused !== undefined) return refused;
        stack.push(node.right, node.left);
        break;
      }
      case 'not': {
        const refused = checkOperator(context, 'not', node);
        if (refused !== undefined) return refused;
        stack.push(node.operand);
        break;
      }
      case 'compare': {
        const issue =
          checkPair(context, node.left, node.right) ?? checkOperator(context, node.operator, node);
        if (issue !== undefined) return issue;
        break;
      }
      case 'in': {
        const refused = checkOperator(context, 'in', node);
        if (refused !== undefined) return refused;
        for (const value of node.values) {
          const issue = checkPair(context, node.left, value);
          if (issue !== undefined) return issue;
        }
        break;
      }
      case 'call': {
        const issue =
          checkOperator(context, node.name, node) ?? checkPair(context, node.args[0], node.args[1]);
        if (issue !== undefined) return issue;
        break;
      }
    }
  }
  return undefined;
}

function takes(descriptor: EndpointDescriptor, option: QueryOptionName): boolean {
  return descriptor.queryOptions.includes(option);
}

function unsupportedIssue(descriptor: EndpointDescriptor, option: QueryOptionName): ListRequestIssue {
  return {
    code: 'unsupportedOption',
    parameter: option,
    message: `not taken by ${descriptor.title} (${descriptor.id})`,
  };
}

type Checked<T> = { readonly value: T } | { readonly issue: ListRequestIssue } | undefined;

function checkFilter(
  descriptor: EndpointDescriptor,
  filter: string | FilterNode,
  refuseUnsupported: boolean,
): Checked<{ node: FilterNode; text: string | undefined }> {
  const text = typeof filter === 'string' ? filter.trim() : undefined;
  if (text === '') return undefined;
  if (!takes(descriptor, 'filter') || descriptor.filterable.length === 0) {
    return refuseUnsupported ? { issue: unsupportedIssue(descriptor, 'filter') } : undefined;
  }
  const context: FilterContext = {
    descriptor,
    input: text,
    filterable: new Set(descriptor.filterable),
    operators: new Set(descriptor.filterOperators),
  };
  let node: FilterNode;
  if (typeof filter === 'string') {
    try {
      node = parseFilter(filter.trim(), {
        fields: descriptor.filterable,
        operators: descriptor.filterOperators,
      });
    } catch (error) {
      if (!isFilterSyntaxError(error)) throw error;
      const code = (error as { code?: unknown }).code;
      return {
        issue: {
          code: code === 'unknownField' || code === 'operatorNotAllowed' ? code : 'filterSyntax',
          parameter: 'filter',
          message: typeof error.reason === 'string' ? error.reason : error.message.split('\n')[0]!,
          input: error.input,
          offset: error.offset,
          expected: error.expected,
          found: error.found,
        },
      };
    }
  } else {
    node = filter;
  }
  const issue = checkFilterNode(context, node);
  return issue === undefined ? { value: { node, text } } : { issue };
}

function checkGroupby(
  descriptor: EndpointDescriptor,
  groupby: string | readonly string[],
  refuseUnsupported: boolean,
): Checked<readonly string[]> {
  const input = typeof groupby === 'string' ? groupby : groupby.join(',');
  if (input.trim() === '') return undefined;
  if (!takes(descriptor, 'groupby') || descriptor.groupable.length === 0) {
    return refuseUnsupported ? { issue: unsupportedIssue(descriptor, 'groupby') } : undefined;
  }
  const groupable = new Set<string>(descriptor.groupable);
  const fields: string[] = [];
  let offset = 0;
  for (const raw of input.split(',')) {
    const field = raw.trim();
    const at = offset + raw.indexOf(field);
    offset += raw.length + 1;
    if (field === '') continue;
    if (!groupable.has(field)) {
      return {
        issue: {
          code: 'groupbyField',
          parameter: 'groupby',
          message: `cannot group by '${field}' (groupable: ${descriptor.groupable.join(', ')})`,
          input,
          offset: at,
          expected: descriptor.groupable,
          found: field,
        },
      };
    }
    if (fields.includes(field)) {
      return {
        issue: {
          code: 'groupbyRepeated',
          parameter: 'groupby',
          message: `'${field}' is listed twice`,
          input,
          offset: at,
          found: field,
        },
      };
    }
    fields.push(field);
  }
  if (fields.length === 0) {
    return {
      issue: {
        code: 'groupbyEmpty',
        parameter: 'groupby',
        message: `names no field (groupable: ${descriptor.groupable.join(', ')})`,
        input,
        offset: 0,
        expected: descriptor.groupable,
      },
    };
  }
  return { value: fields };
}

function checkWholeNumber(
  descriptor: EndpointDescriptor,
  option: 'top' | 'skip',
  value: number | string,
  refuseUnsupported: boolean,
): Checked<number> {
  if (typeof value === 'string' && value.trim() === '') return undefined;
  if (!takes(descriptor, option)) {
    return refuseUnsupported ? { issue: unsupportedIssue(descriptor, option) } : undefined;
  }
  const min = option === 'top' ? 1 : 0;
  const max = option === 'top' ? descriptor.maxPageSize : Number.MAX_SAFE_INTEGER;
  const parsed =
    typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    const range = option === 'top' ? `from ${min} to ${max}` : `from ${min}`;
    return {
      issue: {
        code: 'outOfRange',
        parameter: option,
        message: `expected a whole number ${range}, got '${String(value)}'`,
        expected: [`a whole number ${range}`],
        found: String(value),
      },
    };
  }
  return { value: parsed };
}

function checkSnapshot(
  descriptor: EndpointDescriptor,
  value: string | Date,
  refuseUnsupported: boolean,
): Checked<string> {
  if (typeof value === 'string' && value.trim() === '') return undefined;
  if (!takes(descriptor, 'processedDateTime')) {
    return refuseUnsupported ? { issue: unsupportedIssue(descriptor, 'processedDateTime') } : undefined;
  }
  const text = value instanceof Date ? undefined : value.trim();
  const valid =
    value instanceof Date ? !Number.isNaN(value.getTime()) : parseSnapshotDate(value) !== undefined;
  if (!valid) {
    return {
      issue: {
        code: 'invalidDate',
        parameter: 'processedDateTime',
        message: `expected a date such as 2026-11-20 or an ISO date-time such as 2026-11-20T00:00:00Z, got ${text === undefined ? 'an invalid Date' : `'${text}'`}`,
        expected: ['a date (2026-11-20)', 'an ISO date-time (2026-11-20T00:00:00Z)'],
        found: text ?? 'Invalid Date',
      },
    };
  }
  return { value: value instanceof Date ? value.toISOString() : (text as string) };
}

function checkPath(
  descriptor: EndpointDescriptor,
  params: Readonly<Record<string, string | undefined>> | undefined,
  issues: ListRequestIssue[],
): { path: string; values: Record<string, string> } {
  let path = descriptor.path;
  const values: Record<string, string> = {};
  for (const name of descriptor.pathParams) {
    const value = params?.[name]?.trim() ?? '';
    if (value === '') {
      issues.push({
        code: 'missingPathParameter',
        parameter: 'path',
        name,
        message: `needs the path parameter '${name}' (${descriptor.path})`,
      });
      continue;
    }
    const column = descriptor.columns.find((candidate) => candidate.name === name);
    const facts = column === undefined ? undefined : columnKinds[column.kind];
    if (facts?.requestPattern !== undefined && !facts.requestPattern.test(value)) {
      issues.push({
        code: 'invalidPathParameter',
        parameter: 'path',
        name,
        message: `'${value}' is not a valid ${name} (${facts.message}, such as ${facts.requestExample})`,
        expected: [facts.message.replace(/^expected /, '')],
        found: value,
      });
      continue;
    }
    values[name] = value;
    path = path.replace(`{${name}}`, encodeURIComponent(value));
  }
  return { path, values };
}

/**
 * Checks a list request against its endpoint's descriptor before anything is sent (or, in the
 * mock, answered): path parameters, filter (grammar, fields, operators, and whether each literal's
 * type suits its column: `channel eq 1` and `channel eq serviceName` are refused at the operand),
 * groupby (groupable, each once), `top` (1..`maxPageSize`), `skip` (from 0) and `processedDateTime`
 * (a calendar date or ISO date-time). Blank text counts as absent. Never throws for bad input.
 *
 * @returns `{ok: true, request}` with the filter as a checked syntax tree, or `{ok: false, issues}`
 * with at most one issue per parameter, in the order path, filter, groupby, top, skip,
 * processedDateTime.
 */
export function checkListRequest(
  descriptor: EndpointDescriptor,
  input: ListRequestInput,
  options: CheckListRequestOptions = {},
): ListRequestCheck {
  const refuse = options.unsupported !== 'ignore';
  const issues: ListRequestIssue[] = [];
  const { path, values } = checkPath(descriptor, input.pathParams, issues);
  const take = <T>(checked: Checked<T>): T | undefined => {
    if (checked === undefined) return undefined;
    if ('issue' in checked) {
      issues.push(checked.issue);
      return undefined;
    }
    return checked.value;
  };
  const filter = input.filter === undefined ? undefined : take(checkFilter(descriptor, input.filter, refuse));
  const groupby =
    input.groupby === undefined ? undefined : take(checkGroupby(descriptor, input.groupby, refuse));
  const top =
    input.top === undefined ? undefined : take(checkWholeNumber(descriptor, 'top', input.top, refuse));
  const skip =
    input.skip === undefined ? undefined : take(checkWholeNumber(descriptor, 'skip', input.skip, refuse));
  const processedDateTime =
    input.processedDateTime === undefined
      ? undefined
      : take(checkSnapshot(descriptor, input.processedDateTime, refuse));
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    request: {
      descriptor,
      path,
      pathParams: values,
      filter: filter?.node,
      filterText: filter?.text,
      groupby,
      top,
      skip,
      processedDateTime,
    },
  };
}

/**
 * Renders an issue for a person: `<label>: <message>`, plus ` at offset N:` and the parameter's
 * text with a caret under the fault when the issue has a position. `label` is the parameter as the
 * consumer names it (`invalid --filter`, `Invalid filter`).
 */
export function formatListRequestIssue(issue: ListRequestIssue, label: string): string {
  if (issue.input === undefined || issue.offset === undefined) return `${label}: ${issue.message}`;
  return `${label}: ${issue.message} at offset ${issue.offset}:\n${caretSnippet(issue.input, issue.offset)}`;
}

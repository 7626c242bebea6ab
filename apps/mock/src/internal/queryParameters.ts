import {
  checkListRequest,
  type EndpointDescriptor,
  formatListRequestIssue,
  type ListRequestIssue,
  queryOptionNames,
} from '@pc/models';
import { type FilterNode, printFilter } from '@pc/odata-query';
import { type MockHttpError, partnerCenterError } from './httpError.js';
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
  /** The path parameters, trimmed. */
  readonly pathParams: Readonly<Record<string, string>>;
}

/** The name of each parameter in the 400 description (the wire's names; path parameters by name). */
function parameterName(issue: ListRequestIssue): string {
  return issue.parameter === 'path' ? (issue.name ?? 'path parameter') : issue.parameter;
}

/**
 * The mock's shape of a refused request: a 400 with Partner Center's error body, code 800002,
 * the first issue in `description` (with the text and a caret when it has a position) and every
 * issue in `data` (`{parameter, offset, expected, found}`).
 */
function badRequest(issues: readonly ListRequestIssue[]): MockHttpError {
  const first = issues[0]!;
  return partnerCenterError({
    status: 400,
    code: 800002,
    description: formatListRequestIssue(first, `Invalid ${parameterName(first)}`),
    data: issues.map((issue) => ({
      parameter: parameterName(issue),
      code: issue.code,
      ...(issue.offset === undefined ? {} : { offset: issue.offset }),
      ...(issue.expected === undefined ? {} : { expected: issue.expected }),
      ...(issue.found === undefined ? {} : { found: issue.found }),
    })),
  });
}

/**
 * Reads a request's query options and path parameters with `checkListRequest` of `@pc/models`
 * (the check the CLI and the SDK make), ignoring the options the endpoint does not take, as the
 * service does. Defaults: `top` = the endpoint's `maxPageSize`, `skip` = 0, the latest snapshot.
 *
 * @throws MockHttpError 400 naming the problem and where.
 */
export function parseQuery(
  descriptor: EndpointDescriptor,
  parameters: QueryParameters,
  pathParams: Readonly<Record<string, string>> = {},
): ParsedQuery {
  const input: Record<string, string> = {};
  for (const name of queryOptionNames) {
    const value = parameters.get(name.toLowerCase());
    if (value !== undefined) input[name] = value;
  }
  const checked = checkListRequest(descriptor, { ...input, pathParams }, { unsupported: 'ignore' });
  if (!checked.ok) throw badRequest(checked.issues);
  const { request } = checked;
  return {
    top: request.top ?? descriptor.maxPageSize,
    skip: request.skip ?? 0,
    ...(request.filter === undefined
      ? {}
      : { filter: { node: request.filter, key: printFilter(request.filter) } }),
    ...(request.groupby === undefined ? {} : { groupby: request.groupby }),
    ...(request.processedDateTime === undefined ? {} : { processedDateTime: request.processedDateTime }),
    pathParams: request.pathParams,
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

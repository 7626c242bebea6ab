import {
  checkListRequest,
  type EndpointDescriptor,
  formatListRequestIssue,
  type ListRequestIssue,
} from '@pc/models';
import { maxTop, printFilter } from '@pc/odata-query';
import { PartnerCenterError } from '@pc/transport';
import type { AnyListOptions, InvalidRowPolicy } from '../rowStream.js';

/** A list call checked against its endpoint's descriptor: everything the paged reader needs. */
export interface ReadPlan {
  readonly descriptor: EndpointDescriptor;
  /** The path with its placeholders filled in. */
  readonly path: string;
  /** Canonical filter text, or undefined. */
  readonly filter: string | undefined;
  readonly groupby: readonly string[] | undefined;
  /** Rows wanted in total. */
  readonly top: number | undefined;
  readonly pageSize: number;
  /** The snapshot as text: as given (trimmed), or a Date's `toISOString()`. */
  readonly processedDateTime: string | undefined;
  readonly concurrency: number;
  /** Whether the endpoint takes `top`/`skip` (then pages may be fetched ahead by `skip`, as speculation). */
  readonly skipPaging: boolean;
  /** What to do with rows that cannot be used. */
  readonly invalidRows: InvalidRowPolicy;
  /** The most pages one read may take before it stops with a `PAGING` error. */
  readonly maxPages: number;
  readonly pageSchema: EndpointDescriptor['page'];
}

const invalidRowPolicies: readonly InvalidRowPolicy[] = ['throw', 'skip', 'report'];

/** Client-level defaults a plan starts from. */
export interface PlanDefaults {
  readonly pageSize: number;
  readonly concurrency: number;
  readonly invalidRows: InvalidRowPolicy;
  readonly maxPages: number;
}

/** Checks an `invalidRows` option. */
export function invalidRowPolicy(value: unknown): InvalidRowPolicy | undefined {
  if (value === undefined) return undefined;
  if (!invalidRowPolicies.includes(value as InvalidRowPolicy)) {
    throw invalid(
      `invalidRows must be one of ${invalidRowPolicies.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as InvalidRowPolicy;
}

function invalid(message: string, cause?: unknown): PartnerCenterError {
  return new PartnerCenterError({ code: 'INVALID_REQUEST', message, retryable: false, cause });
}

/** Checks an optional whole number from 1 (`top`, `pageSize`, `concurrency`). */
export function positiveInteger(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw invalid(`${name} must be a whole number from 1, got ${String(value)}`);
  }
  return value;
}

/**
 * Turns the first issue of the one request check into the SDK's error: `INVALID_REQUEST`, the
 * message naming the parameter and the endpoint (with the text and a caret when the issue has a
 * position), and every issue as `cause`.
 */
function invalidRequest(
  descriptor: EndpointDescriptor,
  issues: readonly ListRequestIssue[],
): PartnerCenterError {
  const issue = issues[0]!;
  const parameter = issue.parameter === 'path' ? `path parameter ${issue.name ?? ''}` : issue.parameter;
  return invalid(formatListRequestIssue(issue, `Invalid ${parameter} for ${descriptor.id}`), issues);
}

/** Checks `groupby` against the endpoint's groupable fields (the one request check of `@pc/models`). */
export function checkGroupby(
  descriptor: EndpointDescriptor,
  groupby: AnyListOptions['groupby'],
): readonly string[] | undefined {
  if (groupby === undefined) return undefined;
  const result = checkListRequest(descriptor, { groupby });
  if (!result.ok) throw invalidRequest(descriptor, result.issues);
  return result.request.groupby;
}

/**
 * Checks a list call against its endpoint before any request: the request itself (filter,
 * groupby, snapshot, path parameters) by `checkListRequest` of `@pc/models`, the same check the
 * CLI and the mock make; then the SDK's own numbers (`top` rows in total, `pageSize`, `concurrency`).
 *
 * @throws PartnerCenterError with code `INVALID_REQUEST`; its message names the parameter and
 * shows the text with a caret, its `cause` is the list of `ListRequestIssue`s.
 */
export function createReadPlan(
  descriptor: EndpointDescriptor,
  options: AnyListOptions,
  defaults: PlanDefaults,
): ReadPlan {
  const checked = checkListRequest(descriptor, {
    ...(options.filter === undefined ? {} : { filter: options.filter }),
    ...(options.groupby === undefined ? {} : { groupby: options.groupby }),
    ...(options.processedDateTime === undefined ? {} : { processedDateTime: options.processedDateTime }),
    ...(options.pathParams === undefined ? {} : { pathParams: options.pathParams }),
  });
  if (!checked.ok) throw invalidRequest(descriptor, checked.issues);
  const { path, groupby, processedDateTime } = checked.request;
  // The checked tree is printed once, canonically: the text the paged reader sends.
  const filter = checked.request.filter === undefined ? undefined : printFilter(checked.request.filter);
  const top = positiveInteger('top', options.top);
  const requestedPageSize = positiveInteger('pageSize', options.pageSize) ?? defaults.pageSize;
  const concurrency = positiveInteger('concurrency', options.concurrency) ?? defaults.concurrency;
  const skipPaging = descriptor.queryOptions.includes('top') && descriptor.queryOptions.includes('skip');
  const pageSchema: EndpointDescriptor['page'] =
    groupby === undefined ? descriptor.page : descriptor.groupedPage(groupby);
  return {
    descriptor,
    path,
    filter,
    groupby,
    top,
    // Never more than the API's `top` limit, even if a module's descriptor declares a larger page.
    pageSize: Math.min(requestedPageSize, descriptor.maxPageSize, maxTop),
    processedDateTime,
    concurrency,
    skipPaging,
    invalidRows: invalidRowPolicy(options.invalidRows) ?? defaults.invalidRows,
    maxPages: positiveInteger('maxPages', options.maxPages) ?? defaults.maxPages,
    pageSchema,
  };
}

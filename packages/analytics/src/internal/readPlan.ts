import type { EndpointDescriptor, FilterOperatorName } from '@pc/models';
import { isFilterSyntaxError, maxTop, parseFilter, printFilter } from '@pc/odata-query';
import { PartnerCenterError } from '@pc/transport';
import type { AnyListOptions } from '../rowStream.js';

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
  readonly processedDateTime: string | Date | undefined;
  readonly concurrency: number;
  /** Whether the endpoint takes `top`/`skip` (then pages may be fetched ahead by `skip`, as speculation). */
  readonly skipPaging: boolean;
  /** What to do with rows that cannot be used. */
  readonly invalidRows: InvalidRowPolicy;
  /** The most pages one read may take before it stops with a `PAGING` error. */
  readonly maxPages: number;
  readonly pageSchema: EndpointDescriptor['page'];
}

/**
 * What a read does with a row it cannot use (a count that is not a number, a row that is not an
 * object): `throw` stops the read with an `INVALID_ROW` error; `skip` leaves the row out;
 * `report` leaves it out and hands it to the `onInvalidRows` hook. Every page lists its rejected
 * rows in `RowPage.rejected` whatever the policy.
 */
export type InvalidRowPolicy = 'throw' | 'skip' | 'report';

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

function fillPath(
  descriptor: EndpointDescriptor,
  params: Readonly<Record<string, string>> | undefined,
): string {
  let path = descriptor.path;
  for (const name of descriptor.pathParams) {
    const value = params?.[name];
    if (value === undefined || value.trim() === '') {
      throw invalid(`${descriptor.id} needs the path parameter '${name}' (${descriptor.path})`);
    }
    path = path.replace(`{${name}}`, encodeURIComponent(value.trim()));
  }
  return path;
}

/** Checks a filter against the endpoint's fields and operators; returns its canonical text. */
export function checkFilter(
  descriptor: EndpointDescriptor,
  filter: AnyListOptions['filter'],
): string | undefined {
  if (filter === undefined) return undefined;
  const text = typeof filter === 'string' ? filter.trim() : printFilter(filter);
  if (text === '') return undefined;
  if (!descriptor.queryOptions.includes('filter') || descriptor.filterable.length === 0) {
    throw invalid(`${descriptor.id} takes no filter`);
  }
  try {
    const node = parseFilter(text, {
      fields: descriptor.filterable,
      operators: descriptor.filterOperators as readonly FilterOperatorName[],
    });
    return printFilter(node);
  } catch (error) {
    if (isFilterSyntaxError(error)) {
      throw invalid(
        `Invalid filter for ${descriptor.id} (fields: ${descriptor.filterable.join(', ')}; operators: ${descriptor.filterOperators.join(', ')}):\n${error.message}`,
        error,
      );
    }
    throw error;
  }
}

/** Checks `groupby` against the endpoint's groupable fields. */
export function checkGroupby(
  descriptor: EndpointDescriptor,
  groupby: AnyListOptions['groupby'],
): readonly string[] | undefined {
  if (groupby === undefined) return undefined;
  const fields = (typeof groupby === 'string' ? groupby.split(',') : [...groupby])
    .map((field) => field.trim())
    .filter((field) => field !== '');
  if (fields.length === 0) return undefined;
  if (!descriptor.queryOptions.includes('groupby') || descriptor.groupable.length === 0) {
    throw invalid(`${descriptor.id} takes no groupby`);
  }
  const groupable = new Set<string>(descriptor.groupable);
  const seen = new Set<string>();
  for (const field of fields) {
    if (!groupable.has(field)) {
      throw invalid(
        `${descriptor.id} cannot group by '${field}' (groupable: ${descriptor.groupable.join(', ')})`,
      );
    }
    if (seen.has(field)) throw invalid(`groupby lists '${field}' twice`);
    seen.add(field);
  }
  return fields;
}

/** A `processedDateTime` as text: a date (`2026-11-20`) or an ISO date-time. */
export const snapshotDatePattern = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function checkSnapshot(
  descriptor: EndpointDescriptor,
  value: string | Date | undefined,
): string | Date | undefined {
  if (value === undefined || (typeof value === 'string' && value.trim() === '')) return undefined;
  if (!descriptor.queryOptions.includes('processedDateTime')) {
    throw invalid(`${descriptor.id} takes no processedDateTime (it has one snapshot)`);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw invalid('processedDateTime is an invalid Date');
    return value;
  }
  const text = value.trim();
  if (!snapshotDatePattern.test(text) || Number.isNaN(Date.parse(text))) {
    throw invalid(`processedDateTime must be a date (2026-11-20) or an ISO date-time, got '${text}'`);
  }
  return text;
}

/**
 * Checks a list call against its endpoint before any request: filter fields and operators,
 * groupby fields, path parameters, numbers, and which query options the endpoint takes at all.
 *
 * @throws PartnerCenterError with code `INVALID_REQUEST` (a filter error carries the
 * `FilterSyntaxError`, with its caret line, as `cause`).
 */
export function createReadPlan(
  descriptor: EndpointDescriptor,
  options: AnyListOptions,
  defaults: PlanDefaults,
): ReadPlan {
  const path = fillPath(descriptor, options.pathParams);
  const filter = checkFilter(descriptor, options.filter);
  const groupby = checkGroupby(descriptor, options.groupby);
  const processedDateTime = checkSnapshot(descriptor, options.processedDateTime);
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

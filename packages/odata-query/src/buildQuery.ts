import type { FilterNode } from './ast.js';
import { printFilter } from './printFilter.js';

/** Largest `top` Partner Center accepts (and the default page size). */
export const maxTop = 10_000;

/** The query options of a Partner Center analytics request. */
export interface QueryOptions {
  /** A filter as text (sent as given) or as an AST (printed canonically). */
  readonly filter?: string | FilterNode;
  /** Fields to group by: a list, or the comma-separated text. */
  readonly groupby?: string | readonly string[];
  /** Page size, an integer from 1 to 10000. */
  readonly top?: number;
  /** Rows to skip, an integer from 0. */
  readonly skip?: number;
  /** Snapshot selector; a `Date` is sent as `toISOString()`. */
  readonly processedDateTime?: string | Date;
}

/**
 * Turns query options into Partner Center's parameters, in the order filter, groupby, top, skip,
 * processedDateTime: names without `$`, `groupby=a,b`, values as plain text (the transport encodes
 * them once, RFC 3986 style). Omitted or empty options are left out.
 *
 * @throws RangeError for a `top` outside 1..10000, a negative or fractional `skip`, an invalid Date.
 */
export function buildQuery(options: QueryOptions): Array<[name: string, value: string]> {
  const params: Array<[name: string, value: string]> = [];
  const { filter, groupby, top, skip, processedDateTime } = options;
  if (filter !== undefined) {
    const text = typeof filter === 'string' ? filter.trim() : printFilter(filter);
    if (text !== '') params.push(['filter', text]);
  }
  if (groupby !== undefined) {
    const fields = typeof groupby === 'string' ? groupby.split(',') : groupby;
    const names = fields.map((field) => field.trim()).filter((field) => field !== '');
    if (names.length > 0) params.push(['groupby', names.join(',')]);
  }
  if (top !== undefined) {
    if (!Number.isInteger(top) || top < 1 || top > maxTop) {
      throw new RangeError(`top must be an integer from 1 to ${maxTop}, got ${top}`);
    }
    params.push(['top', String(top)]);
  }
  if (skip !== undefined) {
    if (!Number.isSafeInteger(skip) || skip < 0) {
      throw new RangeError(`skip must be a whole number from 0, got ${skip}`);
    }
    params.push(['skip', String(skip)]);
  }
  if (processedDateTime !== undefined) {
    if (typeof processedDateTime === 'string') {
      if (processedDateTime.trim() !== '') params.push(['processedDateTime', processedDateTime.trim()]);
    } else {
      if (Number.isNaN(processedDateTime.getTime())) {
        throw new RangeError('processedDateTime is an invalid Date');
      }
      params.push(['processedDateTime', processedDateTime.toISOString()]);
    }
  }
  return params;
}

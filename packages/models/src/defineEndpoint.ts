import { type FilterOperator, maxTop } from '@pc/odata-query';
import { z } from 'zod';
import { applyAliases, type ColumnSpec, columnSchema, compileRowNormalizer, type RowOf } from './columns.js';
import { readEnvelope } from './internal/envelope.js';
import { INVALID, normalizeCount } from './internal/values.js';

/** `odata` = `{Value, @nextLink, TotalCount}` (commercial endpoints); `legacy` = `{totalCount, items, attributes}`. */
export type EnvelopeKind = 'odata' | 'legacy';

/** Filter operators an endpoint may accept: the operator names of `@pc/odata-query`. */
export type FilterOperatorName = FilterOperator;

/**
 * The query parameters of Partner Center's analytics endpoints, spelled as on the wire (no `$`), in
 * the order a request carries them. Defaults: no filter, no grouping, `top` = the endpoint's
 * `maxPageSize` (Partner Center: 10000, `maxTop` of `@pc/odata-query`), `skip` = 0, the latest
 * snapshot. Source: the E1/E2 endpoint pages; DESIGN "Query parameter names".
 */
export const queryOptionNames = ['filter', 'groupby', 'top', 'skip', 'processedDateTime'] as const;

/** Query parameters an endpoint may accept, in Partner Center's dialect (no `$`). */
export type QueryOptionName = (typeof queryOptionNames)[number];

/** One page of any endpoint, whichever envelope the server used. */
export interface Page<Row> {
  readonly items: Row[];
  /** The continuation link, verbatim; `null` on the last page (absent, null or empty). */
  readonly nextLink: string | null;
  /** The server's total, when it sent one: informational, never used to stop paging. */
  readonly totalCount: number | null;
}

/** What a module author writes to describe an endpoint; `defineEndpoint` derives the rest. */
export interface EndpointSpec<Id extends string, Columns extends readonly ColumnSpec[]> {
  /** Stable identifier, e.g. `commercialLicenseUsage`. */
  readonly id: Id;
  /** Human title, e.g. "Licenses usage (commercial)". */
  readonly title: string;
  readonly description: string;
  /** Path relative to the API base URL, with `{param}` placeholders. */
  readonly path: string;
  /** Other paths the service answers on (the mock accepts them too). */
  readonly alternatePaths?: readonly string[];
  readonly envelope: EnvelopeKind;
  /** `attributes.objectType` of each item (legacy resources). */
  readonly objectType?: string;
  readonly columns: Columns;
  readonly filterable?: readonly Columns[number]['name'][];
  readonly groupable?: readonly Columns[number]['name'][];
  /** Summed by `groupby`. */
  readonly measures?: readonly Columns[number]['name'][];
  readonly filterOperators?: readonly FilterOperatorName[];
  readonly queryOptions?: readonly QueryOptionName[];
  /** Largest `top` the endpoint accepts; also its default page size. Default `maxTop` (10000). */
  readonly maxPageSize?: number;
  /** The id of the endpoint that replaces this one. */
  readonly supersededBy?: string;
  /** Where the endpoint is documented. */
  readonly docs?: string;
}

/**
 * The part of a zod schema a descriptor exposes. The objects are zod schemas; they are typed by
 * what they return so that any descriptor is assignable to `EndpointDescriptor` (zod's own types
 * are invariant in their output).
 */
export interface ParseSchema<T> {
  parse(data: unknown): T;
  safeParse(
    data: unknown,
  ): { success: true; data: T; error?: undefined } | { success: false; data?: undefined; error: z.ZodError };
}

/** Everything the SDK, the CLI and the mock need to know about one endpoint. */
export interface EndpointDescriptor<
  Id extends string = string,
  Row extends object = Record<string, unknown>,
  Field extends string = string,
> {
  readonly id: Id;
  readonly title: string;
  readonly description: string;
  readonly method: 'GET';
  readonly path: string;
  readonly alternatePaths: readonly string[];
  /** Names of the `{param}` placeholders in `path`, in order. */
  readonly pathParams: readonly string[];
  readonly envelope: EnvelopeKind;
  readonly objectType: string | undefined;
  readonly columns: readonly ColumnSpec[];
  /** Field names of a full row, in wire order. */
  readonly fields: readonly Field[];
  readonly filterable: readonly Field[];
  readonly groupable: readonly Field[];
  readonly measures: readonly Field[];
  readonly filterOperators: readonly FilterOperatorName[];
  readonly queryOptions: readonly QueryOptionName[];
  readonly maxPageSize: number;
  readonly supersededBy: string | undefined;
  readonly deprecated: boolean;
  readonly docs: string | undefined;
  /** zod schema of one row: validates the wire form and returns the normalized row. */
  readonly row: ParseSchema<Row>;
  /**
   * zod schema of a response body (either envelope, any key case) returning `{items, nextLink,
   * totalCount}`. Valid pages take a fast path that normalizes the freshly parsed body in place;
   * an invalid one is re-checked by the full schema, whose error names the bad field
   * (`items.3.licensesSold`).
   */
  readonly page: ParseSchema<Page<Row>>;
  /** The page schema of a `groupby` answer: rows hold the group fields, the measures and `processedDateTime`. */
  groupedPage(groupby: readonly string[]): ParseSchema<Page<Partial<Row>>>;
}

/** The parsed row type of a descriptor. */
export type RowOfEndpoint<E> = E extends EndpointDescriptor<string, infer Row, string> ? Row : never;

function rowSchema(columns: readonly ColumnSpec[]): z.ZodType<unknown> {
  const shape: Record<string, z.ZodType<unknown>> = {};
  for (const column of columns) {
    const schema = columnSchema(column.kind);
    shape[column.name] = column.optional === true ? schema.optional() : schema;
  }
  const object = z.looseObject(shape);
  return columns.some((column) => column.aliases !== undefined)
    ? z.preprocess((value) => applyAliases(columns, value), object)
    : object;
}

const totalCountSchema = z
  .union([z.number(), z.string()], { error: 'expected a non-negative integer' })
  .transform((value, context) => {
    const count = normalizeCount(value);
    if (count === INVALID) {
      context.addIssue({
        code: 'custom',
        message: `expected a non-negative integer, got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return count;
  })
  .nullable();

function pageSchema<Row>(columns: readonly ColumnSpec[]): z.ZodType<Page<Row>> {
  const normalizeRow = compileRowNormalizer(columns);
  const strict = z.object({
    items: z.array(rowSchema(columns), { error: 'expected an array of rows (`Value` or `items`)' }),
    nextLink: z.string({ error: 'expected a string or null' }).nullable(),
    totalCount: totalCountSchema,
  });
  return z.unknown().transform((body, context): Page<Row> => {
    const envelope = readEnvelope(body);
    if (envelope === undefined) {
      context.addIssue({
        code: 'custom',
        message: 'expected a JSON object with `Value` or `items`',
        input: body,
      });
      return z.NEVER;
    }
    const nextLink = envelope.nextLink === '' ? null : envelope.nextLink;
    const totalCount = envelope.totalCount === undefined ? null : normalizeCount(envelope.totalCount);
    const items = envelope.items;
    if (
      Array.isArray(items) &&
      (nextLink === null || typeof nextLink === 'string') &&
      totalCount !== INVALID
    ) {
      let valid = true;
      for (let index = 0; index < items.length; index++) {
        const item: unknown = items[index];
        if (
          typeof item !== 'object' ||
          item === null ||
          Array.isArray(item) ||
          !normalizeRow(item as Record<string, unknown>)
        ) {
          valid = false;
          break;
        }
      }
      if (valid) return { items: items as Row[], nextLink, totalCount };
    }
    const result = strict.safeParse({ items, nextLink, totalCount: envelope.totalCount ?? null });
    if (result.success) return result.data as Page<Row>;
    for (const issue of result.error.issues) {
      context.addIssue({ ...issue, input: undefined } as Parameters<typeof context.addIssue>[0] & object);
    }
    return z.NEVER;
  });
}

function pathParams(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
}

/**
 * Builds an endpoint descriptor from a spec: the row and page schemas, the fast page path and the
 * derived lists. The six built-in endpoints are made with it, and so are other teams' modules.
 */
export function defineEndpoint<const Id extends string, const Columns extends readonly ColumnSpec[]>(
  spec: EndpointSpec<Id, Columns>,
): EndpointDescriptor<Id, RowOf<Columns>, Columns[number]['name']> {
  type Row = RowOf<Columns>;
  type Field = Columns[number]['name'];
  const columns = spec.columns;
  const names = new Set(columns.map((column) => column.name));
  for (const list of [spec.filterable, spec.groupable, spec.measures]) {
    for (const name of list ?? []) {
      if (!names.has(name)) throw new Error(`defineEndpoint(${spec.id}): '${name}' is not a column`);
    }
  }
  const measures = (spec.measures ?? []) as readonly Field[];
  const groupedCache = new Map<string, z.ZodType<Page<Partial<Row>>>>();
  return {
    id: spec.id,
    title: spec.title,
    description: spec.description,
    method: 'GET',
    path: spec.path,
    alternatePaths: spec.alternatePaths ?? [],
    pathParams: pathParams(spec.path),
    envelope: spec.envelope,
    objectType: spec.objectType,
    columns,
    fields: columns.map((column) => column.name) as Field[],
    filterable: (spec.filterable ?? []) as readonly Field[],
    groupable: (spec.groupable ?? []) as readonly Field[],
    measures,
    filterOperators: spec.filterOperators ?? [],
    queryOptions: spec.queryOptions ?? [],
    maxPageSize: spec.maxPageSize ?? maxTop,
    supersededBy: spec.supersededBy,
    deprecated: spec.supersededBy !== undefined,
    docs: spec.docs,
    row: rowSchema(columns) as z.ZodType<Row>,
    page: pageSchema<Row>(columns),
    groupedPage(groupby) {
      const key = groupby.join(',');
      let schema = groupedCache.get(key);
      if (schema === undefined) {
        for (const field of groupby) {
          if (!(spec.groupable ?? []).includes(field as Columns[number]['name'])) {
            throw new Error(
              `${spec.id}: '${field}' is not groupable (groupable: ${(spec.groupable ?? []).join(', ')})`,
            );
          }
        }
        const kept = new Set<string>([...groupby, ...measures, 'processedDateTime']);
        schema = pageSchema<Partial<Row>>(columns.filter((column) => kept.has(column.name)));
        groupedCache.set(key, schema);
      }
      return schema;
    },
  };
}

import { compile, type JSONValue, TreeInterpreter } from '@jmespath-community/jmespath';
import { compileFilter, type FilterPredicate } from '@pc/odata-query';
import { UsageError } from '../exitCodes.js';
import { normalizeFilter, resolveFieldName } from '../fieldNames.js';
import type { OutputColumn, OutputRow } from './format.js';

type ExpressionNode = ReturnType<typeof compile>;

/**
 * A compiled `--query` (JMESPath, as az and CLI for Microsoft 365 take it). The expression is
 * evaluated against the array of all rows. When it is a projection over that array
 * (`[?cond].expr`, `[].expr`, `[*].expr`), it is evaluated row by row as the rows stream in,
 * which gives the same result (JMESPath projections drop `null` results) in constant memory;
 * anything else (`sort_by(@, &x)[:20]`, `length(@)`, `max_by(...)`) runs once on the collected
 * array.
 */
export interface RowQuery {
  /** The expression as the user wrote it. */
  readonly text: string;
  /** True when {@link RowQuery.row} applies; otherwise use {@link RowQuery.all}. */
  readonly perRow: boolean;
  /** A row's contribution to the result array: `undefined` when the row drops out. */
  row(row: OutputRow): unknown;
  /** The result over all rows. */
  all(rows: readonly OutputRow[]): unknown;
  /** The expression over any value (an insight's `{insight, title, meta, rows}` envelope). */
  evaluate(value: unknown): unknown;
}

/** JMESPath's notion of false: false, null, and empty strings, arrays and objects. */
function isFalse(value: unknown): boolean {
  if (value === false || value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value as object).length === 0;
  return false;
}

function isRootIdentity(node: ExpressionNode): boolean {
  if (node.type === 'Identity' || node.type === 'Current') return true;
  return node.type === 'Flatten' && (node.child.type === 'Identity' || node.child.type === 'Current');
}

/**
 * Compiles `--query`.
 * @throws {@link UsageError} (exit 2) when the expression does not parse.
 */
export function compileQuery(text: string): RowQuery {
  let ast: ExpressionNode;
  try {
    ast = compile(text);
  } catch (error) {
    throw new UsageError(
      `invalid --query: ${(error as Error).message}`,
      'a JMESPath expression over the array of rows, e.g. "[?licensesSold > `100`].customerName"',
    );
  }
  const search = (node: ExpressionNode, value: unknown): unknown => {
    try {
      return TreeInterpreter.search(node, value as JSONValue);
    } catch (error) {
      throw new UsageError(`--query failed: ${(error as Error).message}`);
    }
  };
  let perRow: ((row: OutputRow) => unknown) | undefined;
  if (ast.type === 'Projection' && isRootIdentity(ast.left)) {
    const right = ast.right;
    perRow = (row) => {
      const value = search(right, row);
      return value === null ? undefined : value;
    };
  } else if (ast.type === 'FilterProjection' && isRootIdentity(ast.left)) {
    const { right, condition } = ast;
    perRow = (row) => {
      if (isFalse(search(condition, row))) return undefined;
      const value = search(right, row);
      return value === null ? undefined : value;
    };
  }
  return {
    text,
    perRow: perRow !== undefined,
    row: perRow ?? (() => undefined),
    all: (rows) => search(ast, rows),
    evaluate: (value) => search(ast, value),
  };
}

/** One `--sort` key. */
export interface SortKey {
  readonly name: string;
  readonly descending: boolean;
}

/**
 * Parses `--sort FIELD[,-FIELD]` (a leading `-` sorts that field in descending order; field
 * names without regard to case).
 * @throws {@link UsageError} (exit 2) on an unknown field, with "did you mean".
 */
export function parseSort(text: string, columns: readonly OutputColumn[]): SortKey[] {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0) throw new UsageError('--sort needs at least one field, e.g. --sort -licensesSold');
  const names = columns.map((column) => column.name);
  return parts.map((part) => {
    const descending = part.startsWith('-');
    const bare = descending || part.startsWith('+') ? part.slice(1) : part;
    return { name: resolveFieldName(bare, names, '--sort'), descending };
  });
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function compareValues(left: unknown, right: unknown): number {
  const leftMissing = left === null || left === undefined;
  const rightMissing = right === null || right === undefined;
  if (leftMissing || rightMissing) return leftMissing === rightMissing ? 0 : leftMissing ? 1 : -1;
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  return collator.compare(String(left), String(right));
}

/**
 * A comparator for `--sort` keys: numbers numerically, text with an English collation (case and
 * accents ignored, digits as numbers); empty values last in either direction. Sorting with it is
 * stable (Array.prototype.sort), so rows equal on every key keep their server order.
 */
export function rowComparator(keys: readonly SortKey[]): (left: OutputRow, right: OutputRow) => number {
  return (left, right) => {
    for (const key of keys) {
      const a = left[key.name];
      const b = right[key.name];
      const aMissing = a === null || a === undefined;
      const bMissing = b === null || b === undefined;
      if (aMissing || bMissing) {
        if (aMissing !== bMissing) return aMissing ? 1 : -1;
        continue;
      }
      const order = compareValues(a, b);
      if (order !== 0) return key.descending ? -order : order;
    }
    return 0;
  };
}

/**
 * Compiles `--where`: the full filter language of `@pc/odata-query` (`gt`, `contains`, `in`,
 * `not`, numbers, dates...), evaluated locally on each row after the server's own filter.
 * Field names are taken without regard to case.
 * @throws {@link UsageError} (exit 2) with a caret, or "did you mean" for an unknown field.
 */
export function compileWhere(text: string, columns: readonly OutputColumn[]): FilterPredicate {
  const fields = columns.map((column) => column.name);
  const { node } = normalizeFilter(text, {
    fields,
    flag: '--where',
    hint: `fields: ${fields.join(', ')}; operators: eq ne gt ge lt le in, and or not, contains startswith endswith`,
  });
  return compileFilter(node);
}

/** The local steps between the server's rows and the output: `--where`, `--sort`, `--query`. */
export interface LocalPipeline {
  readonly where?: FilterPredicate | undefined;
  readonly sort?: readonly SortKey[] | undefined;
  readonly query?: RowQuery | undefined;
  /** Keep only these columns before `--query` runs (`--fields` with `--query`). */
  readonly project?: readonly OutputColumn[] | undefined;
}

/** Builds the local pipeline from the flags; `undefined` when none is set. */
export function localPipeline(
  flags: { where?: string | undefined; sort?: string | undefined; query?: string | undefined },
  columns: readonly OutputColumn[],
): LocalPipeline | undefined {
  if (flags.where === undefined && flags.sort === undefined && flags.query === undefined) return undefined;
  return {
    where: flags.where === undefined ? undefined : compileWhere(flags.where, columns),
    sort: flags.sort === undefined ? undefined : parseSort(flags.sort, columns),
    query: flags.query === undefined ? undefined : compileQuery(flags.query),
  };
}

/** Where the pipeline's output goes: rows (or query values), or one value as the whole document. */
export interface PipelineTarget {
  write(value: unknown): Promise<void> | undefined;
  /** The result of a collected `--query` that is not an array (`length(@)`, an object). */
  document(value: unknown): Promise<void>;
}

function projectTo(row: OutputRow, columns: readonly OutputColumn[]): OutputRow {
  const projected: Record<string, unknown> = {};
  for (const column of columns) projected[column.name] = row[column.name] ?? null;
  return projected;
}

/**
 * Runs rows through `--where`, `--sort` and `--query` into the target. Streams (constant memory)
 * unless `--sort` or a collected `--query` needs every row first. Returns the number of rows that
 * came in.
 */
export async function runPipeline(
  rows: AsyncIterable<OutputRow> | Iterable<OutputRow>,
  pipeline: LocalPipeline | undefined,
  target: PipelineTarget,
): Promise<number> {
  let count = 0;
  const where = pipeline?.where;
  const query = pipeline?.query;
  const project = pipeline?.project;
  const collect = pipeline?.sort !== undefined || (query !== undefined && !query.perRow);
  const kept: OutputRow[] = [];
  const emit = async (row: OutputRow): Promise<void> => {
    const shaped = project === undefined ? row : projectTo(row, project);
    if (query === undefined) {
      const wait = target.write(shaped);
      if (wait !== undefined) await wait;
      return;
    }
    const value = query.row(shaped);
    if (value === undefined) return;
    const wait = target.write(value);
    if (wait !== undefined) await wait;
  };
  for await (const row of rows) {
    count++;
    if (where !== undefined && !where(row)) continue;
    if (collect) kept.push(row);
    else await emit(row);
  }
  if (!collect) return count;
  if (pipeline?.sort !== undefined) kept.sort(rowComparator(pipeline.sort));
  if (query === undefined || query.perRow) {
    for (const row of kept) await emit(row);
    return count;
  }
  const result = query.all(project === undefined ? kept : kept.map((row) => projectTo(row, project)));
  if (Array.isArray(result)) {
    for (const value of result) {
      const wait = target.write(value);
      if (wait !== undefined) await wait;
    }
  } else {
    await target.document(result);
  }
  return count;
}

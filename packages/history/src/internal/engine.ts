/** A value bound to or read from SQL: text, a number (bigints are read back as numbers) or null. */
export type SqlValue = string | number | null;

/** One result row, keyed by column name. */
export type SqlRow = Record<string, SqlValue>;

/** The columns of the staging table a sync loads, in order (see `stagingColumns`). */
export type StagingRow = readonly [
  ordinal: number,
  service: string,
  day: string,
  nkey: string,
  customerId: string | null,
  productId: string | null,
  channel: string | null,
  workload: string | null,
  customerName: string | null,
  productName: string | null,
  sold: number | null,
  deployed: number | null,
  active: number | null,
  qualified: number | null,
  payload: string,
];

/** The staging table's columns and SQL types, in the order of {@link StagingRow}. */
export const stagingColumns: readonly (readonly [name: string, type: 'BIGINT' | 'TEXT'])[] = [
  ['ordinal', 'BIGINT'],
  ['service', 'TEXT'],
  ['day', 'TEXT'],
  ['nkey', 'TEXT'],
  ['customer_id', 'TEXT'],
  ['product_id', 'TEXT'],
  ['channel', 'TEXT'],
  ['workload', 'TEXT'],
  ['customer_name', 'TEXT'],
  ['product_name', 'TEXT'],
  ['sold', 'BIGINT'],
  ['deployed', 'BIGINT'],
  ['active', 'BIGINT'],
  ['qualified', 'BIGINT'],
  ['payload', 'TEXT'],
];

/** Where a staging load goes: rows in, then `finish()` once. */
export interface StagingWriter {
  append(row: StagingRow): Promise<void> | void;
  /** Flushes what is buffered; the rows are then in the session's staging table. */
  finish(): Promise<void>;
}

/** The file formats the engines write. */
export type FileFormat = 'parquet' | 'csv';

/**
 * What the history needs from a database: the two engines implement it, the rest of the package
 * speaks SQL through it (the SQL is shared; `dialect` says where it cannot be).
 */
export interface HistoryEngine {
  readonly dialect: 'duckdb' | 'postgres';
  /** The location, safe to print (a PostgreSQL password is masked). */
  readonly location: string;
  /** Runs one statement; `$1`, `$2`... bind `params`. Bigints come back as numbers. */
  query(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
  /** Streams a query's rows in batches, at bounded memory. */
  stream(sql: string, params: readonly SqlValue[], batchRows: number): AsyncIterable<SqlRow[]>;
  /**
   * Runs `work` in one transaction. With `exclusive`, it first takes the history's writer lock
   * (PostgreSQL: a transaction-scoped advisory lock, so two machines syncing at once serialize;
   * DuckDB: the file lock the process already holds). Rolled back when `work` throws.
   */
  transaction<T>(work: () => Promise<T>, options: { readonly exclusive: boolean }): Promise<T>;
  /** (Re)creates a temporary staging table of this session and returns a bulk writer into it. */
  createStaging(table: string): Promise<StagingWriter>;
  /** Writes the result of a query to a file (Parquet or CSV with a header); returns the rows written. */
  writeQuery(options: {
    readonly sql: string;
    readonly params: readonly SqlValue[];
    readonly file: string;
    readonly format: FileFormat;
    /** The result's columns and types, in order. */
    readonly columns: readonly (readonly [name: string, type: 'TEXT' | 'BIGINT'])[];
  }): Promise<number>;
  /** Bytes the history's tables take (storage figures of `bench/history`). */
  sizeInBytes(): Promise<number>;
  close(): Promise<void>;
}

/** The column list of `CREATE ... TABLE <staging> (...)`. */
export function stagingColumnList(): string {
  return stagingColumns.map(([name, type]) => `${name} ${type}`).join(', ');
}

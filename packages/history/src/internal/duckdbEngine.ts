import { statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DuckDBAppender, DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { HistoryError } from '../errors.js';
import {
  type FileFormat,
  type HistoryEngine,
  type SqlRow,
  type SqlValue,
  type StagingRow,
  type StagingWriter,
  stagingColumnList,
  stagingColumns,
} from './engine.js';

type DuckDBModule = typeof import('@duckdb/node-api');

/** Loads `@duckdb/node-api` only now (it is an optional peer dependency). */
async function loadDuckDB(): Promise<DuckDBModule> {
  try {
    return await import('@duckdb/node-api');
  } catch (error) {
    throw new HistoryError(
      'engine-missing',
      'the DuckDB engine needs the optional package @duckdb/node-api: install it beside @pc/history ' +
        '(npm install @duckdb/node-api), or give a postgres:// URL',
      { cause: error },
    );
  }
}

function toSqlValue(value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string') return value;
  return String(value);
}

function toRow(record: Record<string, unknown>): SqlRow {
  const row: SqlRow = {};
  for (const key of Object.keys(record)) row[key] = toSqlValue(record[key]);
  return row;
}

/** A SQL literal for the places DuckDB takes no parameters (`COPY (...) TO`). */
function literal(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new HistoryError('invalid-argument', `not a finite number: ${value}`);
    return String(value);
  }
  return `'${value.replaceAll("'", "''")}'`;
}

/** Replaces `$n` placeholders by literals (only for statements that take no parameters). */
function inline(sql: string, params: readonly SqlValue[]): string {
  return sql.replace(/\$(\d+)/g, (_, index: string) => literal(params[Number(index) - 1] ?? null));
}

class DuckDBStaging implements StagingWriter {
  constructor(private readonly appender: DuckDBAppender) {}

  append(row: StagingRow): void {
    const appender = this.appender;
    for (let i = 0; i < row.length; i++) {
      const value = row[i];
      if (value === null || value === undefined) appender.appendNull();
      else if (stagingColumns[i]![1] === 'BIGINT') appender.appendBigInt(BigInt(value as number));
      else appender.appendVarchar(value as string);
    }
    appender.endRow();
  }

  async finish(): Promise<void> {
    this.appender.flushSync();
    this.appender.closeSync();
  }
}

/** The embedded engine: one DuckDB file, opened by one process at a time (DuckDB's own file lock). */
class DuckDBEngine implements HistoryEngine {
  readonly dialect = 'duckdb';

  constructor(
    readonly location: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  async query(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    const reader = await this.connection.runAndReadAll(sql, params.length === 0 ? undefined : [...params]);
    return reader.getRowObjectsJS().map(toRow);
  }

  async *stream(sql: string, params: readonly SqlValue[], batchRows: number): AsyncIterable<SqlRow[]> {
    const result = await this.connection.stream(sql, params.length === 0 ? undefined : [...params]);
    let batch: SqlRow[] = [];
    for await (const rows of result.yieldRowObjectJs()) {
      for (const row of rows) batch.push(toRow(row));
      if (batch.length >= batchRows) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.connection.run('BEGIN TRANSACTION');
    try {
      const result = await work();
      await this.connection.run('COMMIT');
      return result;
    } catch (error) {
      await this.connection.run('ROLLBACK');
      throw error;
    }
  }

  async createStaging(table: string): Promise<StagingWriter> {
    await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${table} (${stagingColumnList()})`);
    return new DuckDBStaging(await this.connection.createAppender(table, 'main', 'temp'));
  }

  async writeQuery(options: {
    sql: string;
    params: readonly SqlValue[];
    file: string;
    format: FileFormat;
    columns: readonly (readonly [string, 'TEXT' | 'BIGINT'])[];
  }): Promise<number> {
    const format = options.format === 'parquet' ? 'FORMAT parquet' : 'FORMAT csv, HEADER true';
    const rows = await this.query(
      `COPY (${inline(options.sql, options.params)}) TO ${literal(options.file)} (${format})`,
    );
    return Number(rows[0]?.Count ?? rows[0]?.count ?? 0);
  }

  async sizeInBytes(): Promise<number> {
    await this.connection.run('CHECKPOINT');
    let size = statSync(this.location).size;
    try {
      size += statSync(`${this.location}.wal`).size;
    } catch {
      // no write-ahead log after a checkpoint: the file is the whole size
    }
    return size;
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/**
 * Opens (creating when absent) a DuckDB history file.
 * @throws HistoryError `engine-missing` without `@duckdb/node-api`, `connection-failed` when the
 *   file cannot be opened (another process holds it, say).
 */
export async function openDuckDB(file: string): Promise<HistoryEngine> {
  const duckdb = await loadDuckDB();
  await mkdir(dirname(file), { recursive: true });
  let instance: DuckDBInstance;
  try {
    instance = await duckdb.DuckDBInstance.create(file);
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new HistoryError('connection-failed', `cannot open the history file ${file}: ${detail}`, {
      cause: error,
    });
  }
  const connection = await instance.connect();
  return new DuckDBEngine(file, instance, connection);
}

/** An in-memory DuckDB, used to write Parquet from another engine's rows. */
export async function openDuckDBMemory(): Promise<{ engine: HistoryEngine; connection: DuckDBConnection }> {
  const duckdb = await loadDuckDB();
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  return { engine: new DuckDBEngine(':memory:', instance, connection), connection };
}

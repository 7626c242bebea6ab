import type { Client, ClientConfig } from 'pg';
import { HistoryError } from '../errors.js';
import { writeCsv } from './csvWriter.js';
import { openDuckDBMemory } from './duckdbEngine.js';
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

type PgModule = typeof import('pg');

/** The advisory lock every writer of a PostgreSQL history takes (`pc` history, in ASCII). */
export const writerLockId = 0x7063_6869;

async function loadPg(): Promise<PgModule> {
  try {
    const loaded = (await import('pg')) as PgModule & { default?: PgModule };
    return loaded.default ?? loaded;
  } catch (error) {
    throw new HistoryError(
      'engine-missing',
      'the PostgreSQL engine needs the optional package pg: install it beside @pc/history (npm install pg)',
      { cause: error },
    );
  }
}

/** The URL with its password masked, for messages and manifests. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

const int8 = 20;
const numeric = 1700;
const stagingBatch = 5000;

class PostgresStaging implements StagingWriter {
  private columns: SqlValue[][] = stagingColumns.map(() => []);
  private buffered = 0;
  private readonly insert: string;

  constructor(
    private readonly client: Client,
    table: string,
  ) {
    this.insert = `INSERT INTO ${table} SELECT * FROM unnest(${stagingColumns
      .map(([, type], index) => `$${index + 1}::${type === 'BIGINT' ? 'bigint' : 'text'}[]`)
      .join(', ')})`;
  }

  append(row: StagingRow): Promise<void> | void {
    for (let i = 0; i < row.length; i++) this.columns[i]!.push(row[i] ?? null);
    this.buffered += 1;
    if (this.buffered >= stagingBatch) return this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffered === 0) return;
    const columns = this.columns;
    this.columns = stagingColumns.map(() => []);
    this.buffered = 0;
    await this.client.query(this.insert, columns);
  }

  finish(): Promise<void> {
    return this.flush();
  }
}

/** The team engine: a PostgreSQL database, many readers and writers, writers serialized by a lock. */
class PostgresEngine implements HistoryEngine {
  readonly dialect = 'postgres';
  private cursors = 0;

  constructor(
    readonly location: string,
    private readonly client: Client,
  ) {}

  async query(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    const result = await this.client.query(sql, [...params]);
    return result.rows as SqlRow[];
  }

  async *stream(sql: string, params: readonly SqlValue[], batchRows: number): AsyncIterable<SqlRow[]> {
    const name = `pc_cursor_${++this.cursors}`;
    await this.client.query('BEGIN READ ONLY');
    try {
      await this.client.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, [...params]);
      for (;;) {
        const result = await this.client.query(`FETCH ${batchRows} FROM ${name}`);
        if (result.rows.length === 0) break;
        yield result.rows as SqlRow[];
      }
      await this.client.query('COMMIT');
    } catch (error) {
      await this.client.query('ROLLBACK');
      throw error;
    } finally {
      // a consumer that stops early (break) lands here with the transaction still open
      await this.client.query('ROLLBACK').catch(() => undefined);
    }
  }

  async transaction<T>(work: () => Promise<T>, options: { readonly exclusive: boolean }): Promise<T> {
    await this.client.query('BEGIN');
    try {
      if (options.exclusive) await this.client.query('SELECT pg_advisory_xact_lock($1)', [writerLockId]);
      const result = await work();
      await this.client.query('COMMIT');
      return result;
    } catch (error) {
      await this.client.query('ROLLBACK');
      throw error;
    }
  }

  async createStaging(table: string): Promise<StagingWriter> {
    await this.client.query(`DROP TABLE IF EXISTS ${table}`);
    await this.client.query(`CREATE TEMP TABLE ${table} (${stagingColumnList()})`);
    return new PostgresStaging(this.client, table);
  }

  async writeQuery(options: {
    sql: string;
    params: readonly SqlValue[];
    file: string;
    format: FileFormat;
    columns: readonly (readonly [string, 'TEXT' | 'BIGINT'])[];
  }): Promise<number> {
    const batches = this.stream(options.sql, options.params, 10_000);
    if (options.format === 'csv') {
      return writeCsv({ file: options.file, columns: options.columns.map(([name]) => name), batches });
    }
    // Parquet: through an in-memory DuckDB (the one Parquet writer we trust), batch by batch.
    const { engine, connection } = await openDuckDBMemory();
    try {
      await connection.run(
        `CREATE TABLE export_rows (${options.columns.map(([name, type]) => `"${name}" ${type}`).join(', ')})`,
      );
      const appender = await connection.createAppender('export_rows');
      for await (const batch of batches) {
        for (const row of batch) {
          for (const [name, type] of options.columns) {
            const value = row[name] ?? null;
            if (value === null) appender.appendNull();
            else if (type === 'BIGINT') appender.appendBigInt(BigInt(value));
            else appender.appendVarchar(String(value));
          }
          appender.endRow();
        }
      }
      appender.flushSync();
      appender.closeSync();
      return await engine.writeQuery({
        sql: 'SELECT * FROM export_rows',
        params: [],
        file: options.file,
        format: 'parquet',
        columns: options.columns,
      });
    } finally {
      await engine.close();
    }
  }

  async sizeInBytes(): Promise<number> {
    const rows = await this.query(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS bytes FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind = 'r' AND c.relname LIKE 'pc\\_history\\_%' AND n.nspname = current_schema()`,
    );
    return Number(rows[0]?.bytes ?? 0);
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

/**
 * Connects to a PostgreSQL history (`postgres://user:password@host:port/database`).
 * @throws HistoryError `engine-missing` without `pg`, `connection-failed` when the server refuses.
 */
export async function openPostgres(url: string): Promise<HistoryEngine> {
  const pg = await loadPg();
  const parseNumber = (text: string) => Number(text);
  const config: ClientConfig = {
    connectionString: url,
    application_name: 'pc-history',
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === int8 || oid === numeric
          ? parseNumber
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  };
  const client = new pg.Client(config);
  // An idle client whose server goes away must not crash the process: the next query fails instead.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new HistoryError('connection-failed', `cannot connect to ${maskUrl(url)}: ${detail}`, {
      cause: error,
    });
  }
  return new PostgresEngine(maskUrl(url), client);
}

import { HistoryError } from '../errors.js';
import type { HistoryEngine } from './engine.js';

/** One versioned schema change. `sql` is shared; `postgres`/`duckdb` hold what only one engine runs. */
interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: readonly string[];
  readonly postgres?: readonly string[];
  readonly duckdb?: readonly string[];
}

/**
 * The schema, as versioned migrations (never edit a released one; add the next). Days are
 * `YYYY-MM-DD` text (the same in both engines, and ordered as text); spans are inclusive.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'snapshots with validity spans',
    sql: [
      // one row per `sync` run: the manifest
      `CREATE TABLE pc_history_runs (
         run_id BIGINT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT NOT NULL,
         tool TEXT NOT NULL, status TEXT NOT NULL, rows_stored BIGINT NOT NULL, manifest TEXT NOT NULL)`,
      // one row per endpoint read of a run that stored something: the order of its rows lives in pc_history_order
      `CREATE TABLE pc_history_reads (
         read_id BIGINT NOT NULL, run_id BIGINT NOT NULL, endpoint TEXT NOT NULL, rows_read BIGINT NOT NULL)`,
      // one row per stored (endpoint, service, day): what `list` shows
      `CREATE TABLE pc_history_snapshots (
         endpoint TEXT NOT NULL, service TEXT NOT NULL, day TEXT NOT NULL, stamp TEXT NOT NULL,
         read_id BIGINT NOT NULL, run_id BIGINT NOT NULL, row_count BIGINT NOT NULL,
         UNIQUE (endpoint, service, day))`,
      // one row per natural key ever seen
      `CREATE TABLE pc_history_keys (
         key_id BIGINT NOT NULL, endpoint TEXT NOT NULL, service TEXT NOT NULL, nkey TEXT NOT NULL,
         customer_id TEXT, product_id TEXT, channel TEXT, workload TEXT)`,
      // one row per value a key held, over the span of stored days [valid_from, valid_to];
      // valid_to '9999-12-31' while the value still holds on the latest stored day (an open span)
      `CREATE TABLE pc_history_versions (
         key_id BIGINT NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT NOT NULL, payload TEXT NOT NULL,
         customer_name TEXT, product_name TEXT,
         sold BIGINT, deployed BIGINT, active BIGINT, qualified BIGINT)`,
      // the download order of a read, as runs of consecutive key ids: [first_key, first_key + length)
      `CREATE TABLE pc_history_order (
         read_id BIGINT NOT NULL, start_pos BIGINT NOT NULL, first_key BIGINT NOT NULL, length BIGINT NOT NULL)`,
    ],
    postgres: [
      'CREATE UNIQUE INDEX pc_history_keys_id ON pc_history_keys (key_id)',
      'CREATE UNIQUE INDEX pc_history_keys_nkey ON pc_history_keys (endpoint, nkey)',
      'CREATE INDEX pc_history_keys_customer ON pc_history_keys (customer_id)',
      'CREATE INDEX pc_history_versions_key ON pc_history_versions (key_id, valid_to)',
      'CREATE INDEX pc_history_order_read ON pc_history_order (read_id)',
    ],
  },
];

/** The schema version this package writes. */
export const schemaVersion = migrations[migrations.length - 1]!.version;

/** The applied version (0 for an empty database). */
export async function appliedVersion(engine: HistoryEngine): Promise<number> {
  const table =
    engine.dialect === 'postgres'
      ? `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'pc_history_migrations'`
      : `SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'pc_history_migrations'`;
  const exists = Number((await engine.query(table))[0]?.n ?? 0) > 0;
  if (!exists) return 0;
  const rows = await engine.query('SELECT coalesce(max(version), 0) AS version FROM pc_history_migrations');
  return Number(rows[0]?.version ?? 0);
}

/** What {@link migrate} did. */
export interface MigrationReport {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly { readonly version: number; readonly name: string }[];
}

/**
 * Applies the pending migrations in one transaction under the writer lock (two machines migrating
 * at once: the second finds the work done).
 * @throws HistoryError `schema-too-new` when the database is ahead of this package.
 */
export async function migrate(engine: HistoryEngine): Promise<MigrationReport> {
  return engine.transaction(
    async () => {
      await engine.query(
        'CREATE TABLE IF NOT EXISTS pc_history_migrations (version BIGINT NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
      );
      const from = await appliedVersion(engine);
      if (from > schemaVersion) {
        throw new HistoryError(
          'schema-too-new',
          `the history at ${engine.location} has schema version ${from}; this @pc/history knows up to ${schemaVersion}: upgrade @pc/history`,
        );
      }
      const applied: { version: number; name: string }[] = [];
      for (const migration of migrations) {
        if (migration.version <= from) continue;
        const statements = [
          ...migration.sql,
          ...((engine.dialect === 'postgres' ? migration.postgres : migration.duckdb) ?? []),
        ];
        for (const statement of statements) await engine.query(statement);
        await engine.query('INSERT INTO pc_history_migrations VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          new Date().toISOString(),
        ]);
        applied.push({ version: migration.version, name: migration.name });
      }
      return { from, to: Math.max(from, schemaVersion), applied };
    },
    { exclusive: true },
  );
}

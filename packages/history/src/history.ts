import type { AnalyticsClient } from '@pc/analytics';
import { HistoryError } from './errors.js';
import type { HistoryEngine } from './internal/engine.js';
import {
  checkDate,
  deploymentEndpoint,
  listSnapshots,
  type StoredSnapshot,
  snapshotRows,
  type TimelineSpan,
  type TrendGrouping,
  type TrendRow,
  timelineSpans,
  trendRows,
} from './internal/queries.js';
import { appliedVersion, type MigrationReport, migrate, schemaVersion } from './internal/schema.js';
import { type ExportedFile, exportStar } from './internal/starSchema.js';
import { runSync, type SyncManifest, type SyncOptions } from './internal/sync.js';
import { type HistoryLocation, parseHistoryLocation } from './location.js';

declare const __PC_HISTORY_VERSION__: string | undefined;
/** This package's version (written at build time). */
export const historyVersion =
  typeof __PC_HISTORY_VERSION__ === 'string' ? __PC_HISTORY_VERSION__ : '0.0.0-dev';

/** Rows of one stored day: iterate them, or collect them with `toArray()`. */
export interface SnapshotRows extends AsyncIterable<Record<string, unknown>> {
  /** Batches of rows (bounded memory). */
  batches(): AsyncIterable<Record<string, unknown>[]>;
  toArray(): Promise<Record<string, unknown>[]>;
}

/** Options of {@link History.trend}. */
export interface TrendQuery {
  /** `YYYY-MM-DD`: a stored day. */
  readonly from: string;
  /** `YYYY-MM-DD`: a stored day. */
  readonly to: string;
  /** Default `customer`. */
  readonly by?: TrendGrouping;
}

/** Options of {@link History.export}. */
export interface ExportOptions {
  readonly outDir: string;
  /** Default `parquet`. */
  readonly format?: 'parquet' | 'csv';
}

/** A sync run as the history recorded it. */
export type StoredRun = SyncManifest;

/**
 * A history of licenses snapshots in DuckDB or PostgreSQL. One object is one connection: use it
 * from one task at a time, and `close()` it.
 */
export interface History {
  /** Where it lives (a PostgreSQL password is masked). */
  readonly location: string;
  readonly engine: 'duckdb' | 'postgres';
  /** Downloads E1, E2 (and module endpoints with snapshots) and stores the days not yet held. */
  sync(client: AnalyticsClient, options?: SyncOptions): Promise<SyncManifest>;
  /** The stored days, per endpoint and service. */
  list(): Promise<StoredSnapshot[]>;
  /** The manifests of past sync runs, oldest first. */
  runs(): Promise<StoredRun[]>;
  /**
   * The rows of a stored day exactly as downloaded, in download order.
   * @throws HistoryError `invalid-date` when the day is not stored.
   */
  snapshot(date: string, options?: { readonly endpoint?: string }): SnapshotRows;
  /** Sold, deployed, active and qualified per group on two stored days, and the changes. */
  trend(query: TrendQuery): Promise<TrendRow[]>;
  /** One customer's products over time: each span of unchanged values. */
  timeline(customerTenantId: string): Promise<TimelineSpan[]>;
  /** Writes the star schema (facts deployment and usage; dimensions customer, product, date). */
  export(options: ExportOptions): Promise<ExportedFile[]>;
  /** Applies pending schema migrations (also done on open). */
  migrate(): Promise<MigrationReport>;
  /** Bytes the history's tables take. */
  sizeInBytes(): Promise<number>;
  close(): Promise<void>;
}

/** Options of {@link openHistory}. */
export interface OpenHistoryOptions {
  /** A file path, `duckdb:FILE`, or `postgres://…`; default `$PC_HISTORY_URL`, else the user's data folder. */
  readonly url?: string;
  /** Apply pending migrations on open (default true); false fails on an outdated schema instead. */
  readonly migrate?: boolean;
  /** The environment to read `PC_HISTORY_URL` and data folders from (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

async function openEngine(location: HistoryLocation): Promise<HistoryEngine> {
  if (location.engine === 'postgres') {
    const { openPostgres } = await import('./internal/postgresEngine.js');
    return openPostgres(location.url);
  }
  const { openDuckDB } = await import('./internal/duckdbEngine.js');
  return openDuckDB(location.file);
}

function rowsOf(batches: () => AsyncIterable<Record<string, unknown>[]>): SnapshotRows {
  return {
    batches,
    async *[Symbol.asyncIterator]() {
      for await (const batch of batches()) yield* batch;
    },
    async toArray() {
      const all: Record<string, unknown>[] = [];
      for await (const batch of batches()) for (const row of batch) all.push(row);
      return all;
    },
  };
}

/**
 * Opens a history (creating its schema on first use).
 *
 * @example
 * ```ts
 * const history = await openHistory('pc-history.duckdb');
 * await history.sync(client);
 * for (const row of await history.trend({ from: '2026-11-01', to: '2026-11-20', by: 'service' })) console.log(row);
 * await history.close();
 * ```
 * @throws HistoryError `invalid-location`, `engine-missing` (the driver is an optional package),
 *   `connection-failed`, `schema-too-new`.
 */
export async function openHistory(urlOrOptions?: string | OpenHistoryOptions): Promise<History> {
  const options: OpenHistoryOptions =
    typeof urlOrOptions === 'string' ? { url: urlOrOptions } : (urlOrOptions ?? {});
  const location = parseHistoryLocation(options.url, options.env ?? process.env);
  const engine = await openEngine(location);
  try {
    if (options.migrate === false) {
      const version = await appliedVersion(engine);
      if (version !== schemaVersion) {
        throw new HistoryError(
          version > schemaVersion ? 'schema-too-new' : 'connection-failed',
          `the history at ${engine.location} has schema version ${version}, this @pc/history needs ${schemaVersion}: run pc history migrate`,
        );
      }
    } else {
      await migrate(engine);
    }
  } catch (error) {
    await engine.close();
    throw error;
  }
  return {
    location: engine.location,
    engine: engine.dialect,
    sync: (client, syncOptions = {}) =>
      runSync(engine, client, { ...syncOptions, tool: syncOptions.tool ?? `@pc/history ${historyVersion}` }),
    list: () => listSnapshots(engine),
    async runs() {
      const rows = await engine.query('SELECT manifest FROM pc_history_runs ORDER BY run_id');
      return rows.map((row) => JSON.parse(String(row.manifest)) as SyncManifest);
    },
    snapshot(date, snapshotOptions = {}) {
      return rowsOf(() => ({
        async *[Symbol.asyncIterator]() {
          const day = checkDate('date', date);
          yield* snapshotRows(engine, {
            endpoint: snapshotOptions.endpoint ?? deploymentEndpoint,
            date: day,
          });
        },
      }));
    },
    trend: async (query) =>
      trendRows(engine, {
        from: checkDate('from', query.from),
        to: checkDate('to', query.to),
        by: query.by ?? 'customer',
      }),
    timeline: async (customerTenantId) => timelineSpans(engine, customerTenantId),
    async export(exportOptions) {
      const format = exportOptions.format ?? 'parquet';
      if (format !== 'parquet' && format !== 'csv') {
        throw new HistoryError(
          'invalid-argument',
          `format: expected parquet or csv, got ${JSON.stringify(format)}`,
        );
      }
      return exportStar(engine, { outDir: exportOptions.outDir, format });
    },
    migrate: () => migrate(engine),
    sizeInBytes: () => engine.sizeInBytes(),
    close: () => engine.close(),
  };
}

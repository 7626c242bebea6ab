import type { AnalyticsClient } from '@pc/analytics';
import type { EndpointDescriptor } from '@pc/models';
import { HistoryError } from '../errors.js';
import type { HistoryEngine, SqlValue } from './engine.js';
import { RowEncoder } from './rowCodec.js';

/** What happened to one (endpoint, service, day) a sync downloaded. */
export interface SyncedSnapshot {
  readonly endpoint: string;
  /** `serviceCode` of the rows (`''` for endpoints without one). */
  readonly service: string;
  /** `YYYY-MM-DD`. */
  readonly date: string;
  readonly rows: number;
  /**
   * `stored`: new; `already-stored`: the history held it (nothing written);
   * `older-than-stored`: the history holds a later day of that service, and days are only appended.
   */
  readonly status: 'stored' | 'already-stored' | 'older-than-stored';
}

/** One endpoint read of a sync. */
export interface SyncedRead {
  readonly endpoint: string;
  readonly rowsRead: number;
  /** `MS-RequestId` of every page. */
  readonly requestIds: readonly string[];
}

/** The manifest of one sync run, as stored in the history and returned by `sync`. */
export interface SyncManifest {
  readonly runId: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Who synced, e.g. `pc 0.3.0` or `@pc/history 0.1.0`. */
  readonly tool: string;
  /** `stored` when at least one snapshot was new, else `unchanged`. */
  readonly status: 'stored' | 'unchanged';
  readonly rowsStored: number;
  readonly reads: readonly SyncedRead[];
  readonly snapshots: readonly SyncedSnapshot[];
}

/** A step of a sync, for progress displays (and for tests that interrupt a sync at a known point). */
export type SyncEvent =
  | { readonly type: 'page'; readonly endpoint: string; readonly rows: number; readonly requestId: string }
  | { readonly type: 'merging' }
  | { readonly type: 'merged'; readonly rowsStored: number };

/** Options of `history.sync(client, options)`. */
export interface SyncOptions {
  /** Endpoint ids to sync; default E1, E2 and every registered module endpoint that has snapshots. */
  readonly endpoints?: readonly string[];
  /**
   * Read this processing date instead of the latest (while the service still serves it); days
   * are appended, so sync older dates first.
   */
  readonly processedDateTime?: string;
  /** Recorded in the manifest; default `@pc/history <version>`. */
  readonly tool?: string;
  /** Called at each step; a returned promise is awaited (the `merged` step runs inside the transaction). */
  readonly onEvent?: (event: SyncEvent) => void | Promise<void>;
  readonly signal?: AbortSignal;
}

/** E1 and E2, then module endpoints whose descriptor takes `processedDateTime` (they have snapshots). */
export function snapshotEndpoints(client: AnalyticsClient): EndpointDescriptor[] {
  const found: EndpointDescriptor[] = [];
  for (const module of client.modules) {
    for (const { descriptor } of module.endpoints) {
      if (descriptor.deprecated || descriptor.pathParams.length > 0) continue;
      if (!descriptor.queryOptions.includes('processedDateTime')) continue;
      if (!descriptor.fields.includes('processedDateTime')) continue;
      found.push(descriptor);
    }
  }
  return found;
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new HistoryError('aborted', 'the sync was aborted; nothing was stored');
}

interface StagedRead {
  readonly descriptor: EndpointDescriptor;
  readonly table: string;
  readonly encoder: RowEncoder;
  readonly requestIds: string[];
}

const num = (value: SqlValue | undefined): number => Number(value ?? 0);

/** `valid_to` of a version still valid on the latest stored day of its service (an open span). */
export const openEnd = '9999-12-31';

/** Downloads every row of each endpoint into a staging table of this session (nothing stored yet). */
async function stage(
  engine: HistoryEngine,
  client: AnalyticsClient,
  descriptors: readonly EndpointDescriptor[],
  options: SyncOptions,
): Promise<StagedRead[]> {
  const staged: StagedRead[] = [];
  for (const [index, descriptor] of descriptors.entries()) {
    const table = `pc_staging_${index}`;
    const writer = await engine.createStaging(table);
    const encoder = new RowEncoder(descriptor);
    const requestIds: string[] = [];
    const stream = client.list(descriptor.id, {
      ...(options.processedDateTime === undefined ? {} : { processedDateTime: options.processedDateTime }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    for await (const page of stream.byPage()) {
      checkAborted(options.signal);
      requestIds.push(page.requestId);
      for (const row of page.items) {
        const pending = writer.append(encoder.encode(row));
        if (pending !== undefined) await pending;
      }
      await options.onEvent?.({
        type: 'page',
        endpoint: descriptor.id,
        rows: page.items.length,
        requestId: page.requestId,
      });
    }
    await writer.finish();
    staged.push({ descriptor, table, encoder, requestIds });
  }
  return staged;
}

/** Merges one staged read into the history; runs inside the writer transaction. */
async function mergeRead(
  engine: HistoryEngine,
  read: StagedRead,
  runId: number,
): Promise<{ snapshots: SyncedSnapshot[]; rowsStored: number }> {
  const endpoint = read.descriptor.id;
  const units = await engine.query(
    `SELECT service, day, count(*) AS n FROM ${read.table} GROUP BY service, day ORDER BY day, service`,
  );
  const stored = await engine.query(
    'SELECT service, day FROM pc_history_snapshots WHERE endpoint = $1 ORDER BY service, day',
    [endpoint],
  );
  const latest = new Map<string, string>();
  const held = new Set<string>();
  for (const row of stored) {
    latest.set(String(row.service), String(row.day));
    held.add(`${row.service}\u0001${row.day}`);
  }
  const snapshots: SyncedSnapshot[] = [];
  const toStore: { service: string; day: string; rows: number; previous: string | undefined }[] = [];
  for (const unit of units) {
    const service = String(unit.service);
    const day = String(unit.day);
    const rows = num(unit.n);
    const previous = latest.get(service);
    const status = held.has(`${service}\u0001${day}`)
      ? 'already-stored'
      : previous !== undefined && previous > day
        ? 'older-than-stored'
        : 'stored';
    snapshots.push({ endpoint, service, date: day, rows, status });
    if (status === 'stored') {
      toStore.push({ service, day, rows, previous });
      latest.set(service, day);
    } else {
      await engine.query(`DELETE FROM ${read.table} WHERE service = $1 AND day = $2`, [service, day]);
    }
  }
  if (toStore.length === 0) return { snapshots, rowsStored: 0 };

  // Rows in download order with their final key: a natural key seen twice in one snapshot keeps
  // both rows (the client never chooses), the later ones marked `#1`, `#2`...
  await engine.query('DROP TABLE IF EXISTS pc_unit');
  await engine.query(
    `CREATE TEMP TABLE pc_unit AS
     SELECT s.*, row_number() OVER (ORDER BY s.ordinal) AS pos,
            CASE WHEN s.dup = 0 THEN s.nkey ELSE s.nkey || '#' || CAST(s.dup AS TEXT) END AS fkey
     FROM (SELECT t.*, row_number() OVER (PARTITION BY t.service, t.day, t.nkey ORDER BY t.ordinal) - 1 AS dup
           FROM ${read.table} t) s`,
  );
  // New keys get ids in download order, so a first snapshot is one run of consecutive ids.
  await engine.query(
    `INSERT INTO pc_history_keys (key_id, endpoint, service, nkey, customer_id, product_id, channel, workload)
     SELECT m.base + row_number() OVER (ORDER BY u.pos), $1, u.service, u.fkey, u.customer_id, u.product_id, u.channel, u.workload
     FROM pc_unit u CROSS JOIN (SELECT coalesce(max(key_id), 0) AS base FROM pc_history_keys) m
     WHERE NOT EXISTS (SELECT 1 FROM pc_history_keys k WHERE k.endpoint = $1 AND k.nkey = u.fkey)`,
    [endpoint],
  );
  // (created empty, then filled: PostgreSQL takes no parameters in CREATE TABLE AS)
  await engine.query('DROP TABLE IF EXISTS pc_keyed');
  await engine.query(
    'CREATE TEMP TABLE pc_keyed AS SELECT u.*, CAST(0 AS BIGINT) AS key_id FROM pc_unit u WHERE 1 = 0',
  );
  await engine.query(
    `INSERT INTO pc_keyed
     SELECT u.*, k.key_id FROM pc_unit u JOIN pc_history_keys k ON k.endpoint = $1 AND k.nkey = u.fkey`,
    [endpoint],
  );
  for (const unit of toStore) {
    if (unit.previous !== undefined) {
      // Only what changed is written: a changed row closes its open version on the previous
      // stored day; a row gone from this day closes likewise; unchanged rows stay open.
      await engine.query(
        `UPDATE pc_history_versions SET valid_to = $1
         FROM pc_keyed u
         WHERE pc_history_versions.key_id = u.key_id AND pc_history_versions.valid_to = $2
           AND pc_history_versions.payload <> u.payload AND u.service = $3 AND u.day = $4`,
        [unit.previous, openEnd, unit.service, unit.day],
      );
      await engine.query(
        `UPDATE pc_history_versions SET valid_to = $1
         WHERE pc_history_versions.valid_to = $2
           AND EXISTS (SELECT 1 FROM pc_history_keys k
                       WHERE k.key_id = pc_history_versions.key_id AND k.endpoint = $3 AND k.service = $4)
           AND NOT EXISTS (SELECT 1 FROM pc_keyed u
                           WHERE u.key_id = pc_history_versions.key_id AND u.service = $4 AND u.day = $5)`,
        [unit.previous, openEnd, endpoint, unit.service, unit.day],
      );
    }
    await engine.query(
      `INSERT INTO pc_history_versions
       SELECT u.key_id, $1, $2, u.payload, u.customer_name, u.product_name, u.sold, u.deployed, u.active, u.qualified
       FROM pc_keyed u
       WHERE u.service = $3 AND u.day = $1
         AND NOT EXISTS (SELECT 1 FROM pc_history_versions v WHERE v.key_id = u.key_id AND v.valid_to = $2)`,
      [unit.day, openEnd, unit.service],
    );
  }
  const readId =
    num((await engine.query('SELECT coalesce(max(read_id), 0) AS id FROM pc_history_reads'))[0]?.id) + 1;
  const rowsStored = toStore.reduce((sum, unit) => sum + unit.rows, 0);
  await engine.query('INSERT INTO pc_history_reads VALUES ($1, $2, $3, $4)', [
    readId,
    runId,
    endpoint,
    read.encoder.rows,
  ]);
  // The download order, as runs of consecutive key ids (one run per break in the sequence).
  await engine.query(
    `INSERT INTO pc_history_order
     SELECT $1, min(pos), min(key_id), count(*) FROM (
       SELECT pos, key_id, sum(brk) OVER (ORDER BY pos ROWS UNBOUNDED PRECEDING) AS grp FROM (
         SELECT pos, key_id, CASE WHEN key_id = lag(key_id) OVER (ORDER BY pos) + 1 THEN 0 ELSE 1 END AS brk
         FROM pc_keyed) a) b
     GROUP BY grp`,
    [readId],
  );
  for (const unit of toStore) {
    const stamp = read.encoder.stamps.get(`${unit.service}\u0001${unit.day}`) ?? unit.day;
    await engine.query('INSERT INTO pc_history_snapshots VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      endpoint,
      unit.service,
      unit.day,
      stamp,
      readId,
      runId,
      unit.rows,
    ]);
  }
  await engine.query('DROP TABLE pc_keyed');
  await engine.query('DROP TABLE pc_unit');
  return { snapshots, rowsStored };
}

/**
 * Downloads E1, E2 (and module endpoints with snapshots) and stores the snapshots the history
 * does not hold, all in one transaction under the writer lock: an interrupted sync (an error, an
 * abort, `kill -9`) stores nothing. A second sync of the same days stores nothing and says so.
 */
export async function runSync(
  engine: HistoryEngine,
  client: AnalyticsClient,
  options: SyncOptions & { readonly tool: string },
): Promise<SyncManifest> {
  const startedAt = new Date().toISOString();
  const all = snapshotEndpoints(client);
  let descriptors = all;
  if (options.endpoints !== undefined) {
    descriptors = options.endpoints.map((id) => {
      const found = all.find((descriptor) => descriptor.id === id);
      if (found === undefined) {
        throw new HistoryError(
          'invalid-argument',
          `endpoint '${id}' has no snapshots to sync; expected one of ${all.map((d) => d.id).join(', ')}`,
        );
      }
      return found;
    });
  }
  const staged = await stage(engine, client, descriptors, options);
  checkAborted(options.signal);
  await options.onEvent?.({ type: 'merging' });
  return engine.transaction(
    async () => {
      const runId =
        num((await engine.query('SELECT coalesce(max(run_id), 0) AS id FROM pc_history_runs'))[0]?.id) + 1;
      const snapshots: SyncedSnapshot[] = [];
      let rowsStored = 0;
      for (const read of staged) {
        const merged = await mergeRead(engine, read, runId);
        snapshots.push(...merged.snapshots);
        rowsStored += merged.rowsStored;
      }
      const manifest: SyncManifest = {
        runId,
        startedAt,
        finishedAt: new Date().toISOString(),
        tool: options.tool,
        status: rowsStored > 0 ? 'stored' : 'unchanged',
        rowsStored,
        reads: staged.map((read) => ({
          endpoint: read.descriptor.id,
          rowsRead: read.encoder.rows,
          requestIds: read.requestIds,
        })),
        snapshots,
      };
      await engine.query('INSERT INTO pc_history_runs VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        runId,
        manifest.startedAt,
        manifest.finishedAt,
        manifest.tool,
        manifest.status,
        rowsStored,
        JSON.stringify(manifest),
      ]);
      for (const read of staged) await engine.query(`DROP TABLE IF EXISTS ${read.table}`);
      checkAborted(options.signal);
      await options.onEvent?.({ type: 'merged', rowsStored });
      return manifest;
    },
    { exclusive: true },
  );
}

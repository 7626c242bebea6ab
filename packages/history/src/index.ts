/**
 * `@pc/history`: every licenses snapshot kept in a real database, DuckDB embedded by default,
 * PostgreSQL for teams. Start with {@link openHistory}.
 * @packageDocumentation
 */
export { openHistory, historyVersion } from './history.js';
export { HistoryError, isHistoryError } from './errors.js';
export { defaultHistoryFile, parseHistoryLocation } from './location.js';
export { snapshotEndpoints } from './internal/sync.js';
export { trendGroupings, trendMeasures } from './internal/queries.js';
export { starTables } from './internal/starSchema.js';
export { historyTrendInsight } from './historyTrend.js';

export type {
  ExportOptions,
  History,
  OpenHistoryOptions,
  SnapshotRows,
  StoredRun,
  TrendQuery,
} from './history.js';
export type { HistoryErrorCode } from './errors.js';
export type { HistoryTrendOptions } from './historyTrend.js';
export type { HistoryLocation } from './location.js';
export type {
  SyncedRead,
  SyncedSnapshot,
  SyncEvent,
  SyncManifest,
  SyncOptions,
} from './internal/sync.js';
export type { StoredSnapshot, TimelineSpan, TrendGrouping, TrendRow } from './internal/queries.js';
export type { ExportedFile } from './internal/starSchema.js';
export type { MigrationReport } from './internal/schema.js';

/** Why a history operation failed (closed union; match on it rather than on messages). */
export type HistoryErrorCode =
  /** The `url` or `--db` value names no engine we know, or is malformed. */
  | 'invalid-location'
  /** The engine's driver package is not installed (`@duckdb/node-api` or `pg`). */
  | 'engine-missing'
  /** The database could not be opened or reached (locked file, refused connection, bad credentials). */
  | 'connection-failed'
  /** The database holds a schema newer than this package knows. */
  | 'schema-too-new'
  /** A date argument is malformed, or names a day the history does not hold. */
  | 'invalid-date'
  /** An argument other than a date is malformed (a grouping, a format, a customer id). */
  | 'invalid-argument'
  /** A downloaded row cannot be stored (no `processedDateTime`, say). */
  | 'invalid-row'
  /** The operation was aborted through its `AbortSignal`. */
  | 'aborted';

const brand = Symbol.for('@pc/history/HistoryError');

/**
 * The one error type of `@pc/history`. Messages name what was wrong and where, never a password
 * (connection strings are shown with their password masked).
 */
export class HistoryError extends Error {
  override readonly name = 'HistoryError';
  readonly code: HistoryErrorCode;
  readonly [brand] = true;

  constructor(code: HistoryErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True for a {@link HistoryError}, also when two copies of the package are installed. */
export function isHistoryError(value: unknown): value is HistoryError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

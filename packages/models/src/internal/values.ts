/**
 * Value normalizers shared by the zod schemas and the fast page path. Each returns the
 * normalized value, or `INVALID`. They are idempotent: normalizing a normalized value is a no-op,
 * which lets the slow (zod) path re-check rows the fast path already touched.
 */
export const INVALID: unique symbol = Symbol('invalid');
export type Invalid = typeof INVALID;

const COUNT = /^\d{1,15}$/;
const DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?(Z|z|[+-]\d{2}:?\d{2})?$/;

/** A non-negative integer, given as a number or a numeric string (Partner Center sends both). */
export function normalizeCount(value: unknown): number | Invalid {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : INVALID;
  if (typeof value === 'string' && COUNT.test(value)) return Number(value);
  return INVALID;
}

const SIGNED_COUNT = /^-?\d{1,15}$/;

/**
 * A measure of a row (`licensesSold`...): a whole number given as a number or a numeric string.
 * Out-of-range values (negative, active above qualified, deployed above sold) are data and kept:
 * only a value that is not a whole number at all is invalid. `null` is handled by the caller.
 */
export function normalizeMeasure(value: unknown): number | Invalid {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : INVALID;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (SIGNED_COUNT.test(trimmed)) return Number(trimmed);
  }
  return INVALID;
}

/** A finite number (a percentage as a fraction, say), given as a number or a numeric string. */
export function normalizeRatio(value: unknown): number | Invalid {
  if (typeof value === 'number') return Number.isFinite(value) ? value : INVALID;
  if (typeof value === 'string' && DECIMAL.test(value)) return Number(value);
  return INVALID;
}

/** A GUID-like identifier: any string, lower-cased (the service mixes cases). */
export function normalizeGuid(value: unknown): string | Invalid {
  if (typeof value !== 'string') return INVALID;
  return value.toLowerCase();
}

let lastTimestampInput = '';
let lastTimestampOutput = '';

/**
 * An ISO-8601 date or date-time, normalized to `new Date(x).toISOString()` form. A value without an
 * offset is read as UTC (the commercial endpoints send `2018-10-14T00:00:00`). Every row of a page
 * usually carries the same timestamp, so the last conversion is remembered.
 */
export function normalizeTimestamp(value: unknown): string | Invalid {
  if (typeof value !== 'string') return INVALID;
  if (value === lastTimestampInput) return lastTimestampOutput;
  const match = TIMESTAMP.exec(value);
  if (match === null) return INVALID;
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', offset = 'Z'] = match;
  const millis = fraction === '' ? '' : fraction.slice(0, 4).padEnd(4, '0');
  const zone =
    offset === 'z' ? 'Z' : offset.length === 5 ? `${offset.slice(0, 3)}:${offset.slice(3)}` : offset;
  const time = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}${millis}${zone}`);
  if (Number.isNaN(time)) return INVALID;
  const date = new Date(time);
  // Date.parse rolls 2021-02-30 over to March; a calendar date that does not exist is invalid.
  if (offset === 'Z' && date.getUTCDate() !== Number(day)) return INVALID;
  lastTimestampInput = value;
  lastTimestampOutput = date.toISOString();
  return lastTimestampOutput;
}

/** A string, as is. */
export function normalizeString(value: unknown): string | Invalid {
  return typeof value === 'string' ? value : INVALID;
}

/** `attributes` of the legacy resources: `{ objectType, etag? }`, kept as sent. */
export function normalizeAttributes(value: unknown): object | Invalid {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return INVALID;
  const record = value as Record<string, unknown>;
  if (record.objectType !== undefined && typeof record.objectType !== 'string') return INVALID;
  if (record.etag !== undefined && typeof record.etag !== 'string') return INVALID;
  return value;
}

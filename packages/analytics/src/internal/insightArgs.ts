import { PartnerCenterError } from '@pc/transport';
import type { GroupReadResult } from './insightSource.js';

/** Reads a numeric option (already coerced by `runInsight`). */
export function optionalNumber(options: Readonly<Record<string, unknown>>, name: string): number | undefined {
  const value = options[name];
  return typeof value === 'number' ? value : undefined;
}

/** Reads a text or date option (already coerced by `runInsight`). */
export function optionalText(options: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The `meta` every insight reports about one read. */
export function snapshotMeta(read: GroupReadResult): Record<string, unknown> {
  return { rowsRead: read.rowsRead, processedDateTime: read.processedDateTime };
}

/** Reads a `top`-like option: a whole number from 1, or undefined. */
export function optionalCount(options: Readonly<Record<string, unknown>>, name: string): number | undefined {
  const value = optionalNumber(options, name);
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
    throw new PartnerCenterError({
      code: 'INVALID_REQUEST',
      message: `option '${name}' must be a whole number from 1, got ${value}`,
    });
  }
  return value;
}

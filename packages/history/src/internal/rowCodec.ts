import type { EndpointDescriptor } from '@pc/models';
import { HistoryError } from '../errors.js';
import type { StagingRow } from './engine.js';

/** The natural key of the licenses endpoints, where the fields exist (E2 has no workload). */
const licenseKeyFields = ['serviceCode', 'customerTenantId', 'productId', 'channel', 'workloadCode'] as const;

/**
 * Stands for the row's `processedDateTime` in a stored payload when it equals its snapshot's
 * stamp, so that an unchanged row stores the same text every day; put back on reconstruction, in
 * the same place (key order is kept, so the reconstructed row prints exactly as downloaded).
 */
const stampMarker = '\u0000pc:stamp';

/** The fields that identify a row of `descriptor` across days. */
export function naturalKeyFields(descriptor: EndpointDescriptor): readonly string[] {
  const fields = new Set(descriptor.fields as readonly string[]);
  if (fields.has('customerTenantId') && fields.has('productId')) {
    return licenseKeyFields.filter((field) => fields.has(field));
  }
  const measures = new Set(descriptor.measures as readonly string[]);
  const groupable = (descriptor.groupable as readonly string[]).filter(
    (field) => field !== 'processedDateTime' && !measures.has(field),
  );
  if (groupable.length > 0) return groupable;
  return (descriptor.fields as readonly string[]).filter(
    (field) => field !== 'processedDateTime' && !measures.has(field),
  );
}

function text(value: unknown): string | null {
  return value === undefined || value === null ? null : String(value);
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Turns downloaded rows of one endpoint into staging rows; tracks each (service, day)'s stamp. */
export class RowEncoder {
  /** `service \u0001 day` -> the first `processedDateTime` text seen for it (the snapshot's stamp). */
  readonly stamps = new Map<string, string>();
  private readonly keyFields: readonly string[];
  private ordinal = 0;

  constructor(private readonly descriptor: EndpointDescriptor) {
    this.keyFields = naturalKeyFields(descriptor);
  }

  /** @throws HistoryError `invalid-row` when the row has no usable `processedDateTime`. */
  encode(row: Record<string, unknown>): StagingRow {
    const ordinal = this.ordinal++;
    const stampValue = row.processedDateTime;
    if (typeof stampValue !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(stampValue)) {
      throw new HistoryError(
        'invalid-row',
        `row ${ordinal + 1} of ${this.descriptor.id} has no processedDateTime (${JSON.stringify(stampValue)}): the history cannot place it on a day`,
      );
    }
    const day = stampValue.slice(0, 10);
    const service = text(row.serviceCode) ?? '';
    const unit = `${service}\u0001${day}`;
    let stamp = this.stamps.get(unit);
    if (stamp === undefined) {
      stamp = stampValue;
      this.stamps.set(unit, stamp);
    }
    const payload = JSON.stringify(stampValue === stamp ? { ...row, processedDateTime: stampMarker } : row);
    const nkey = JSON.stringify(this.keyFields.map((field) => row[field] ?? null));
    return [
      ordinal,
      service,
      day,
      nkey,
      text(row.customerTenantId),
      text(row.productId),
      text(row.channel),
      text(row.workloadCode),
      text(row.customerName),
      text(row.productName),
      count(row.licensesSold),
      count(row.licensesDeployed),
      count(row.licensesActive),
      count(row.licensesQualified),
      payload,
    ];
  }

  /** Rows encoded so far. */
  get rows(): number {
    return this.ordinal;
  }
}

/** The stored row back, exactly as downloaded. */
export function decodePayload(payload: string, stamp: string): Record<string, unknown> {
  const row = JSON.parse(payload) as Record<string, unknown>;
  if (row.processedDateTime === stampMarker) row.processedDateTime = stamp;
  return row;
}

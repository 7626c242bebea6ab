import { parseSnapshotDate } from '@pc/models';
import { partnerCenterError } from './httpError.js';
import { hash2 } from './prng.js';

/** The processing of one service within a snapshot (per-service dates, evidence A1). */
export interface ServiceStamp {
  /** Days since 1970-01-01 UTC the service's rows derive from. */
  readonly day: number;
  /** Its `processedDateTime` as the commercial endpoints send it (no offset): `2026-11-20T03:25:16.36`. */
  readonly stamp: string;
}

/** One daily processing snapshot. */
export interface Snapshot {
  /** Days since 1970-01-01 UTC: what the data of the snapshot derives from (o365's day with per-service dates). */
  readonly day: number;
  /** Midnight UTC of the day, `toISOString()` form. */
  readonly processedDateTime: string;
  /** 0 = the latest, 1 = the day before, ... */
  readonly snapshotIndex: number;
  /** With per-service dates: each service's day and stamp (A1). */
  readonly services?: Readonly<Record<string, ServiceStamp>>;
  /** With per-service dates and a date asked for: the services that have a snapshot that day (rows of others are left out). */
  readonly only?: readonly string[];
}

/**
 * A cache key part for a snapshot's data: its day and, for generators that read it, its index (and
 * its services' days). `only` is not part of it: queries express it as a filter.
 */
export function snapshotKey(snapshot: Snapshot): string {
  const services =
    snapshot.services === undefined
      ? ''
      : `.${Object.entries(snapshot.services)
          .map(([service, stamp]) => `${service}${stamp.day}`)
          .join('.')}`;
  return `${snapshot.day}.${snapshot.snapshotIndex}${services}`;
}

/** The services that carry their own processing dates, the one that leads first. */
export const datedServices = ['o365', 'crm'] as const;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/**
 * A service's `processedDateTime` on `day`: crm at midnight, o365 at a time of day in the small
 * hours with 0 to 3 fraction digits (the legacy E4 example: `2017-03-14T03:25:16.36`), derived from
 * the day so it is stable.
 */
export function serviceStamp(service: string, day: number): string {
  const date = new Date(day * dayMs).toISOString().slice(0, 10);
  if (service !== 'o365') return `${date}T00:00:00`;
  const h = hash2(day, 0x0365);
  const seconds = h % (6 * 3600);
  const digits = (h >>> 20) % 4;
  const fraction = digits === 0 ? '' : `.${pad((h >>> 8) % 10 ** digits, digits).replace(/0+$/, '') || '5'}`;
  return `${date}T${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}${fraction}`;
}

const dayMs = 86_400_000;
/**
 * Parses a `processedDateTime` query value (a date, or a date-time; no offset = UTC) to its UTC
 * day, by the rule of the one request check (`parseSnapshotDate` of `@pc/models`).
 * @throws MockHttpError 400 for anything else.
 */
export function parseProcessedDay(value: string): number {
  const parsed = parseSnapshotDate(value);
  if (parsed === undefined) {
    throw partnerCenterError({
      status: 400,
      code: 800002,
      description: `Invalid processedDateTime '${value}': expected an ISO-8601 date or date-time, e.g. 2026-11-20 or 2026-11-20T00:00:00Z.`,
    });
  }
  return Math.floor(parsed.getTime() / dayMs);
}

/** The kept snapshots: `kept` consecutive days ending at the latest, which moves on `advance()`. */
export class SnapshotClock {
  private readonly firstLatestDay: number;
  private advances = 0;

  constructor(
    private readonly options: {
      readonly latestDate: string;
      readonly kept: number;
      /** Per-service dates (A1): crm lags o365 by this many days, and an advance moves one service at a time. */
      readonly crmLagDays?: number;
    },
  ) {
    const date = options.latestDate.slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || parseSnapshotDate(date) === undefined)
      throw new Error(`invalid processed date '${options.latestDate}': expected YYYY-MM-DD`);
    const parsed = Date.parse(`${date}T00:00:00Z`);
    this.firstLatestDay = Math.floor(parsed / dayMs);
  }

  /** Each dated service's latest day (per-service dates only): o365 moves on odd advances, crm on even ones. */
  private latestDays(): Record<string, number> {
    const lag = this.options.crmLagDays ?? 0;
    return {
      o365: this.firstLatestDay + Math.ceil(this.advances / 2),
      crm: this.firstLatestDay - lag + Math.floor(this.advances / 2),
    };
  }

  private stamps(days: Readonly<Record<string, number>>): Record<string, ServiceStamp> {
    const services: Record<string, ServiceStamp> = {};
    for (const service of datedServices)
      services[service] = { day: days[service]!, stamp: serviceStamp(service, days[service]!) };
    return services;
  }

  /** The snapshots, latest first. */
  list(): readonly Snapshot[] {
    if (this.options.crmLagDays === undefined) {
      const latest = this.firstLatestDay + this.advances;
      return Array.from({ length: this.options.kept }, (_, snapshotIndex) => {
        const day = latest - snapshotIndex;
        return { day, processedDateTime: new Date(day * dayMs).toISOString(), snapshotIndex };
      });
    }
    const latest = this.latestDays();
    return Array.from({ length: this.options.kept }, (_, snapshotIndex) => {
      const day = latest.o365! - snapshotIndex;
      return {
        day,
        processedDateTime: new Date(day * dayMs).toISOString(),
        snapshotIndex,
        services: this.stamps({ o365: day, crm: latest.crm! - snapshotIndex }),
      };
    });
  }

  /** Each dated service's kept days, latest first (per-service dates only). */
  serviceDays(): Readonly<Record<string, readonly string[]>> | undefined {
    if (this.options.crmLagDays === undefined) return undefined;
    const latest = this.latestDays();
    return Object.fromEntries(
      datedServices.map((service) => [
        service,
        Array.from({ length: this.options.kept }, (_, index) =>
          serviceStamp(service, latest[service]! - index),
        ),
      ]),
    );
  }

  /** The latest snapshot. */
  latest(): Snapshot {
    return this.list()[0]!;
  }

  /**
   * The snapshot of a `processedDateTime` value (latest when absent), `undefined` when none is kept
   * for that day. With per-service dates, the services that have that day are `only`.
   */
  select(processedDateTime: string | undefined): Snapshot | undefined {
    if (processedDateTime === undefined || processedDateTime.trim() === '') return this.latest();
    const day = parseProcessedDay(processedDateTime);
    if (this.options.crmLagDays === undefined) return this.list().find((snapshot) => snapshot.day === day);
    const latest = this.latestDays();
    const only = datedServices.filter(
      (service) => day <= latest[service]! && day > latest[service]! - this.options.kept,
    );
    if (only.length === 0) return undefined;
    return {
      day,
      processedDateTime: new Date(day * dayMs).toISOString(),
      snapshotIndex: latest[only[0]!]! - day,
      services: this.stamps({ o365: day, crm: day }),
      ...(only.length === datedServices.length ? {} : { only }),
    };
  }

  /** A new day's snapshot becomes the latest (of one service, alternately, with per-service dates); the oldest kept one drops out. */
  advance(): Snapshot {
    this.advances++;
    return this.latest();
  }

  /** Back to the snapshots of start-up. */
  reset(): void {
    this.advances = 0;
  }
}

import { parseSnapshotDate } from '@pc/models';
import { partnerCenterError } from './httpError.js';

/** One daily processing snapshot. */
export interface Snapshot {
  /** Days since 1970-01-01 UTC: what the data of the snapshot derives from. */
  readonly day: number;
  /** Midnight UTC of the day, `toISOString()` form. */
  readonly processedDateTime: string;
  /** 0 = the latest, 1 = the day before, ... */
  readonly snapshotIndex: number;
}

/** A cache key part for a snapshot: its day and, for generators that read it, its index. */
export function snapshotKey(snapshot: Snapshot): string {
  return `${snapshot.day}.${snapshot.snapshotIndex}`;
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

  constructor(private readonly options: { readonly latestDate: string; readonly kept: number }) {
    const date = options.latestDate.slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || parseSnapshotDate(date) === undefined)
      throw new Error(`invalid processed date '${options.latestDate}': expected YYYY-MM-DD`);
    const parsed = Date.parse(`${date}T00:00:00Z`);
    this.firstLatestDay = Math.floor(parsed / dayMs);
  }

  /** The snapshots, latest first. */
  list(): readonly Snapshot[] {
    const latest = this.firstLatestDay + this.advances;
    return Array.from({ length: this.options.kept }, (_, snapshotIndex) => {
      const day = latest - snapshotIndex;
      return { day, processedDateTime: new Date(day * dayMs).toISOString(), snapshotIndex };
    });
  }

  /** The latest snapshot. */
  latest(): Snapshot {
    return this.list()[0]!;
  }

  /** The snapshot of a `processedDateTime` value (latest when absent), `undefined` when none is kept for that day. */
  select(processedDateTime: string | undefined): Snapshot | undefined {
    if (processedDateTime === undefined || processedDateTime.trim() === '') return this.latest();
    const day = parseProcessedDay(processedDateTime);
    return this.list().find((snapshot) => snapshot.day === day);
  }

  /** A new day's snapshot becomes the latest; the oldest kept one drops out. */
  advance(): Snapshot {
    this.advances++;
    return this.latest();
  }

  /** Back to the snapshots of start-up. */
  reset(): void {
    this.advances = 0;
  }
}

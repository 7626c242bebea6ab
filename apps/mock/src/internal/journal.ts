/** One request the mock received. */
export interface JournalEntry {
  /** 1-based arrival number since the last reset. */
  readonly sequence: number;
  /** Arrival time, ISO-8601. */
  readonly time: string;
  readonly method: string;
  /** The path, without the query. */
  readonly path: string;
  /** Query parameters as received (names as the client spelled them, values decoded). */
  readonly query: Readonly<Record<string, string>>;
  /**
   * The headers that matter (lower-case names): `ms-requestid`, `ms-correlationid`, `x-locale`,
   * `accept`, `user-agent`, `ms-partnercenter-client`, `ms-partnercenter-application`,
   * `x-pc-mock-fault`, `content-type`, and `authorization` reduced to its scheme (never the token).
   */
  readonly headers: Readonly<Record<string, string>>;
  /** Response status; 0 when no response was sent (reset, empty, hang). */
  status: number;
  /** The fault applied, as `x-pc-mock-fault` would name it (`429;retry-after=1`, `truncate;mode=length`, `throttled`). */
  fault: string | undefined;
  /** The partner tenant of the bearer token, when it had a valid one. */
  tenantId: string | undefined;
}

const journalHeaders = [
  'ms-requestid',
  'ms-correlationid',
  'x-locale',
  'accept',
  'user-agent',
  'ms-partnercenter-client',
  'ms-partnercenter-application',
  'x-pc-mock-fault',
  'content-type',
] as const;

/** Picks the journaled headers; `authorization` keeps only its scheme. */
export function journalHeadersOf(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of journalHeaders) {
    const value = headers[name];
    if (value !== undefined) picked[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const authorization = headers.authorization;
  if (typeof authorization === 'string') picked.authorization = authorization.trim().split(/\s+/)[0] ?? '';
  return picked;
}

/** The longest query value kept in an entry, in characters (a 100 KB filter is cut). */
const maxValueLength = 512;

/** An entry's approximate size in bytes (the strings it holds, UTF-16). */
function sizeOf(entry: JournalEntry): number {
  let size = 200 + entry.path.length * 2;
  for (const name in entry.query) size += (name.length + (entry.query[name]?.length ?? 0)) * 2;
  for (const name in entry.headers) size += (name.length + (entry.headers[name]?.length ?? 0)) * 2;
  return size;
}

/**
 * The last requests, oldest first, bounded by `capacity` entries and by `maxBytes` (default 8 MB):
 * long query values are cut, so a flood of huge filters cannot grow the mock's memory.
 */
export class Journal {
  private entries: JournalEntry[] = [];
  private sizes: number[] = [];
  private bytes = 0;
  private sequence = 0;

  constructor(
    private readonly capacity = 10_000,
    private readonly maxBytes = 8 * 1024 * 1024,
  ) {}

  /** Adds an entry (status and fault are filled in when the response is known). */
  record(entry: Omit<JournalEntry, 'sequence'>): JournalEntry {
    const query: Record<string, string> = {};
    for (const [name, value] of Object.entries(entry.query)) {
      query[name.slice(0, maxValueLength)] =
        value.length > maxValueLength
          ? `${value.slice(0, maxValueLength)}… (${value.length} characters)`
          : value;
    }
    const full: JournalEntry = {
      sequence: ++this.sequence,
      ...entry,
      path: entry.path.slice(0, 2048),
      query,
    };
    const size = sizeOf(full);
    this.entries.push(full);
    this.sizes.push(size);
    this.bytes += size;
    while (this.entries.length > 1 && (this.entries.length > this.capacity || this.bytes > this.maxBytes)) {
      this.entries.shift();
      this.bytes -= this.sizes.shift() ?? 0;
    }
    return full;
  }

  /** The approximate bytes the entries hold. */
  get size(): number {
    return this.bytes;
  }

  /** A snapshot copy of the entries. */
  list(): readonly JournalEntry[] {
    return this.entries.map((entry) => ({ ...entry }));
  }

  /** Empties the journal and restarts the numbering. */
  clear(): void {
    this.entries = [];
    this.sizes = [];
    this.bytes = 0;
    this.sequence = 0;
  }
}

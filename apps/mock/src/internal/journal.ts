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

/** The last `capacity` requests, oldest first. */
export class Journal {
  private entries: JournalEntry[] = [];
  private sequence = 0;

  constructor(private readonly capacity = 10_000) {}

  /** Adds an entry (status and fault are filled in when the response is known). */
  record(entry: Omit<JournalEntry, 'sequence'>): JournalEntry {
    const full: JournalEntry = { sequence: ++this.sequence, ...entry };
    this.entries.push(full);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return full;
  }

  /** A snapshot copy of the entries. */
  list(): readonly JournalEntry[] {
    return this.entries.map((entry) => ({ ...entry }));
  }

  /** Empties the journal and restarts the numbering. */
  clear(): void {
    this.entries = [];
    this.sequence = 0;
  }
}

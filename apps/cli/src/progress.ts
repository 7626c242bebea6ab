/** What the progress display is told about a paged download. */
export interface PageEvent {
  readonly pageIndex: number;
  readonly rows: number;
  readonly rowsSoFar: number;
  readonly totalCount: number | null;
}

/** A retry wait, throttle waits included. */
export interface RetryNotice {
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly delayMs: number;
  readonly reason: string;
  readonly status?: number;
  readonly throttled: boolean;
}

/** Reports a download's progress on stderr. */
export interface Progress {
  /** How the progress shows (`off`: not at all). */
  readonly mode: ProgressMode;
  page(event: PageEvent): void;
  retry(event: RetryNotice): void;
  /** Prints a message line (a warning) without breaking the progress line. */
  message(text: string): void;
  /** Removes the progress line (call before anything else is printed). */
  done(): void;
  /** What the read did so far: rows and pages received, retries waited for, time since the start. */
  stats(): ReadStats;
}

/** The figures of a finished (or running) read, for the closing line. */
export interface ReadStats {
  readonly rows: number;
  readonly pages: number;
  readonly retries: number;
  readonly elapsedMs: number;
}

/**
 * The closing line after a read, on stderr: "licenses usage: 94,914 rows, 10 pages, 3 retries,
 * written to usage.csv in 14 s". `rowsOut` is what reached the output when local steps
 * (`--where`, `--query`) kept fewer rows than were read.
 */
export function closingLine(input: {
  label: string;
  stats: ReadStats;
  rowsOut?: number | undefined;
  file?: string | undefined;
  locale?: string | undefined;
}): string {
  const numbers = new Intl.NumberFormat(input.locale ?? 'en-US', { maximumFractionDigits: 0 });
  const { stats } = input;
  const plural = (count: number, word: string): string =>
    `${numbers.format(count)} ${word}${count === 1 ? '' : 's'}`;
  const parts = [plural(stats.rows, 'row') + (stats.pages > 0 ? ` read` : '')];
  if (stats.pages > 0) parts.push(plural(stats.pages, 'page'));
  parts.push(plural(stats.retries, 'retry').replace(/retrys$/, 'retries'));
  const kept =
    input.rowsOut !== undefined && input.rowsOut !== stats.rows ? `${plural(input.rowsOut, 'row')} ` : '';
  const where = input.file !== undefined ? `${kept}written to ${input.file}` : `${kept}written to stdout`;
  const elapsed =
    stats.elapsedMs < 1000 ? `${Math.round(stats.elapsedMs)} ms` : formatDuration(stats.elapsedMs);
  return `${input.label}: ${parts.join(', ')}; ${where} in ${elapsed}`;
}

/** `tty`: one line redrawn in place; `plain`: a line every few seconds (CI); `off`: nothing. */
export type ProgressMode = 'tty' | 'plain' | 'off';

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  readonly mode: ProgressMode;
  readonly write: (text: string) => void;
  /** What is downloaded, e.g. "licenses deployment". */
  readonly label: string;
  /** Milliseconds between plain lines; default 5000. */
  readonly plainIntervalMs?: number;
  /** Milliseconds between redraws on a TTY; default 100. */
  readonly redrawIntervalMs?: number;
  readonly now?: () => number;
  readonly locale?: string;
}

/** Chooses the progress mode: a TTY draws, CI prints plain lines, anything else is quiet. */
export function progressMode(input: {
  stderrIsTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  disabled: boolean;
}): ProgressMode {
  if (input.disabled) return 'off';
  if (input.env.PC_NO_PROGRESS !== undefined && input.env.PC_NO_PROGRESS !== '') return 'off';
  if (input.stderrIsTTY && input.env.TERM !== 'dumb') return 'tty';
  const ci = input.env.CI;
  if (ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false') return 'plain';
  return 'off';
}

/** `12 s`, `3 min 20 s`, `1 h 05 min`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** The text of a retry notice: "429, waiting 12 s, retry 2/6". */
export function describeRetry(event: RetryNotice): string {
  const what = event.status !== undefined ? String(event.status) : event.reason;
  const wait = event.delayMs >= 1000 ? formatDuration(event.delayMs) : `${Math.round(event.delayMs)} ms`;
  return `${what}, waiting ${wait}, retry ${event.attempt}/${event.maxAttempts - 1}`;
}

/** Creates the progress display. */
export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const numbers = new Intl.NumberFormat(options.locale ?? 'en-US', { maximumFractionDigits: 0 });
  const started = now();
  let last: PageEvent | undefined;
  let pages = 0;
  let retries = 0;
  let lastDraw = 0;
  let drawn = false;

  const status = (): string => {
    if (last === undefined) return `${options.label}: starting`;
    const elapsed = Math.max(1, now() - started);
    const rate = (last.rowsSoFar * 1000) / elapsed;
    const parts = [
      last.totalCount !== null
        ? `${numbers.format(last.rowsSoFar)} / ${numbers.format(last.totalCount)} rows (${Math.min(100, Math.floor((last.rowsSoFar * 100) / Math.max(1, last.totalCount)))} %)`
        : `${numbers.format(last.rowsSoFar)} rows`,
      `${pages} page${pages === 1 ? '' : 's'}`,
      `${numbers.format(rate)} rows/s`,
    ];
    if (last.totalCount !== null && rate > 0 && last.rowsSoFar < last.totalCount) {
      parts.push(`ETA ${formatDuration(((last.totalCount - last.rowsSoFar) / rate) * 1000)}`);
    }
    return `${options.label}: ${parts.join(' · ')}`;
  };

  const clear = (): void => {
    if (drawn) options.write('\r\x1b[2K');
    drawn = false;
  };

  const draw = (force: boolean): void => {
    const time = now();
    if (options.mode === 'tty') {
      if (!force && time - lastDraw < (options.redrawIntervalMs ?? 100)) return;
      lastDraw = time;
      options.write(`\r\x1b[2K${status()}`);
      drawn = true;
    } else if (options.mode === 'plain') {
      if (!force && time - lastDraw < (options.plainIntervalMs ?? 5000)) return;
      lastDraw = time;
      options.write(`${status()}\n`);
    }
  };

  if (options.mode === 'plain') lastDraw = started;

  return {
    mode: options.mode,
    page(event) {
      pages++;
      last = event;
      draw(false);
    },
    retry(event) {
      retries++;
      if (options.mode === 'off') return;
      clear();
      options.write(`${options.label}: ${describeRetry(event)}\n`);
      if (options.mode === 'tty') draw(true);
    },
    message(text) {
      clear();
      options.write(`${text}\n`);
      if (options.mode === 'tty' && last !== undefined) draw(true);
    },
    done() {
      clear();
    },
    stats() {
      return { rows: last?.rowsSoFar ?? 0, pages, retries, elapsedMs: Math.max(0, now() - started) };
    },
  };
}

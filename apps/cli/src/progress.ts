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
  page(event: PageEvent): void;
  retry(event: RetryNotice): void;
  /** Prints a message line (a warning) without breaking the progress line. */
  message(text: string): void;
  /** Removes the progress line (call before anything else is printed). */
  done(): void;
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
    page(event) {
      pages++;
      last = event;
      draw(false);
    },
    retry(event) {
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
  };
}

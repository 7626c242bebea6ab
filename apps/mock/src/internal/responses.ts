import type { ServerResponse } from 'node:http';
import type { Fault } from './faults.js';

/** Timers that must not outlive the server (slow bodies, latency). */
export interface TimerSet {
  add(timer: NodeJS.Timeout): void;
  delete(timer: NodeJS.Timeout): void;
}

const bom = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Writes a JSON answer, applying a body fault when there is one:
 * `bom` prefixes a UTF-8 BOM; `truncate` cuts the body in half, either with a matching (short)
 * `Content-Length` (`length`), as a cleanly closed chunked body (`chunked`), or with the full
 * `Content-Length` and then a destroyed socket (`socket`); `slow` dribbles the body out in ten
 * pieces over `slowMs`.
 */
export function writeBody(options: {
  readonly res: ServerResponse;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
  readonly fault: Fault | undefined;
  readonly timers: TimerSet;
  readonly head?: boolean;
  /** Start the body with a UTF-8 BOM (the `realistic` profile, evidence A11); one BOM even with a `bom` fault. */
  readonly bom?: boolean;
}): void {
  const { res, fault } = options;
  // An all-ASCII body (byte length = string length, the usual case) converts as latin1: a plain copy.
  const body = options.body;
  let bytes =
    typeof body === 'string'
      ? Buffer.from(body, Buffer.byteLength(body) === body.length ? 'latin1' : 'utf8')
      : body;
  for (const [name, value] of Object.entries(options.headers)) res.setHeader(name, value);
  res.statusCode = options.status;
  if (fault?.kind === 'bom' || (options.bom === true && bytes.length > 0))
    bytes = Buffer.concat([bom, bytes]);
  if (options.head === true) {
    res.setHeader('Content-Length', bytes.length);
    res.end();
    return;
  }
  if (fault?.kind === 'truncate') {
    const cut = bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2)));
    switch (fault.truncateMode) {
      case 'length':
        res.setHeader('Content-Length', cut.length);
        res.end(cut);
        return;
      case 'socket':
        res.setHeader('Content-Length', bytes.length);
        res.flushHeaders();
        res.write(cut, () => res.socket?.destroy());
        return;
      default:
        res.write(cut);
        res.end();
        return;
    }
  }
  if (fault?.kind === 'slow') {
    res.setHeader('Content-Length', bytes.length);
    res.flushHeaders();
    const pieces = 10;
    const size = Math.ceil(bytes.length / pieces);
    const interval = Math.max(1, Math.floor((fault.slowMs ?? 1500) / pieces));
    let offset = 0;
    const step = () => {
      if (res.destroyed) return;
      const piece = bytes.subarray(offset, offset + size);
      offset += size;
      if (offset >= bytes.length) {
        res.end(piece);
        return;
      }
      res.write(piece);
      const timer = setTimeout(() => {
        options.timers.delete(timer);
        step();
      }, interval);
      options.timers.add(timer);
    };
    step();
    return;
  }
  res.setHeader('Content-Length', bytes.length);
  res.end(bytes);
}

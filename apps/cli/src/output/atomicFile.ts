import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, unlinkSync, type WriteStream } from 'node:fs';
import { chmod, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { OutTarget } from './outTarget.js';

/** A file written under a temporary name and renamed into place only when complete. */
export interface AtomicFile {
  /** The stream to write to (the temporary file, or the FIFO/device itself). */
  readonly stream: WriteStream;
  /** The temporary file's path (`.<name>.<pid>.<random>.partial` beside the target); `undefined` when written through. */
  readonly tempPath: string | undefined;
  /** Ends the stream; for a replaced file, syncs it and renames it onto the target. */
  commit(): Promise<void>;
  /** Ends the stream and deletes the temporary file; the target is left untouched. */
  abort(): Promise<void>;
}

const pending = new Set<string>();
let exitHookInstalled = false;

/** Removes every `.partial` file still pending (on exit, and on a signal that ends the process). */
export function removeLeftovers(): void {
  for (const path of pending) {
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        process.stderr.write(`pc: could not remove ${path}\n`);
    }
  }
  pending.clear();
}

async function closeStream(stream: WriteStream): Promise<void> {
  if (stream.closed) return;
  const closed = once(stream, 'close');
  stream.end();
  await closed;
}

/** `/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`: the descriptor they name (opening them by path fails for a socket). */
function descriptorOf(path: string): number | undefined {
  if (path === '/dev/stdin') return 0;
  if (path === '/dev/stdout') return 1;
  if (path === '/dev/stderr') return 2;
  const match = /^\/(?:dev\/fd|proc\/self\/fd)\/(\d+)$/.exec(path);
  return match === null ? undefined : Number(match[1]);
}

/** Writes straight into a FIFO, a device or `/dev/stdout`: nothing to rename, nothing to take back. */
async function openThrough(path: string): Promise<AtomicFile> {
  const fd = descriptorOf(path);
  if (fd !== undefined) {
    // The process's own descriptor, left open for the rest of the process.
    const stream = createWriteStream('', { fd, autoClose: false });
    const finish = async (): Promise<void> => {
      if (stream.writableFinished) return;
      const finished = once(stream, 'finish');
      stream.end();
      await finished;
    };
    return { stream, tempPath: undefined, commit: finish, abort: finish };
  }
  // Append: on a file that is also someone's open descriptor, truncating would cut it.
  const stream = createWriteStream(path, { flags: 'a' });
  await once(stream, 'open');
  return {
    stream,
    tempPath: undefined,
    commit: () => closeStream(stream),
    async abort() {
      stream.destroy();
      if (!stream.closed) await once(stream, 'close');
    },
  };
}

/**
 * Opens `--out` as {@link resolveOutTarget} decided. A replaced file is written atomically: even a
 * process killed mid-way leaves at most a `.partial` file, never a file under the target's name
 * that looks complete; a normal exit (or SIGINT, SIGTERM, SIGHUP) removes it. The new file gets the
 * mode of the one it replaces.
 */
export async function openAtomicFile(target: OutTarget): Promise<AtomicFile> {
  if (target.kind === 'through') return openThrough(target.path);
  const absolute = target.path;
  const tempPath = join(
    dirname(absolute),
    `.${basename(absolute)}.${process.pid}.${randomBytes(4).toString('hex')}.partial`,
  );
  const stream = createWriteStream(tempPath, { flags: 'wx', mode: target.mode ?? 0o666 });
  await once(stream, 'open');
  pending.add(tempPath);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', removeLeftovers);
  }
  // The umask narrowed the mode at creation: set the replaced file's bits exactly.
  if (target.mode !== undefined) await chmod(tempPath, target.mode);
  let settled = false;
  return {
    stream,
    tempPath,
    async commit() {
      if (settled) return;
      settled = true;
      await closeStream(stream);
      const handle = await open(tempPath, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tempPath, absolute);
      pending.delete(tempPath);
    },
    async abort() {
      if (settled) return;
      settled = true;
      stream.destroy();
      if (!stream.closed) await once(stream, 'close');
      await unlink(tempPath).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      });
      pending.delete(tempPath);
    },
  };
}

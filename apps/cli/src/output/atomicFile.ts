import { randomBytes } from 'node:crypto';
import { createWriteStream, unlinkSync, type WriteStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { once } from 'node:events';

/** A file written under a temporary name and renamed into place only when complete. */
export interface AtomicFile {
  /** The stream to write to (the temporary file). */
  readonly stream: WriteStream;
  /** The temporary file's path (`.<name>.<pid>.<random>.partial` beside the target). */
  readonly tempPath: string;
  /** Ends the stream, syncs it to disk and renames it to the target. */
  commit(): Promise<void>;
  /** Ends the stream and deletes the temporary file; the target is left untouched. */
  abort(): Promise<void>;
}

const pending = new Set<string>();
let exitHookInstalled = false;

function removeLeftovers(): void {
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

/**
 * Opens `target` for an atomic write. Even a process killed mid-way leaves at most a `.partial`
 * file, never a file under the target's name that looks complete; a normal exit removes it.
 */
export async function openAtomicFile(target: string): Promise<AtomicFile> {
  const absolute = resolve(target);
  const tempPath = join(
    dirname(absolute),
    `.${basename(absolute)}.${process.pid}.${randomBytes(4).toString('hex')}.partial`,
  );
  const stream = createWriteStream(tempPath, { flags: 'wx', mode: 0o644 });
  await once(stream, 'open');
  pending.add(tempPath);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', removeLeftovers);
  }
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

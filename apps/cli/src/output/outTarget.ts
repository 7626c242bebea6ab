import { constants, type Stats } from 'node:fs';
import { access, lstat, readlink, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../exitCodes.js';

/**
 * Where `--out` really writes, decided before the first request so that a bad path fails at once
 * (exit 2) instead of after a whole download:
 *
 * - `through`: a FIFO, a device node, a socket, or anything under `/dev/` or `/proc/` (such as
 *   `/dev/stdout`, which may point at the shell's own file): opened and written as it is, never
 *   replaced (as root, replacing `/dev/null` would damage the system).
 * - `replace`: a regular file, or a new one: written beside the real target (symlinks followed)
 *   under a temporary name and renamed onto it when complete, keeping the replaced file's mode.
 */
export type OutTarget =
  | { readonly kind: 'through'; readonly path: string }
  | {
      readonly kind: 'replace';
      /** The real path (after symlinks) that is replaced. */
      readonly path: string;
      /** The permission bits (rwx, not setuid/setgid/sticky) of the file being replaced, when there is one. */
      readonly mode: number | undefined;
    };

const maxSymlinkHops = 40;

/** Follows symlinks one hop at a time, so a dangling link still yields the path it names. */
async function followLinks(path: string, given: string): Promise<string> {
  let current = path;
  for (let hop = 0; hop < maxSymlinkHops; hop++) {
    let info: Stats;
    try {
      info = await lstat(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return current;
      throw error;
    }
    if (!info.isSymbolicLink()) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  throw new UsageError(`--out ${given}: too many levels of symbolic links`);
}

function isSpecialPath(path: string): boolean {
  return path.startsWith('/dev/') || path.startsWith('/proc/');
}

/**
 * Checks `--out` and decides how to write it.
 * @throws UsageError (exit 2) for an empty name, a directory, a missing or unwritable folder, or a
 * file that may not be written.
 */
export async function resolveOutTarget(given: string): Promise<OutTarget> {
  if (given === '') throw new UsageError('--out needs a file name');
  const absolute = resolve(given);
  if (isSpecialPath(absolute)) return { kind: 'through', path: absolute };
  let real: string;
  try {
    real = await followLinks(absolute, given);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--out ${given}: ${(error as Error).message}`);
  }
  if (isSpecialPath(real)) return { kind: 'through', path: real };
  let info: Stats | undefined;
  try {
    info = await stat(real);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new UsageError(`--out ${given}: a part of the path is not a folder`);
    if (code !== 'ENOENT') throw new UsageError(`--out ${given}: ${(error as Error).message}`);
  }
  if (info?.isDirectory() === true) {
    throw new UsageError(`--out ${given} is a folder`, 'give the name of a file to write');
  }
  if (info !== undefined && !info.isFile()) return { kind: 'through', path: real };
  const folder = dirname(real);
  let folderInfo: Stats;
  try {
    folderInfo = await stat(folder);
  } catch {
    throw new UsageError(`--out ${given}: the folder ${folder} does not exist`);
  }
  if (!folderInfo.isDirectory()) throw new UsageError(`--out ${given}: ${folder} is not a folder`);
  try {
    await access(folder, constants.W_OK);
  } catch {
    throw new UsageError(`--out ${given}: cannot write to the folder ${folder} (permission denied)`);
  }
  if (info !== undefined) {
    try {
      await access(real, constants.W_OK);
    } catch {
      throw new UsageError(`--out ${given}: the file is not writable (permission denied)`);
    }
  }
  return { kind: 'replace', path: real, mode: info === undefined ? undefined : info.mode & 0o777 };
}

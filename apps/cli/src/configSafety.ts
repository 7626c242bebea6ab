import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CliError } from './exitCodes.js';

/**
 * The ssh-style check of the config file: a `config.json` (or its folder) that another local user
 * could write, or that another user owns, could point the authority at their own server and
 * collect secrets, so it is refused with the command that fixes it. POSIX only (Windows keeps
 * ACLs, not modes).
 */

/** The refusal, with the fix in its hint. */
export class UnsafeConfigError extends CliError {
  override readonly name = 'UnsafeConfigError';
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

function problemOf(info: Stats, uid: number): string | undefined {
  if (info.uid !== uid && info.uid !== 0) return `it is owned by another user (uid ${info.uid})`;
  // A sticky world-writable folder (/tmp) lets others create files but not replace ours.
  const worldWritable = (info.mode & 0o002) !== 0 && !(info.isDirectory() && (info.mode & 0o1000) !== 0);
  if (worldWritable) return `it is writable by every user (mode ${octal(info.mode)})`;
  return undefined;
}

/**
 * Throws {@link UnsafeConfigError} when the config file at `path` or its folder is world-writable
 * or owned by another user (root may own them). A missing file is fine.
 */
export async function checkConfigSafety(
  path: string,
  options: { readonly platform?: NodeJS.Platform; readonly uid?: number } = {},
): Promise<void> {
  if ((options.platform ?? process.platform) === 'win32' || typeof process.getuid !== 'function') return;
  const uid = options.uid ?? process.getuid();
  const folder = dirname(path);
  for (const [what, target, fix] of [
    ['the folder', folder, `chmod 700 '${folder}'`],
    ['the file', path, `chmod 600 '${path}'`],
  ] as const) {
    let info: Stats;
    try {
      info = await stat(target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const problem = problemOf(info, uid);
    if (problem === undefined) continue;
    const ownerFix = info.uid !== uid && info.uid !== 0 ? `chown "$(id -u)" '${target}' && ` : '';
    throw new UnsafeConfigError(
      `refusing to use the config file ${path}: ${what} ${target === path ? '' : `${target} `}is not safe, ${problem}; another user could make pc send your secrets to their server`,
      { hint: `fix it with: ${ownerFix}${fix}` },
    );
  }
}

import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { HistoryError } from './errors.js';

/** Where a history lives: a DuckDB file or a PostgreSQL database. */
export type HistoryLocation =
  | { readonly engine: 'duckdb'; readonly file: string }
  | { readonly engine: 'postgres'; readonly url: string };

/**
 * The default history file: `$PC_DATA_DIR/pc-history.duckdb`, else under `$XDG_DATA_HOME/pc`,
 * `%LOCALAPPDATA%\pc` on Windows, `~/Library/Application Support/pc` on macOS, `~/.local/share/pc`.
 */
export function defaultHistoryFile(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const name = 'pc-history.duckdb';
  if (env.PC_DATA_DIR) return join(env.PC_DATA_DIR, name);
  if (env.XDG_DATA_HOME) return join(env.XDG_DATA_HOME, 'pc', name);
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'pc', name);
  const home = env.HOME || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'pc', name);
  return join(home, '.local', 'share', 'pc', name);
}

/**
 * Reads a location: `postgres://…` or `postgresql://…` is PostgreSQL; `duckdb:FILE`, `file:FILE`
 * or a plain path is a DuckDB file; nothing means `$PC_HISTORY_URL`, else {@link defaultHistoryFile}.
 * @throws HistoryError `invalid-location` for another URL scheme.
 */
export function parseHistoryLocation(
  value: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): HistoryLocation {
  const text = (value ?? env.PC_HISTORY_URL ?? '').trim();
  if (text === '') return { engine: 'duckdb', file: defaultHistoryFile(env) };
  if (/^postgres(ql)?:\/\//i.test(text)) return { engine: 'postgres', url: text };
  const scheme = /^([a-z][a-z0-9+.-]*):(.*)$/i.exec(text);
  if (scheme !== null && scheme[1]!.length > 1) {
    const kind = scheme[1]!.toLowerCase();
    if (kind === 'duckdb' || kind === 'file') {
      const path = scheme[2]!.replace(/^\/\/(?=\/)/, '');
      if (path === '') throw new HistoryError('invalid-location', `'${text}' names no file`);
      return { engine: 'duckdb', file: isAbsolute(path) ? path : resolve(path) };
    }
    throw new HistoryError(
      'invalid-location',
      `unknown history location '${kind}:…': expected a file path (DuckDB) or postgres://user:password@host/database`,
    );
  }
  return { engine: 'duckdb', file: isAbsolute(text) ? text : resolve(text) };
}

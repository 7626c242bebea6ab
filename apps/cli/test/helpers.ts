import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The real binary (it imports ../dist/index.js: build first). */
export const binPath = resolve(here, '../bin/pc.js');
/** The monorepo root. */
export const repoRoot = resolve(here, '../../..');

/** Fails early with a clear message when the CLI was not built. */
export function assertBuilt(): void {
  if (!existsSync(resolve(here, '../dist/index.js'))) {
    throw new Error('apps/cli/dist is missing: run `pnpm --filter @pc/cli... build` first');
  }
}

/** What a finished `pc` run left behind. */
export interface PcResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runPc}. */
export interface RunPcOptions {
  /** Extra environment (on top of a clean one: PATH, HOME and PC_CONFIG_DIR only). */
  readonly env?: Record<string, string>;
  readonly configDir?: string;
  readonly cwd?: string;
  readonly input?: string;
  readonly timeoutMs?: number;
}

/** A fresh config directory. */
export function tempDir(prefix = 'pc-e2e-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Spawns `node bin/pc.js ...args` with a clean environment. */
export function spawnPc(args: readonly string[], options: RunPcOptions = {}): ChildProcess {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: options.configDir ?? tmpdir(),
    ...(options.configDir !== undefined ? { PC_CONFIG_DIR: options.configDir } : {}),
    ...options.env,
  };
  return spawn(process.execPath, [binPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs `pc` to the end and collects its output. */
export function runPc(args: readonly string[], options: RunPcOptions = {}): Promise<PcResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawnPc(args, options);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 25_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
    child.stdin?.end(options.input ?? '');
  });
}

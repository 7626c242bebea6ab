// Child processes for scripts/test-registry.mjs: every child is tracked, runs in its own process
// group and has a time limit, so one call to `killAll()` stops it and whatever it started
// (pnpm -> turbo -> tsup, changeset -> pnpm publish -> npm) on any exit path.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';

const running = new Set();

/**
 * Kills every tracked process group still alive, and every descendant that left its group (turbo
 * starts its tasks in groups of their own). Synchronous, so it is safe in an `exit` handler.
 */
export function killAll() {
  const pids = descendantsOf([...running].map((child) => child.pid));
  for (const child of running) {
    killGroup(child, 'SIGKILL');
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (error) {
      if (error.code !== 'ESRCH') throw error;
    }
  }
  running.clear();
}

/** The processes under `roots` (Linux /proc; elsewhere only the process groups are killed). */
function descendantsOf(roots) {
  if (roots.length === 0 || !existsSync('/proc/self/stat')) return [];
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we were looking
    }
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(entry));
  }
  const found = [];
  const queue = [...roots];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

/**
 * Runs a command to completion and resolves to its output; rejects with the output attached when it
 * exits non-zero (unless `allowFailure`), or when it outlives `timeoutMs`.
 * @param {string} command
 * @param {readonly string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, timeoutMs?: number, allowFailure?: boolean }} options
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
export function run(command, args, options) {
  const { cwd, env = process.env, timeoutMs = 120_000, allowFailure = false } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      stderr += `\n[killed after ${timeoutMs} ms]`;
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      const result = { code: code ?? 1, stdout, stderr };
      if (result.code === 0 || allowFailure) {
        resolve(result);
        return;
      }
      const shown = [command, ...args].join(' ');
      const error = new Error(`\`${shown}\` in ${cwd} failed (${signal ?? `exit ${code}`})`);
      error.output = `${stdout}\n${stderr}`.trim();
      reject(error);
    });
  });
}

/**
 * Starts a long-lived process (the registry) whose output goes to `logStream`; the caller stops it
 * with `stop()`, and `killAll()` stops it too.
 * @param {string} command
 * @param {readonly string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, logStream: import('node:stream').Writable }} options
 */
export function startDaemon(command, args, options) {
  const { cwd, env = process.env, logStream } = options;
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.stdout.pipe(logStream, { end: false });
  child.stderr.pipe(logStream, { end: false });
  const exited = new Promise((resolve) => {
    child.on('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  return {
    child,
    exited,
    /** Sends SIGTERM to the group, then SIGKILL if it is still alive after `graceMs`. */
    async stop(graceMs = 3_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

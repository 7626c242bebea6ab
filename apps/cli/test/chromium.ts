import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's Chromium, where `apt-get install chromium` puts it. */
export const chromiumPath = '/usr/bin/chromium';

/**
 * Installs Debian's `chromium` package when it is missing (the machines run as root and reach
 * Debian's archive; about 80 s with `apt-get update`). Throws with apt's output when that fails.
 */
export function ensureChromium(): string {
  if (existsSync(chromiumPath)) return chromiumPath;
  const run = (args: string[]) =>
    execFileSync('apt-get', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: 600_000,
    });
  run(['update']);
  run(['install', '-y', 'chromium']);
  if (!existsSync(chromiumPath))
    throw new Error(`apt-get installed chromium, but ${chromiumPath} is missing`);
  return chromiumPath;
}

/**
 * The flags the machines need for a headless Chromium started as root on a closed network: no
 * sandbox (root), no GPU, and none of the background connections that the network would refuse.
 */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

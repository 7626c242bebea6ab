import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { call } from './helpers.js';

const script = fileURLToPath(new URL('./fixtures/runCli.ts', import.meta.url));

function run(args: string[]) {
  return spawn(process.execPath, ['--conditions=@pc/source', '--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function firstLine(child: ReturnType<typeof run>): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const end = buffer.indexOf('\n');
      if (end !== -1) resolve(buffer.slice(0, end));
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code} before printing`)));
  });
}

function exitOf(child: ReturnType<typeof run>): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('pc-mock command line', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`prints the listening line first, serves, and shuts down cleanly on ${signal}`, async () => {
      const child = run(['--port', '0', '--customers', '20', '--quiet']);
      const exited = exitOf(child);
      const line = await firstLine(child);
      expect(line).toMatch(/^pc-mock listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = line.slice('pc-mock listening on '.length);
      const token = await call(`${url}/common/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=refresh_token&client_id=mock-client-id&client_secret=mock-client-secret&refresh_token=mock-refresh-token',
      });
      expect(token.status).toBe(200);
      const page = await call(`${url}/partner/v1/analytics/commercial/usage/license?top=1`, {
        token: token.json<{ access_token: string }>().access_token,
      });
      expect(page.status).toBe(200);
      child.kill(signal);
      expect(await exited).toBe(0);
    });
  }

  it('exits with 2 and a message on stderr for a bad flag', async () => {
    const child = run(['--latency', 'soon']);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    expect(await exitOf(child)).toBe(2);
    expect(stderr).toContain("invalid latency 'soon'");
  });
});

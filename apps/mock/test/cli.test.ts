import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
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

  it('--tls --auto-approve: prints the https URL and the CA file; a device code is approved at once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pc-mock-tls-dir-'));
    const child = run(['--port', '0', '--customers', '10', '--quiet', '--tls-dir', dir, '--auto-approve']);
    const exited = exitOf(child);
    const lines = await new Promise<string[]>((resolve, reject) => {
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const done = buffer.split('\n');
        if (done.length > 2) resolve(done.slice(0, 2));
      });
      child.on('exit', (code) => reject(new Error(`exited with ${code} before printing`)));
    });
    expect(lines[0]).toMatch(/^pc-mock listening on https:\/\/127\.0\.0\.1:\d+$/);
    expect(lines[1]).toBe(`pc-mock ca ${join(dir, 'cert.pem')}`);
    const url = lines[0]!.slice('pc-mock listening on '.length);
    const dispatcher = new Agent({ connect: { ca: await readFile(join(dir, 'cert.pem'), 'utf8') } });
    const form = (fields: Record<string, string>) => ({
      method: 'POST' as const,
      dispatcher,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    const started = await request(
      `${url}/common/oauth2/v2.0/devicecode`,
      form({
        client_id: 'mock-client-id',
        scope: 'https://api.partnercenter.microsoft.com/user_impersonation openid',
      }),
    );
    const device = (await started.body.json()) as { device_code: string };
    const token = await request(
      `${url}/common/oauth2/v2.0/token`,
      form({ grant_type: 'device_code', client_id: 'mock-client-id', device_code: device.device_code }),
    );
    expect(token.statusCode).toBe(200);
    expect(((await token.body.json()) as { id_token?: string }).id_token).toBeDefined();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The folder keeps the certificate for the next start.
    expect((await readFile(join(dir, 'key.pem'), 'utf8')).length).toBeGreaterThan(0);
  });

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

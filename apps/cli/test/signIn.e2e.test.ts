import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type MockServer, startMockServer } from '@pc/mock';
import { generate } from 'selfsigned';
import { Agent, request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, binPath, type PcResult, runPc, spawnPc, tempDir } from './helpers.js';

// End to end: the built `pc` against a real pc-mock over HTTPS, signing in the ways a partner does.

let mock: MockServer;
let certificateFile: string;
const outputs: string[] = [];

const tokenPath = /\/oauth2\/(v2\.0\/)?token$/;

function tokenRequests(): number {
  return mock.journal().filter((entry) => tokenPath.test(entry.path)).length;
}

async function pc(args: string[], options: Parameters<typeof runPc>[1] = {}): Promise<PcResult> {
  const result = await runPc(args, { timeoutMs: 90_000, ...options });
  outputs.push(result.stdout, result.stderr);
  return result;
}

/** Waits until the child's stderr matches, then returns the match. */
function waitForStderr(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = pattern.exec(text);
      if (match !== null) {
        child.stderr?.off('data', onData);
        resolve(match);
      }
    };
    child.stderr?.on('data', onData);
    child.once('close', (code) => reject(new Error(`pc exited with ${code} before ${pattern}: ${text}`)));
  });
}

/** Spawned `pc` processes not yet ended: a failed test must not leave one polling the mock. */
const running = new Set<ChildProcess>();

function finish(child: ChildProcess): Promise<PcResult> {
  running.add(child);
  child.once('close', () => running.delete(child));
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  return new Promise((resolve) =>
    child.once('close', (code, signal) => {
      const result = {
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      };
      outputs.push(result.stdout, result.stderr);
      resolve(result);
    }),
  );
}

async function json(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

/** The one refresh token in MSAL's cache in a profile's token file. */
async function msalRefreshToken(tokensPath: string): Promise<string> {
  const msal = JSON.parse((await json(tokensPath)).msal as string) as {
    RefreshToken: Record<string, { secret: string }>;
  };
  const secrets = Object.values(msal.RefreshToken).map((entry) => entry.secret);
  expect(secrets).toHaveLength(1);
  return secrets[0]!;
}

/**
 * Makes every access token in a profile's token file expired (ours and those in MSAL's cache),
 * keeping the refresh token: what the file looks like an hour or more after the last run.
 */
async function expireAccessTokens(tokensPath: string): Promise<void> {
  const tokens = await json(tokensPath);
  const past = Date.now() - 60_000;
  if (tokens.accessToken !== undefined) (tokens.accessToken as { expiresAt: number }).expiresAt = past;
  const msal = JSON.parse(tokens.msal as string) as {
    AccessToken?: Record<string, { expires_on: string; extended_expires_on?: string }>;
  };
  const entries = Object.values(msal.AccessToken ?? {});
  expect(entries.length).toBeGreaterThan(0);
  for (const entry of entries) {
    entry.expires_on = String(Math.floor(past / 1000));
    if (entry.extended_expires_on !== undefined) entry.extended_expires_on = entry.expires_on;
  }
  tokens.msal = JSON.stringify(msal);
  await writeFile(tokensPath, JSON.stringify(tokens), { mode: 0o600 });
}

beforeAll(async () => {
  assertBuilt();
  const pems = await generate([{ name: 'commonName', value: 'pc e2e app' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
  });
  const dir = await tempDir('pc-cert-');
  certificateFile = join(dir, 'app.pem');
  await writeFile(certificateFile, `${pems.private}\n${pems.cert}`, { mode: 0o600 });
  mock = await startMockServer({
    port: 0,
    seed: 5,
    customers: 30,
    quiet: true,
    tls: true,
    clientCertificates: [pems.cert],
  });
});
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});
afterAll(() => mock?.close());

describe('pc login against pc-mock --tls', { timeout: 1_800_000 }, () => {
  it('device code: the code goes to stderr, a test approves it, then many commands share one token request', async () => {
    const config = await tempDir('pc-device-');
    const child = spawnPc(
      [
        'login',
        '--device-code',
        '--client-id',
        'mock-client-id',
        '--authority-url',
        mock.url,
        '--base-url',
        mock.url,
        '--ca-file',
        mock.caFile!,
      ],
      { configDir: config },
    );
    child.stdin?.end();
    const done = finish(child);
    const match = await waitForStderr(child, /enter the code ([A-Z0-9]+)/);
    expect(mock.approveDeviceCode(match[1]!)).toBe(true);
    const login = await done;
    expect(login.code, login.stderr).toBe(0);
    expect(login.stderr).toContain(`${mock.url}/devicelogin`);
    expect(login.stderr).toMatch(
      /Logged in to tenant .* as admin@partner\.onmicrosoft\.com \(device-code, profile default\)/,
    );
    const configPath = join(config, 'config.json');
    const tokensPath = join(config, 'tokens', 'default.json');
    expect((await stat(configPath)).mode & 0o777).toBe(0o600);
    expect((await stat(tokensPath)).mode & 0o777).toBe(0o600);
    const stored = (await json(configPath)) as { profiles: Record<string, Record<string, string>> };
    expect(stored.profiles.default).toMatchObject({
      authMode: 'device-code',
      clientId: 'mock-client-id',
      baseUrl: mock.url,
    });
    // The refresh token lives in MSAL's cache in the token file, not in config.json.
    expect(stored.profiles.default!.refreshToken).toBeUndefined();

    // The access token of the sign-in runs out (ours and the one in MSAL's cache; the refresh
    // token stays): the first command redeems the refresh token once, the 99 after it reuse
    // the access token it cached, across processes.
    await expireAccessTokens(tokensPath);
    const configBefore = await stat(configPath);
    mock.resetJournal();
    const first = await pc(['licenses', 'deployment', '--top', '1', '-o', 'json'], { configDir: config });
    expect(first.code, first.stderr).toBe(0);
    // 99 more short commands, ten at a time: half read data, half check the login.
    for (let batch = 0; batch < 99; batch += 11) {
      const results = await Promise.all(
        Array.from({ length: 11 }, (_, index) =>
          pc(
            index % 2 === 0
              ? ['licenses', 'deployment', '--top', '1', '-o', 'json']
              : ['status', '-o', 'json'],
            // The machine may be loaded: a short command gets a generous bound.
            { configDir: config, timeoutMs: 400_000 },
          ),
        ),
      );
      for (const result of results) expect([result.code, result.signal], result.stderr).toEqual([0, null]);
    }
    const apiCalls = mock.journal().filter((entry) => entry.path.includes('/analytics/'));
    expect(apiCalls).toHaveLength(1 + 9 * 6);
    expect(tokenRequests()).toBe(1);
    // Nothing in the config changed, so it was not rewritten.
    expect((await stat(configPath)).mtimeMs).toBe(configBefore.mtimeMs);

    // An expired cached token: the next run refreshes through MSAL's refresh token, unattended.
    const refreshTokenBefore = await msalRefreshToken(tokensPath);
    await expireAccessTokens(tokensPath);
    mock.resetJournal();
    const refreshed = await pc(['status', '-o', 'json', '--debug'], { configDir: config });
    expect(refreshed.code, refreshed.stderr).toBe(0);
    expect(JSON.parse(refreshed.stdout)).toMatchObject({
      profile: 'default',
      authMode: 'device-code',
      loggedIn: true,
    });
    expect(tokenRequests()).toBe(1);
    // Entra rotated the refresh token; the new one is what the next run will use (each use
    // renews the 90 days, so a daily job stays signed in).
    const refreshTokenAfter = await msalRefreshToken(tokensPath);
    expect(refreshTokenAfter).not.toBe(refreshTokenBefore);

    // `pc auth token` prints the current token (for scripts), from the cache.
    const printed = await runPc(['auth', 'token'], { configDir: config });
    expect(printed.code).toBe(0);
    const current = (await json(tokensPath)).accessToken as { token: string };
    expect(printed.stdout.trim()).toBe(current.token);

    // Revoked sessions: exit 4 and a hint saying how to sign in again.
    mock.revokeSessions();
    const revoked = await pc(['licenses', 'deployment', '--top', '1', '--debug'], { configDir: config });
    expect(revoked.code).toBe(4);
    expect(revoked.stderr).toMatch(/sign in again/);
    expect(revoked.stderr).toContain('pc login --device-code');

    // Logout removes everything the profile held.
    const logout = await pc(['logout'], { configDir: config });
    expect(logout.code).toBe(0);
    expect(((await json(configPath)) as { profiles?: unknown }).profiles).toBeUndefined();
    await expect(stat(tokensPath)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await pc(['status'], { configDir: config })).code).toBe(4);
    mock.reset();
  }, 1_800_000);

  it('Ctrl-C (a real SIGINT) cancels a device-code sign-in: exit 130, no stack, the earlier login kept', async () => {
    const config = await tempDir('pc-cancel-');
    const endpoints = ['--authority-url', mock.url, '--base-url', mock.url, '--ca-file', mock.caFile!];
    // An earlier login of the profile (a refresh token), which the cancelled sign-in must leave alone.
    const earlier = await pc(
      [
        'login',
        '--client-secret',
        '-',
        '--refresh-token',
        '-',
        '--tenant-id',
        mock.partnerTenantId,
        '--client-id',
        'mock-client-id',
        ...endpoints,
      ],
      { configDir: config, input: 'mock-client-secret\nmock-refresh-token\n' },
    );
    expect(earlier.code, earlier.stderr).toBe(0);
    const configPath = join(config, 'config.json');
    const tokensPath = join(config, 'tokens', 'default.json');
    const configBefore = await readFile(configPath, 'utf8');
    const tokensBefore = await readFile(tokensPath, 'utf8');

    const child = spawnPc(['login', '--device-code', '--client-id', 'mock-client-id', ...endpoints], {
      configDir: config,
    });
    child.stdin?.end();
    const done = finish(child);
    const prompt = await waitForStderr(
      child,
      /open (\S+) in a browser and enter the code ([A-Z0-9]+)[\s\S]*Ctrl-C cancels/,
    );
    expect(prompt[1]).toBe(`${mock.url}/devicelogin`);
    // The terminal's Ctrl-C: SIGINT to the process.
    expect(child.kill('SIGINT')).toBe(true);
    const cancelled = await done;
    // The process ends by itself (MSAL's polling stopped), with the code of an interruption.
    expect([cancelled.code, cancelled.signal], cancelled.stderr).toEqual([130, null]);
    expect(cancelled.stderr).toMatch(/cancelled|interrupted/i);
    expect(cancelled.stderr).not.toMatch(/^\s+at /m);
    // Nothing of the unfinished sign-in was stored; the earlier login still works.
    expect(await readFile(configPath, 'utf8')).toBe(configBefore);
    expect(await readFile(tokensPath, 'utf8')).toBe(tokensBefore);
    const status = await pc(['status', '-o', 'json'], { configDir: config });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ authMode: 'refresh-token', loggedIn: true });
  }, 300_000);

  it('browser: prints the URL when no browser opens; following the redirect completes the sign-in', async () => {
    const config = await tempDir('pc-browser-');
    const child = spawnPc(
      [
        'login',
        '--browser',
        '--client-id',
        'mock-client-id',
        '--authority-url',
        mock.url,
        '--base-url',
        mock.url,
      ],
      { configDir: config, env: { BROWSER: 'none', PC_CA_FILE: mock.caFile! } },
    );
    child.stdin?.end();
    const done = finish(child);
    const match = await waitForStderr(child, /visit:\n\s+(https:\/\/\S+)/);
    const dispatcher = new Agent({ connect: { ca: mock.ca! } });
    const page = await request(match[1]!, { dispatcher });
    expect(page.statusCode).toBe(200);
    const html = await page.body.text();
    const decode = (text: string) =>
      text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
    const action = new URL(decode(/action="([^"]+)"/.exec(html)![1]!));
    action.hostname = '127.0.0.1';
    const fields = new URLSearchParams();
    for (const field of html.matchAll(/name="([^"]+)" value="([^"]*)"/g))
      fields.set(field[1]!, decode(field[2]!));
    const posted = await request(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
    });
    expect(await posted.body.text()).toContain('Signed in');
    const login = await done;
    expect(login.code, login.stderr).toBe(0);
    expect(login.stderr).toContain('(browser, profile default)');
    const data = await pc(['licenses', 'usage', '--top', '2', '-o', 'json'], {
      configDir: config,
      env: { PC_CA_FILE: mock.caFile! },
    });
    expect(data.code, data.stderr).toBe(0);
    expect(JSON.parse(data.stdout)).toHaveLength(2);
  }, 300_000);

  it('certificate with a refresh token from stdin and a client secret from a file; profiles stay apart', async () => {
    const config = await tempDir('pc-certificate-');
    const login = await pc(
      [
        'login',
        '--profile',
        'cert',
        '--certificate',
        certificateFile,
        '--tenant-id',
        mock.partnerTenantId,
        '--client-id',
        'mock-client-id',
        '--refresh-token',
        '-',
        '--authority-url',
        mock.url,
        '--base-url',
        mock.url,
        '--ca-file',
        mock.caFile!,
      ],
      { configDir: config, input: 'mock-refresh-token\n' },
    );
    expect(login.code, login.stderr).toBe(0);
    expect(login.stderr).toContain('(certificate, profile cert)');
    const secretFile = join(config, 'secret.txt');
    await writeFile(secretFile, 'mock-client-secret\n', { mode: 0o600 });
    const refresh = await pc(
      [
        'login',
        '--client-secret-file',
        secretFile,
        '--refresh-token',
        '-',
        '--tenant-id',
        'common',
        '--client-id',
        'mock-client-id',
        '--authority-url',
        mock.url,
        '--base-url',
        mock.url,
        '--ca-file',
        mock.caFile!,
        '--endpoint-version',
        'v2',
      ],
      { configDir: config, input: 'mock-refresh-token\n' },
    );
    expect(refresh.code, refresh.stderr).toBe(0);
    const list = await pc(['auth', 'list', '-o', 'json'], { configDir: config });
    expect(
      (JSON.parse(list.stdout) as { profile: string; authMode: string }[]).map((row) => [
        row.profile,
        row.authMode,
      ]),
    ).toEqual([
      ['cert', 'certificate'],
      ['default', 'refresh-token'],
    ]);
    const viaCert = await pc(['--profile', 'cert', 'status', '-o', 'json'], { configDir: config });
    expect(JSON.parse(viaCert.stdout)).toMatchObject({
      profile: 'cert',
      authMode: 'certificate',
      loggedIn: true,
    });
    const viaEnv = await pc(['status', '-o', 'json'], { configDir: config, env: { PC_PROFILE: 'cert' } });
    expect(JSON.parse(viaEnv.stdout)).toMatchObject({ profile: 'cert' });
    expect((await pc(['auth', 'switch', 'cert'], { configDir: config })).code).toBe(0);
    const switched = await pc(['status', '-o', 'json'], { configDir: config });
    expect(JSON.parse(switched.stdout)).toMatchObject({ profile: 'cert', authMode: 'certificate' });
    expect((await pc(['auth', 'switch', 'nope'], { configDir: config })).code).toBe(2);
    // Logging out of one profile leaves the other.
    expect((await pc(['logout', '--profile', 'default'], { configDir: config })).code).toBe(0);
    const after = await pc(['auth', 'list', '-o', 'json'], { configDir: config });
    expect((JSON.parse(after.stdout) as { profile: string }[]).map((row) => row.profile)).toEqual(['cert']);
  }, 300_000);

  it('reads AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and AZURE_CLIENT_CERTIFICATE_PATH as Azure Identity does', async () => {
    const config = await tempDir('pc-azure-env-');
    const endpoints = ['--authority-url', mock.url, '--base-url', mock.url, '--ca-file', mock.caFile!];
    const app = { AZURE_TENANT_ID: mock.partnerTenantId, AZURE_CLIENT_ID: 'mock-client-id' };
    const withSecret = await pc(['login', '--refresh-token', '-', ...endpoints], {
      configDir: config,
      env: { ...app, AZURE_CLIENT_SECRET: 'mock-client-secret' },
      input: 'mock-refresh-token\n',
    });
    expect(withSecret.code, withSecret.stderr).toBe(0);
    expect(withSecret.stderr).toContain('(refresh-token, profile default)');
    const withCertificate = await pc(['login', '--profile', 'cert', '--refresh-token', '-', ...endpoints], {
      configDir: config,
      env: { ...app, AZURE_CLIENT_CERTIFICATE_PATH: certificateFile },
      input: 'mock-refresh-token\n',
    });
    expect(withCertificate.code, withCertificate.stderr).toBe(0);
    expect(withCertificate.stderr).toContain('(certificate, profile cert)');
    const stored = (await json(join(config, 'config.json'))) as {
      profiles: Record<string, Record<string, string>>;
    };
    expect(stored.profiles.default).toMatchObject({
      tenantId: app.AZURE_TENANT_ID,
      authMode: 'refresh-token',
    });
    expect(stored.profiles.cert).toMatchObject({ certificatePath: certificateFile, authMode: 'certificate' });
    // Nothing stored at all: the environment alone signs a command in.
    const bare = await tempDir('pc-azure-env-only-');
    const data = await pc(['licenses', 'deployment', '--top', '1', '-o', 'json', '--base-url', mock.url], {
      configDir: bare,
      env: {
        ...app,
        AZURE_CLIENT_SECRET: 'mock-client-secret',
        PC_REFRESH_TOKEN: 'mock-refresh-token',
        PC_AUTHORITY_URL: mock.url,
        PC_CA_FILE: mock.caFile!,
      },
    });
    expect(data.code, data.stderr).toBe(0);
    expect(JSON.parse(data.stdout)).toHaveLength(1);
  }, 300_000);

  it('pc mock logs into the profile mock and never touches the default profile', async () => {
    const config = await tempDir('pc-mock-profile-');
    const before = {
      profiles: {
        default: {
          authMode: 'refresh-token',
          tenantId: 'real-tenant',
          clientId: 'real-app',
          refreshToken: 'real-refresh-token-1234',
        },
      },
    };
    await writeFile(join(config, 'config.json'), JSON.stringify(before), { mode: 0o600 });
    const server = spawn(
      process.execPath,
      [binPath, 'mock', '--port', '0', '--customers', '10', '--seed', '2'],
      {
        env: { PATH: process.env.PATH ?? '', HOME: config, PC_CONFIG_DIR: config },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let text = '';
        server.stdout!.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
          if (/^pc-mock ca /m.test(text)) resolve(/^pc-mock listening on (https:\/\/\S+)$/m.exec(text)![1]!);
        });
        server.once('exit', (code) => reject(new Error(`pc mock exited with ${code}`)));
      });
      let stored = (await json(join(config, 'config.json'))) as {
        profiles: Record<string, Record<string, string>>;
      };
      for (let attempt = 0; stored.profiles.mock === undefined && attempt < 50; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        stored = (await json(join(config, 'config.json'))) as typeof stored;
      }
      expect(stored.profiles.default).toEqual(before.profiles.default);
      expect(stored.profiles.mock).toMatchObject({
        baseUrl: url,
        authorityUrl: url,
        authMode: 'refresh-token',
      });
      const data = await pc(['--profile', 'mock', 'licenses', 'deployment', '--top', '3', '-o', 'json'], {
        configDir: config,
      });
      expect(data.code, data.stderr).toBe(0);
      expect(JSON.parse(data.stdout)).toHaveLength(3);
      const status = await pc(['status', '-o', 'json'], { configDir: config });
      expect(JSON.parse(status.stdout)).toMatchObject({ profile: 'default', tenantId: 'real-tenant' });
    } finally {
      server.kill('SIGTERM');
    }
  }, 300_000);

  it('an expired token gives exit 4 with how to sign in again', async () => {
    const config = await tempDir('pc-expired-');
    const expired = await pc(['licenses', 'deployment', '--top', '1', '--base-url', mock.url], {
      configDir: config,
      env: { PC_ACCESS_TOKEN: mock.issueToken({ expiresInSeconds: -60 }), PC_CA_FILE: mock.caFile! },
    });
    expect(expired.code).toBe(4);
    expect(expired.stderr).toMatch(/expired/);
    expect(expired.stderr).toMatch(/sign in again/);
  }, 120_000);

  it('never shows a secret in any output, also with --debug', async () => {
    const secrets = ['mock-client-secret', 'mock-refresh-token', 'real-refresh-token-1234'];
    const text = outputs.join('\n');
    for (const secret of secrets) expect(text).not.toContain(secret);
    // No JWT (access or ID token) and no sealed refresh token either.
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/);
    expect(text).not.toMatch(/0\.AR[A-Za-z0-9_-]{20,}/);
  });
});

/** Debian's packages of a Secret Service and a session bus, installed when missing (as chromium.ts). */
function ensureSecretService(): void {
  const present = ['/usr/bin/gnome-keyring-daemon', '/usr/bin/dbus-run-session'].every((path) =>
    existsSync(path),
  );
  if (present) return;
  const run = (args: string[]) =>
    execFileSync('apt-get', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: 600_000,
    });
  run(['update']);
  run(['install', '-y', '--no-install-recommends', 'gnome-keyring', 'dbus', 'dbus-daemon']);
}

describe('the OS keychain (a Secret Service: GNOME Keyring on a private D-Bus session)', {
  timeout: 900_000,
}, () => {
  let session: ChildProcess;
  let bus: string;

  beforeAll(async () => {
    ensureSecretService();
    const home = await tempDir('pc-keyring-home-');
    // A session bus of its own with an unlocked login keyring, as a desktop session has.
    session = spawn(
      'dbus-run-session',
      [
        '--',
        'sh',
        '-c',
        'printf keyring-password | gnome-keyring-daemon --unlock --components=secrets --foreground >/dev/null 2>&1 & echo "bus $DBUS_SESSION_BUS_ADDRESS"; wait',
      ],
      {
        env: { PATH: process.env.PATH ?? '', HOME: home },
        stdio: ['ignore', 'pipe', 'ignore'],
        detached: true,
      },
    );
    bus = await new Promise<string>((resolve, reject) => {
      let text = '';
      session.stdout!.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        const match = /^bus (\S+)$/m.exec(text);
        if (match !== null) resolve(match[1]!);
      });
      session.once('exit', (code) => reject(new Error(`dbus-run-session exited with ${code}`)));
    });
  }, 900_000);
  afterAll(() => {
    if (session?.pid !== undefined) process.kill(-session.pid, 'SIGTERM');
  });

  /** The keychain entry pc keeps for a profile, read here through the same library. */
  async function keychainEntry(config: string, profile: string): Promise<string | null> {
    const { AsyncEntry } = await import('@napi-rs/keyring');
    const previous = process.env.DBUS_SESSION_BUS_ADDRESS;
    process.env.DBUS_SESSION_BUS_ADDRESS = bus;
    try {
      const entry = new AsyncEntry('pc-cli', `${profile} ${join(config, 'config.json')}`, {
        linux: { store: 'secret-service' },
      });
      return await entry.getPassword();
    } finally {
      if (previous === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
      else process.env.DBUS_SESSION_BUS_ADDRESS = previous;
    }
  }

  it('a device-code login keeps its tokens in the keychain, not on disk; logout removes them', async () => {
    const config = await tempDir('pc-keychain-');
    const env = { DBUS_SESSION_BUS_ADDRESS: bus };
    const child = spawnPc(
      [
        'login',
        '--device-code',
        '--client-id',
        'mock-client-id',
        '--authority-url',
        mock.url,
        '--base-url',
        mock.url,
        '--ca-file',
        mock.caFile!,
      ],
      { configDir: config, env },
    );
    child.stdin?.end();
    const done = finish(child);
    const match = await waitForStderr(child, /enter the code ([A-Z0-9]+)/);
    expect(mock.approveDeviceCode(match[1]!)).toBe(true);
    const login = await done;
    expect(login.code, login.stderr).toBe(0);
    expect(login.stderr).toContain('the tokens in the OS keychain (service pc-cli, profile default)');
    const configPath = join(config, 'config.json');
    const stored = (await json(configPath)) as { profiles: Record<string, Record<string, string>> };
    expect(stored.profiles.default).toMatchObject({ authMode: 'device-code', tokenStore: 'keychain' });
    await expect(stat(join(config, 'tokens', 'default.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    const secret = await keychainEntry(config, 'default');
    expect(secret).not.toBeNull();
    const entry = JSON.parse(secret!) as { msal: string; accessToken: { token: string } };
    const refreshTokens = Object.values(
      (JSON.parse(entry.msal) as { RefreshToken: Record<string, { secret: string }> }).RefreshToken,
    ).map((token) => token.secret);
    expect(refreshTokens).toHaveLength(1);
    // Neither token is in any file pc wrote.
    const onDisk = await readFile(configPath, 'utf8');
    expect(onDisk).not.toContain(refreshTokens[0]);
    expect(onDisk).not.toContain(entry.accessToken.token);

    // Later commands take the token from the keychain: no token request.
    mock.resetJournal();
    const data = await pc(['licenses', 'deployment', '--top', '1', '-o', 'json'], { configDir: config, env });
    expect(data.code, data.stderr).toBe(0);
    const status = await pc(['status', '-o', 'json'], { configDir: config, env });
    expect(JSON.parse(status.stdout)).toMatchObject({ loggedIn: true, tokenStore: 'keychain' });
    expect(
      mock
        .journal()
        .filter((entry) => tokenPath.test(entry.path))
        .map((entry) => `${entry.method} ${entry.path} ${entry.status}`),
    ).toEqual([]);

    // The keychain out of reach (no session bus): exit 4 saying so, not a stack.
    const unreachable = await pc(['licenses', 'deployment', '--top', '1'], { configDir: config });
    expect(unreachable.code).toBe(4);
    expect(unreachable.stderr).toMatch(/OS keychain/);
    expect(unreachable.stderr).not.toMatch(/^\s+at /m);

    const logout = await pc(['logout'], { configDir: config, env });
    expect(logout.code, logout.stderr).toBe(0);
    expect(await keychainEntry(config, 'default')).toBeNull();
    expect(((await json(configPath)) as { profiles?: unknown }).profiles).toBeUndefined();
  }, 300_000);

  it('without a keychain the login falls back to the 0600 file and says why; PC_TOKEN_STORE=keychain refuses', async () => {
    const config = await tempDir('pc-no-keychain-');
    const args = [
      'login',
      '--client-secret',
      '-',
      '--refresh-token',
      '-',
      '--tenant-id',
      mock.partnerTenantId,
      '--client-id',
      'mock-client-id',
      '--authority-url',
      mock.url,
      '--base-url',
      mock.url,
      '--ca-file',
      mock.caFile!,
    ];
    // No D-Bus session: no Secret Service.
    const required = await pc(args, {
      configDir: config,
      input: 'mock-client-secret\nmock-refresh-token\n',
      env: { PC_TOKEN_STORE: 'keychain' },
    });
    expect(required.code).toBe(4);
    expect(required.stderr).toMatch(/OS keychain cannot be reached/);
    await expect(stat(join(config, 'config.json'))).rejects.toMatchObject({ code: 'ENOENT' });

    const fallback = await pc(args, { configDir: config, input: 'mock-client-secret\nmock-refresh-token\n' });
    expect(fallback.code, fallback.stderr).toBe(0);
    expect(fallback.stderr).toMatch(
      /No OS keychain \(the OS keychain cannot be reached: .+\): the tokens are in the 0600 file/,
    );
    const tokensPath = join(config, 'tokens', 'default.json');
    expect((await stat(tokensPath)).mode & 0o777).toBe(0o600);
    const stored = (await json(join(config, 'config.json'))) as {
      profiles: Record<string, Record<string, string>>;
    };
    expect(stored.profiles.default!.tokenStore).toBeUndefined();
    const status = await pc(['status', '-o', 'json'], { configDir: config });
    expect(JSON.parse(status.stdout)).toMatchObject({ loggedIn: true, tokenStore: 'file' });
  }, 300_000);
});

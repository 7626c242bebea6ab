import { execFile, execFileSync } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { chmod, chown, lstat, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startMockServer } from '@pc/mock';
import { secretEncodings } from '@pc/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runPc, spawnPc, tempDir } from './helpers.js';

type Mock = Awaited<ReturnType<typeof startMockServer>>;

let mock: Mock;
let slowMock: Mock;
let env: Record<string, string>;

/** API requests the mock received (the admin API and token requests left out). */
async function apiRequests(target: Mock): Promise<number> {
  const response = await fetch(`${target.url}/_mock/journal`);
  const body = (await response.json()) as { entries: Array<{ path: string }> };
  return body.entries.filter((entry) => entry.path.includes('/analytics/')).length;
}

async function clearJournal(target: Mock): Promise<void> {
  await fetch(`${target.url}/_mock/journal`, { method: 'DELETE' });
}

function waitFor(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      void check().then((done) => {
        if (done) resolve();
        else if (Date.now() - started > timeoutMs) reject(new Error('timed out waiting'));
        else setTimeout(tick, 50);
      }, reject);
    };
    tick();
  });
}

async function partials(folder: string): Promise<string[]> {
  return (await readdir(folder)).filter((name) => name.endsWith('.partial'));
}

beforeAll(async () => {
  assertBuilt();
  mock = await startMockServer({ port: 0, seed: 1, customers: 50, quiet: true });
  // Every page takes a while: a download is still running when the test signals it.
  slowMock = await startMockServer({ port: 0, seed: 1, customers: 2_000, quiet: true, latency: 400 });
  env = { PC_BASE_URL: mock.url, PC_ACCESS_TOKEN: mock.issueToken() };
});

afterAll(async () => {
  await mock?.close();
  await slowMock?.close();
});

/**
 * Runs pc as root with the named capabilities removed from its bounding set (util-linux `setpriv`),
 * so that file modes bind root as they bind any user. Used only when the tests run as root.
 */
function runPcWithout(
  capabilities: readonly string[],
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stderr: string }> {
  const drop = capabilities.map((name) => `-${name}`).join(',');
  return new Promise((resolvePromise, reject) => {
    execFile(
      'setpriv',
      ['--bounding-set', drop, '--', process.execPath, join(__dirname, '../bin/pc.js'), ...args],
      { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 },
      (error, _stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolvePromise({ code: error ? (error.code as number) : 0, stderr });
      },
    );
  });
}

describe('--out', () => {
  it('writes through a FIFO instead of replacing it', async () => {
    const folder = await tempDir();
    const fifo = join(folder, 'rows.fifo');
    execFileSync('mkfifo', [fifo]);
    const reading = new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      createReadStream(fifo)
        .on('data', (chunk) => chunks.push(chunk as Buffer))
        .on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
        .on('error', reject);
    });
    const result = await runPc(['licenses', 'deployment', '--top', '5', '-o', 'ndjson', '--out', fifo], {
      env,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect((await reading).trim().split('\n')).toHaveLength(5);
    expect((await lstat(fifo)).isFIFO()).toBe(true);
  });

  it('writes /dev/stdout through to the process stdout', async () => {
    const result = await runPc(
      ['licenses', 'deployment', '--top', '3', '-o', 'ndjson', '--out', '/dev/stdout'],
      {
        env,
      },
    );
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('follows a symlink, replaces its target atomically and keeps the target mode', async () => {
    const folder = await tempDir();
    const real = join(folder, 'real.csv');
    const link = join(folder, 'link.csv');
    await writeFile(real, 'old\n', { mode: 0o600 });
    await chmod(real, 0o600);
    await symlink(real, link);
    const result = await runPc(['licenses', 'deployment', '--top', '4', '-o', 'csv', '--out', link], { env });
    expect(result.code).toBe(0);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    const text = await readFile(real, 'utf8');
    expect(text.trim().split('\r\n')).toHaveLength(5);
    expect((await stat(real)).mode & 0o777).toBe(0o600);
    expect(await partials(folder)).toEqual([]);
  });

  it('refuses a folder, a missing folder and an unwritable folder before the first request (exit 2)', async () => {
    const folder = await tempDir();
    await clearJournal(mock);
    const asFolder = await runPc(['licenses', 'deployment', '--out', folder], { env });
    expect(asFolder.code).toBe(2);
    expect(asFolder.stderr).toContain('is a folder');
    const missing = await runPc(['licenses', 'deployment', '--out', join(folder, 'no', 'such.csv')], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('does not exist');

    // A folder without write permission. Root ignores folder modes through the DAC capabilities,
    // so as root pc runs under `setpriv` with those capabilities dropped from its bounding set:
    // it stays root (it can read the checkout wherever it is), but the folder's mode applies.
    const locked = join(folder, 'locked');
    await mkdir(locked);
    await chmod(locked, 0o555);
    const pcArgs = ['licenses', 'deployment', '--out', join(locked, 'x.csv')];
    const unwritable =
      process.getuid?.() === 0
        ? await runPcWithout(['dac_override', 'dac_read_search'], pcArgs, env)
        : await runPc(pcArgs, { env });
    expect(unwritable.stderr).toContain('cannot write to the folder');
    expect(unwritable.code).toBe(2);
    expect(await apiRequests(mock)).toBe(0);
  });

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ] as const) {
    it(`${signal} during --out leaves neither the file nor a .partial behind`, {
      timeout: 90_000,
    }, async () => {
      const folder = await tempDir();
      const out = join(folder, 'rows.ndjson');
      const child = spawnPc(
        ['licenses', 'deployment', '--page-size', '100', '--concurrency', '1', '--out', out],
        {
          env: { PC_BASE_URL: slowMock.url, PC_ACCESS_TOKEN: slowMock.issueToken() },
        },
      );
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
      });
      const exited = new Promise<number | null>((resolve) =>
        child.once('exit', (exitCode) => resolve(exitCode)),
      );
      await waitFor(async () => (await partials(folder)).length > 0);
      child.kill(signal);
      expect(await exited).toBe(code);
      expect(stderr).toContain('interrupted');
      expect(await readdir(folder)).toEqual([]);
    });
  }

  it('a SIGKILLed pc leaves no process behind that later writes the --out file', {
    timeout: 90_000,
  }, async () => {
    const folder = await tempDir();
    const out = join(folder, 'rows.ndjson');
    const child = spawnPc(
      ['licenses', 'deployment', '--page-size', '100', '--concurrency', '1', '--out', out],
      {
        env: { PC_BASE_URL: slowMock.url, PC_ACCESS_TOKEN: slowMock.issueToken() },
      },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await waitFor(async () => (await partials(folder)).length > 0);
    child.kill('SIGKILL');
    await exited;
    // pc runs in one process (no re-executed child, decisions/0019): nothing goes on after
    // SIGKILL. What a killed process cannot do is remove its temp file: at most that `.partial`
    // is left, never a file under the target's name, and no request is sent any more.
    await clearJournal(slowMock);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const left = await readdir(folder);
    expect(left.every((name) => name.endsWith('.partial'))).toBe(true);
    expect(left.length).toBeLessThanOrEqual(1);
    expect(existsSync(out)).toBe(false);
    expect(await apiRequests(slowMock)).toBe(0);
  });
});

describe('config file safety', () => {
  it('refuses a world-writable config or folder and one owned by another user, saying how to fix it', async () => {
    const configDir = await tempDir();
    const path = join(configDir, 'config.json');
    await writeFile(path, JSON.stringify({ baseUrl: 'http://127.0.0.1:9' }), { mode: 0o600 });
    await chmod(path, 0o666);
    const worldFile = await runPc(['licenses', 'deployment', '--top', '1'], { env, configDir });
    expect(worldFile.code).toBe(1);
    expect(worldFile.stderr).toContain('writable by every user (mode 0666)');
    expect(worldFile.stderr).toContain(`chmod 600 '${path}'`);

    await chmod(path, 0o600);
    await chmod(configDir, 0o777);
    const worldFolder = await runPc(['licenses', 'deployment', '--top', '1'], { env, configDir });
    expect(worldFolder.code).toBe(1);
    expect(worldFolder.stderr).toContain(`chmod 700 '${configDir}'`);

    await chmod(configDir, 0o700);
    await chown(path, 65534, 65534);
    const otherOwner = await runPc(['licenses', 'deployment', '--top', '1'], { env, configDir });
    expect(otherOwner.code).toBe(1);
    expect(otherOwner.stderr).toContain('owned by another user (uid 65534)');

    // Help still works, to read how to fix it.
    expect((await runPc(['help', 'environment'], { env, configDir })).code).toBe(0);
  });

  it('reads a config saved with a UTF-8 BOM', async () => {
    const configDir = await tempDir();
    await writeFile(join(configDir, 'config.json'), `\ufeff${JSON.stringify({ baseUrl: mock.url })}`, {
      mode: 0o600,
    });
    const result = await runPc(['licenses', 'deployment', '--top', '2', '-o', 'ndjson'], {
      env: { PC_ACCESS_TOKEN: env.PC_ACCESS_TOKEN! },
      configDir,
    });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toHaveLength(2);
  });
});

describe('network flags', () => {
  it('refuses bad --timeout/--deadline values and plain http off loopback (exit 2, no request)', async () => {
    await clearJournal(mock);
    const bad = await runPc(['licenses', 'deployment', '--timeout', 'soon'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--timeout must be a duration');
    const badEnv = await runPc(['licenses', 'deployment'], { env: { ...env, PC_DEADLINE: '-1' } });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toContain('PC_DEADLINE');
    const insecure = await runPc(['licenses', 'deployment', '--base-url', 'http://partner.example'], { env });
    expect(insecure.code).toBe(2);
    expect(insecure.stderr).toContain('--allow-insecure-http');
    expect(await apiRequests(mock)).toBe(0);
  });

  it('PC_TIMEOUT and --deadline bound a server that never answers', { timeout: 60_000 }, async () => {
    const hanging = await startMockServer({ port: 0, seed: 1, customers: 10, quiet: true, faults: 'hang=1' });
    try {
      const started = Date.now();
      const result = await runPc(['licenses', 'deployment', '--deadline', '3s'], {
        env: { PC_BASE_URL: hanging.url, PC_ACCESS_TOKEN: hanging.issueToken(), PC_TIMEOUT: '1s' },
        timeoutMs: 50_000,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/timed out after 1000 ms|deadline of 3000 ms/);
      expect(Date.now() - started).toBeLessThan(40_000);
      expect(await apiRequests(hanging)).toBeGreaterThanOrEqual(1);
    } finally {
      await hanging.close();
    }
  });
});

describe('what reaches the terminal', () => {
  it('escapes control characters and shortens a huge --filter in the error', async () => {
    const filter = `serviceCode eq 'o365\u001b]0;pwned\u0007\u001b[2J' and ${'x'.repeat(100_000)}`;
    const result = await runPc(['licenses', 'deployment', '--filter', filter], { env });
    expect(result.code).toBe(2);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
    expect(result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(result.stderr.length).toBeLessThan(3_000);
  });

  it('never shows a client secret or refresh token a token endpoint echoes, even with --debug', async () => {
    const clientSecret = 'Abc~8Q~secret/value+x=y';
    const refreshToken = '0.AR~refresh/token+1==';
    const forms: string[] = [];
    const entra: Server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const form = Buffer.concat(chunks).toString('utf8');
        forms.push(form);
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            error: 'invalid_client',
            error_description: `AADSTS7000215: Invalid client secret. Echo: ${form} ${JSON.stringify(clientSecret)} ${Buffer.from(clientSecret).toString('base64')}`,
            error_codes: [7000215],
          }),
        );
      });
    });
    await new Promise<void>((resolve) => entra.listen(0, '127.0.0.1', resolve));
    try {
      const result = await runPc(['licenses', 'deployment', '--top', '1', '--debug'], {
        env: {
          PC_BASE_URL: mock.url,
          PC_AUTHORITY_URL: `http://127.0.0.1:${(entra.address() as AddressInfo).port}`,
          PC_TENANT_ID: 'contoso',
          PC_CLIENT_ID: 'app',
          PC_CLIENT_SECRET: clientSecret,
          PC_REFRESH_TOKEN: refreshToken,
        },
      });
      expect(result.code).toBe(4);
      expect(forms[0]).toContain('client_secret=Abc%7E8Q%7Esecret');
      const shown = result.stdout + result.stderr;
      for (const value of [clientSecret, refreshToken]) {
        for (const spelling of secretEncodings(value)) expect(shown).not.toContain(spelling);
      }
      expect(shown).toContain('AADSTS7000215');
    } finally {
      entra.closeAllConnections();
      await new Promise<void>((resolve) => entra.close(() => resolve()));
    }
  });
});

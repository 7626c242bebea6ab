import { execFileSync, spawn } from 'node:child_process';
import { mkdir, readFile, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type AnalyticsClient, createClient } from '@pc/analytics';
import { startMockServer } from '@pc/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, binPath, repoRoot, runPc, tempDir } from './helpers.js';

type Mock = Awaited<ReturnType<typeof startMockServer>>;

let mock: Mock;
let client: AnalyticsClient;
let env: Record<string, string>;
let configDir: string;

beforeAll(async () => {
  assertBuilt();
  mock = await startMockServer({ port: 0, seed: 5, customers: 120, quiet: true });
  client = createClient({ baseUrl: mock.url, accessToken: mock.issueToken() });
  env = { PC_BASE_URL: mock.url, PC_ACCESS_TOKEN: mock.issueToken() };
  configDir = await tempDir();
});

afterAll(async () => {
  await client?.close();
  await mock?.close();
});

describe('pc insights', () => {
  it('runs every built-in insight and prints the SDK result rows', async () => {
    const cases: [string, string[], Record<string, unknown>][] = [
      ['summary', [], {}],
      ['unused-licenses', ['--top', '7'], { top: 7 }],
      [
        'adoption',
        ['--top', '7', '--filter', "workloadCode eq 'EXO'"],
        { top: 7, filter: "workloadCode eq 'EXO'" },
      ],
      ['trend', ['--top', '5'], { top: 5 }],
    ];
    const results = await Promise.all(
      // Four at once on a machine that may be loaded: a generous bound each.
      cases.map(([name, flags]) =>
        runPc(['insights', name, ...flags, '-o', 'json'], { env, configDir, timeoutMs: 240_000 }),
      ),
    );
    for (const [index, [name, , options]] of cases.entries()) {
      const result = results[index]!;
      expect({ name, code: result.code, stderr: result.stderr }).toEqual({ name, code: 0, stderr: '' });
      const expected = await client.runInsight(name, options);
      expect(JSON.parse(result.stdout)).toEqual(expected.rows);
    }
    const csv = await runPc(
      ['insights', 'unused-licenses', '--top', '3', '-o', 'csv', '--fields', 'customerName,unusedLicenses'],
      {
        env,
        configDir,
      },
    );
    expect(csv.stdout.split('\r\n')[0]).toBe('customerName,unusedLicenses');
    const badFilter = await runPc(['insights', 'adoption', '--filter', "workloadCode eq 'EXO"], {
      env,
      configDir,
    });
    expect(badFilter.code).toBe(2);
    expect(badFilter.stderr).toMatch(/\n\s*\^/);
  }, 300_000);
});

describe('pc demo', () => {
  it('prints the licenses report with bar charts, with no credentials configured', async () => {
    const result = await runPc(['demo', '--customers', '60'], { configDir: await tempDir() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Licenses by service and channel/);
    expect(result.stdout).toMatch(/Biggest unused licenses/);
    expect(result.stdout).toMatch(/Lowest adoption/);
    expect(result.stdout).toMatch(/█/);
    expect(result.stdout).not.toContain('\x1b[');
    const colored = await runPc(['demo', '--customers', '30'], {
      env: { FORCE_COLOR: '1' },
      configDir: await tempDir(),
    });
    expect(colored.stdout).toContain('\x1b[');
    const noColor = await runPc(['demo', '--customers', '30'], {
      env: { FORCE_COLOR: '1', NO_COLOR: '1' },
      configDir: await tempDir(),
    });
    expect(noColor.stdout).not.toContain('\x1b[');
  });
});

describe('help, completion, modules', () => {
  it('documents the environment and the exit codes', async () => {
    const environment = await runPc(['help', 'environment'], { configDir });
    expect(environment.code).toBe(0);
    for (const name of [
      'PC_BASE_URL',
      'PC_AUTHORITY_URL',
      'PC_TENANT_ID',
      'PC_CLIENT_ID',
      'PC_CLIENT_SECRET',
      'PC_REFRESH_TOKEN',
      'PC_ACCESS_TOKEN',
      'PC_LOCALE',
      'PC_OUTPUT',
      'PC_MODULES',
      'NO_COLOR',
      'FORCE_COLOR',
    ]) {
      expect(environment.stdout).toContain(name);
    }
    const exitCodes = await runPc(['help', 'exit-codes'], { configDir });
    for (const code of ['0', '1', '2', '3', '4', '5', '130'])
      expect(exitCodes.stdout).toMatch(new RegExp(`^\\s+${code}\\s`, 'm'));
    const commandHelp = await runPc(['help', 'licenses', 'deployment'], { configDir });
    expect(commandHelp.stdout).toContain('--groupby');
    expect(commandHelp.stdout).toContain('Filterable: serviceCode');
  });

  it('prints bash, zsh and fish completion scripts', async () => {
    const [bash, zsh, fish, bad] = await Promise.all(
      ['bash', 'zsh', 'fish', 'powershell'].map((shell) => runPc(['completion', shell], { configDir })),
    );
    expect(bash!.code).toBe(0);
    execFileSync('bash', ['-n'], { input: bash!.stdout });
    const completed = execFileSync('bash', [
      '-c',
      `${bash!.stdout}\nCOMP_WORDS=(pc licenses deployment --gr); COMP_CWORD=3; _pc_completion; echo "\${COMPREPLY[@]}"`,
    ]).toString();
    expect(completed.trim()).toBe('--groupby');
    expect(zsh!.stdout).toMatch(/^#compdef pc/);
    expect(fish!.stdout).toContain('complete -c pc');
    expect(bad!.code).toBe(2);
  });

  it('lists the modules with their endpoints, filterable and groupable fields', async () => {
    const result = await runPc(['modules', '-o', 'json'], { configDir });
    const rows = JSON.parse(result.stdout) as Record<string, string>[];
    const deployment = rows.find((row) => row.name === 'commercialLicenseDeployment')!;
    expect(deployment.command).toBe('pc licenses deployment');
    expect(deployment.filterable!.split(',')).toContain('customerTenantId');
    expect(deployment.groupable!.split(',')).toContain('serviceCode');
    expect(rows.filter((row) => row.kind === 'insight').map((row) => row.name)).toEqual(
      expect.arrayContaining(['unused-licenses', 'adoption', 'summary', 'trend']),
    );
  });
});

describe('pc mock, pc login, pc status, an external module, pc logout', () => {
  const clientSecret = 'S3cr3t-client-value-9f8e7d';
  const refreshToken = 'RT-initial-refresh-value-1a2b3c';

  it('runs the real token flow against `pc mock`, serves and queries a module endpoint, never printing a secret', async () => {
    // A project that depends on the example module, as a partner's own project would.
    const project = await tempDir('pc-project-');
    await mkdir(join(project, 'node_modules', '@pc'), { recursive: true });
    await symlink(
      join(repoRoot, 'examples', 'analytics-subscriptions'),
      join(project, 'node_modules', '@pc', 'example-analytics-subscriptions'),
    );
    const config = await tempDir('pc-login-');
    const moduleEnv = { PC_MODULES: '@pc/example-analytics-subscriptions' };
    const server = spawn(
      process.execPath,
      [
        binPath,
        'mock',
        '--port',
        '0',
        '--seed',
        '3',
        '--customers',
        '40',
        '--client-secret',
        clientSecret,
        '--refresh-token',
        refreshToken,
      ],
      {
        cwd: project,
        env: { PATH: process.env.PATH ?? '', PC_CONFIG_DIR: config, ...moduleEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const serverExit = new Promise<number | null>((resolve) => server.once('close', resolve));
    const outputs: string[] = [];
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let text = '';
        server.stdout!.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
          const match = /^pc-mock listening on (https:\/\/\S+)$/m.exec(text);
          if (match !== null) resolve(match[1]!);
        });
        let errors = '';
        server.stderr!.on('data', (chunk: Buffer) => {
          errors += chunk.toString('utf8');
        });
        server.once('exit', (code) => reject(new Error(`pc mock exited with ${code}: ${errors}`)));
      });
      const run = async (args: string[], options: { env?: Record<string, string>; input?: string } = {}) => {
        const result = await runPc([...args, '--debug'], {
          timeoutMs: 120_000,
          configDir: config,
          cwd: project,
          env: { ...moduleEnv, PC_CA_FILE: join(config, 'mock-tls', 'cert.pem'), ...options.env },
          ...(options.input !== undefined ? { input: options.input } : {}),
        });
        outputs.push(result.stdout, result.stderr);
        return result;
      };

      // Not logged in yet: exit 4.
      expect((await run(['status'])).code).toBe(4);

      // A wrong secret: the token endpoint refuses it, exit 4, nothing stored.
      const refused = await run(
        [
          'login',
          '--tenant-id',
          'common',
          '--client-id',
          'mock-client-id',
          '--client-secret',
          '-',
          '--refresh-token',
          'RT-wrong-value-000',
          '--authority-url',
          url,
        ],
        { input: `${clientSecret}\n` },
      );
      expect(refused.code).toBe(4);

      const login = await run(
        [
          'login',
          '--tenant-id',
          'common',
          '--client-id',
          'mock-client-id',
          '--client-secret',
          '-',
          '--refresh-token',
          refreshToken,
          '--authority-url',
          url,
          '--base-url',
          url,
        ],
        { input: `${clientSecret}\n` },
      );
      expect(login.code, login.stderr).toBe(0);
      expect(login.stderr).toMatch(/Logged in to tenant/);
      const configPath = join(config, 'config.json');
      expect((await stat(configPath)).mode & 0o777).toBe(0o600);
      const stored = (
        JSON.parse(await readFile(configPath, 'utf8')) as { profiles: Record<string, Record<string, string>> }
      ).profiles.default!;
      expect(stored).toMatchObject({
        tenantId: 'common',
        clientId: 'mock-client-id',
        clientSecret,
        authMode: 'refresh-token',
        baseUrl: url,
      });
      expect(typeof stored.refreshToken).toBe('string');

      const status = await run(['status', '-o', 'json']);
      expect(status.code).toBe(0);
      const info = JSON.parse(status.stdout) as Record<string, unknown>;
      expect(info).toMatchObject({
        loggedIn: true,
        authMode: 'refresh-token',
        clientId: 'mock-client-id',
        baseUrl: url,
      });
      expect(info.tenantId).toMatch(/^[0-9a-f-]{36}$/);
      expect(Date.parse(String(info.tokenExpiresAt))).toBeGreaterThan(Date.now());

      // The module's endpoint is a command, served by `pc mock`, read with the stored credentials.
      const subscriptions = await run(['subscriptions', '--top', '5', '-o', 'json']);
      expect(subscriptions.code, subscriptions.stderr).toBe(0);
      expect(JSON.parse(subscriptions.stdout)).toHaveLength(5);
      const modules = await run(['modules', '-o', 'json']);
      const names = (JSON.parse(modules.stdout) as { module: string; command: string }[]).filter(
        (row) => row.module === 'subscriptions',
      );
      expect(names.map((row) => row.command)).toEqual(expect.arrayContaining(['pc subscriptions']));
      const completion = await run(['completion', 'bash']);
      expect(completion.stdout).toContain('subscriptions');

      // A failing call with --debug: 404, exit 3, still no secret.
      const failing = await run([
        'licenses',
        'deployment',
        '--legacy',
        '--customer',
        '00000000-0000-4000-8000-000000000001',
      ]);
      expect(failing.code).toBe(3);

      // Client credentials (app-only): stored as such; analytics would answer 403 (exit 4).
      const appConfig = await tempDir('pc-app-only-');
      const appOnly = await runPc(
        [
          'login',
          '--tenant-id',
          'common',
          '--client-id',
          'mock-client-id',
          '--authority-url',
          url,
          '--base-url',
          url,
        ],
        {
          configDir: appConfig,
          cwd: project,
          env: { PC_CLIENT_SECRET: clientSecret, PC_CA_FILE: join(config, 'mock-tls', 'cert.pem') },
        },
      );
      outputs.push(appOnly.stdout, appOnly.stderr);
      expect(appOnly.code, appOnly.stderr).toBe(0);
      expect(appOnly.stderr).toMatch(/client-credentials/);
      const appStored = (
        JSON.parse(await readFile(join(appConfig, 'config.json'), 'utf8')) as {
          profiles: Record<string, Record<string, string>>;
        }
      ).profiles.default!;
      expect(appStored).toMatchObject({ authMode: 'client-credentials', clientSecret });
      expect(appStored.refreshToken).toBeUndefined();
      const refusedAppOnly = await runPc(['licenses', 'deployment', '--top', '1'], {
        configDir: appConfig,
        cwd: project,
        env: { PC_CA_FILE: join(config, 'mock-tls', 'cert.pem') },
      });
      outputs.push(refusedAppOnly.stdout, refusedAppOnly.stderr);
      expect(refusedAppOnly.code).toBe(4);

      const afterUse = (
        JSON.parse(await readFile(configPath, 'utf8')) as { profiles: Record<string, Record<string, string>> }
      ).profiles.default!;
      const secrets = [clientSecret, refreshToken, stored.refreshToken!, afterUse.refreshToken!];
      const { clientSecret: _secret, refreshToken: _refresh, ...rest } = afterUse;
      for (const text of [...outputs, JSON.stringify(rest)]) {
        for (const secret of secrets) expect(text).not.toContain(secret);
      }
      expect(outputs.join('\n')).toMatch(/debug: GET /);

      const logout = await run(['logout']);
      expect(logout.code).toBe(0);
      const loggedOut = JSON.parse(await readFile(configPath, 'utf8')) as {
        profiles?: Record<string, Record<string, string>>;
      };
      expect(loggedOut.profiles?.default).toBeUndefined();
      // The profile pc mock logged into is still there.
      expect(loggedOut.profiles?.mock).toBeDefined();
      expect((await run(['status'])).code).toBe(4);
    } finally {
      server.kill('SIGTERM');
    }
    expect(await serverExit).toBe(0);
  }, 600_000);
});

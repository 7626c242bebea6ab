import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { search } from '@jmespath-community/jmespath';
import { type AnalyticsClient, createClient } from '@pc/analytics';
import { startMockServer } from '@pc/mock';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, binPath, repoRoot, runPc, tempDir } from './helpers.js';

type Mock = Awaited<ReturnType<typeof startMockServer>>;

const execFileAsync = promisify(execFile);
/** This machine is shared and slow: generous limits, never a timing assertion. */
const timeoutMs = 150_000;
type Row = Record<string, unknown>;

let mock: Mock;
let client: AnalyticsClient;
let env: Record<string, string>;
let configDir: string;
let deployment: Row[];

/**
 * Names a CSP in Japan, Korea, China or a start-up writes: wide characters and emoji, served by a
 * loopback server of this test (the mock's names are ASCII at this commit).
 */
const wideNames = [
  '株式会社コントソ',
  '주식회사 파브리캄',
  '北京科技有限公司 (China) 北京科技',
  'Fabrikam 🚀 Rocket Ltd',
  'Müller & Söhne Aktiengesellschaft für Büroausstattung',
  'Contoso Pharmaceuticals International GmbH & Co. KG',
];
let wideServer: Server;
let wideUrl: string;

function wideRows(): Row[] {
  return wideNames.map((customerName, index) => ({
    processedDateTime: '2026-11-20T00:00:00Z',
    serviceCode: 'o365',
    serviceName: 'Microsoft Office 365',
    channel: index % 2 === 0 ? 'reseller' : 'indirectReseller',
    customerTenantId: `${String(index).padStart(8, '0')}-9bf1-4a7a-9a54-c0e3b6a2d9f0`,
    customerName,
    productId: `${String(index + 10).padStart(8, '0')}-1bb5-47dd-8120-11324bc54e06`,
    productName: index % 2 === 0 ? 'OFFICE 365 ENTERPRISE E3' : 'MICROSOFT 365 BUSINESS PREMIUM',
    licensesDeployed: 1000 * index + 7,
    licensesSold: 123_456 * (index + 1),
  }));
}

function hasTmux(): boolean {
  return spawnSync('tmux', ['-V']).status === 0;
}

/** tmux is the real terminal these tests draw in: installed here when the machine lacks it. */
function ensureTmux(): void {
  if (hasTmux()) return;
  execFileSync('bash', ['-c', 'apt-get update -qq && apt-get install -y -qq tmux'], { stdio: 'ignore' });
  if (!hasTmux()) throw new Error('tmux could not be installed (apt-get install -y tmux)');
}

beforeAll(async () => {
  assertBuilt();
  ensureTmux();
  mock = await startMockServer({ port: 0, seed: 11, customers: 120, quiet: true });
  client = createClient({
    baseUrl: mock.url,
    accessToken: mock.issueToken(),
    hooks: { onWarning: () => undefined },
  });
  env = { PC_BASE_URL: mock.url, PC_ACCESS_TOKEN: mock.issueToken() };
  configDir = await tempDir();
  deployment = (await client.list('commercialLicenseDeployment').toArray()) as Row[];
  wideServer = createServer((request, response) => {
    const rows = wideRows();
    response.setHeader('content-type', 'application/json; charset=utf-8');
    if (!request.url?.includes('/commercial/deployment/license')) {
      response.statusCode = 404;
      response.end(JSON.stringify({ code: 404, description: 'not here', data: [], source: 'test' }));
      return;
    }
    response.end(JSON.stringify({ Value: rows, '@nextLink': null, TotalCount: rows.length }));
  });
  await new Promise<void>((resolve) => wideServer.listen(0, '127.0.0.1', resolve));
  wideUrl = `http://127.0.0.1:${(wideServer.address() as AddressInfo).port}`;
}, 240_000);

afterAll(async () => {
  await client?.close();
  await mock?.close();
  await new Promise((resolve) => wideServer?.close(resolve));
});

/** Runs a bash command line (pipes and loops as a user types them), without blocking the mock in this process. */
function shell(
  command: string,
  extraEnv: Record<string, string> = {},
): Promise<{ stdout: string; status: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: configDir,
        PC_CONFIG_DIR: configDir,
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(chunks).toString('utf8'), status: code ?? -1 });
    });
  });
}

describe('a closed pipe is not an error', { timeout: 240_000 }, () => {
  it('pc --help | head -1, pc demo | head -1 and a data command end quietly with exit 0', async () => {
    const pc = `node ${binPath}`;
    for (const command of [
      `${pc} --help | head -1; echo "exit=\${PIPESTATUS[0]}"`,
      `${pc} demo | head -1; echo "exit=\${PIPESTATUS[0]}"`,
      `${pc} help output | head -1; echo "exit=\${PIPESTATUS[0]}"`,
      `${pc} licenses deployment -o csv | head -1; echo "exit=\${PIPESTATUS[0]}"`,
    ]) {
      const result = await shell(command, env);
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines, command).toHaveLength(2);
      expect(lines[1], command).toBe('exit=0');
      expect(result.stdout).not.toMatch(/EPIPE|at .*\(/);
    }
  });
});

describe('formats', { timeout: 240_000 }, () => {
  it('-o tsv has no header on a pipe (while read gets data only); --headers forces one; a file keeps it', async () => {
    const loop = await shell(
      `node ${binPath} licenses deployment -o tsv --fields customerName,licensesSold | ` +
        `while IFS=$'\\t' read -r name sold; do echo "$sold"; done`,
      env,
    );
    expect(loop.status).toBe(0);
    const sold = loop.stdout.trimEnd().split('\n').map(Number);
    expect(sold).toEqual(deployment.map((row) => row.licensesSold));
    const forced = await runPc(['licenses', 'deployment', '-o', 'tsv', '--headers', '--top', '2'], {
      env,
      configDir,
      timeoutMs,
    });
    expect(forced.stdout.split('\n')[0]).toMatch(/^processedDateTime\tserviceCode\t/);
    const dir = await tempDir('pc-tsv-');
    const file = await runPc(['licenses', 'deployment', '--top', '2', '--out', join(dir, 'x.tsv')], {
      env,
      configDir,
      timeoutMs,
    });
    expect(file.code).toBe(0);
    expect((await readFile(join(dir, 'x.tsv'), 'utf8')).split('\n')[0]).toMatch(/^processedDateTime\t/);
    const noHeaders = await runPc(['licenses', 'deployment', '-o', 'csv', '--no-headers', '--top', '1'], {
      env,
      configDir,
      timeoutMs,
    });
    expect(noHeaders.stdout.split('\r\n')).toHaveLength(2);
    expect(noHeaders.stdout).not.toMatch(/^processedDateTime/);
  });

  it('-o table on a pipe: the curated columns, plain numbers; -o jsonc is plain JSON; -o md a Markdown table', async () => {
    const table = await runPc(['licenses', 'deployment', '-o', 'table'], { env, configDir, timeoutMs });
    const [header, first] = table.stdout.split('\n');
    expect(header!.split(/\s{2,}/)).toEqual([
      'customerName',
      'productName',
      'serviceCode',
      'channel',
      'licensesSold',
      'licensesDeployed',
    ]);
    const row = deployment[0]!;
    expect(first).toMatch(new RegExp(`\\s${String(row.licensesSold)}\\s+${String(row.licensesDeployed)}$`));
    expect(table.stdout).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    const jsonc = await runPc(['licenses', 'deployment', '-o', 'jsonc'], { env, configDir, timeoutMs });
    expect(JSON.parse(jsonc.stdout)).toEqual(deployment);
    const md = await runPc(['licenses', 'deployment', '-o', 'md', '--fields', 'customername,licensesSold'], {
      env,
      configDir,
      timeoutMs,
    });
    const lines = md.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual(['| customerName | licensesSold |', '| --- | ---: |']);
    expect(lines).toHaveLength(deployment.length + 2);
  });

  it('an --out extension pc does not know is a usage error naming the file; nothing is written', async () => {
    const dir = await tempDir('pc-ext-');
    const result = await runPc(['licenses', 'deployment', '--out', join(dir, 'report.docx')], {
      env,
      configDir,
      timeoutMs,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot tell the format of --out '${join(dir, 'report.docx')}'`);
    expect(await readdir(dir)).toEqual([]);
    const explicit = await runPc(['licenses', 'deployment', '-o', 'csv', '--out', join(dir, 'r.data')], {
      env,
      configDir,
      timeoutMs,
    });
    expect(explicit.code).toBe(0);
    // PC_OUTPUT (a default) gives way to the extension the user typed.
    const fromEnv = await runPc(['licenses', 'deployment', '--out', join(dir, 'r.csv')], {
      env: { ...env, PC_OUTPUT: 'json' },
      configDir,
      timeoutMs,
    });
    expect(fromEnv.code).toBe(0);
    expect((await readFile(join(dir, 'r.csv'), 'utf8')).startsWith('processedDateTime,')).toBe(true);
  });

  it('an --out into a missing folder names the path the user gave, exit 2, no temporary name', async () => {
    const target = '/nonexistent-pc-dir/sub/x.csv';
    const result = await runPc(['licenses', 'deployment', '--out', target], { env, configDir, timeoutMs });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot write --out '${target}': no such directory`);
    expect(result.stderr).not.toContain('.partial');
  });
});

describe('--query, --where and --sort against a reference computed here', { timeout: 240_000 }, () => {
  it('--query per row (a filter projection) equals JMESPath over the whole array', async () => {
    const expression = '[?licensesSold > `100`].customerName';
    const result = await runPc(['licenses', 'deployment', '--query', expression, '-o', 'json'], {
      env,
      configDir,
      timeoutMs,
    });
    expect(result.code).toBe(0);
    const expected = deployment
      .filter((row) => Number(row.licensesSold) > 100)
      .map((row) => row.customerName);
    expect(expected.length).toBeGreaterThan(3);
    expect(JSON.parse(result.stdout)).toEqual(expected);
    expect(JSON.parse(result.stdout)).toEqual(search(deployment as never, expression));
  });

  it('top customers by unused licenses: --groupby, arithmetic and sort_by in --query, tsv for a loop', async () => {
    const expression =
      'reverse(sort_by([].{customer: customerName, unused: licensesSold - licensesDeployed}, &unused))[:5]';
    const result = await runPc(
      [
        'licenses',
        'deployment',
        '--groupby',
        'customerTenantId,customerName',
        '--query',
        expression,
        '-o',
        'tsv',
      ],
      { env, configDir, timeoutMs },
    );
    expect(result.code).toBe(0);
    const perCustomer = new Map<string, { customer: string; unused: number }>();
    for (const row of deployment) {
      const key = String(row.customerTenantId);
      const entry = perCustomer.get(key) ?? { customer: String(row.customerName), unused: 0 };
      entry.unused += Number(row.licensesSold) - Number(row.licensesDeployed);
      perCustomer.set(key, entry);
    }
    const expected = [...perCustomer.values()].sort((a, b) => b.unused - a.unused).slice(0, 5);
    const got = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => {
        const [customer, unused] = line.split('\t');
        return { customer, unused: Number(unused) };
      });
    expect(got.map((entry) => entry.unused)).toEqual(expected.map((entry) => entry.unused));
  });

  it('--where evaluates gt and contains locally after the server filter; --sort orders; --query length', async () => {
    const result = await runPc(
      [
        'licenses',
        'deployment',
        '--filter',
        "SERVICECODE eq 'o365'",
        '--where',
        "licensesSold gt 100 and contains(productName, 'e3')",
        '--sort',
        '-licensesSold,customerName',
        '-o',
        'json',
      ],
      { env, configDir, timeoutMs },
    );
    expect(result.code).toBe(0);
    const expected = deployment
      .filter(
        (row) =>
          String(row.serviceCode).toLowerCase() === 'o365' &&
          Number(row.licensesSold) > 100 &&
          String(row.productName).toLowerCase().includes('e3'),
      )
      .sort(
        (a, b) =>
          Number(b.licensesSold) - Number(a.licensesSold) ||
          String(a.customerName).localeCompare(String(b.customerName), 'en', {
            sensitivity: 'base',
            numeric: true,
          }),
      );
    expect(expected.length).toBeGreaterThan(2);
    expect(JSON.parse(result.stdout)).toEqual(expected);
    const count = await runPc(
      ['licenses', 'deployment', '--where', 'licensesSold gt 100', '--query', 'length(@)', '-o', 'json'],
      { env, configDir, timeoutMs },
    );
    expect(JSON.parse(count.stdout)).toBe(deployment.filter((row) => Number(row.licensesSold) > 100).length);
  });
});

describe('flags and errors', { timeout: 240_000 }, () => {
  it('every changed error: exit 2 with what and where', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['licenses', 'deployment', '--groupby', 'custmerName'],
        /cannot group by 'custmerName' in --groupby \(did you mean customerName\?\)/,
      ],
      [
        ['licenses', 'deployment', '--filter', "custmerName eq 'x'"],
        /unknown field 'custmerName' \(did you mean customerName\?\)/,
      ],
      [
        ['licenses', 'deployment', '--where', 'licensesSld gt 1'],
        /invalid --where: unknown field 'licensesSld' \(did you mean licensesSold\?\)/,
      ],
      [['licenses', 'deployment', '--sort', 'nope'], /unknown field 'nope' in --sort/],
      [
        ['licenses', 'deployment', '--fields', 'custmername'],
        /unknown field 'custmername' in --fields \(did you mean customerName\?\)/,
      ],
      [['licenses', 'deployment', '--query', '[?'], /invalid --query/],
      [
        ['licenses', 'deployment', '--legacy', '--customer', 'not-a-guid'],
        /--customer must be a GUID .* got 'not-a-guid'/,
      ],
      [['insights', 'summary', '--with-meta', '-o', 'csv'], /--with-meta needs -o json, jsonc or yaml/],
    ];
    const results = await Promise.all(cases.map(([argv]) => runPc(argv, { env, configDir, timeoutMs })));
    for (const [index, [argv, message]] of cases.entries()) {
      expect(results[index]!.code, argv.join(' ')).toBe(2);
      expect(results[index]!.stderr, argv.join(' ')).toMatch(message);
      expect(results[index]!.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('groupby names are case-insensitive; insights take --processed-date (and the old spelling)', async () => {
    const grouped = await runPc(['licenses', 'deployment', '--groupby', 'SERVICECODE', '-o', 'json'], {
      env,
      configDir,
      timeoutMs,
    });
    expect(grouped.code).toBe(0);
    expect(Object.keys(JSON.parse(grouped.stdout)[0])).toContain('serviceCode');
    for (const flag of ['--processed-date', '--processed-date-time']) {
      const result = await runPc(
        ['insights', 'unused-licenses', flag, '2026-11-19', '-o', 'json', '--with-meta'],
        {
          env,
          configDir,
        },
      );
      expect(result.code, flag).toBe(0);
      expect(JSON.parse(result.stdout).meta.processedDateTime).toMatch(/^2026-11-19/);
    }
    const help = await runPc(['insights', 'unused-licenses', '--help'], { env, configDir, timeoutMs });
    expect(help.stdout).toContain('--processed-date <date>');
    expect(help.stdout).not.toContain('--processed-date-time');
  });

  it('pc licenses and pc insights alone print their help, exit 0', async () => {
    for (const group of ['licenses', 'insights']) {
      const result = await runPc([group], { env, configDir, timeoutMs });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: pc ${group}`);
    }
  });
});

describe('insights show what they computed', { timeout: 240_000 }, () => {
  it('meta under the table; --with-meta as an envelope; trend names its snapshots; summary keeps seats apart', async () => {
    const summary = await runPc(['insights', 'summary', '--cross-check', '-o', 'table'], {
      env,
      configDir,
      timeoutMs,
    });
    expect(summary.code).toBe(0);
    expect(summary.stdout).toContain('Qualified seats');
    expect(summary.stdout).toMatch(/Cross check:\n\s+service\s+channel\s+commercialSold/);
    expect(summary.stdout).toMatch(/Note: Sold and Deployed count licenses/);
    const envelope = await runPc(['insights', 'trend', '--with-meta', '-o', 'json'], {
      env,
      configDir,
      timeoutMs,
    });
    const parsed = JSON.parse(envelope.stdout);
    expect(parsed).toMatchObject({
      insight: 'trend',
      meta: { from: expect.any(String), to: expect.any(String) },
    });
    expect(parsed.title).toBe(
      `Trend of commercialLicenseDeployment: ${parsed.meta.from.slice(0, 10)} → ${parsed.meta.to.slice(0, 10)}`,
    );
    expect(Array.isArray(parsed.rows)).toBe(true);
    const trendTable = await runPc(['insights', 'trend', '-o', 'table'], { env, configDir, timeoutMs });
    expect(trendTable.stdout).toMatch(/From: 2026-11-19T00:00:00.000Z\nTo: 2026-11-20T00:00:00.000Z/);
    const crossCheck = await runPc(
      [
        'insights',
        'summary',
        '--cross-check',
        '--with-meta',
        '--query',
        'meta.crossCheckMatches',
        '-o',
        'json',
      ],
      { env, configDir, timeoutMs },
    );
    expect(JSON.parse(crossCheck.stdout)).toBe(true);
  });
});

describe('closing line and --verbose', { timeout: 240_000 }, () => {
  it('after a read to a file, stderr says rows, pages, retries, file and time', async () => {
    const dir = await tempDir('pc-close-');
    const target = join(dir, 'deployment.csv');
    const result = await runPc(['licenses', 'deployment', '--out', target, '--page-size', '100'], {
      env: { ...env, CI: '1' },
      configDir,
    });
    expect(result.code).toBe(0);
    const pages = Math.ceil(deployment.length / 100);
    expect(result.stderr).toMatch(
      new RegExp(
        `licenses deployment: ${new Intl.NumberFormat('en-US').format(deployment.length)} rows read, ${pages} pages, 0 retries; written to ${target.replaceAll('.', '\\.')} in \\d+`,
      ),
    );
    const verbose = await runPc(
      ['licenses', 'deployment', '--verbose', '--filter', "channel eq 'reseller'", '-o', 'none'],
      { env, configDir, timeoutMs },
    );
    expect(verbose.stderr).toContain(`GET ${mock.url}/partner/v1/analytics/commercial/deployment/license`);
    expect(verbose.stderr).toContain("filter channel eq 'reseller'");
    expect(verbose.stderr).toMatch(/rows read, \d+ pages?, 0 retries; written to stdout in/);
    const quiet = await runPc(['licenses', 'deployment', '-o', 'none'], { env, configDir, timeoutMs });
    expect(quiet.stderr).toBe('');
  });
});

/** Runs pc in a real terminal (tmux) of this size and returns the screen, plain and with wrapped lines joined. */
async function inTmux(
  args: readonly string[],
  columns: number,
  extraEnv: Record<string, string>,
): Promise<{ screen: string; joined: string }> {
  const socket = `pc-e2e-${process.pid}-${columns}-${args.length}`;
  const tmux = async (...tmuxArgs: string[]): Promise<string> =>
    (await execFileAsync('tmux', ['-L', socket, '-f', '/dev/null', ...tmuxArgs], { encoding: 'utf8' }))
      .stdout;
  const assignments = Object.entries({
    ...extraEnv,
    PC_CONFIG_DIR: configDir,
    HOME: configDir,
    LANG: 'C.UTF-8',
  })
    .map(([key, value]) => `${key}='${value}'`)
    .join(' ');
  const command = `clear; env ${assignments} node ${binPath} ${args.map((arg) => `'${arg}'`).join(' ')}; echo __PC_DONE__; sleep 300`;
  await tmux('new-session', '-d', '-x', String(columns), '-y', '50', '-s', 'pc', command);
  try {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = await tmux('capture-pane', '-p', '-t', 'pc');
      if (screen.includes('__PC_DONE__')) break;
      await sleep(300);
    }
    const joined = await tmux('capture-pane', '-p', '-J', '-t', 'pc');
    return { screen, joined };
  } finally {
    await tmux('kill-server');
  }
}

describe('tables in a real terminal (tmux) with CJK and emoji names', { timeout: 240_000 }, () => {
  for (const columns of [80, 160]) {
    it(`at ${columns} columns: one line per row, aligned by display width, numbers whole, names before ids`, async () => {
      const { screen, joined } = await inTmux(['licenses', 'deployment'], columns, {
        PC_BASE_URL: wideUrl,
        PC_ACCESS_TOKEN: 'test-token',
        PATH: process.env.PATH ?? '',
      });
      const body = screen.slice(0, screen.indexOf('__PC_DONE__')).replace(/\s+$/, '');
      const lines = body.split('\n').filter((line) => line.trim() !== '');
      // Never wrapped: the same screen with wrapped lines joined, and one line per row plus the header.
      expect(joined.slice(0, joined.indexOf('__PC_DONE__')).replace(/\s+$/, '')).toBe(body);
      expect(lines).toHaveLength(wideNames.length + 1);
      for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(columns);
      // Right-aligned numbers end in the same terminal column on every line, CJK included.
      expect(new Set(lines.map((line) => stringWidth(line.trimEnd()))).size).toBe(1);
      for (const [index, row] of wideRows().entries()) {
        const line = lines[index + 1]!;
        expect(line).toContain(new Intl.NumberFormat('en-US').format(Number(row.licensesSold)));
        expect(line).toContain(new Intl.NumberFormat('en-US').format(Number(row.licensesDeployed)));
        // Names come first, at least their beginning.
        expect(line.startsWith(String(row.customerName).slice(0, 3))).toBe(true);
      }
      if (columns === 160) {
        for (const name of wideNames.slice(0, 4)) expect(body).toContain(name);
      }
      expect(body).not.toMatch(/[0-9a-f]{8}-9bf1-/);
    });
  }

  it('--fields brings the ids back; at 80 columns ids shrink before names', async () => {
    const { screen } = await inTmux(
      ['licenses', 'deployment', '--fields', 'customerName,customerTenantId,licensesSold'],
      80,
      { PC_BASE_URL: wideUrl, PC_ACCESS_TOKEN: 'test-token', PATH: process.env.PATH ?? '' },
    );
    const lines = screen.slice(0, screen.indexOf('__PC_DONE__')).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^customerName\s+customerT\S*…\s+licensesSold$/);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    expect(screen).toContain('株式会社コントソ');
    expect(screen).toContain('Fabrikam 🚀 Rocket Ltd');
    expect(screen).toContain('Müller & Söhne Aktiengesellschaft für Büroausstattung');
  });
});

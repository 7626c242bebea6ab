import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { mockDefaults } from './defaults.js';
import { flagName, parseProfile, readSwitchFlag, switchDocs, switchHelp } from './internal/profiles.js';
import type { MockServerOptions } from './server.js';
import { startMockServer } from './server.js';

const help = `Usage: pc-mock [options]

A faithful, fast and faulty-on-demand Partner Center (licenses analytics) mock.

Options:
  --port <n>              port (default ${mockDefaults.port}; 0 = a free port)
  --host <host>           interface (default ${mockDefaults.host})
  --seed <n>              data seed (default ${mockDefaults.seed})
  --customers <n>         customers per partner tenant (default ${mockDefaults.customers})
  --snapshots <n>         daily processing snapshots kept (default ${mockDefaults.snapshots})
  --faults <spec>         fault probabilities, e.g. 429=0.1,503=0.05,reset=0.02,truncate=0.02,slow=0.05
                          (also retry-after=<s>, slow-ms=<ms>)
  --fault-seed <n>        seed of the fault and latency draws (default: --seed)
  --latency <ms|min-max>  latency added to API answers
  --rate-limit <n>/<s>    requests per window per partner tenant, e.g. 100/10
  --client-id <id>        accepted client id (default ${mockDefaults.clientId})
  --client-secret <s>     accepted client secret (default ${mockDefaults.clientSecret})
  --refresh-token <t>     accepted refresh token (default ${mockDefaults.refreshToken})
  --admin-token <t>       bearer token guarding /_mock/ (default: open on loopback)
  --partner-tenant <id>   default partner tenant GUID
  --processed-date <d>    day of the latest snapshot (default ${mockDefaults.processedDate})
  --tls                   serve HTTPS on a certificate generated at start (prints 'pc-mock ca PATH')
  --tls-dir <dir>         keep the certificate in <dir> and reuse it on restart (implies --tls)
  --auto-approve          approve every device code at once (else POST /_mock/device/approve)
  --client-certificate <pem-file>  register a certificate on the app (repeatable)
  --quiet                 no log lines on stderr
  -h, --help              show this help

Profiles and switches (in brackets: the evidence rows of fidelity-findings.md they follow):
  --profile <name>        ideal (the docs' examples as written) or realistic (what the evidence
                          shows the real service sends); default ${mockDefaults.profile}. It sets the
                          switches' defaults; each switch given wins over it
${switchHelp()}

Per request: header x-pc-mock-fault: 429;retry-after=2 | 503 | reset | truncate[;mode=length|chunked|socket]
  | bom | slow[;ms=N] | hang | empty | no-content (204).  Admin: /_mock/faults, /_mock/reset, /_mock/journal,
  /_mock/snapshots/advance, /_mock/device/approve, /_mock/revoke.  Entra: /{tenant}/v2.0/.well-known/
  openid-configuration, /common/discovery/instance, /{tenant}/oauth2/v2.0/{token,devicecode,authorize}.  Contract: GET /openapi.json.
`;

const flagOptions = {
  port: { type: 'string' },
  host: { type: 'string' },
  seed: { type: 'string' },
  customers: { type: 'string' },
  snapshots: { type: 'string' },
  faults: { type: 'string' },
  'fault-seed': { type: 'string' },
  latency: { type: 'string' },
  'rate-limit': { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'refresh-token': { type: 'string' },
  'admin-token': { type: 'string' },
  'partner-tenant': { type: 'string' },
  'processed-date': { type: 'string' },
  quiet: { type: 'boolean' },
  profile: { type: 'string' },
  tls: { type: 'boolean' },
  'tls-dir': { type: 'string' },
  'auto-approve': { type: 'boolean' },
  'client-certificate': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

function integerFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim())) throw new Error(`--${name} expects an integer, got '${value}'`);
  return Number(value);
}

/**
 * Parses the `pc-mock` flags (shared with `pc mock`) into server options.
 * @throws Error with a message naming the bad flag.
 */
export function parseMockFlags(argv: readonly string[]): MockServerOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      ...flagOptions,
      ...Object.fromEntries(switchDocs.map((doc) => [flagName(doc), { type: 'string' as const }])),
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new Error(`unexpected argument '${positionals[0]}'`);
  const options: { -readonly [K in keyof MockServerOptions]: MockServerOptions[K] } = {};
  const port = integerFlag('port', values.port);
  if (port !== undefined) options.port = port;
  if (values.host !== undefined) options.host = values.host;
  const seed = integerFlag('seed', values.seed);
  if (seed !== undefined) options.seed = seed;
  const customers = integerFlag('customers', values.customers);
  if (customers !== undefined) options.customers = customers;
  const snapshots = integerFlag('snapshots', values.snapshots);
  if (snapshots !== undefined) options.snapshots = snapshots;
  if (values.faults !== undefined) options.faults = values.faults;
  const faultSeed = integerFlag('fault-seed', values['fault-seed']);
  if (faultSeed !== undefined) options.faultSeed = faultSeed;
  if (values.latency !== undefined) options.latency = values.latency;
  if (values['rate-limit'] !== undefined) options.rateLimit = values['rate-limit'];
  if (values['client-id'] !== undefined) options.clientId = values['client-id'];
  if (values['client-secret'] !== undefined) options.clientSecret = values['client-secret'];
  if (values['refresh-token'] !== undefined) options.refreshToken = values['refresh-token'];
  if (values['admin-token'] !== undefined) options.adminToken = values['admin-token'];
  if (values['partner-tenant'] !== undefined) options.partnerTenantId = values['partner-tenant'];
  if (values['processed-date'] !== undefined) options.processedDate = values['processed-date'];
  if (values.quiet === true) options.quiet = true;
  if (values.profile !== undefined) options.profile = parseProfile(values.profile);
  // The behaviour switches are declared once (profiles.ts): their flags, values and help derive from it.
  const switchValues = values as Readonly<Record<string, string | undefined>>;
  for (const doc of switchDocs) {
    const text = switchValues[flagName(doc)];
    if (text !== undefined) (options as Record<string, unknown>)[doc.option] = readSwitchFlag(doc, text);
  }
  if (values.tls === true) options.tls = true;
  if (values['tls-dir'] !== undefined) options.tlsDir = values['tls-dir'];
  if (values['auto-approve'] === true) options.autoApprove = true;
  const certificates = values['client-certificate'];
  if (certificates !== undefined && certificates.length > 0) {
    options.clientCertificates = certificates.map((path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch (error) {
        throw new Error(`--client-certificate ${path}: ${(error as Error).message}`);
      }
    });
  }
  return options;
}

/**
 * The `pc-mock` command line: starts the server, prints `pc-mock listening on http://HOST:PORT`
 * as its first stdout line, and resolves once SIGINT/SIGTERM has shut it down (2 on bad flags).
 */
export async function main(argv: readonly string[]): Promise<number | undefined> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(help);
    return 0;
  }
  let options: MockServerOptions;
  try {
    options = parseMockFlags(argv);
  } catch (error) {
    process.stderr.write(`pc-mock: ${error instanceof Error ? error.message : String(error)}\n\n${help}`);
    return 2;
  }
  // Listen for the signals before starting, so that one arriving at any point shuts the server down.
  let signalled: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    signalled = resolve;
  });
  const stop = () => signalled();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    let server: Awaited<ReturnType<typeof startMockServer>>;
    try {
      server = await startMockServer(options);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`pc-mock: ${message}\n`);
      return /must be|expected|invalid|unknown|add up/i.test(message) ? 2 : 1;
    }
    process.stdout.write(`pc-mock listening on ${server.url}\n`);
    if (server.caFile !== undefined) process.stdout.write(`pc-mock ca ${server.caFile}\n`);
    if (options.quiet !== true) {
      process.stderr.write(
        `pc-mock: profile ${options.profile ?? mockDefaults.profile}, seed ${options.seed ?? mockDefaults.seed}, ${options.customers ?? mockDefaults.customers} customers; client id ${options.clientId ?? mockDefaults.clientId}, refresh token ${options.refreshToken ?? mockDefaults.refreshToken}; token endpoint ${server.url}/common/oauth2/token${options.autoApprove === true ? '; device codes approved at once' : ''}\n`,
      );
    }
    await stopped;
    await server.close();
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

import type { EndpointDescriptor, MockDataGenerator } from '@pc/models';
import { mockDefaults } from '../defaults.js';
import type { MockServerOptions } from '../server.js';
import { type FaultSpec, parseFaultSpec, validateFaultSpec } from './faults.js';
import { type MockProfile, parseProfile, type Realism, resolveSwitches } from './profiles.js';
import { parseRateLimit, type RateLimit, validateRateLimit } from './rateLimit.js';

/** Latency added to API answers: uniform in `[minMs, maxMs]`. */
export interface LatencyRange {
  readonly minMs: number;
  readonly maxMs: number;
}

/** Every option with its default applied and its text forms parsed. */
export interface ResolvedOptions {
  readonly port: number;
  readonly host: string;
  readonly seed: number;
  readonly customers: number;
  readonly snapshots: number;
  readonly faults: FaultSpec;
  readonly faultSeed: number;
  readonly latency: LatencyRange | undefined;
  readonly rateLimit: RateLimit | undefined;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  readonly adminToken: string | undefined;
  readonly partnerTenantId: string;
  readonly processedDate: string;
  readonly extraEndpoints: readonly {
    readonly descriptor: EndpointDescriptor;
    readonly generate: MockDataGenerator;
  }[];
  readonly quiet: boolean;
  /** Approve every device code as soon as it is issued. */
  readonly autoApprove: boolean;
  /** PEM certificates registered on the app (client assertions signed with them authenticate it). */
  readonly clientCertificates: readonly string[];
  /** Serve HTTPS with a generated certificate. */
  readonly tls: boolean;
  /** Where the generated certificate is kept (and reused from); `undefined`: a fresh temporary folder. */
  readonly tlsDir: string | undefined;
  /** The profile the switches started from. */
  readonly profile: MockProfile;
  /** Every behaviour switch: the profile's defaults with the options given applied. */
  readonly realism: Realism;
}

/** The profile's switches with the options given applied. @throws Error naming the bad option. */
export function resolveRealism(options: MockServerOptions): { profile: MockProfile; realism: Realism } {
  const profile = parseProfile(options.profile ?? mockDefaults.profile);
  return { profile, realism: resolveSwitches(profile, options as Readonly<Record<string, unknown>>) };
}

/** Parses `50` or `20-200` (milliseconds). */
export function parseLatency(text: string): LatencyRange {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:ms)?\s*(?:-\s*(\d+(?:\.\d+)?)\s*(?:ms)?)?\s*$/.exec(text);
  if (match === null)
    throw new Error(`invalid latency '${text}': expected <ms> or <min>-<max>, e.g. 50 or 20-200`);
  return validateLatency({ minMs: Number(match[1]), maxMs: Number(match[2] ?? match[1]) });
}

function validateLatency(latency: LatencyRange): LatencyRange {
  if (!(latency.minMs >= 0) || !(latency.maxMs >= latency.minMs))
    throw new Error('latency: expected 0 <= min <= max');
  return latency;
}

function integerOption(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Applies defaults and checks every option. @throws Error naming the bad option. */
export function resolveOptions(options: MockServerOptions): ResolvedOptions {
  const seed = integerOption('seed', options.seed ?? mockDefaults.seed, -2147483648, 4294967295);
  const latency =
    options.latency === undefined
      ? undefined
      : typeof options.latency === 'string'
        ? parseLatency(options.latency)
        : typeof options.latency === 'number'
          ? validateLatency({ minMs: options.latency, maxMs: options.latency })
          : validateLatency(options.latency);
  const rateLimit =
    options.rateLimit === undefined
      ? undefined
      : typeof options.rateLimit === 'string'
        ? parseRateLimit(options.rateLimit)
        : validateRateLimit(options.rateLimit);
  const partnerTenantId = (options.partnerTenantId ?? mockDefaults.partnerTenantId).toLowerCase();
  if (!guidPattern.test(partnerTenantId))
    throw new Error(`partnerTenantId must be a GUID, got '${partnerTenantId}'`);
  const extraEndpoints = options.extraEndpoints ?? [];
  for (const extra of extraEndpoints) {
    if (typeof extra.generate !== 'function')
      throw new Error(`extraEndpoints: ${extra.descriptor.id} has no generate function`);
  }
  return {
    port: integerOption('port', options.port ?? mockDefaults.port, 0, 65535),
    host: options.host ?? mockDefaults.host,
    seed,
    customers: integerOption('customers', options.customers ?? mockDefaults.customers, 1, 10_000_000),
    snapshots: integerOption('snapshots', options.snapshots ?? mockDefaults.snapshots, 1, 366),
    faults:
      options.faults === undefined
        ? {}
        : typeof options.faults === 'string'
          ? parseFaultSpec(options.faults)
          : validateFaultSpec(options.faults),
    faultSeed: integerOption('faultSeed', options.faultSeed ?? seed, -2147483648, 4294967295),
    latency,
    rateLimit,
    clientId: options.clientId ?? mockDefaults.clientId,
    clientSecret: options.clientSecret ?? mockDefaults.clientSecret,
    refreshToken: options.refreshToken ?? mockDefaults.refreshToken,
    adminToken: options.adminToken === '' ? undefined : options.adminToken,
    partnerTenantId,
    processedDate: options.processedDate ?? mockDefaults.processedDate,
    extraEndpoints,
    quiet: options.quiet ?? false,
    ...resolveRealism(options),
    autoApprove: options.autoApprove ?? false,
    clientCertificates: options.clientCertificates ?? [],
    tls: options.tls ?? options.tlsDir !== undefined,
    tlsDir: options.tlsDir,
  };
}

import type { EndpointDescriptor, MockDataGenerator } from '@pc/models';
import { mockDefaults } from '../defaults.js';
import { type FaultSpec, parseFaultSpec, validateFaultSpec } from './faults.js';
import {
  type ErrorStyle,
  type GroupedMeasures,
  type GroupedOrder,
  type LegacyE6,
  type LegacyNextLink,
  type MockProfile,
  type NextLinkStyle,
  parseProfile,
  type QuirkRates,
  type Realism,
  resolveSwitches,
  type ServiceDates,
} from './profiles.js';
import { parseRateLimit, type RateLimit, validateRateLimit } from './rateLimit.js';

/** Another team's endpoint for the mock to serve: its descriptor and the generator of its rows. */
export interface ExtraEndpoint {
  readonly descriptor: EndpointDescriptor;
  readonly generate: MockDataGenerator;
}

/** How to start the mock; every field has a default (see {@link mockDefaults}). */
export interface MockServerOptions {
  /** Port (default 4010; `0` = a free port). */
  readonly port?: number;
  /** Interface (default `127.0.0.1`). */
  readonly host?: string;
  /** Data seed (default 1): the same seed gives byte-identical data. */
  readonly seed?: number;
  /** Customers per partner tenant (default 1000; about 10 deployment rows each). */
  readonly customers?: number;
  /** Daily processing snapshots kept (default 3). */
  readonly snapshots?: number;
  /** Probabilistic faults, e.g. `429=0.1,503=0.05,reset=0.02,truncate=0.02,slow=0.05`. */
  readonly faults?: string | FaultSpec;
  /** Seed of the fault and latency draws (default: `seed`). */
  readonly faultSeed?: number;
  /** Latency added to API answers: ms, `min-max` text, or a range. */
  readonly latency?: number | { readonly minMs: number; readonly maxMs: number } | string;
  /** Requests per window per partner tenant: `100/10` or `{requests, perSeconds}`. */
  readonly rateLimit?: { readonly requests: number; readonly perSeconds: number } | string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly refreshToken?: string;
  /** Bearer token that guards `/_mock/`; without one the admin API answers loopback callers only. */
  readonly adminToken?: string;
  /** Partner tenant of tokens minted for `common` or by `issueToken()` (default a fixed GUID). */
  readonly partnerTenantId?: string;
  /** Day of the latest snapshot at start-up, `YYYY-MM-DD` (default fixed, for reproducible runs). */
  readonly processedDate?: string;
  /** More endpoints to serve, each a descriptor made with `defineEndpoint` and a data generator. */
  readonly extraEndpoints?: readonly ExtraEndpoint[];
  /** No log lines on stderr. */
  readonly quiet?: boolean;
  /**
   * The world to serve: `ideal` (the docs' examples as written; the default for now) or
   * `realistic` (what the evidence shows the real service sends). It only sets the defaults of the
   * switches below; each switch given here wins over the profile.
   */
  readonly profile?: MockProfile;
  /**
   * Most rows a page holds whatever `top` asks (evidence A6, A7); `0` = no cap (a page is `top`
   * rows). Default: none in `ideal`, 2000 in `realistic`. `@nextLink` stays non-null while rows
   * remain and `TotalCount` counts the whole result.
   */
  readonly pageCap?: number;
  /**
   * How `@nextLink` is written (evidence A6): `absolute` (origin + path + query as sent),
   * `relative` (path + query), `relative-raw` (relative, with literal spaces and quotes).
   * Default: `absolute` in `ideal`, `relative-raw` in `realistic`.
   */
  readonly nextLinkStyle?: NextLinkStyle;
  /** A UTF-8 BOM before every API body (evidence A11). Default: off in `ideal`, on in `realistic`. */
  readonly bom?: boolean;
  /**
   * `uniform` (one `processedDateTime` for every row) or `per-service` (evidence A1: crm rows lag
   * o365 rows by `crmLagDays`, o365 carries a time of day, and `advanceSnapshot()` moves one service
   * at a time, o365 first). Default: `uniform` in `ideal`, `per-service` in `realistic`.
   */
  readonly serviceDates?: ServiceDates;
  /** Days crm lags o365 with `per-service` dates, 0..30 (default 2). */
  readonly crmLagDays?: number;
  /**
   * Rates (0..1) of the data quirks, as text (`over-usage=0.03,license-active=0.05`, `none`) or an
   * object; the rates given replace the profile's (evidence A2, A3, A8, A13, A14). Default: none
   * in `ideal`; in `realistic` see `profileDefaults.realistic.quirks`.
   */
  readonly quirks?: string | QuirkRates;
  /** Grouped rows carry `processedDateTime` (evidence A8). Default: on in `ideal`, off in `realistic`. */
  readonly groupedProcessedDateTime?: boolean;
  /** Grouped measures as `number`s or numeric `string`s (evidence A8). Default: number / string. */
  readonly groupedMeasures?: GroupedMeasures;
  /** Grouped rows in `first-seen` or group-`key` order (evidence A8). Default: first-seen / key. */
  readonly groupedOrder?: GroupedOrder;
  /** The customer deployment endpoint (E6) answers its rows (`live`) or an empty collection (`empty`, evidence A12). */
  readonly legacyE6?: LegacyE6;
  /**
   * Legacy collections page with `links.next` (`uri` relative to `/v1` or to the root) and an
   * `MS-ContinuationToken` header the next request must send (research §5.1), or not (`none`).
   * Default: `none` in `ideal`, `v1` in `realistic`.
   */
  readonly legacyNextLink?: LegacyNextLink;
  /** Items per legacy page when legacy collections page (default 20). */
  readonly legacyPageSize?: number;
  /** The 400 body of a bad analytics query: `partner-center` or `analytics` (evidence A9). */
  readonly errorStyle?: ErrorStyle;
  /** Approve every device code as soon as it is issued (default false: `POST /_mock/device/approve`). */
  readonly autoApprove?: boolean;
  /**
   * PEM certificates (the text, not a path) registered on the mock's app: a client assertion
   * signed with one of their keys authenticates the client, as a certificate credential does in Entra.
   */
  readonly clientCertificates?: readonly string[];
  /**
   * Serve HTTPS on a certificate generated at start (MSAL insists on an https authority). The
   * certificate is self-signed for `127.0.0.1`, `::1` and `localhost`; trust its PEM, {@link MockServer.caFile}.
   */
  readonly tls?: boolean;
  /**
   * Keep the generated certificate in this folder (`cert.pem`, `key.pem`) and reuse it on the next
   * start while it is valid, so that a client trusting it keeps working across restarts. Implies `tls`.
   */
  readonly tlsDir?: string;
}

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
    snapshots: integerOption('snapshots', options.snapshots ?? mockDefaults.snapshots, 1, 3660),
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

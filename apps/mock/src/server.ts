import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { EndpointDescriptor, MockDataGenerator } from '@pc/models';
import { MockApp } from './internal/app.js';
import { type FaultSpec, parseFaultSpec, validateFaultSpec } from './internal/faults.js';
import type { JournalEntry } from './internal/journal.js';
import { resolveOptions } from './internal/options.js';
import type {
  ErrorStyle,
  GroupedMeasures,
  GroupedOrder,
  LegacyE6,
  LegacyNextLink,
  MockProfile,
  NextLinkStyle,
  QuirkRates,
  ServiceDates,
} from './internal/profiles.js';
import { loopbackCertificate } from './internal/tlsCertificate.js';

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

/** Options of {@link MockServer.issueToken}. */
export interface IssueTokenOptions {
  /** Partner tenant (default the server's). */
  readonly tenantId?: string;
  /** An app-only token (refused with 403 by the analytics endpoints). */
  readonly appOnly?: boolean;
  /** Include the MFA claim (default true; without it the API answers 401 / 900421). */
  readonly mfa?: boolean;
  /** Lifetime (default 3599; negative for an already expired token). */
  readonly expiresInSeconds?: number;
}

/** A running mock and its control methods. */
export interface MockServer {
  /** `http://127.0.0.1:PORT` or `https://…` with `tls` (no trailing slash): the API base URL and the Entra authority. */
  readonly url: string;
  /** With `tls`: the PEM file of the certificate to trust (`NODE_EXTRA_CA_CERTS`, `pc --ca-file`). */
  readonly caFile: string | undefined;
  /** With `tls`: the certificate's PEM text. */
  readonly ca: string | undefined;
  /** Approves a pending device code by its user code; false when there is none such. */
  approveDeviceCode(userCode: string): boolean;
  /** Ends every sign-in session: refresh and access tokens issued until now are refused. */
  revokeSessions(): void;
  /** The default partner tenant. */
  readonly partnerTenantId: string;
  /** A signed access token, App+User with MFA by default. */
  issueToken(options?: IssueTokenOptions): string;
  /** Replaces the probabilistic faults (`''` = none). */
  setFaults(spec: string | FaultSpec): void;
  /** A new processing snapshot becomes the latest (a data refresh). */
  advanceSnapshot(): void;
  /** The requests received, oldest first. */
  journal(): readonly JournalEntry[];
  /** Empties the journal. */
  resetJournal(): void;
  /** Faults, rate-limit state, journal and snapshots back to the start. */
  reset(): void;
  /** Stops listening and drops open connections (hanging ones too). */
  close(): Promise<void>;
}

/**
 * Starts the Partner Center mock on loopback (by default) and resolves once it listens.
 * @example
 * const server = await startMockServer({ port: 0, customers: 100 });
 * const token = server.issueToken();
 * const res = await fetch(`${server.url}/partner/v1/analytics/commercial/usage/license?top=5`, {
 *   headers: { authorization: `Bearer ${token}` },
 * });
 * await server.close();
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const resolved = resolveOptions(options);
  const app = new MockApp(resolved);
  const tls = resolved.tls ? await loopbackCertificate({ dir: resolved.tlsDir }) : undefined;
  const handler = (req: Parameters<MockApp['handle']>[0], res: Parameters<MockApp['handle']>[1]) => {
    void app.handle(req, res);
  };
  const server =
    tls === undefined
      ? createServer({ keepAliveTimeout: 5000 }, handler)
      : createHttpsServer({ keepAliveTimeout: 5000, key: tls.key, cert: tls.cert }, handler);
  server.on('clientError', (error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy(error);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host =
    address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  const url = `${tls === undefined ? 'http' : 'https'}://${host}:${address.port}`;
  app.baseUrl = url;
  app.warmUp();
  let closing: Promise<void> | undefined;
  return {
    url,
    partnerTenantId: resolved.partnerTenantId,
    caFile: tls?.certFile,
    ca: tls?.cert,
    approveDeviceCode(userCode) {
      return app.directory.approve(userCode);
    },
    revokeSessions() {
      app.revokeSessions();
    },
    issueToken(issue = {}) {
      return app.issuer.mint({
        tenantId: (issue.tenantId ?? resolved.partnerTenantId).toLowerCase(),
        clientId: resolved.clientId,
        ...(issue.appOnly === undefined ? {} : { appOnly: issue.appOnly }),
        ...(issue.mfa === undefined ? {} : { mfa: issue.mfa }),
        ...(issue.expiresInSeconds === undefined ? {} : { expiresInSeconds: issue.expiresInSeconds }),
      }).token;
    },
    setFaults(spec) {
      app.setFaults(typeof spec === 'string' ? parseFaultSpec(spec) : validateFaultSpec(spec));
    },
    advanceSnapshot() {
      app.snapshots.advance();
    },
    journal() {
      return app.journal.list();
    },
    resetJournal() {
      app.journal.clear();
    },
    reset() {
      app.reset();
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        app.stopTimers();
        server.close((error) => {
          const done = tls?.dispose() ?? Promise.resolve();
          done.then(() => (error === undefined ? resolve() : reject(error)), reject);
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { handleAdmin } from './internal/admin.js';
import { MockApp } from './internal/app.js';
import { type FaultSpec, parseFaultSpec, validateFaultSpec } from './internal/faults.js';
import type { JournalEntry } from './internal/journal.js';
import { type MockServerOptions, resolveOptions } from './internal/options.js';
import { loopbackCertificate } from './internal/tlsCertificate.js';

export type { ExtraEndpoint, MockServerOptions } from './internal/options.js';

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
  const app = new MockApp(resolved, handleAdmin);
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

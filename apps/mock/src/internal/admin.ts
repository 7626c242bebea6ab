import type { IncomingMessage } from 'node:http';
import type { MockApp } from './app.js';
import { readBody } from './app.js';
import { type FaultSpec, parseFaultSpec, printFaultSpec, validateFaultSpec } from './faults.js';
import { partnerCenterError } from './httpError.js';

/** An admin answer: status and JSON body. */
export interface AdminAnswer {
  readonly status: number;
  readonly body: unknown;
}

function isLoopback(address: string | undefined): boolean {
  return (
    address === '127.0.0.1' ||
    address === '::1' ||
    address === '::ffff:127.0.0.1' ||
    (address?.startsWith('127.') ?? false)
  );
}

function snapshotsBody(app: MockApp) {
  return {
    snapshots: app.snapshots.list().map((snapshot) => snapshot.processedDateTime),
    // Per-service dates (A1): each service's kept processedDateTime values, latest first.
    ...(app.snapshots.serviceDays() === undefined ? {} : { services: app.snapshots.serviceDays() }),
    latest: app.snapshots.latest().processedDateTime,
  };
}

async function faultSpecFromBody(req: IncomingMessage): Promise<FaultSpec> {
  const text = (await readBody(req)).trim();
  try {
    if (text.startsWith('{')) {
      const parsed = JSON.parse(text) as unknown;
      if (
        typeof parsed === 'object' &&
        parsed !== null &&
        'spec' in parsed &&
        typeof parsed.spec === 'string'
      ) {
        return parseFaultSpec(parsed.spec);
      }
      return validateFaultSpec(parsed as FaultSpec);
    }
    return parseFaultSpec(text.replace(/^"|"$/g, ''));
  } catch (error) {
    throw partnerCenterError({
      status: 400,
      code: 800002,
      description: `Invalid fault spec: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}

/**
 * The runtime control API under `/_mock/`: `GET|PUT /_mock/faults`, `POST /_mock/reset`,
 * `GET|DELETE /_mock/journal`, `GET /_mock/snapshots`, `POST /_mock/snapshots/advance`,
 * `POST /_mock/token` (mint an access token), `GET /_mock/device` (user codes waiting),
 * `POST /_mock/device/approve` (`{"user_code": "…"}`), `POST /_mock/revoke` (end every sign-in session). Guarded by `Authorization: Bearer <admin token>`
 * when one is configured, otherwise open to loopback callers only.
 * @throws MockHttpError
 */
export async function handleAdmin(options: {
  readonly app: MockApp;
  readonly req: IncomingMessage;
  readonly url: URL;
}): Promise<AdminAnswer> {
  const { app, req, url } = options;
  const adminToken = app.options.adminToken;
  if (adminToken !== undefined) {
    const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (given !== adminToken) {
      throw partnerCenterError({
        status: 401,
        code: 401,
        description: 'The admin API needs Authorization: Bearer <admin token>.',
        headers: { 'WWW-Authenticate': 'Bearer realm="pc-mock admin"' },
      });
    }
  } else if (!isLoopback(req.socket.remoteAddress)) {
    throw partnerCenterError({
      status: 403,
      code: 403,
      description: 'Without an admin token, the admin API answers loopback callers only.',
    });
  }
  const route = `${req.method ?? 'GET'} ${url.pathname.replace(/\/+$/, '')}`;
  switch (route) {
    case 'GET /_mock/faults':
      return {
        status: 200,
        body: { spec: printFaultSpec(app.faults.current()), faults: app.faults.current() },
      };
    case 'PUT /_mock/faults':
    case 'POST /_mock/faults': {
      app.setFaults(await faultSpecFromBody(req));
      return {
        status: 200,
        body: { spec: printFaultSpec(app.faults.current()), faults: app.faults.current() },
      };
    }
    case 'POST /_mock/reset':
      app.reset();
      return { status: 200, body: { reset: true, ...snapshotsBody(app) } };
    case 'GET /_mock/journal':
      return { status: 200, body: { entries: app.journal.list() } };
    case 'DELETE /_mock/journal':
      app.journal.clear();
      return { status: 200, body: { entries: [] } };
    case 'GET /_mock/snapshots':
      return { status: 200, body: snapshotsBody(app) };
    case 'POST /_mock/snapshots/advance':
      app.snapshots.advance();
      return { status: 200, body: snapshotsBody(app) };
    case 'POST /_mock/device/approve': {
      const text = (await readBody(req)).trim();
      let userCode: unknown;
      try {
        userCode = (JSON.parse(text) as { user_code?: unknown } | null)?.user_code;
      } catch {
        userCode = undefined;
      }
      if (typeof userCode !== 'string' || userCode === '') {
        throw partnerCenterError({
          status: 400,
          code: 800002,
          description: 'Expected a JSON body {"user_code": "…"} naming the code to approve.',
        });
      }
      if (!app.directory.approve(userCode)) {
        throw partnerCenterError({
          status: 404,
          code: 404,
          description: `No pending device code has the user code '${userCode.slice(0, 32).replace(/[^A-Za-z0-9-]/g, '')}'.`,
        });
      }
      return { status: 200, body: { approved: true } };
    }
    case 'GET /_mock/device':
      return { status: 200, body: { pending: app.directory.pendingUserCodes() } };
    case 'POST /_mock/revoke':
      app.revokeSessions();
      return { status: 200, body: { revoked: true } };
    case 'POST /_mock/token': {
      const text = (await readBody(req)).trim();
      let body: { tenantId?: string; appOnly?: boolean; mfa?: boolean; expiresInSeconds?: number };
      try {
        body = (text === '' ? {} : JSON.parse(text)) as typeof body;
      } catch (error) {
        throw partnerCenterError({
          status: 400,
          code: 800002,
          description: `Invalid token request: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
      const { token, claims } = app.issuer.mint({
        tenantId: (body.tenantId ?? app.options.partnerTenantId).toLowerCase(),
        clientId: app.options.clientId,
        ...(body.appOnly === undefined ? {} : { appOnly: body.appOnly }),
        ...(body.mfa === undefined ? {} : { mfa: body.mfa }),
        ...(body.expiresInSeconds === undefined ? {} : { expiresInSeconds: body.expiresInSeconds }),
      });
      return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_on: claims.exp } };
    }
    default:
      throw partnerCenterError({
        status: 404,
        code: 404,
        description: `Unknown admin route ${route}. Known: GET|PUT /_mock/faults, POST /_mock/reset, GET|DELETE /_mock/journal, GET /_mock/snapshots, POST /_mock/snapshots/advance, POST /_mock/token, GET /_mock/device, POST /_mock/device/approve, POST /_mock/revoke.`,
      });
  }
}

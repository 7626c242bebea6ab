import type { IncomingMessage, ServerResponse } from 'node:http';
import { endpoints, formatPage } from '@pc/models';
import { filterBuilder, printFilter } from '@pc/odata-query';
import { authorize, type Principal } from './auth.js';
import { generateCommercialDeployment, generateCommercialUsage } from './commercialData.js';
import { type Fault, FaultInjector, type FaultSpec, parseFaultHeader } from './faults.js';
import {
  analyticsQueryError,
  injectedEntraError,
  injectedError,
  MockHttpError,
  partnerCenterError,
  throttleError,
} from './httpError.js';
import { Journal, type JournalEntry, journalHeadersOf } from './journal.js';
import { decodeSegment, readBody, unexpectedErrorAnswer } from './requestParsing.js';
import { type LegacyEndpoint, legacyEndpoints } from './legacyEndpoints.js';
import { legacyPage } from './legacyPaging.js';
import { buildOpenApi } from './openapi.js';
import type { ResolvedOptions } from './options.js';
import { guidFrom, hash3, SeededSequence } from './prng.js';
import { nextLinkOf, parseQuery, readQueryParameters } from './queryParameters.js';
import { LruCache } from './lruCache.js';
import { QueryEngine, type ServedEndpoint } from './queryEngine.js';
import { RateLimiter } from './rateLimit.js';
import { writeBody } from './responses.js';
import { compileRoute, matchRoute, type Route } from './router.js';
import { SnapshotClock, snapshotKey } from './snapshots.js';
import { registerCertificates } from './clientAssertion.js';
import {
  deviceLoginPage,
  EntraDirectory,
  formPostPage,
  instanceDiscovery,
  mockUser,
  openIdConfiguration,
} from './entra.js';
import { TokenEndpoint } from './tokenEndpoint.js';
import { RefreshTokenSealer, TokenIssuer } from './tokens.js';

/** Builds the clause a path parameter adds to a module endpoint's filter (a tree, never glued text). */
const pathFilter = filterBuilder<Record<string, string>>();

type ApiTarget =
  | { readonly kind: 'query'; readonly endpoint: ServedEndpoint }
  | { readonly kind: 'legacy'; readonly endpoint: LegacyEndpoint };

const tokenPath = /^\/([^/]+)\/oauth2\/(v2\.0\/)?token\/?$/i;
const openIdPath = /^\/([^/]+)\/(v2\.0\/)?\.well-known\/openid-configuration\/?$/i;
const instanceDiscoveryPath = /^\/([^/]+)\/discovery\/instance\/?$/i;
const keysPath = /^\/([^/]+)\/discovery\/(v2\.0\/)?keys\/?$/i;
const deviceCodePath = /^\/([^/]+)\/oauth2\/v2\.0\/devicecode\/?$/i;
const authorizePath = /^\/([^/]+)\/oauth2\/v2\.0\/authorize\/?$/i;
const loopbackRedirect = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/i;
/** Request bodies are read by `requestParsing.ts` (kept exported here for the admin API). */
export { readBody } from './requestParsing.js';

/** One request header's value (the first when repeated). */
function singleHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The query of a request target as sent, without the `?` (and without a fragment). */
function rawQueryOf(target: string): string {
  const start = target.indexOf('?');
  if (start === -1) return '';
  const end = target.indexOf('#', start);
  return target.slice(start + 1, end === -1 ? undefined : end);
}

/** The whole mock: state and the request pipeline (auth, throttling, faults, latency, handlers, body faults). */
export class MockApp {
  readonly issuer = new TokenIssuer();
  readonly journal = new Journal();
  readonly snapshots: SnapshotClock;
  readonly engine: QueryEngine;
  readonly faults: FaultInjector;
  readonly limiter: RateLimiter;
  readonly tokens: TokenEndpoint;
  /** Device codes and authorization codes of interactive sign-ins. */
  readonly directory: EntraDirectory;
  /** Seals refresh tokens with a key derived from the seed (they survive a restart). */
  readonly sealer: RefreshTokenSealer;
  readonly served: readonly ServedEndpoint[];
  private readonly routes: readonly Route<ApiTarget>[];
  private readonly latency: SeededSequence;
  private readonly timers = new Set<NodeJS.Timeout>();
  private requestCounter = 0;
  private openApiCache: string | undefined;
  /** Serialized pages, by tenant, snapshot and page URL (retries and read-ahead hit it). */
  private readonly pages = new LruCache<string | Buffer>(6);
  /** Next links recently handed out: a request for one of them is a client paging through. */
  private readonly emittedLinks = new LruCache<boolean>(256);
  /** The server's origin (`http://host:port`), set once listening. */
  baseUrl = '';

  /**
   * @param admin answers the admin API (`/_mock/...`): `handleAdmin` of `admin.ts`, handed in by
   * the server so that this file and the admin file do not import each other.
   */
  constructor(
    readonly options: ResolvedOptions,
    private readonly admin: (input: {
      readonly app: MockApp;
      readonly req: IncomingMessage;
      readonly url: URL;
    }) => Promise<{ readonly status: number; readonly body: unknown }>,
  ) {
    this.snapshots = new SnapshotClock({
      latestDate: options.processedDate,
      kept: options.snapshots,
      ...(options.realism.serviceDates === 'per-service' ? { crmLagDays: options.realism.crmLagDays } : {}),
    });
    this.engine = new QueryEngine({
      seed: options.seed,
      customers: options.customers,
      quirks: options.realism.quirks,
      grouped: {
        processedDateTime: options.realism.groupedProcessedDateTime,
        measures: options.realism.groupedMeasures,
        order: options.realism.groupedOrder,
      },
    });
    this.faults = new FaultInjector({ spec: options.faults, seed: options.faultSeed });
    this.limiter = new RateLimiter(options.rateLimit);
    this.latency = new SeededSequence(hash3(options.faultSeed, 0x1a7e, 7));
    this.directory = new EntraDirectory({ autoApprove: options.autoApprove });
    this.sealer = new RefreshTokenSealer(options.seed);
    this.tokens = new TokenEndpoint({
      issuer: this.issuer,
      sealer: this.sealer,
      directory: this.directory,
      certificates: registerCertificates(options.clientCertificates),
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      refreshToken: options.refreshToken,
      partnerTenantId: options.partnerTenantId,
    });
    this.served = [
      { descriptor: endpoints.commercialLicenseUsage, generate: generateCommercialUsage },
      { descriptor: endpoints.commercialLicenseDeployment, generate: generateCommercialDeployment },
      ...options.extraEndpoints,
    ];
    const routes: Route<ApiTarget>[] = [];
    const seen = new Set<string>();
    const add = (path: string, target: ApiTarget) => {
      const key = path.toLowerCase().replace(/\/+$/, '');
      if (seen.has(key)) throw new Error(`two endpoints are served at ${path}`);
      seen.add(key);
      routes.push(compileRoute(path, target));
    };
    for (const endpoint of this.served) {
      for (const path of [endpoint.descriptor.path, ...endpoint.descriptor.alternatePaths])
        add(path, { kind: 'query', endpoint });
    }
    for (const endpoint of legacyEndpoints) {
      for (const path of [endpoint.descriptor.path, ...endpoint.descriptor.alternatePaths])
        add(path, { kind: 'legacy', endpoint });
    }
    this.routes = routes;
  }

  /** Builds the default tenant's latest data ahead of the first request (the customer table is the costly part). */
  warmUp(): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.engine.dataset(this.served[1]!, this.options.partnerTenantId, this.snapshots.latest());
    }, 0);
    this.timers.add(timer);
  }

  /** Replaces the probabilistic faults. */
  setFaults(spec: FaultSpec): void {
    this.faults.set(spec);
  }

  /**
   * Ends every sign-in session: refresh tokens and access tokens issued until now are refused
   * (as Entra's "revoke sessions" with continuous access evaluation).
   */
  revokeSessions(now = Date.now()): void {
    this.sealer.revokedBefore = now + 1;
    this.issuer.revokedBefore = Math.floor(now / 1000) + 1;
  }

  /** Faults, throttling state, journal, pending codes, revocations and snapshots back to the start. */
  reset(): void {
    this.faults.set(this.options.faults);
    this.faults.restart();
    this.latency.reset();
    this.limiter.reset();
    this.journal.clear();
    this.snapshots.reset();
    this.directory.reset();
    this.sealer.revokedBefore = 0;
    this.issuer.revokedBefore = 0;
    this.requestCounter = 0;
  }

  /** The OpenAPI document (built once). */
  openApi(): string {
    this.openApiCache ??= JSON.stringify(
      buildOpenApi({
        serverUrl: this.baseUrl,
        served: this.served.map((endpoint) => endpoint.descriptor),
        legacy: legacyEndpoints.map((endpoint) => endpoint.descriptor),
        profile: this.options.profile,
        realism: this.options.realism,
      }),
      null,
      2,
    );
    return this.openApiCache;
  }

  /** Clears pending timers (slow bodies, latency) at shutdown. */
  stopTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Handles one request; never rejects. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const sequence = ++this.requestCounter;
    const url = new URL(req.url ?? '/', 'http://pc-mock.invalid');
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams) query[name] = value;
    const entry = this.journal.record({
      time: new Date().toISOString(),
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      headers: journalHeadersOf(req.headers),
      status: 0,
      fault: undefined,
      tenantId: undefined,
    });
    const headers = this.baseHeaders(req, sequence);
    let fault: Fault | undefined;
    /** A Partner Center API route answers (its bodies get the profile's BOM). */
    let api = false;
    try {
      if (url.pathname.startsWith('/_mock/') || url.pathname === '/_mock') {
        const answer = await this.admin({ app: this, req, url });
        this.send({
          res,
          entry,
          status: answer.status,
          headers,
          body: JSON.stringify(answer.body),
          fault: undefined,
        });
        return;
      }
      if (await this.answerEntra({ req, res, url, entry, headers })) return;
      const token = tokenPath.exec(url.pathname);
      const headerFault = this.headerFault(req, token !== null);
      if (token !== null) {
        if (req.method !== 'POST') throw this.methodNotAllowed('POST');
        fault = headerFault;
        if (
          fault !== undefined &&
          (await this.applyEarlyFault({ fault, req, res, entry, headers, entra: true }))
        )
          return;
        const form = new URLSearchParams(await readBody(req, { entra: true }));
        const answer = this.tokens.answer({
          tenant: decodeSegment(token[1]!, { entra: true }),
          version: token[2] === undefined ? 1 : 2,
          form,
          authorization: req.headers.authorization,
          correlationId: headers['MS-CorrelationId']!,
          baseUrl: this.baseUrl,
        });
        this.send({
          res,
          entry,
          status: answer.status,
          headers: { ...headers, 'Cache-Control': 'no-store' },
          body: JSON.stringify(answer.body),
          fault,
        });
        return;
      }
      if (url.pathname === '/openapi.json' || url.pathname === '/openapi.json/') {
        this.send({ res, entry, status: 200, headers, body: this.openApi(), fault: undefined });
        return;
      }
      api = true;
      const match = matchRoute(this.routes, url.pathname);
      if (match === undefined) {
        throw partnerCenterError({
          status: 404,
          code: 404,
          description: `No resource is served at ${req.method ?? 'GET'} ${url.pathname}. See /openapi.json for what pc-mock serves.`,
        });
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') throw this.methodNotAllowed('GET');
      const principal = authorize({
        authorization: req.headers.authorization,
        issuer: this.issuer,
        realmTenantId: this.options.partnerTenantId,
      });
      entry.tenantId = principal.tenantId;
      const decision = this.limiter.check(principal.tenantId, Date.now());
      if (!decision.allowed) {
        entry.fault = decision.early ? 'throttled (retried before Retry-After)' : 'throttled';
        throw throttleError(decision.retryAfterSeconds);
      }
      Object.assign(headers, decision.headers);
      fault = headerFault ?? this.faults.draw();
      if (fault !== undefined) {
        if (fault.kind === 'status' && fault.status === 429)
          this.limiter.arm(principal.tenantId, fault.retryAfterSeconds ?? 1, Date.now());
        if (await this.applyEarlyFault({ fault, req, res, entry, headers })) return;
      }
      await this.delay();
      const body = this.answerApi({
        principal,
        target: match.target,
        params: match.params,
        url,
        rawTarget: req.url ?? '/',
        continuationToken: singleHeader(req, 'ms-continuationtoken'),
      });
      this.send({ res, entry, status: 200, headers, body, fault, head: req.method === 'HEAD', api });
    } catch (error) {
      const failure =
        error instanceof MockHttpError
          ? error
          : unexpectedErrorAnswer(error, { entra: /\/oauth2\//i.test(url.pathname) });
      if (!(error instanceof MockHttpError) && !this.options.quiet && failure.status >= 500) {
        // One line in the mock's own log; the answer carries no stack and no internals.
        process.stderr.write(
          `pc-mock: unexpected error on ${req.method ?? 'GET'} ${url.pathname.slice(0, 200)}: ${error instanceof Error ? error.message : String(error)}\n`,
        );
      }
      if (res.headersSent || res.destroyed) return;
      this.send({
        res,
        entry,
        status: failure.status,
        headers: { ...headers, ...failure.headers },
        body: JSON.stringify(failure.body),
        fault:
          fault?.kind === 'truncate' || fault?.kind === 'bom' || fault?.kind === 'slow' ? fault : undefined,
        api,
      });
    }
  }

  /**
   * The Entra ID documents and pages MSAL reads besides the token endpoint: OpenID discovery,
   * instance discovery, signing keys, the device-code endpoint, the authorization endpoint and the
   * device login page. True when the request was one of them (and answered).
   */
  private async answerEntra(input: {
    readonly req: IncomingMessage;
    readonly res: ServerResponse;
    readonly url: URL;
    readonly entry: JournalEntry;
    readonly headers: Record<string, string>;
  }): Promise<boolean> {
    const { req, res, url, entry, headers } = input;
    const path = url.pathname;
    const json = (status: number, body: unknown): true => {
      this.send({ res, entry, status, headers, body: JSON.stringify(body), fault: undefined });
      return true;
    };
    const html = (status: number, body: string, extra: Record<string, string> = {}): true => {
      this.send({
        res,
        entry,
        status,
        headers: {
          ...headers,
          'Content-Type': 'text/html; charset=utf-8',
          'Cache-Control': 'no-store',
          ...extra,
        },
        body,
        fault: undefined,
      });
      return true;
    };
    const entraError = (status: number, error: string, aadsts: number, message: string): true =>
      json(status, {
        error,
        error_description: `AADSTS${aadsts}: ${message}`,
        error_codes: [aadsts],
        correlation_id: headers['MS-CorrelationId'],
      });
    const segment = (match: RegExpExecArray): string => {
      try {
        return decodeURIComponent(match[1]!);
      } catch {
        return match[1]!;
      }
    };
    let match = openIdPath.exec(path);
    if (match !== null && (req.method === 'GET' || req.method === 'HEAD')) {
      return json(
        200,
        openIdConfiguration({ baseUrl: this.baseUrl, tenant: segment(match), version: match[2] ? 2 : 1 }),
      );
    }
    if (instanceDiscoveryPath.test(path) && req.method === 'GET') {
      return json(200, instanceDiscovery({ baseUrl: this.baseUrl }));
    }
    if (keysPath.test(path) && req.method === 'GET') return json(200, { keys: [] });
    if (path === '/devicelogin' && req.method === 'GET') {
      return html(200, deviceLoginPage(this.directory.pendingUserCodes()));
    }
    match = deviceCodePath.exec(path);
    if (match !== null) {
      if (req.method !== 'POST') throw this.methodNotAllowed('POST');
      const form = new URLSearchParams(await readBody(req, { entra: true }));
      const clientId = form.get('client_id') ?? '';
      if (clientId !== this.options.clientId) {
        return entraError(
          400,
          'unauthorized_client',
          700016,
          `Application with identifier '${clientId}' was not found in the directory '${segment(match)}'.`,
        );
      }
      const scope = form.get('scope') ?? '';
      if (scope.trim() === '') {
        return entraError(
          400,
          'invalid_request',
          900144,
          "The request body must contain the following parameter: 'scope'.",
        );
      }
      return json(
        200,
        this.directory.startDeviceCode({ tenant: segment(match), clientId, scope }, this.baseUrl),
      );
    }
    match = authorizePath.exec(path);
    if (match !== null && req.method === 'GET') {
      const query = url.searchParams;
      const clientId = query.get('client_id') ?? '';
      const redirectUri = query.get('redirect_uri') ?? '';
      if (clientId !== this.options.clientId) {
        return html(
          400,
          `<!DOCTYPE html><p>AADSTS700016: Application with identifier '${clientId.replace(/[<>&"']/g, '')}' was not found.</p>`,
        );
      }
      if (!loopbackRedirect.test(redirectUri)) {
        // Entra refuses a redirect URI the app did not register; the mock's app registers loopback only.
        return html(
          400,
          '<!DOCTYPE html><p>AADSTS50011: The redirect URI does not match the redirect URIs configured for the application (loopback only).</p>',
        );
      }
      if (query.get('response_type') !== 'code') {
        return html(400, '<!DOCTYPE html><p>AADSTS900144: response_type must be code.</p>');
      }
      const state = query.get('state');
      const code = this.directory.authorize({
        grant: {
          tenant: segment(match),
          clientId,
          scope: query.get('scope') ?? '',
          ...(query.get('nonce') !== null ? { nonce: query.get('nonce')! } : {}),
        },
        redirectUri,
        codeChallenge: query.get('code_challenge') ?? undefined,
        codeChallengeMethod: query.get('code_challenge_method') ?? undefined,
      });
      const fields: Record<string, string> = { code, ...(state !== null ? { state } : {}) };
      if (query.get('client_info') === '1') {
        fields.client_info = Buffer.from(
          JSON.stringify({ uid: mockUser.objectId, utid: this.options.partnerTenantId }),
        ).toString('base64url');
      }
      if (query.get('response_mode') === 'form_post') return html(200, formPostPage(redirectUri, fields));
      const target = new URL(redirectUri);
      for (const [name, value] of Object.entries(fields)) target.searchParams.set(name, value);
      return html(302, '', { Location: target.toString() });
    }
    return false;
  }

  private methodNotAllowed(allowed: string): MockHttpError {
    return partnerCenterError({
      status: 405,
      code: 405,
      description: `The method is not allowed here; use ${allowed}.`,
      headers: { Allow: allowed },
    });
  }

  /** The fault a request asks for; a bad header is a 400 (in Entra's shape on the token endpoint). */
  private headerFault(req: IncomingMessage, entra: boolean): Fault | undefined {
    const value = req.headers['x-pc-mock-fault'];
    const text = Array.isArray(value) ? value[0] : value;
    if (text === undefined || text.trim() === '') return undefined;
    try {
      return parseFaultHeader(text);
    } catch (error) {
      const description = `Invalid x-pc-mock-fault header: ${error instanceof Error ? error.message : String(error)}`;
      if (!entra) throw partnerCenterError({ status: 400, code: 800002, description });
      throw new MockHttpError({
        status: 400,
        body: {
          error: 'invalid_request',
          error_description: `AADSTS900144: ${description}`,
          error_codes: [900144],
        },
      });
    }
  }

  /** Applies faults that replace the answer (status, reset, empty, hang, no-content); true when the request is done. */
  private async applyEarlyFault(options: {
    readonly fault: Fault;
    readonly req: IncomingMessage;
    readonly res: ServerResponse;
    readonly entry: JournalEntry;
    readonly headers: Record<string, string>;
    /** The token endpoint: errors in Entra's shape. */
    readonly entra?: boolean;
  }): Promise<boolean> {
    const { fault, req, entry } = options;
    switch (fault.kind) {
      case 'status': {
        const error =
          options.entra === true
            ? injectedEntraError(fault.status ?? 500, fault.retryAfterSeconds)
            : injectedError(fault.status ?? 500, fault.retryAfterSeconds);
        entry.fault = fault.label;
        this.send({
          res: options.res,
          entry,
          status: error.status,
          headers: { ...options.headers, ...error.headers },
          body: JSON.stringify(error.body),
          fault: undefined,
          api: options.entra !== true,
        });
        return true;
      }
      case 'reset':
        entry.fault = fault.label;
        req.socket.resetAndDestroy();
        return true;
      case 'empty':
        entry.fault = fault.label;
        req.socket.destroy();
        return true;
      case 'hang':
        entry.fault = fault.label;
        return true;
      case 'no-content': {
        // 204 for an empty result, on demand: no body, so no Content-Type and no Content-Length.
        entry.fault = fault.label;
        entry.status = 204;
        const { res } = options;
        for (const [name, value] of Object.entries(options.headers))
          if (name.toLowerCase() !== 'content-type') res.setHeader(name, value);
        res.statusCode = 204;
        res.end();
        return true;
      }
      default:
        return false;
    }
  }

  private delay(): Promise<void> {
    const latency = this.options.latency;
    if (latency === undefined || latency.maxMs <= 0) return Promise.resolve();
    const ms = latency.minMs + (latency.maxMs - latency.minMs) * this.latency.next();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  /** A bad query to an analytics endpoint in the analytics API's own shape where the profile says so (A9). */
  private queryError(target: ApiTarget, error: unknown): unknown {
    if (
      target.kind === 'query' &&
      this.options.realism.errorStyle === 'analytics' &&
      error instanceof MockHttpError &&
      error.status === 400
    )
      return analyticsQueryError(error);
    return error;
  }

  private answerApi(options: {
    readonly principal: Principal;
    readonly target: ApiTarget;
    readonly params: Readonly<Record<string, string>>;
    readonly url: URL;
    /** The request target exactly as sent (`URL` would re-encode its quotes). */
    readonly rawTarget: string;
    /** The `MS-ContinuationToken` header of the request (legacy paging). */
    readonly continuationToken: string | undefined;
  }): string | Buffer {
    const { principal, target, url } = options;
    const parameters = readQueryParameters(url.searchParams);
    // The one request check (shared with the CLI and the SDK): a 400 before any data is touched.
    let parsed: ReturnType<typeof parseQuery>;
    try {
      parsed = parseQuery(target.endpoint.descriptor, parameters, options.params);
    } catch (error) {
      throw this.queryError(target, error);
    }
    if (target.kind === 'legacy') {
      const items = target.endpoint.items({
        engine: this.engine,
        snapshot: this.snapshots.latest(),
        partnerTenantId: principal.tenantId,
        usage: this.served[0]!,
        deployment: this.served[1]!,
        params: parsed.pathParams,
        emptyE6: this.options.realism.legacyE6 === 'empty',
        seed: this.options.seed,
        quirks: this.options.realism.quirks,
      });
      const style = this.options.realism.legacyNextLink;
      if (style === 'none')
        return formatPage(target.endpoint.descriptor, items, { totalCount: items.length });
      return legacyPage({
        descriptor: target.endpoint.descriptor,
        items,
        style,
        pageSize: this.options.realism.legacyPageSize,
        pathname: url.pathname,
        params: parsed.pathParams,
        seekNext: parameters.get('seekoperation')?.toLowerCase() === 'next',
        continuationToken: options.continuationToken,
      });
    }
    const { descriptor } = target.endpoint;
    let snapshot: ReturnType<SnapshotClock['select']>;
    try {
      snapshot = this.snapshots.select(parsed.processedDateTime);
    } catch (error) {
      throw this.queryError(target, error);
    }
    if (snapshot === undefined) return formatPage(descriptor, [], { nextLink: null, totalCount: 0 });
    let filter = parsed.filter;
    if (snapshot.only !== undefined && descriptor.fields.includes('serviceCode')) {
      // A date kept by some services only (per-service dates, A1): the others' rows are not in it.
      const [first, ...rest] = snapshot.only.map((service) => pathFilter.eq('serviceCode', service));
      const only = pathFilter.or(first!, ...rest);
      const node = filter === undefined ? only : pathFilter.and(filter.node, only);
      filter = { node, key: printFilter(node) };
    }
    for (const name of descriptor.pathParams) {
      // A path parameter of another team's endpoint narrows the rows to that value of the same-named field.
      const value = parsed.pathParams[name];
      if (value === undefined || !descriptor.fields.includes(name)) continue;
      const clause = pathFilter.eq(name, value);
      const node = filter === undefined ? clause : pathFilter.and(filter.node, clause);
      filter = { node, key: printFilter(node) };
    }
    const result = this.engine.resolve({
      endpoint: target.endpoint,
      partnerTenantId: principal.tenantId,
      snapshot,
      ...(filter === undefined ? {} : { filter }),
      ...(parsed.groupby === undefined ? {} : { groupby: parsed.groupby }),
    });
    const link = (at: number) =>
      nextLinkOf({
        baseUrl: this.baseUrl,
        pathname: url.pathname,
        rawQuery: rawQueryOf(options.rawTarget),
        skip: at,
        style: this.options.realism.nextLinkStyle,
      });
    // The page cap (A6/A7): at most that many rows whatever `top` asks; the link advances by the rows sent.
    const pageSize = Math.min(parsed.top, this.options.realism.pageCap ?? parsed.top);
    const keyOf = (skip: number) => `${principal.tenantId}|${snapshotKey(snapshot)}|${link(skip)}`;
    const page = (skip: number): { body: string | Buffer; next: number | undefined } => {
      const end = Math.min(result.total, skip + pageSize);
      const key = keyOf(skip);
      const next = end < result.total ? end : undefined;
      let body = this.pages.get(key);
      if (body === undefined) {
        const nextLink = next === undefined ? null : link(next);
        if (result.serialize !== undefined && descriptor.envelope === 'odata' && skip < result.total) {
          // Byte for byte what formatPage writes, without building row objects (built-in datasets).
          body = result.serialize(
            skip,
            end,
            '{"Value":[',
            `],"@nextLink":${JSON.stringify(nextLink)},"TotalCount":${result.total}}`,
          );
        } else {
          const rows = skip >= result.total ? [] : result.rows(skip, end);
          body = formatPage(descriptor, rows, { nextLink, totalCount: result.total });
        }
        this.pages.set(key, body);
      }
      return { body, next };
    };
    const following = parsed.skip === 0 || this.emittedLinks.get(keyOf(parsed.skip)) === true;
    const { body, next } = page(parsed.skip);
    if (next !== undefined) {
      this.emittedLinks.set(keyOf(next), true);
      if (following) {
        // Read-ahead for clients that follow @nextLink: build the next page while this one travels.
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          try {
            page(next);
          } catch (error) {
            if (!this.options.quiet) process.stderr.write(`pc-mock: read-ahead failed: ${String(error)}\n`);
          }
        }, 0);
        this.timers.add(timer);
      }
    }
    return body;
  }

  private baseHeaders(req: IncomingMessage, sequence: number): Record<string, string> {
    const seed = this.options.seed;
    const single = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const generated = (salt: number) =>
      guidFrom(
        hash3(seed, sequence, salt),
        hash3(seed, sequence, salt + 1),
        hash3(seed, sequence, salt + 2),
        hash3(seed, sequence, salt + 3),
      );
    const cv = Buffer.from(generated(20).replace(/-/g, '').slice(0, 24), 'hex')
      .toString('base64')
      .replace(/[+/=]/g, 'A');
    return {
      'Content-Type': 'application/json; charset=utf-8',
      'MS-RequestId': single('ms-requestid') ?? generated(0),
      'MS-CorrelationId': single('ms-correlationid') ?? generated(10),
      'MS-CV': `${cv.slice(0, 16)}.0`,
      'MS-ServerId': '030020525',
    };
  }

  private send(options: {
    readonly res: ServerResponse;
    readonly entry: JournalEntry;
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string | Buffer;
    readonly fault: Fault | undefined;
    readonly head?: boolean;
    /** A Partner Center API answer: it starts with a BOM when the profile says so (A11). */
    readonly api?: boolean;
  }): void {
    options.entry.status = options.status;
    if (options.fault !== undefined && options.entry.fault === undefined)
      options.entry.fault = options.fault.label;
    writeBody({
      res: options.res,
      status: options.status,
      headers: options.headers,
      body: options.body,
      fault: options.fault,
      timers: this.timers,
      bom: options.api === true && this.options.realism.bom,
      ...(options.head === true ? { head: true } : {}),
    });
  }
}

import type { Dispatcher } from 'undici';
import { PartnerCenterError } from './errors.js';
import { chooseDispatcher } from './internal/dispatcher.js';
import { requestEntraToken } from './internal/entraTokenRequest.js';
import { refuseInsecureHttp } from './internal/insecureHttp.js';
import { redactText } from './redaction.js';
import { TokenCache } from './internal/tokenCache.js';
import type { TokenProvider } from './tokenProvider.js';

/** Where and how to ask Microsoft Entra ID for tokens. */
export interface EntraOptions {
  /** The authority, default `https://login.microsoftonline.com` (point it at the mock in tests). */
  readonly authorityUrl?: string;
  /** The tenant id or domain (or `common`/`organizations`). */
  readonly tenantId: string;
  /** The application (client) id. */
  readonly clientId: string;
  /** The client secret; required for client credentials, optional for public clients. */
  readonly clientSecret?: string;
  /** `v1` (`/oauth2/token` with `resource`) or `v2` (`/oauth2/v2.0/token` with `scope`); default `v1`. */
  readonly endpointVersion?: 'v1' | 'v2';
  /** The v1 resource, default `https://api.partnercenter.microsoft.com`. */
  readonly resource?: string;
  /** The v2 scope; defaults to `{resource}/.default offline_access` (refresh) or `{resource}/.default` (client credentials). */
  readonly scope?: string;
  /** Refresh this long before the token expires; default 120000 (2 minutes). */
  readonly refreshAheadMs?: number;
  /** The undici dispatcher for token requests; default: the global one, or `EnvHttpProxyAgent` when a proxy is set. */
  readonly dispatcher?: Dispatcher;
  /** Aborts every token request of this provider (e.g. on shutdown). */
  readonly signal?: AbortSignal;
  /** Timeout of one token request, default 60000. */
  readonly requestTimeoutMs?: number;
  /** Extra PEM certificate(s) to trust for the token endpoint (ignored with `dispatcher`). */
  readonly ca?: string;
  /**
   * Allow a plain `http://` authority that is not loopback. Off by default: the client secret and
   * the refresh token would travel in clear (`INVALID_REQUEST` otherwise).
   */
  readonly allowInsecureHttp?: boolean;
}

/** Options of {@link createRefreshTokenProvider}. */
export interface RefreshTokenProviderOptions extends EntraOptions {
  /** The refresh token from the one-time interactive consent. Treat it as a secret. */
  readonly refreshToken: string;
  /** Called with the new refresh token whenever Entra rotates it; store it for the next run. */
  readonly onRefreshTokenRotated?: (refreshToken: string) => void;
}

/** Options of {@link createClientCredentialsProvider}. */
export interface ClientCredentialsProviderOptions extends EntraOptions {
  /** Receives the warning that analytics endpoints refuse app-only tokens; default `process.emitWarning`. */
  readonly onWarning?: (message: string) => void;
}

const defaultAuthority = 'https://login.microsoftonline.com';
const defaultResource = 'https://api.partnercenter.microsoft.com';

/** The warning {@link createClientCredentialsProvider} reports. */
export const appOnlyWarning =
  'App-only (client credentials) tokens are refused by Partner Center analytics endpoints (403): ' +
  'use App+User credentials (createRefreshTokenProvider) for analytics.';

function tokenUrl(options: EntraOptions): URL {
  const authority = (options.authorityUrl ?? defaultAuthority).replace(/\/+$/, '');
  const suffix = options.endpointVersion === 'v2' ? 'oauth2/v2.0/token' : 'oauth2/token';
  let url: URL;
  try {
    url = new URL(`${authority}/${encodeURIComponent(options.tenantId)}/${suffix}`);
  } catch (error) {
    throw new PartnerCenterError({
      code: 'INVALID_REQUEST',
      message: `Invalid authorityUrl: ${authority}`,
      cause: error,
    });
  }
  refuseInsecureHttp(url, { allow: options.allowInsecureHttp === true, what: 'authorityUrl' });
  return url;
}

function audience(options: EntraOptions, defaultScopeSuffix: string): Record<string, string> {
  const resource = (options.resource ?? defaultResource).replace(/\/+$/, '');
  if (options.endpointVersion === 'v2') return { scope: options.scope ?? `${resource}${defaultScopeSuffix}` };
  return { resource, ...(options.scope !== undefined ? { scope: options.scope } : {}) };
}

/** The dispatcher of the token requests: the caller's, or one trusting `ca` (else the default). */
function tokenDispatcher(options: EntraOptions): Dispatcher | undefined {
  if (options.dispatcher !== undefined || options.ca === undefined) return options.dispatcher;
  return chooseDispatcher({ connections: 2, ca: options.ca }).dispatcher;
}

function requireText(value: string | undefined, name: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new PartnerCenterError({ code: 'INVALID_REQUEST', message: `${name} is required` });
  }
}

/**
 * Hands a rotated refresh token to the caller. A callback that throws (say, its store is down) is
 * reported as a process warning: the new access token is still used, and the rotated refresh token
 * is still kept in memory for the next refresh.
 */
function reportRotation(callback: ((refreshToken: string) => void) | undefined, refreshToken: string): void {
  if (callback === undefined) return;
  try {
    callback(refreshToken);
  } catch (error) {
    process.emitWarning(
      `@pc/transport onRefreshTokenRotated threw: ${redactText(error instanceof Error ? error.message : String(error), [refreshToken])}; the rotated refresh token is kept in memory only`,
      { code: 'PC_TRANSPORT_ROTATION_CALLBACK' },
    );
  }
}

/**
 * App+User tokens through the refresh-token grant: the normal unattended case. Tokens are cached,
 * refreshed `refreshAheadMs` before expiry with one refresh shared by all waiting requests; a
 * rotated refresh token is kept and reported through `onRefreshTokenRotated`.
 */
export function createRefreshTokenProvider(options: RefreshTokenProviderOptions): TokenProvider {
  requireText(options.tenantId, 'tenantId');
  requireText(options.clientId, 'clientId');
  requireText(options.refreshToken, 'refreshToken');
  const url = tokenUrl(options);
  const dispatcher = tokenDispatcher(options);
  const scopeFields = audience(options, '/.default offline_access');
  let refreshToken = options.refreshToken;
  const known = new Set<string>([options.refreshToken]);
  if (options.clientSecret !== undefined) known.add(options.clientSecret);
  const cache = new TokenCache({
    refreshAheadMs: options.refreshAheadMs ?? 120_000,
    fetchToken: async () => {
      const used = refreshToken;
      const reply = await requestEntraToken({
        tokenUrl: url,
        form: {
          grant_type: 'refresh_token',
          client_id: options.clientId,
          ...(options.clientSecret !== undefined ? { client_secret: options.clientSecret } : {}),
          refresh_token: used,
          ...scopeFields,
        },
        secrets: [...known],
        dispatcher,
        signal: options.signal,
        timeoutMs: options.requestTimeoutMs ?? 60_000,
      });
      known.add(reply.accessToken.token);
      if (reply.refreshToken !== undefined && reply.refreshToken !== used) {
        refreshToken = reply.refreshToken;
        known.add(reply.refreshToken);
        reportRotation(options.onRefreshTokenRotated, reply.refreshToken);
      }
      return reply.accessToken;
    },
  });
  return { kind: 'app+user', getToken: (getOptions) => cache.get(getOptions), secrets: () => [...known] };
}

/**
 * App-only tokens through the client-credentials grant. Partner Center analytics refuses them
 * (403), so creating one reports {@link appOnlyWarning} through `onWarning`.
 */
export function createClientCredentialsProvider(options: ClientCredentialsProviderOptions): TokenProvider {
  requireText(options.tenantId, 'tenantId');
  requireText(options.clientId, 'clientId');
  requireText(options.clientSecret, 'clientSecret');
  const url = tokenUrl(options);
  const dispatcher = tokenDispatcher(options);
  const scopeFields = audience(options, '/.default');
  const known = new Set<string>([options.clientSecret ?? '']);
  if (options.onWarning !== undefined) options.onWarning(appOnlyWarning);
  else process.emitWarning(appOnlyWarning, { code: 'PC_APP_ONLY_CREDENTIALS' });
  const cache = new TokenCache({
    refreshAheadMs: options.refreshAheadMs ?? 120_000,
    fetchToken: async () => {
      const reply = await requestEntraToken({
        tokenUrl: url,
        form: {
          grant_type: 'client_credentials',
          client_id: options.clientId,
          client_secret: options.clientSecret ?? '',
          ...scopeFields,
        },
        secrets: [...known],
        dispatcher,
        signal: options.signal,
        timeoutMs: options.requestTimeoutMs ?? 60_000,
      });
      known.add(reply.accessToken.token);
      return reply.accessToken;
    },
  });
  return { kind: 'app-only', getToken: (getOptions) => cache.get(getOptions), secrets: () => [...known] };
}

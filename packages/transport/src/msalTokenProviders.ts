import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import type {
  AccountInfo,
  AuthenticationResult,
  Configuration,
  ICachePlugin,
  ConfidentialClientApplication,
  PublicClientApplication,
} from '@azure/msal-node';
import type { Dispatcher } from 'undici';

type ClientApplication = PublicClientApplication | ConfidentialClientApplication;
import { PartnerCenterError } from './errors.js';
import { msalNetworkClient } from './internal/msalNetwork.js';
import { raceWithSignal } from './internal/abortableDelay.js';
import { TokenCache } from './internal/tokenCache.js';
import type { AccessToken, TokenProvider } from './tokenProvider.js';

/** Where MSAL's token cache (accounts, refresh tokens) is kept between runs. */
export interface MsalCacheStore {
  /** The serialized cache saved last time, or `undefined` when there is none. */
  read(): Promise<string | undefined>;
  /** Saves the serialized cache (it holds refresh tokens: store it like a password, e.g. 0600). */
  write(serialized: string): Promise<void>;
}

/** Options every MSAL-backed provider takes. */
export interface MsalProviderOptions {
  /** The authority host, default `https://login.microsoftonline.com` (`https` only: MSAL insists). */
  readonly authorityUrl?: string;
  /** The tenant id or domain, or `organizations`/`common` for a sign-in that picks the tenant. */
  readonly tenantId: string;
  /** The application (client) id. */
  readonly clientId: string;
  /** The scopes, default `https://api.partnercenter.microsoft.com/user_impersonation` (App+User). */
  readonly scopes?: readonly string[];
  /** Keeps MSAL's cache between runs; without one it lives in memory only. */
  readonly cacheStore?: MsalCacheStore;
  /**
   * `true` (default): a first `getToken` without a usable cached account starts the sign-in.
   * `false`: it fails with an `AUTH` error that says to sign in (for unattended runs).
   */
  readonly interactive?: boolean;
  /** Extra PEM certificate(s) to trust (a private CA, `pc-mock --tls`). */
  readonly ca?: string;
  /** The undici dispatcher for MSAL's requests; default: as the transport picks one. */
  readonly dispatcher?: Dispatcher;
  /** Aborts every request and sign-in of this provider. */
  readonly signal?: AbortSignal;
  /** Refresh this long before the token expires; default 120000 (2 minutes). */
  readonly refreshAheadMs?: number;
}

/** What to show the user during a device-code sign-in. */
export interface DeviceCodePrompt {
  /** The code to type in. */
  readonly userCode: string;
  /** The page to open. */
  readonly verificationUri: string;
  /** Entra's own sentence with both. */
  readonly message: string;
  /** When the code stops working, epoch ms. */
  readonly expiresAt: number;
}

/** Options of {@link createDeviceCodeProvider}. */
export interface DeviceCodeProviderOptions extends MsalProviderOptions {
  /** Shows the code and the page (e.g. on stderr); the provider then polls until approved. */
  readonly onDeviceCode: (prompt: DeviceCodePrompt) => void;
}

/** Options of {@link createBrowserProvider}. */
export interface BrowserProviderOptions extends MsalProviderOptions {
  /**
   * Opens the sign-in URL in a browser (or prints it when none can be opened). The answer comes
   * back to a loopback server MSAL runs on `http://localhost:<free port>`.
   */
  readonly openBrowser: (url: string) => Promise<void>;
  /** The page the browser shows after the sign-in. */
  readonly successPage?: string;
}

/** A certificate credential: a PEM private key and its certificate. */
export interface CertificateCredential {
  /** PEM private key (PKCS#8 or PKCS#1, unencrypted). */
  readonly privateKey: string;
  /** PEM certificate; its SHA-256 thumbprint names it to Entra, and it is sent as `x5c`. */
  readonly certificate: string;
}

/** Options of {@link createCertificateProvider}. */
export interface CertificateProviderOptions extends MsalProviderOptions {
  /** The certificate and key (see {@link readCertificateCredential} for a PEM file holding both). */
  readonly certificate: CertificateCredential;
  /**
   * A refresh token from the one-time consent: with it the provider gives App+User tokens (what
   * analytics needs) through the certificate; without it, app-only tokens (refused by analytics).
   */
  readonly refreshToken?: string;
}

const defaultAuthority = 'https://login.microsoftonline.com';
/** The App+User scope of Partner Center. */
export const partnerCenterUserScope = 'https://api.partnercenter.microsoft.com/user_impersonation';
const microsoftHosts = [
  'login.microsoftonline.com',
  'login.microsoft.com',
  'login.windows.net',
  'login.chinacloudapi.cn',
  'login.microsoftonline.us',
  'login.microsoftonline.de',
  'sts.windows.net',
];

function requireText(value: string | undefined, name: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new PartnerCenterError({ code: 'INVALID_REQUEST', message: `${name} is required` });
  }
}

function authorityOf(options: MsalProviderOptions): { authority: string; host: URL } {
  const base = (options.authorityUrl ?? defaultAuthority).replace(/\/+$/, '');
  let host: URL;
  try {
    host = new URL(base);
  } catch (error) {
    throw new PartnerCenterError({
      code: 'INVALID_REQUEST',
      message: `Invalid authorityUrl: ${base}`,
      cause: error,
    });
  }
  if (host.protocol !== 'https:') {
    throw new PartnerCenterError({
      code: 'INVALID_REQUEST',
      message: `MSAL needs an https authority, got ${host.origin} (for pc-mock, start it with --tls)`,
    });
  }
  return { authority: `${base}/${encodeURIComponent(options.tenantId)}`, host };
}

/** The first line of an MSAL error, with its code, as an `AUTH` error that never quotes a secret. */
function authError(error: unknown, what: string): PartnerCenterError {
  if (error instanceof PartnerCenterError) return error;
  const record = (typeof error === 'object' && error !== null ? error : {}) as {
    errorCode?: unknown;
    errorMessage?: unknown;
    subError?: unknown;
    name?: unknown;
    message?: unknown;
  };
  const code = typeof record.errorCode === 'string' && record.errorCode !== '' ? record.errorCode : undefined;
  const text =
    typeof record.errorMessage === 'string' ? record.errorMessage : String(record.message ?? error);
  const first = text.split(/\r?\n/)[0]?.trim() ?? '';
  const aadsts = /AADSTS\d+/.exec(text)?.[0];
  const signInAgain =
    record.name === 'InteractionRequiredAuthError' ||
    code === 'invalid_grant' ||
    code === 'interaction_required' ||
    code === 'no_tokens_found' ||
    /invalid_grant/.test(text);
  return new PartnerCenterError({
    code: 'AUTH',
    message: `${what} failed: ${code ?? 'error'}${first !== '' && first !== code ? ` (${first})` : ''}${signInAgain ? '; the sign-in has expired or was revoked: sign in again' : ''}`,
    ...(aadsts !== undefined ? { pcCode: aadsts } : code !== undefined ? { pcCode: code } : {}),
    retryable: false,
  });
}

function accessTokenOf(result: AuthenticationResult | null, what: string): AccessToken {
  if (result === null || result.accessToken === '') {
    throw new PartnerCenterError({ code: 'AUTH', message: `${what} returned no access token` });
  }
  return {
    token: result.accessToken,
    expiresAt: result.expiresOn === null ? Date.now() + 3_600_000 : result.expiresOn.getTime(),
  };
}

function cachePlugin(store: MsalCacheStore | undefined): ICachePlugin | undefined {
  if (store === undefined) return undefined;
  return {
    async beforeCacheAccess(context) {
      const saved = await store.read();
      if (saved !== undefined && saved !== '') context.tokenCache.deserialize(saved);
    },
    async afterCacheAccess(context) {
      if (context.cacheHasChanged) await store.write(context.tokenCache.serialize());
    },
  };
}

/** The shared machinery: MSAL configuration, the first cached account, silent refresh, errors. */
class MsalSession {
  readonly scopes: string[];
  readonly network: ReturnType<typeof msalNetworkClient>;
  readonly authority: string;
  readonly #host: URL;
  #discovery: Promise<string | undefined> | undefined;

  constructor(readonly options: MsalProviderOptions) {
    requireText(options.tenantId, 'tenantId');
    requireText(options.clientId, 'clientId');
    const { authority, host } = authorityOf(options);
    this.authority = authority;
    this.#host = host;
    this.scopes = [...(options.scopes ?? [partnerCenterUserScope])];
    this.network = msalNetworkClient({
      dispatcher: options.dispatcher,
      ca: options.ca,
      signal: options.signal,
    });
  }

  /**
   * MSAL asks Microsoft's own instance-discovery endpoint about any authority it does not know.
   * For another host (pc-mock, a gateway) the host's own instance discovery answers instead, so
   * that no request leaves for login.microsoftonline.com.
   */
  cloudDiscoveryMetadata(): Promise<string | undefined> {
    if (microsoftHosts.includes(this.#host.hostname.toLowerCase())) return Promise.resolve(undefined);
    this.#discovery ??= (async () => {
      const url = `${this.#host.origin}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${this.authority}/oauth2/v2.0/authorize`)}`;
      const answer = await this.network.sendGetRequestAsync<Record<string, unknown>>(url);
      if (answer.status !== 200 || !Array.isArray(answer.body.metadata)) {
        throw new PartnerCenterError({
          code: 'AUTH',
          message: `Instance discovery at ${this.#host.origin} answered ${answer.status}: is this an Entra ID authority?`,
          status: answer.status,
        });
      }
      return JSON.stringify(answer.body);
    })();
    return this.#discovery;
  }

  async configuration(auth: Partial<Configuration['auth']> = {}): Promise<Configuration> {
    const metadata = await this.cloudDiscoveryMetadata();
    const plugin = cachePlugin(this.options.cacheStore);
    return {
      auth: {
        clientId: this.options.clientId,
        authority: this.authority,
        ...(metadata !== undefined ? { cloudDiscoveryMetadata: metadata } : {}),
        ...auth,
      },
      system: { networkClient: this.network },
      ...(plugin !== undefined ? { cache: { cachePlugin: plugin } } : {}),
    };
  }

  async firstAccount(app: ClientApplication): Promise<AccountInfo | undefined> {
    const accounts = await app.getTokenCache().getAllAccounts();
    return accounts[0];
  }

  /** A token from the cached account (refreshing through its refresh token), or `undefined`. */
  async silent(app: ClientApplication, forced: boolean): Promise<AccessToken | undefined> {
    const account = await this.firstAccount(app);
    if (account === undefined) return undefined;
    try {
      const result = await raceWithSignal(
        app.acquireTokenSilent({ account, scopes: this.scopes, forceRefresh: forced }),
        this.options.signal,
      );
      return accessTokenOf(result, 'Token refresh');
    } catch (error) {
      throw authError(error, 'Token refresh');
    }
  }

  signInRequired(): PartnerCenterError {
    return new PartnerCenterError({
      code: 'AUTH',
      message: 'No signed-in account in the token cache: sign in first (device code or browser)',
      retryable: false,
    });
  }

  provider(kind: TokenProvider['kind'], fetch: (forced: boolean) => Promise<AccessToken>): TokenProvider {
    const issued = new Set<string>();
    const cache = new TokenCache({
      refreshAheadMs: this.options.refreshAheadMs ?? 120_000,
      fetchToken: async ({ forced }) => {
        const token = await fetch(forced);
        issued.add(token.token);
        return token;
      },
    });
    return { kind, getToken: (getOptions) => cache.get(getOptions), secrets: () => [...issued] };
  }
}

async function loadMsal(): Promise<typeof import('@azure/msal-node')> {
  // Loaded on first use: only the commands that sign in pay for MSAL's start-up.
  return import('@azure/msal-node');
}

/**
 * App+User tokens through the device-code flow (`@azure/msal-node`): the first `getToken` shows a
 * code and a page through `onDeviceCode` and polls until the user signs in (with MFA) there; the
 * refresh token then stays in MSAL's cache (`cacheStore`), and later calls refresh silently.
 * Aborting `signal` cancels the wait.
 */
export function createDeviceCodeProvider(options: DeviceCodeProviderOptions): TokenProvider {
  const session = new MsalSession(options);
  let app: Promise<import('@azure/msal-node').PublicClientApplication> | undefined;
  return session.provider('app+user', async (forced) => {
    app ??= (async () => new (await loadMsal()).PublicClientApplication(await session.configuration()))();
    const client = await app;
    const cached = await session.silent(client, forced);
    if (cached !== undefined) return cached;
    if (options.interactive === false) throw session.signInRequired();
    const request = {
      scopes: session.scopes,
      cancel: false,
      deviceCodeCallback: (response: {
        userCode: string;
        verificationUri: string;
        message: string;
        expiresIn: number;
      }) => {
        options.onDeviceCode({
          userCode: response.userCode,
          verificationUri: response.verificationUri,
          message: response.message,
          expiresAt: Date.now() + response.expiresIn * 1000,
        });
      },
    };
    const onAbort = () => {
      request.cancel = true;
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result: AuthenticationResult | null = await raceWithSignal(
        client.acquireTokenByDeviceCode(request),
        options.signal,
      );
      return accessTokenOf(result, 'Device-code sign-in');
    } catch (error) {
      if (options.signal?.aborted) {
        throw new PartnerCenterError({
          code: 'ABORTED',
          message: 'Device-code sign-in was cancelled',
          cause: error,
        });
      }
      throw authError(error, 'Device-code sign-in');
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  });
}

/**
 * App+User tokens through the authorization-code flow with PKCE (`@azure/msal-node`'s
 * `acquireTokenInteractive`): the first `getToken` hands the sign-in URL to `openBrowser`, MSAL's
 * loopback server on `http://localhost` receives the answer, and the refresh token stays in
 * MSAL's cache for silent refreshes. The app registration needs `http://localhost` as a redirect
 * URI of a public client ("Mobile and desktop applications").
 */
export function createBrowserProvider(options: BrowserProviderOptions): TokenProvider {
  const session = new MsalSession(options);
  let app: Promise<import('@azure/msal-node').PublicClientApplication> | undefined;
  return session.provider('app+user', async (forced) => {
    app ??= (async () => new (await loadMsal()).PublicClientApplication(await session.configuration()))();
    const client = await app;
    const cached = await session.silent(client, forced);
    if (cached !== undefined) return cached;
    if (options.interactive === false) throw session.signInRequired();
    try {
      const result = await raceWithSignal(
        client.acquireTokenInteractive({
          scopes: session.scopes,
          openBrowser: options.openBrowser,
          successTemplate:
            options.successPage ??
            'Signed in to Partner Center. You can close this window and return to the terminal.',
          errorTemplate: 'The sign-in failed. Return to the terminal for details.',
        }),
        options.signal,
      );
      return accessTokenOf(result, 'Browser sign-in');
    } catch (error) {
      if (options.signal?.aborted) {
        throw new PartnerCenterError({
          code: 'ABORTED',
          message: 'Browser sign-in was cancelled',
          cause: error,
        });
      }
      throw authError(error, 'Browser sign-in');
    }
  });
}

/**
 * Reads a PEM file's text holding a private key and its certificate (the format of
 * `AZURE_CLIENT_CERTIFICATE_PATH`). PKCS#12 and encrypted keys are refused with a message saying
 * how to convert them.
 * @throws PartnerCenterError `INVALID_REQUEST` naming what is missing.
 */
export function readCertificateCredential(
  pem: string,
  origin = 'the certificate file',
): CertificateCredential {
  const key = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(
    pem,
  )?.[0];
  const certificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  const convert = 'convert it with `openssl pkcs12 -in cert.pfx -out cert.pem -nodes`';
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(pem)) {
    throw new PartnerCenterError({
      code: 'INVALID_REQUEST',
      message: `${origin}: the private key is encrypted; give an unencrypted PEM (${convert})`,
    });
  }
  if (key === undefined || certificate === undefined) {
    throw new PartnerCenterError({
      code: 'INVALID_REQUEST',
      message: `${origin}: expected a PEM file holding both the private key and the certificate; ${convert}`,
    });
  }
  try {
    createPrivateKey(key);
    new X509Certificate(certificate);
  } catch (error) {
    throw new PartnerCenterError({
      code: 'INVALID_REQUEST',
      message: `${origin}: the key or certificate cannot be read (${(error as Error).message.split('\n')[0]})`,
    });
  }
  return { privateKey: key, certificate };
}

/**
 * Tokens for a confidential app that proves itself with a certificate (`@azure/msal-node`'s
 * `clientCertificate`, a signed client assertion instead of a secret). With `refreshToken` (or an
 * account already in `cacheStore`), App+User tokens, refreshed silently; without, app-only tokens
 * through client credentials, which the analytics endpoints refuse (403).
 */
export function createCertificateProvider(options: CertificateProviderOptions): TokenProvider {
  const session = new MsalSession(options);
  const der = new X509Certificate(options.certificate.certificate).raw;
  const thumbprintSha256 = createHash('sha256').update(der).digest('hex');
  let app: Promise<import('@azure/msal-node').ConfidentialClientApplication> | undefined;
  let refreshToken = options.refreshToken;
  const appOnly = refreshToken === undefined && options.cacheStore === undefined;
  return session.provider(appOnly ? 'app-only' : 'app+user', async (forced) => {
    app ??= (async () =>
      new (await loadMsal()).ConfidentialClientApplication(
        await session.configuration({
          clientCertificate: {
            thumbprintSha256,
            privateKey: options.certificate.privateKey,
            x5c: options.certificate.certificate,
          },
        }),
      ))();
    const client = await app;
    const cached = await session.silent(client, forced);
    if (cached !== undefined) return cached;
    try {
      if (refreshToken !== undefined) {
        const given = refreshToken;
        refreshToken = undefined; // Redeemed once; MSAL's cache keeps the rotated one.
        const result = await raceWithSignal(
          client.acquireTokenByRefreshToken({ refreshToken: given, scopes: session.scopes }),
          options.signal,
        );
        return accessTokenOf(result, 'Certificate sign-in');
      }
      if (options.interactive === false && !appOnly) throw session.signInRequired();
      const resource = (session.scopes[0] ?? partnerCenterUserScope).replace(/\/[^/]*$/, '');
      const result = await raceWithSignal(
        client.acquireTokenByClientCredential({ scopes: [`${resource}/.default`] }),
        options.signal,
      );
      return accessTokenOf(result, 'Certificate sign-in');
    } catch (error) {
      throw authError(error, 'Certificate sign-in');
    }
  });
}

/**
 * The shape of `@azure/identity`'s `TokenCredential` (structural: `@azure/identity` need not be
 * installed). `DefaultAzureCredential`, `DeviceCodeCredential`, `ClientCertificateCredential` and
 * the others all fit.
 */
export interface TokenCredentialLike {
  getToken(
    scopes: string | string[],
    options?: { abortSignal?: AbortSignal },
  ): Promise<{ token: string; expiresOnTimestamp: number } | null>;
}

/** Options of {@link createTokenCredentialProvider}. */
export interface TokenCredentialProviderOptions {
  /** Scopes asked of the credential, default `https://api.partnercenter.microsoft.com/.default`. */
  readonly scopes?: readonly string[];
  /** What the credential gives (default `app+user`; `app-only` for service principals, which analytics refuses). */
  readonly kind?: TokenProvider['kind'];
  /** Refresh this long before the token expires; default 120000 (2 minutes). */
  readonly refreshAheadMs?: number;
}

/**
 * Adapts any Azure Identity `TokenCredential` to a {@link TokenProvider}: tokens are cached and
 * refreshed ahead of expiry with one request shared by all callers; a `null` answer is an `AUTH` error.
 */
export function createTokenCredentialProvider(
  credential: TokenCredentialLike,
  options: TokenCredentialProviderOptions = {},
): TokenProvider {
  const scopes = [...(options.scopes ?? ['https://api.partnercenter.microsoft.com/.default'])];
  const cache = new TokenCache({
    refreshAheadMs: options.refreshAheadMs ?? 120_000,
    fetchToken: async () => {
      let result: { token: string; expiresOnTimestamp: number } | null;
      try {
        result = await credential.getToken(scopes);
      } catch (error) {
        throw authError(error, 'TokenCredential.getToken');
      }
      if (result === null || typeof result.token !== 'string' || result.token === '') {
        throw new PartnerCenterError({ code: 'AUTH', message: 'TokenCredential.getToken returned no token' });
      }
      return { token: result.token, expiresAt: result.expiresOnTimestamp };
    },
  });
  return { kind: options.kind ?? 'app+user', getToken: (getOptions) => cache.get(getOptions) };
}

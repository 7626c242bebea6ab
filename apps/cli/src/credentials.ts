import { readFile } from 'node:fs/promises';
import {
  createBrowserProvider,
  createCertificateProvider,
  createClientCredentialsProvider,
  createDeviceCodeProvider,
  createRefreshTokenProvider,
  createStaticTokenProvider,
  readCertificateCredential,
  type TokenProvider,
} from '@pc/transport';
import {
  type AuthMode,
  type ConfigFile,
  missingCredentials,
  readConfig,
  type Settings,
  writeConfig,
} from './config.js';
import type { CliContext, GlobalOptions } from './context.js';
import { UsageError } from './exitCodes.js';
import { loginFingerprint, profileOf, tokenFilePath, withProfile } from './profiles.js';
import { keychainService, openKeychainEntry, type TokenStoreKind } from './keychain.js';
import {
  fileBackend,
  keychainBackend,
  persistentTokenProvider,
  type TokenBackend,
  TokenStore,
} from './tokenStore.js';

/** How a run gets its tokens: a login's mode, or a token given in `PC_ACCESS_TOKEN`. */
export type CredentialMode = 'access-token' | AuthMode;

/** The sign-in hint of every "sign in again" error. */
export function signInHint(profile: string): string {
  const flag = profile === 'default' ? '' : ` --profile ${profile}`;
  return `sign in again: pc login${flag} --device-code --tenant-id <tenant> --client-id <app id> (or --browser, --refresh-token -; see pc login --help)`;
}

/** The PEM of extra trusted certificates: `--ca-file`, `PC_CA_FILE`, or the profile's `caFile`. */
export async function trustedCa(ctx: CliContext, globals: GlobalOptions): Promise<string | undefined> {
  const path = globals.caFile ?? (ctx.io.env.PC_CA_FILE || undefined) ?? ctx.config.caFile;
  if (path === undefined || path === '') return undefined;
  try {
    const text = await readFile(path, 'utf8');
    if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no PEM certificate in it');
    return text;
  } catch (error) {
    throw new UsageError(
      `--ca-file ${path}: ${(error as Error).message}`,
      'give a PEM file of certificates to trust',
    );
  }
}

/** Which credentials the settings (and the profile) hold. */
export function credentialModeOf(ctx: CliContext, settings: Settings): CredentialMode | undefined {
  if (settings.accessToken.value !== undefined) return 'access-token';
  if (settings.tenantId.value === undefined || settings.clientId.value === undefined) return undefined;
  const given = (source: string) => source === 'flag' || source === 'env';
  if (settings.refreshToken.value !== undefined && given(settings.refreshToken.source)) {
    return ctx.config.authMode === 'certificate' ? 'certificate' : 'refresh-token';
  }
  const stored = ctx.config.authMode;
  if (stored === 'device-code' || stored === 'browser' || stored === 'certificate') return stored;
  const certificateFromEnv = ctx.io.env.AZURE_CLIENT_CERTIFICATE_PATH;
  if (certificateFromEnv !== undefined && certificateFromEnv !== '') return 'certificate';
  if (settings.refreshToken.value !== undefined) return 'refresh-token';
  if (settings.clientSecret.value !== undefined) return 'client-credentials';
  return undefined;
}

/** The name of a profile's keychain entry, for messages. */
export function keychainEntryName(ctx: CliContext): string {
  return `the OS keychain (service ${keychainService}, profile ${ctx.profile})`;
}

/** The keychain backend of the profile (the entry is opened on first use). */
export function profileKeychainBackend(ctx: CliContext): TokenBackend {
  return keychainBackend(
    () => openKeychainEntry({ profile: ctx.profile, configPath: ctx.configPath }),
    keychainEntryName(ctx),
  );
}

/**
 * The profile's token store: where its login put the tokens (`tokenStore` of the profile: the OS
 * keychain, else the 0600 file). `deferred`: see {@link TokenStore}. `kind` overrides the profile's
 * choice (a new login's).
 */
export function tokenStoreOf(
  ctx: CliContext,
  options: { readonly deferred?: boolean; readonly kind?: TokenStoreKind } = {},
): TokenStore {
  const kind = options.kind ?? ctx.config.tokenStore ?? 'file';
  const backend =
    kind === 'keychain'
      ? profileKeychainBackend(ctx)
      : fileBackend(tokenFilePath(ctx.configPath, ctx.profile));
  return new TokenStore(backend, options.deferred === true ? { deferred: true } : {});
}

/** Saves a rotated refresh token to the profile when the one in use came from there. */
function rotationSaver(ctx: CliContext, settings: Settings): ((token: string) => void) | undefined {
  if (settings.refreshToken.source !== 'config') return undefined;
  return (token) => {
    ctx.redactor.add(token);
    readConfig(ctx.configPath)
      .then((config) =>
        writeConfig(
          ctx.configPath,
          withProfile(config, ctx.profile, { ...profileOf(config, ctx.profile), refreshToken: token }),
        ),
      )
      .catch((error: unknown) => {
        ctx.err(`pc: warning: could not store the rotated refresh token: ${(error as Error).message}\n`);
      });
  };
}

/** The certificate credential of a certificate login: the stored path, else `AZURE_CLIENT_CERTIFICATE_PATH`. */
export async function certificateOf(path: string | undefined) {
  if (path === undefined || path === '') {
    throw new UsageError('a certificate login needs --certificate FILE (or AZURE_CLIENT_CERTIFICATE_PATH)');
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--certificate ${path}: ${(error as Error).message}`);
  }
  return readCertificateCredential(text, path);
}

/** What {@link runtimeTokenProvider} needs beyond the context. */
export interface ProviderInput {
  readonly settings: Settings;
  readonly mode: CredentialMode;
  readonly ca: string | undefined;
  readonly store: TokenStore;
  /** A sign-in may prompt (only `pc login` does). */
  readonly interactive?: {
    readonly onDeviceCode?: Parameters<typeof createDeviceCodeProvider>[0]['onDeviceCode'];
    readonly openBrowser?: (url: string) => Promise<void>;
  };
  /** A refresh token to redeem once (certificate login). */
  readonly refreshToken?: string | undefined;
  readonly certificatePath?: string | undefined;
  readonly onRotated?: ((token: string) => void) | undefined;
}

/** The bare provider of a mode (no file cache in front). */
export async function modeTokenProvider(ctx: CliContext, input: ProviderInput): Promise<TokenProvider> {
  const { settings, mode, ca } = input;
  if (mode === 'access-token') return createStaticTokenProvider(settings.accessToken.value ?? '');
  const common = {
    tenantId: settings.tenantId.value ?? '',
    clientId: settings.clientId.value ?? '',
    authorityUrl: settings.authorityUrl.value,
    signal: ctx.signal,
    ...(ca !== undefined ? { ca } : {}),
  };
  const secret = settings.clientSecret.value;
  switch (mode) {
    case 'refresh-token':
      return createRefreshTokenProvider({
        ...common,
        endpointVersion: settings.endpointVersion.value,
        allowInsecureHttp: ctx.network().allowInsecureHttp,
        refreshToken: settings.refreshToken.value ?? '',
        ...(secret !== undefined ? { clientSecret: secret } : {}),
        ...(input.onRotated !== undefined ? { onRefreshTokenRotated: input.onRotated } : {}),
      });
    case 'client-credentials':
      return createClientCredentialsProvider({
        ...common,
        endpointVersion: settings.endpointVersion.value,
        allowInsecureHttp: ctx.network().allowInsecureHttp,
        clientSecret: secret ?? '',
        onWarning: () => undefined,
      });
    case 'device-code':
      return createDeviceCodeProvider({
        ...common,
        cacheStore: input.store.msalStore(),
        interactive: input.interactive !== undefined,
        onDeviceCode: input.interactive?.onDeviceCode ?? (() => undefined),
      });
    case 'browser':
      return createBrowserProvider({
        ...common,
        cacheStore: input.store.msalStore(),
        interactive: input.interactive !== undefined,
        openBrowser: input.interactive?.openBrowser ?? (async () => undefined),
      });
    case 'certificate':
      return createCertificateProvider({
        ...common,
        cacheStore: input.store.msalStore(),
        interactive: input.interactive !== undefined,
        certificate: await certificateOf(
          input.certificatePath ?? ctx.config.certificatePath ?? ctx.io.env.AZURE_CLIENT_CERTIFICATE_PATH,
        ),
        ...(input.refreshToken !== undefined ? { refreshToken: input.refreshToken } : {}),
      });
  }
}

/** The fingerprint of the login whose tokens a run uses. */
export function loginOf(settings: Settings, mode: CredentialMode): string {
  const profile: ConfigFile = {
    authorityUrl: settings.authorityUrl.value,
    ...(settings.tenantId.value !== undefined ? { tenantId: settings.tenantId.value } : {}),
    ...(settings.clientId.value !== undefined ? { clientId: settings.clientId.value } : {}),
    ...(mode !== 'access-token' ? { authMode: mode } : {}),
    endpointVersion: settings.endpointVersion.value,
  };
  return loginFingerprint(profile, settings.baseUrl.value);
}

/**
 * The token provider of a command: the profile's login (or the environment's credentials), with
 * the access token kept in the profile's token file across invocations. Exit 4 without credentials.
 */
export async function runtimeTokenProvider(
  ctx: CliContext,
  input: { settings: Settings; ca: string | undefined },
): Promise<{ provider: TokenProvider; mode: CredentialMode }> {
  const mode = credentialModeOf(ctx, input.settings);
  if (mode === undefined) throw missingCredentials();
  const store = tokenStoreOf(ctx);
  const inner = await modeTokenProvider(ctx, {
    settings: input.settings,
    mode,
    ca: input.ca,
    store,
    onRotated: rotationSaver(ctx, input.settings),
  });
  if (mode === 'access-token') return { provider: inner, mode };
  return {
    provider: persistentTokenProvider({
      inner,
      store,
      login: loginOf(input.settings, mode),
      onToken: (token) => ctx.redactor.add(token),
    }),
    mode,
  };
}

import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AccessToken } from '@pc/transport';
import { Command, Option } from 'commander';
import {
  type AuthMode,
  type ConfigFile,
  defaultAuthorityUrl,
  readConfig,
  type Settings,
  writeConfig,
} from '../config.js';
import {
  type CredentialMode,
  credentialModeOf,
  keychainEntryName,
  loginOf,
  modeTokenProvider,
  profileKeychainBackend,
  runtimeTokenProvider,
  tokenStoreOf,
  trustedCa,
} from '../credentials.js';
import {
  KeychainUnavailableError,
  keychainService,
  type TokenStoreKind,
  tokenStorePreference,
} from '../keychain.js';
import { persistentTokenProvider } from '../tokenStore.js';
import { profileNames, profileOf, profileView, withProfile } from '../profiles.js';
import type { CliContext, GlobalOptions } from '../context.js';
import { CliError, ExitCode, UsageError } from '../exitCodes.js';
import { chooseFormat, openOutput } from '../output/destination.js';
import { yamlValue } from '../output/writers.js';
import { bindAction, type RunState } from './action.js';

/** The claims `pc status` shows, read from a JWT access token (never verified, never printed whole). */
export interface TokenClaims {
  readonly user: string | undefined;
  readonly tenantId: string | undefined;
  readonly appId: string | undefined;
  readonly expiresAt: number | undefined;
}

/** Reads the display claims of a JWT; an opaque token gives empty claims. */
export function readTokenClaims(token: string): TokenClaims {
  const empty: TokenClaims = { user: undefined, tenantId: undefined, appId: undefined, expiresAt: undefined };
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined) return empty;
  let payload: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return empty;
    payload = parsed as Record<string, unknown>;
  } catch (error) {
    if (error instanceof SyntaxError) return empty;
    throw error;
  }
  const text = (...keys: string[]): string | undefined => {
    for (const key of keys) {
      const value = payload[key];
      if (typeof value === 'string' && value !== '') return value;
    }
    return undefined;
  };
  const exp = payload.exp;
  return {
    user: text('upn', 'unique_name', 'preferred_username', 'email', 'name'),
    tenantId: text('tid'),
    appId: text('appid', 'azp'),
    expiresAt: typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined,
  };
}

async function readStdin(ctx: CliContext): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.io.stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The two secrets of `pc login`, each from its flag (`-` reads stdin), its `--…-file`, or the
 * environment (which `ctx.settings` reads): never forced into argv. When both are `-`, stdin holds
 * the client secret on its first line and the refresh token on its second.
 */
async function loginSecrets(
  ctx: CliContext,
  flags: LoginFlags,
): Promise<{ clientSecret: string | undefined; refreshToken: string | undefined }> {
  const fromFile = async (path: string | undefined, flag: string): Promise<string | undefined> => {
    if (path === undefined) return undefined;
    try {
      const text = (await readFile(path, 'utf8')).trim();
      if (text === '') throw new Error('the file is empty');
      return text;
    } catch (error) {
      throw new UsageError(`${flag} ${path}: ${(error as Error).message}`);
    }
  };
  let stdinLines: string[] | undefined;
  const stdinLine = async (index: number, flag: string): Promise<string> => {
    stdinLines ??= (await readStdin(ctx)).split(/\r?\n/).map((line) => line.trim());
    const line = stdinLines[index] ?? '';
    if (line === '')
      throw new UsageError(
        `${flag} -: nothing on stdin`,
        'pipe the value in, e.g. pc login ... < secret.txt',
      );
    return line;
  };
  const bothFromStdin = flags.clientSecret === '-' && flags.refreshToken === '-';
  const clientSecret =
    flags.clientSecret === '-'
      ? await stdinLine(0, '--client-secret')
      : (flags.clientSecret ?? (await fromFile(flags.clientSecretFile, '--client-secret-file')));
  const refreshToken =
    flags.refreshToken === '-'
      ? await stdinLine(bothFromStdin ? 1 : 0, '--refresh-token')
      : (flags.refreshToken ?? (await fromFile(flags.refreshTokenFile, '--refresh-token-file')));
  return { clientSecret, refreshToken };
}

/** Which credentials the settings hold (for tests and `pc status`). */
export function authModeOf(ctx: CliContext, settings: Settings): CredentialMode | undefined {
  return credentialModeOf(ctx, settings);
}

interface LoginFlags {
  readonly tenantId?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly clientSecretFile?: string;
  readonly refreshToken?: string;
  readonly refreshTokenFile?: string;
  readonly authorityUrl?: string;
  readonly endpointVersion?: 'v1' | 'v2';
  readonly deviceCode?: boolean;
  readonly browser?: boolean;
  readonly certificate?: string;
  readonly verify: boolean;
}

/** Opens a URL in the user's browser: `$BROWSER` (`none` turns it off), else the platform's opener. */
function openInBrowser(ctx: CliContext, url: string): Promise<boolean> {
  const chosen = ctx.io.env.BROWSER;
  if (chosen === 'none' || chosen === 'false') return Promise.resolve(false);
  const [command, args] =
    chosen !== undefined && chosen !== ''
      ? [chosen, [url]]
      : process.platform === 'darwin'
        ? ['open', [url]]
        : process.platform === 'win32'
          ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
          : ['xdg-open', [url]];
  return new Promise((done) => {
    try {
      const child = spawn(command, args, { stdio: 'ignore', detached: true });
      child.once('error', () => done(false));
      child.once('spawn', () => {
        child.unref();
        done(true);
      });
    } catch {
      done(false);
    }
  });
}

function loginMode(flags: LoginFlags, settings: Settings, certificatePath: string | undefined): AuthMode {
  const chosen = [flags.deviceCode === true, flags.browser === true, certificatePath !== undefined].filter(
    Boolean,
  );
  if (chosen.length > 1) throw new UsageError('give one of --device-code, --browser and --certificate');
  if (flags.deviceCode === true) return 'device-code';
  if (flags.browser === true) return 'browser';
  if (certificatePath !== undefined) return 'certificate';
  if (settings.refreshToken.value !== undefined) return 'refresh-token';
  if (settings.clientSecret.value !== undefined) return 'client-credentials';
  throw new UsageError(
    'say how to sign in: --device-code, --browser, --certificate FILE, --refresh-token (App+User) or --client-secret (app-only)',
    'secrets: a value of - reads stdin, --client-secret-file/--refresh-token-file read a file, PC_CLIENT_SECRET/AZURE_CLIENT_SECRET and PC_REFRESH_TOKEN the environment',
  );
}

async function login(ctx: CliContext, flags: LoginFlags, globals: GlobalOptions): Promise<number> {
  const { clientSecret, refreshToken } = await loginSecrets(ctx, flags);
  ctx.redactor.add(clientSecret);
  ctx.redactor.add(refreshToken);
  const base = ctx.settings({
    baseUrl: globals.baseUrl,
    authorityUrl: flags.authorityUrl,
    tenantId: flags.tenantId,
    clientId: flags.clientId,
    clientSecret,
    refreshToken,
  });
  const interactiveMode = flags.deviceCode === true || flags.browser === true;
  const settings: Settings = {
    ...base,
    ...(flags.endpointVersion !== undefined
      ? { endpointVersion: { value: flags.endpointVersion, source: 'flag' as const } }
      : {}),
    // A device-code or browser sign-in can let the user pick the tenant.
    ...(base.tenantId.value === undefined && interactiveMode
      ? { tenantId: { value: 'organizations', source: 'default' as const } }
      : {}),
  };
  const certificateFlag = flags.certificate ?? (ctx.io.env.AZURE_CLIENT_CERTIFICATE_PATH || undefined);
  const certificatePath = certificateFlag === undefined ? undefined : resolve(ctx.io.cwd, certificateFlag);
  const mode = loginMode(flags, settings, certificatePath);
  if (settings.tenantId.value === undefined)
    throw new UsageError('--tenant-id is required (or PC_TENANT_ID / AZURE_TENANT_ID)');
  if (settings.clientId.value === undefined)
    throw new UsageError(
      '--client-id is required (or PC_CLIENT_ID / AZURE_CLIENT_ID)',
      'the application (client) id of your app registration',
    );
  const ca = await trustedCa(ctx, globals);
  // The new login's tokens stay in memory until it succeeds: a failed or cancelled sign-in
  // leaves the profile's earlier login in place.
  const storeChoice = await chooseTokenStore(ctx);
  const store = tokenStoreOf(ctx, { deferred: true, kind: storeChoice.kind });
  const quiet = globals.quiet === true;
  let storedRefreshToken = settings.refreshToken.value;
  let claims: TokenClaims | undefined;
  let token: AccessToken | undefined;
  const verify = flags.verify || interactiveMode || mode === 'certificate';
  if (verify) {
    const inner = await modeTokenProvider(ctx, {
      settings,
      mode,
      ca,
      store,
      ...(mode === 'certificate' ? { refreshToken: settings.refreshToken.value, certificatePath } : {}),
      interactive: {
        onDeviceCode: (prompt) => {
          ctx.err(
            `To sign in, open ${prompt.verificationUri} in a browser and enter the code ${prompt.userCode}\n` +
              `(it expires at ${new Date(prompt.expiresAt).toISOString()}; waiting, Ctrl-C cancels)\n`,
          );
        },
        openBrowser: async (url) => {
          const opened = await openInBrowser(ctx, url);
          ctx.err(
            opened
              ? `Opened a browser to sign in. If it did not open, visit:\n  ${url}\n`
              : `No browser could be opened. To sign in, visit:\n  ${url}\n`,
          );
        },
      },
      onRotated: (rotated) => {
        ctx.redactor.add(rotated);
        storedRefreshToken = rotated;
      },
    });
    const provider = persistentTokenProvider({
      inner,
      store,
      login: loginOf(settings, mode),
      onToken: (value) => ctx.redactor.add(value),
    });
    token = await provider.getToken({ signal: ctx.signal });
    claims = readTokenClaims(token.token);
  }
  const config = await readConfig(ctx.configPath);
  const previous = profileOf(config, ctx.profile);
  // A new login replaces whatever the profile's tokens were, wherever they were.
  await store.commit();
  const previousKind = previous.tokenStore ?? 'file';
  if (previousKind !== storeChoice.kind) await tokenStoreOf(ctx, { kind: previousKind }).remove();
  const next: ConfigFile = {
    tenantId: settings.tenantId.value,
    clientId: settings.clientId.value,
    authMode: mode,
  };
  // Secrets are stored only where the mode needs them at run time (MSAL keeps its refresh token in the token file).
  if (mode === 'refresh-token' || mode === 'client-credentials') {
    if (settings.clientSecret.value !== undefined) next.clientSecret = settings.clientSecret.value;
    if (mode === 'refresh-token' && storedRefreshToken !== undefined) next.refreshToken = storedRefreshToken;
  }
  if (mode === 'certificate' && certificatePath !== undefined) next.certificatePath = certificatePath;
  const authority = settings.authorityUrl.source === 'flag' || settings.authorityUrl.source === 'env';
  if (authority) next.authorityUrl = settings.authorityUrl.value;
  if (settings.baseUrl.source === 'flag' || settings.baseUrl.source === 'env')
    next.baseUrl = settings.baseUrl.value;
  else if (previous.baseUrl !== undefined && authority) next.baseUrl = previous.baseUrl;
  const caFile = globals.caFile ?? (ctx.io.env.PC_CA_FILE || undefined);
  if (caFile !== undefined) next.caFile = resolve(ctx.io.cwd, caFile);
  if (flags.endpointVersion !== undefined) next.endpointVersion = flags.endpointVersion;
  if (storeChoice.kind === 'keychain') next.tokenStore = 'keychain';
  await writeConfig(ctx.configPath, withProfile(config, ctx.profile, next));
  const who = claims?.user ?? claims?.appId ?? settings.clientId.value;
  const lines = [
    `Logged in to tenant ${claims?.tenantId ?? settings.tenantId.value} as ${who} (${mode}, profile ${ctx.profile}).`,
  ];
  if (token !== undefined && Number.isFinite(token.expiresAt)) {
    lines.push(
      `Access token valid until ${new Date(token.expiresAt).toISOString()}; it is refreshed unattended.`,
    );
  }
  if (!verify) lines.push('Credentials not verified (--no-verify).');
  if (mode === 'client-credentials' || (mode === 'certificate' && claims?.user === undefined)) {
    lines.push(
      'Note: Partner Center analytics refuses app-only tokens (403); sign in as a user for analytics.',
    );
  }
  lines.push(
    storeChoice.kind === 'keychain'
      ? `Stored in ${ctx.configPath} (mode 0600); the tokens in ${store.where}.`
      : `Stored in ${ctx.configPath} and ${store.where} (mode 0600).`,
  );
  if (storeChoice.fallback !== undefined) {
    lines.push(
      `No OS keychain (${storeChoice.fallback}): the tokens are in the 0600 file instead (PC_TOKEN_STORE=file chooses the file without trying the keychain).`,
    );
  }
  if (!quiet) ctx.err(`${lines.join('\n')}\n`);
  return ExitCode.ok;
}

/**
 * Where a new login keeps its tokens: `PC_TOKEN_STORE` (`auto` by default): the OS keychain when
 * one answers (checked before the sign-in starts), else the 0600 file, with the reason.
 * @throws KeychainUnavailableError with `PC_TOKEN_STORE=keychain` and no keychain.
 */
async function chooseTokenStore(ctx: CliContext): Promise<{ kind: TokenStoreKind; fallback?: string }> {
  const preference = tokenStorePreference(ctx.io.env);
  if (preference === 'file') return { kind: 'file' };
  try {
    await profileKeychainBackend(ctx).read();
    return { kind: 'keychain' };
  } catch (error) {
    if (!(error instanceof KeychainUnavailableError) || preference === 'keychain') throw error;
    return { kind: 'file', fallback: error.message };
  }
}

async function logout(ctx: CliContext, globals: GlobalOptions): Promise<number> {
  const config = await readConfig(ctx.configPath);
  const profile = profileOf(config, ctx.profile);
  const had = Object.keys(profile).length > 0;
  if (had) await writeConfig(ctx.configPath, withProfile(config, ctx.profile, undefined));
  let removedTokens = await tokenStoreOf(ctx, { kind: 'file' }).remove();
  if (profile.tokenStore === 'keychain') {
    try {
      removedTokens = (await tokenStoreOf(ctx, { kind: 'keychain' }).remove()) || removedTokens;
    } catch (error) {
      if (!(error instanceof KeychainUnavailableError)) throw error;
      throw new CliError(
        `logged out of profile ${ctx.profile}, but its tokens are still in ${keychainEntryName(ctx)}: ${error.message}`,
        {
          hint: `unlock the keychain and run pc logout${ctx.profile === 'default' ? '' : ` --profile ${ctx.profile}`} again, or delete the entry of service ${keychainService}, account "${ctx.profile} ${ctx.configPath}" with the keychain's own tool`,
        },
      );
    }
  }
  const env = ctx.io.env;
  const lines = [
    had || removedTokens
      ? `Logged out of profile ${ctx.profile}: its credentials, endpoints and cached tokens are removed.`
      : `Not logged in (profile ${ctx.profile}): nothing to remove.`,
  ];
  const envCredentials = [
    'PC_ACCESS_TOKEN',
    'PC_REFRESH_TOKEN',
    'PC_CLIENT_SECRET',
    'AZURE_CLIENT_SECRET',
    'AZURE_CLIENT_CERTIFICATE_PATH',
  ].filter((name) => env[name] !== undefined && env[name] !== '');
  if (envCredentials.length > 0)
    lines.push(`Note: ${envCredentials.join(', ')} still set in the environment.`);
  if (globals.quiet !== true) ctx.err(`${lines.join('\n')}\n`);
  return ExitCode.ok;
}

async function writeRecord(
  ctx: CliContext,
  globals: GlobalOptions,
  settings: Settings,
  record: Record<string, string | boolean | null>,
): Promise<void> {
  const format = chooseFormat({
    configured: settings.output.value,
    outFile: globals.out,
    stdoutIsTTY: ctx.io.stdout.isTTY === true,
  });
  if (format === 'json') {
    ctx.io.stdout.write(ctx.redactor.redact(`${JSON.stringify(record, null, 2)}\n`));
  } else if (format === 'yaml') {
    ctx.io.stdout.write(
      ctx.redactor.redact(
        Object.entries(record)
          .map(([key, value]) => `${key}: ${yamlValue(value)}\n`)
          .join(''),
      ),
    );
  } else if (format === 'table') {
    const width = Math.max(...Object.keys(record).map((key) => key.length));
    const text = Object.entries(record)
      .map(([key, value]) => `${`${key}:`.padEnd(width + 2)}${value === null ? '-' : String(value)}\n`)
      .join('');
    ctx.io.stdout.write(ctx.redactor.redact(text));
  } else {
    const output = await openOutput(ctx, {
      globals,
      format,
      selection: undefined,
      locale: settings.locale.value,
    });
    output.writer.write(record);
    await output.finish();
  }
}

async function status(ctx: CliContext, globals: GlobalOptions): Promise<number> {
  const settings = ctx.settings({ baseUrl: globals.baseUrl, output: globals.output });
  const mode = credentialModeOf(ctx, settings);
  const record: Record<string, string | boolean | null> = {
    profile: ctx.profile,
    loggedIn: false,
    authMode: mode ?? null,
    credentialsFrom: null,
    user: null,
    tenantId: settings.tenantId.value ?? null,
    clientId: settings.clientId.value ?? null,
    tokenExpiresAt: null,
    baseUrl: settings.baseUrl.value,
    authorityUrl: mode === 'access-token' ? null : settings.authorityUrl.value,
    tokenStore: mode === undefined || mode === 'access-token' ? null : (ctx.config.tokenStore ?? 'file'),
    configFile: ctx.configPath,
  };
  let failure: unknown;
  if (mode !== undefined) {
    record.credentialsFrom =
      mode === 'access-token'
        ? 'env'
        : mode === 'refresh-token'
          ? settings.refreshToken.source
          : mode === 'client-credentials'
            ? settings.clientSecret.source
            : 'config';
    try {
      const ca = await trustedCa(ctx, globals);
      const { provider } = await runtimeTokenProvider(ctx, { settings, ca });
      const token = await provider.getToken({ signal: ctx.signal });
      ctx.redactor.add(token.token);
      const claims = readTokenClaims(token.token);
      record.loggedIn = true;
      record.user = claims.user ?? claims.appId ?? null;
      record.tenantId = claims.tenantId ?? record.tenantId ?? null;
      const expiresAt = claims.expiresAt ?? token.expiresAt;
      record.tokenExpiresAt = Number.isFinite(expiresAt) ? new Date(expiresAt).toISOString() : null;
    } catch (error) {
      failure = error;
    }
  }
  await writeRecord(ctx, globals, settings, record);
  if (mode === undefined) {
    throw new CliError(`not logged in (profile ${ctx.profile})`, {
      exitCode: ExitCode.auth,
      hint: 'run `pc login --device-code --tenant-id <tenant> --client-id <app id>`, or set PC_ACCESS_TOKEN (see `pc help environment`)',
    });
  }
  if (failure !== undefined) throw failure;
  return ExitCode.ok;
}

async function authToken(ctx: CliContext, globals: GlobalOptions): Promise<number> {
  const settings = ctx.settings({ baseUrl: globals.baseUrl });
  const ca = await trustedCa(ctx, globals);
  const { provider } = await runtimeTokenProvider(ctx, { settings, ca });
  const token = await provider.getToken({ signal: ctx.signal });
  // The one place a token goes to stdout, on purpose (as `gh auth token`); never to stderr.
  ctx.io.stdout.write(`${token.token}\n`);
  return ExitCode.ok;
}

async function authList(ctx: CliContext, globals: GlobalOptions): Promise<number> {
  const config = await readConfig(ctx.configPath);
  const settings = ctx.settings({ output: globals.output });
  const names = profileNames(config);
  const active = config.activeProfile ?? 'default';
  const rows = names.map((name) => {
    const view = profileView(config, name);
    return {
      profile: name,
      active: name === active,
      current: name === ctx.profile,
      authMode: view.authMode ?? null,
      tenantId: view.tenantId ?? null,
      clientId: view.clientId ?? null,
      baseUrl: view.baseUrl ?? null,
      authorityUrl: view.authorityUrl ?? null,
    };
  });
  const format = chooseFormat({
    configured: settings.output.value,
    outFile: globals.out,
    stdoutIsTTY: ctx.io.stdout.isTTY === true,
  });
  if (format === 'json') {
    ctx.io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else {
    if (rows.length === 0) ctx.err('No profiles: run `pc login` first.\n');
    for (const row of rows) {
      ctx.io.stdout.write(
        `${row.active ? '*' : ' '} ${row.profile.padEnd(12)} ${String(row.authMode ?? '-').padEnd(18)} ${row.tenantId ?? '-'}  ${row.baseUrl ?? 'https://api.partnercenter.microsoft.com'}\n`,
      );
    }
  }
  return ExitCode.ok;
}

async function authSwitch(ctx: CliContext, globals: GlobalOptions, name: string): Promise<number> {
  const config = await readConfig(ctx.configPath);
  if (!profileNames(config).includes(name)) {
    throw new UsageError(
      `no profile '${name.slice(0, 64)}'`,
      `profiles: ${profileNames(config).join(', ') || 'none'}; create one with pc login --profile ${name.slice(0, 64)}`,
    );
  }
  const next: ConfigFile = { ...config, activeProfile: name };
  if (name === 'default') delete next.activeProfile;
  await writeConfig(ctx.configPath, next);
  if (globals.quiet !== true) ctx.err(`Now using profile ${name}.\n`);
  return ExitCode.ok;
}

/** `pc login`, `pc logout`, `pc status`, `pc auth list|switch|token`. */
export function authCommands(ctx: CliContext, state: RunState): Command[] {
  const loginCommand = new Command('login')
    .summary(
      'sign in (device code, browser, certificate, refresh token or client secret) and store the login',
    )
    .description(
      'Sign in to Partner Center and store what later commands need to run unattended, in the\n' +
        'profile (--profile, default `default`): the config file and a token file, both 0600.\n\n' +
        '  --device-code           show a code and a URL on stderr; sign in (with MFA) on any device\n' +
        '  --browser               authorization code with PKCE on a loopback redirect (prints the URL\n' +
        '                          when no browser opens; BROWSER=none to only print it)\n' +
        '  --certificate FILE      a confidential app with a certificate (PEM with key); with\n' +
        '                          --refresh-token App+User, without it app-only (refused by analytics)\n' +
        '  --refresh-token VALUE   App+User from the secure application model consent (+ --client-secret)\n' +
        '  --client-secret VALUE   app-only client credentials (refused by analytics)\n\n' +
        'Secrets never need argv: a value of - reads stdin (both -: secret on line 1, refresh token on\n' +
        'line 2), --client-secret-file / --refresh-token-file read a file, and PC_CLIENT_SECRET,\n' +
        'AZURE_CLIENT_SECRET, PC_REFRESH_TOKEN, AZURE_TENANT_ID, AZURE_CLIENT_ID and\n' +
        'AZURE_CLIENT_CERTIFICATE_PATH are read from the environment.',
    )
    .option(
      '--tenant-id <id>',
      'tenant id or domain (or PC_TENANT_ID, AZURE_TENANT_ID; device code and browser default to organizations)',
    )
    .option('--client-id <id>', 'application (client) id (or PC_CLIENT_ID, AZURE_CLIENT_ID)')
    .option('--device-code', 'sign in with a code shown on stderr')
    .option('--browser', 'sign in in a browser (authorization code with PKCE)')
    .option(
      '--certificate <file>',
      'a PEM file with the private key and certificate (or AZURE_CLIENT_CERTIFICATE_PATH)',
    )
    .option(
      '--client-secret <secret>',
      'client secret, or - for stdin (or PC_CLIENT_SECRET, AZURE_CLIENT_SECRET)',
    )
    .option('--client-secret-file <file>', 'read the client secret from a file')
    .option('--refresh-token <token>', 'refresh token, or - for stdin (or PC_REFRESH_TOKEN)')
    .option('--refresh-token-file <file>', 'read the refresh token from a file')
    .option('--authority-url <url>', `token authority (default ${defaultAuthorityUrl}, or PC_AUTHORITY_URL)`)
    .addOption(
      new Option(
        '--endpoint-version <v>',
        'Entra token endpoint version of --refresh-token and --client-secret',
      ).choices(['v1', 'v2']),
    )
    .option('--no-verify', 'store a refresh token or client secret without fetching a token first');
  bindAction(loginCommand, ctx, state, (context, action) =>
    login(context, action.opts as unknown as LoginFlags, action.globals),
  );
  const logoutCommand = new Command('logout').summary(
    'remove everything the profile holds: credentials, endpoints, cached tokens',
  );
  bindAction(logoutCommand, ctx, state, (context, action) => logout(context, action.globals));
  const statusCommand = new Command('status')
    .summary('profile, user, tenant, base URL, authority, token expiry (never prints a secret)')
    .description(
      'Show the login in use: profile, user, tenant, client id, token expiry, base URL and authority. Exit 4 when not logged in.',
    );
  bindAction(statusCommand, ctx, state, (context, action) => status(context, action.globals));
  const auth = new Command('auth').summary('profiles and tokens: list, switch, token');
  const list = new Command('list').summary('the stored profiles (* marks the one used by default)');
  bindAction(list, ctx, state, (context, action) => authList(context, action.globals));
  const switchCommand = new Command('switch')
    .summary('make a profile the default one')
    .argument('<name>', 'the profile');
  bindAction(switchCommand, ctx, state, (context, action) =>
    authSwitch(context, action.globals, String(action.args[0])),
  );
  const token = new Command('token').summary(
    'print the current access token on stdout (for scripts, like gh auth token)',
  );
  bindAction(token, ctx, state, (context, action) => authToken(context, action.globals));
  auth.addCommand(list);
  auth.addCommand(switchCommand);
  auth.addCommand(token);
  return [loginCommand, logoutCommand, statusCommand, auth];
}

import {
  type AccessToken,
  createClientCredentialsProvider,
  createRefreshTokenProvider,
  createStaticTokenProvider,
  type TokenProvider,
} from '@pc/transport';
import { Command, Option } from 'commander';
import {
  type AuthMode,
  type ConfigFile,
  defaultAuthorityUrl,
  readConfig,
  type Settings,
  writeConfig,
} from '../config.js';
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
  return Buffer.concat(chunks).toString('utf8').trim();
}

/** `-` reads the value from stdin (so that a secret never shows in `ps` or the shell history). */
async function valueOrStdin(
  ctx: CliContext,
  value: string | undefined,
  flag: string,
): Promise<string | undefined> {
  if (value !== '-') return value;
  const text = await readStdin(ctx);
  if (text === '') throw new UsageError(`${flag} -: nothing on stdin`);
  return text;
}

/** Which credentials the settings hold. */
export function authModeOf(settings: Settings): 'access-token' | AuthMode | undefined {
  if (settings.accessToken.value !== undefined) return 'access-token';
  if (settings.tenantId.value === undefined || settings.clientId.value === undefined) return undefined;
  if (settings.refreshToken.value !== undefined) return 'refresh-token';
  if (settings.clientSecret.value !== undefined) return 'client-credentials';
  return undefined;
}

function tokenProvider(
  ctx: CliContext,
  settings: Settings,
  mode: 'access-token' | AuthMode,
  onRotated?: (token: string) => void,
): TokenProvider {
  if (mode === 'access-token') return createStaticTokenProvider(settings.accessToken.value ?? '');
  const common = {
    tenantId: settings.tenantId.value ?? '',
    clientId: settings.clientId.value ?? '',
    authorityUrl: settings.authorityUrl.value,
    endpointVersion: settings.endpointVersion.value,
    signal: ctx.signal,
    allowInsecureHttp: ctx.network().allowInsecureHttp,
  };
  const secret = settings.clientSecret.value;
  if (mode === 'refresh-token') {
    return createRefreshTokenProvider({
      ...common,
      refreshToken: settings.refreshToken.value ?? '',
      ...(secret !== undefined ? { clientSecret: secret } : {}),
      ...(onRotated !== undefined ? { onRefreshTokenRotated: onRotated } : {}),
    });
  }
  return createClientCredentialsProvider({
    ...common,
    clientSecret: secret ?? '',
    onWarning: () => undefined,
  });
}

interface LoginFlags {
  readonly tenantId?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly refreshToken?: string;
  readonly authorityUrl?: string;
  readonly endpointVersion?: 'v1' | 'v2';
  readonly verify: boolean;
}

async function login(ctx: CliContext, flags: LoginFlags, globals: GlobalOptions): Promise<number> {
  const clientSecret = await valueOrStdin(ctx, flags.clientSecret, '--client-secret');
  const refreshToken = await valueOrStdin(ctx, flags.refreshToken, '--refresh-token');
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
  const settings: Settings =
    flags.endpointVersion === undefined
      ? base
      : { ...base, endpointVersion: { value: flags.endpointVersion, source: 'flag' } };
  if (settings.tenantId.value === undefined)
    throw new UsageError('--tenant-id is required (or PC_TENANT_ID)');
  if (settings.clientId.value === undefined)
    throw new UsageError('--client-id is required (or PC_CLIENT_ID)');
  const mode: AuthMode | undefined =
    settings.refreshToken.value !== undefined
      ? 'refresh-token'
      : settings.clientSecret.value !== undefined
        ? 'client-credentials'
        : undefined;
  if (mode === undefined) {
    throw new UsageError(
      'give --refresh-token (App+User, what analytics needs) or --client-secret (app-only)',
      'a value of - reads it from stdin',
    );
  }
  let storedRefreshToken = settings.refreshToken.value;
  let claims: TokenClaims | undefined;
  let token: AccessToken | undefined;
  if (flags.verify) {
    const provider = tokenProvider(ctx, settings, mode, (rotated) => {
      ctx.redactor.add(rotated);
      storedRefreshToken = rotated;
    });
    token = await provider.getToken({ signal: ctx.signal });
    ctx.redactor.add(token.token);
    claims = readTokenClaims(token.token);
  }
  const previous = await readConfig(ctx.configPath);
  const next: ConfigFile = {
    ...previous,
    tenantId: settings.tenantId.value,
    clientId: settings.clientId.value,
    authMode: mode,
  };
  delete next.clientSecret;
  delete next.refreshToken;
  if (settings.clientSecret.value !== undefined) next.clientSecret = settings.clientSecret.value;
  if (mode === 'refresh-token' && storedRefreshToken !== undefined) next.refreshToken = storedRefreshToken;
  if (settings.authorityUrl.source === 'flag' || settings.authorityUrl.source === 'env') {
    next.authorityUrl = settings.authorityUrl.value;
  }
  if (settings.baseUrl.source === 'flag') next.baseUrl = settings.baseUrl.value;
  if (flags.endpointVersion !== undefined) next.endpointVersion = flags.endpointVersion;
  await writeConfig(ctx.configPath, next);
  const who = claims?.user ?? claims?.appId ?? settings.clientId.value;
  const lines = [`Logged in to tenant ${claims?.tenantId ?? settings.tenantId.value} as ${who} (${mode}).`];
  if (token !== undefined && Number.isFinite(token.expiresAt)) {
    lines.push(`Access token valid until ${new Date(token.expiresAt).toISOString()}.`);
  }
  if (!flags.verify) lines.push('Credentials not verified (--no-verify).');
  if (mode === 'client-credentials') {
    lines.push(
      'Note: Partner Center analytics refuses app-only tokens (403); use a refresh token for analytics.',
    );
  }
  lines.push(`Credentials stored in ${ctx.configPath} (mode 0600).`);
  if (globals.quiet !== true) ctx.err(`${lines.join('\n')}\n`);
  return ExitCode.ok;
}

async function logout(ctx: CliContext, globals: GlobalOptions): Promise<number> {
  const config = await readConfig(ctx.configPath);
  const had =
    config.refreshToken !== undefined || config.clientSecret !== undefined || config.tenantId !== undefined;
  const next: ConfigFile = { ...config };
  for (const key of [
    'tenantId',
    'clientId',
    'clientSecret',
    'refreshToken',
    'authMode',
    'endpointVersion',
  ] as const) {
    delete next[key];
  }
  if (had) await writeConfig(ctx.configPath, next);
  const env = ctx.io.env;
  const lines = [
    had ? `Logged out: credentials removed from ${ctx.configPath}.` : 'Not logged in: nothing to remove.',
  ];
  const envCredentials = ['PC_ACCESS_TOKEN', 'PC_REFRESH_TOKEN', 'PC_CLIENT_SECRET'].filter(
    (name) => env[name] !== undefined && env[name] !== '',
  );
  if (envCredentials.length > 0)
    lines.push(`Note: ${envCredentials.join(', ')} still set in the environment.`);
  if (globals.quiet !== true) ctx.err(`${lines.join('\n')}\n`);
  return ExitCode.ok;
}

async function status(ctx: CliContext, globals: GlobalOptions): Promise<number> {
  const settings = ctx.settings({ baseUrl: globals.baseUrl, output: globals.output });
  const mode = authModeOf(settings);
  const record: Record<string, string | boolean | null> = {
    loggedIn: false,
    authMode: mode ?? null,
    credentialsFrom: null,
    user: null,
    tenantId: settings.tenantId.value ?? null,
    clientId: settings.clientId.value ?? null,
    tokenExpiresAt: null,
    baseUrl: settings.baseUrl.value,
    authorityUrl: mode === 'access-token' ? null : settings.authorityUrl.value,
    configFile: ctx.configPath,
  };
  let failure: unknown;
  if (mode !== undefined) {
    record.credentialsFrom =
      mode === 'access-token'
        ? 'env'
        : mode === 'refresh-token'
          ? settings.refreshToken.source
          : settings.clientSecret.source;
    const rotated = (token: string): void => {
      ctx.redactor.add(token);
      if (settings.refreshToken.source === 'config') {
        readConfig(ctx.configPath)
          .then((config) => writeConfig(ctx.configPath, { ...config, refreshToken: token }))
          .catch((error: unknown) =>
            ctx.err(`pc: warning: could not store the rotated refresh token: ${(error as Error).message}\n`),
          );
      }
    };
    try {
      const token = await tokenProvider(ctx, settings, mode, rotated).getToken({ signal: ctx.signal });
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
  if (mode === undefined) {
    throw new CliError('not logged in', {
      exitCode: ExitCode.auth,
      hint: 'run `pc login`, or set PC_ACCESS_TOKEN (see `pc help environment`)',
    });
  }
  if (failure !== undefined) throw failure;
  return ExitCode.ok;
}

/** `pc login`, `pc logout`, `pc status`. */
export function authCommands(ctx: CliContext, state: RunState): Command[] {
  const loginCommand = new Command('login')
    .summary('store credentials (refresh token or client credentials) in the config file')
    .description(
      'Store Partner Center credentials in the config file (permissions 0600).\n\n' +
        'App+User (what analytics needs): --tenant-id, --client-id and --refresh-token (plus\n' +
        '--client-secret for a confidential app). App-only: --tenant-id, --client-id and\n' +
        '--client-secret. A secret given as - is read from stdin. The credentials are checked\n' +
        'by fetching a token first (skip with --no-verify).',
    )
    .option('--tenant-id <id>', 'tenant id or domain (or PC_TENANT_ID)')
    .option('--client-id <id>', 'application (client) id (or PC_CLIENT_ID)')
    .option('--client-secret <secret>', 'client secret, or - to read it from stdin (or PC_CLIENT_SECRET)')
    .option('--refresh-token <token>', 'refresh token, or - to read it from stdin (or PC_REFRESH_TOKEN)')
    .option('--authority-url <url>', `token authority (default ${defaultAuthorityUrl}, or PC_AUTHORITY_URL)`)
    .addOption(new Option('--endpoint-version <v>', 'Entra token endpoint version').choices(['v1', 'v2']))
    .option('--no-verify', 'store without fetching a token first');
  bindAction(loginCommand, ctx, state, (context, action) =>
    login(context, action.opts as unknown as LoginFlags, action.globals),
  );
  const logoutCommand = new Command('logout').summary('remove the stored credentials');
  bindAction(logoutCommand, ctx, state, (context, action) => logout(context, action.globals));
  const statusCommand = new Command('status')
    .summary('who is logged in, which tenant, token expiry (never prints a secret)')
    .description(
      'Show the credentials in use: user, tenant, client id, token expiry, endpoints. Exit 4 when not logged in.',
    );
  bindAction(statusCommand, ctx, state, (context, action) => status(context, action.globals));
  return [loginCommand, logoutCommand, statusCommand];
}

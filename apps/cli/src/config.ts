import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkConfigSafety } from './configSafety.js';
import { CliError, ExitCode, UsageError } from './exitCodes.js';
import { normalizeLocale } from './locale.js';
import { type OutputFormat, outputFormats } from './output/format.js';

/** The environment as the CLI reads it. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** How `pc login` authenticated the profile (and so how later commands get tokens). */
export type AuthMode = 'refresh-token' | 'client-credentials' | 'device-code' | 'browser' | 'certificate';

/** Every {@link AuthMode}. */
export const authModes: readonly AuthMode[] = [
  'refresh-token',
  'client-credentials',
  'device-code',
  'browser',
  'certificate',
];

/** The content of `config.json`. Secrets live here only after `pc login`, with 0600 permissions. */
export interface ConfigFile {
  baseUrl?: string;
  authorityUrl?: string;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  authMode?: AuthMode;
  endpointVersion?: 'v1' | 'v2';
  /** Number and date format of tables (display only). */
  locale?: string;
  /** `X-Locale` sent to the API. */
  apiLocale?: string;
  output?: OutputFormat;
  /** External analytics module packages, loaded by name from the current directory. */
  modules?: string[];
  /** A PEM file of extra certificates to trust (a private CA, `pc-mock --tls`). */
  caFile?: string;
  /** `--certificate FILE` of a certificate login: a PEM holding the private key and certificate. */
  certificatePath?: string;
  /** Where the login's tokens are kept: `keychain` (the OS keychain), else the token file. */
  tokenStore?: 'keychain' | 'file';
  /** The profile used when neither `--profile` nor `PC_PROFILE` names one (`pc auth switch`). */
  activeProfile?: string;
  /** Named profiles: each holds what one login stored (the fields above but the global ones). */
  profiles?: Record<string, ConfigFile>;
}

/** The fields of {@link ConfigFile} that hold secrets. */
export const secretConfigKeys = ['clientSecret', 'refreshToken'] as const;

const stringKeys = [
  'baseUrl',
  'authorityUrl',
  'tenantId',
  'clientId',
  'clientSecret',
  'refreshToken',
  'locale',
  'apiLocale',
  'caFile',
  'certificatePath',
  'activeProfile',
] as const satisfies readonly (keyof ConfigFile)[];

/** The directory of the config file: `$PC_CONFIG_DIR`, else `$XDG_CONFIG_HOME/pc`, else the platform's. */
export function configDirectory(env: Environment, platform: NodeJS.Platform = process.platform): string {
  const explicit = env.PC_CONFIG_DIR;
  if (explicit !== undefined && explicit !== '') return explicit;
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg !== undefined && xdg !== '') return join(xdg, 'pc');
  if (platform === 'win32' && env.APPDATA !== undefined && env.APPDATA !== '') return join(env.APPDATA, 'pc');
  const home = env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir();
  return join(home, '.config', 'pc');
}

/** The path of the config file. */
export function configFilePath(env: Environment, platform?: NodeJS.Platform): string {
  return join(configDirectory(env, platform), 'config.json');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a parsed config file and keeps the known, well-typed fields. */
export function parseConfig(value: unknown, path: string): ConfigFile {
  if (!isRecord(value)) throw new CliError(`${path}: expected a JSON object`);
  const config: ConfigFile = {};
  for (const key of stringKeys) {
    const field = value[key];
    if (field === undefined || field === null) continue;
    if (typeof field !== 'string') throw new CliError(`${path}: '${key}' must be a string`);
    config[key] = field;
  }
  const { authMode, endpointVersion, output, modules, profiles, tokenStore } = value;
  if (tokenStore !== undefined) {
    if (tokenStore !== 'keychain' && tokenStore !== 'file')
      throw new CliError(`${path}: 'tokenStore' must be 'keychain' or 'file'`);
    config.tokenStore = tokenStore;
  }
  if (authMode !== undefined) {
    if (!(authModes as readonly unknown[]).includes(authMode)) {
      throw new CliError(`${path}: 'authMode' must be one of ${authModes.join(', ')}`);
    }
    config.authMode = authMode as AuthMode;
  }
  if (profiles !== undefined) {
    if (!isRecord(profiles)) throw new CliError(`${path}: 'profiles' must be an object of profiles`);
    config.profiles = {};
    for (const [name, profile] of Object.entries(profiles)) {
      const parsed = parseConfig(profile, `${path} (profile '${name}')`);
      delete parsed.profiles;
      delete parsed.activeProfile;
      config.profiles[name] = parsed;
    }
  }
  if (endpointVersion !== undefined) {
    if (endpointVersion !== 'v1' && endpointVersion !== 'v2')
      throw new CliError(`${path}: 'endpointVersion' must be 'v1' or 'v2'`);
    config.endpointVersion = endpointVersion;
  }
  if (output !== undefined) {
    if (typeof output !== 'string' || !(outputFormats as readonly string[]).includes(output)) {
      throw new CliError(`${path}: 'output' must be one of ${outputFormats.join(', ')}`);
    }
    config.output = output as OutputFormat;
  }
  if (modules !== undefined) {
    if (!Array.isArray(modules) || !modules.every((name) => typeof name === 'string')) {
      throw new CliError(`${path}: 'modules' must be an array of package names`);
    }
    config.modules = modules as string[];
  }
  return config;
}

/**
 * Reads the config file; a missing file is an empty config, a UTF-8 BOM is skipped.
 * @throws UnsafeConfigError when the file or its folder is world-writable or another user's.
 */
export async function readConfig(path: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  await checkConfigSafety(path);
  let parsed: unknown;
  try {
    // Windows editors save UTF-8 with a byte order mark.
    parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    // The parser's message quotes the text, which may hold a secret: say only where it is.
    if (!(error instanceof SyntaxError)) throw error;
    throw new CliError(`${path} is not valid JSON`);
  }
  return parseConfig(parsed, path);
}

/**
 * Writes the config file atomically with 0600 permissions (its directory 0700): a temp file in the
 * same directory, then a rename, so a crash never leaves half a file.
 */
export async function writeConfig(path: string, config: ConfigFile): Promise<void> {
  const text = `${JSON.stringify(config, null, 2)}\n`;
  // Nothing changed: leave the file (and its modification time) alone.
  const current = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (current === text) return;
  const directory = dirname(path);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const temp = join(directory, `.config.json.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await chmod(temp, 0o600);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch((unlinkError: unknown) => {
      if ((unlinkError as NodeJS.ErrnoException).code !== 'ENOENT') throw unlinkError;
    });
    throw error;
  }
}

/** Where a setting's value came from. */
export type SettingSource = 'flag' | 'env' | 'config' | 'default';

/** A resolved setting and its origin. */
export interface Setting<T> {
  readonly value: T;
  readonly source: SettingSource;
}

/** The settings every command works with, after flags > environment > config file > defaults. */
export interface Settings {
  readonly baseUrl: Setting<string>;
  readonly authorityUrl: Setting<string>;
  /** The display locale: numbers and dates of tables and progress (a BCP 47 tag). */
  readonly locale: Setting<string>;
  /** The API locale, sent as `X-Locale` (a BCP 47 tag; default en-US). */
  readonly apiLocale: Setting<string>;
  /** `undefined` value: not set anywhere (the default depends on whether stdout is a TTY). */
  readonly output: Setting<OutputFormat | undefined>;
  readonly tenantId: Setting<string | undefined>;
  readonly clientId: Setting<string | undefined>;
  readonly clientSecret: Setting<string | undefined>;
  readonly refreshToken: Setting<string | undefined>;
  readonly accessToken: Setting<string | undefined>;
  readonly endpointVersion: Setting<'v1' | 'v2'>;
  readonly modules: Setting<readonly string[]>;
}

/** Flags that override the environment and the config file. */
export interface SettingFlags {
  readonly baseUrl?: string | undefined;
  readonly authorityUrl?: string | undefined;
  readonly locale?: string | undefined;
  readonly apiLocale?: string | undefined;
  readonly output?: string | undefined;
  readonly tenantId?: string | undefined;
  readonly clientId?: string | undefined;
  readonly clientSecret?: string | undefined;
  readonly refreshToken?: string | undefined;
}

/** The production Partner Center API. */
export const defaultBaseUrl = 'https://api.partnercenter.microsoft.com';
/** Microsoft Entra ID. */
export const defaultAuthorityUrl = 'https://login.microsoftonline.com';
/** The default display locale and `X-Locale`. */
export const defaultLocale = 'en-US';

/** A locale setting: the first of flag, environment, config file, checked and made a BCP 47 tag. */
function pickLocale(
  candidates: readonly [string | undefined, string][],
  sources: readonly SettingSource[],
): Setting<string> {
  for (let index = 0; index < candidates.length; index++) {
    const [value, origin] = candidates[index]!;
    if (value !== undefined) return { value: normalizeLocale(value, origin), source: sources[index]! };
  }
  return { value: defaultLocale, source: 'default' };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function pick<T>(flag: T | undefined, env: T | undefined, config: T | undefined, fallback: T): Setting<T> {
  if (flag !== undefined) return { value: flag, source: 'flag' };
  if (env !== undefined) return { value: env, source: 'env' };
  if (config !== undefined) return { value: config, source: 'config' };
  return { value: fallback, source: 'default' };
}

/** Checks an output format name from a flag, the environment or the config file. */
export function parseOutputFormat(value: string, origin: string): OutputFormat {
  if ((outputFormats as readonly string[]).includes(value)) return value as OutputFormat;
  throw new UsageError(
    `${origin}: unknown output format '${value}'`,
    `expected one of ${outputFormats.join(', ')}`,
  );
}

/** Resolves every setting: flags > environment > config file > defaults. */
export function resolveSettings(input: {
  flags: SettingFlags;
  env: Environment;
  config: ConfigFile;
}): Settings {
  const { flags, env, config } = input;
  const envOutput = nonEmpty(env.PC_OUTPUT);
  const envModules = nonEmpty(env.PC_MODULES);
  const version = config.endpointVersion;
  return {
    baseUrl: pick(
      nonEmpty(flags.baseUrl),
      nonEmpty(env.PC_BASE_URL),
      nonEmpty(config.baseUrl),
      defaultBaseUrl,
    ),
    authorityUrl: pick(
      nonEmpty(flags.authorityUrl),
      nonEmpty(env.PC_AUTHORITY_URL),
      nonEmpty(config.authorityUrl),
      defaultAuthorityUrl,
    ),
    locale: pickLocale(
      [
        [nonEmpty(flags.locale), '--locale'],
        [nonEmpty(env.PC_LOCALE), 'PC_LOCALE'],
        [nonEmpty(config.locale), 'config.json "locale"'],
      ],
      ['flag', 'env', 'config'],
    ),
    apiLocale: pickLocale(
      [
        [nonEmpty(flags.apiLocale), '--api-locale'],
        [nonEmpty(env.PC_API_LOCALE), 'PC_API_LOCALE'],
        [nonEmpty(config.apiLocale), 'config.json "apiLocale"'],
      ],
      ['flag', 'env', 'config'],
    ),
    output: pick<OutputFormat | undefined>(
      flags.output === undefined ? undefined : parseOutputFormat(flags.output, '--output'),
      envOutput === undefined ? undefined : parseOutputFormat(envOutput, 'PC_OUTPUT'),
      config.output,
      undefined,
    ),
    tenantId: pick(
      nonEmpty(flags.tenantId),
      nonEmpty(env.PC_TENANT_ID) ?? nonEmpty(env.AZURE_TENANT_ID),
      nonEmpty(config.tenantId),
      undefined,
    ),
    clientId: pick(
      nonEmpty(flags.clientId),
      nonEmpty(env.PC_CLIENT_ID) ?? nonEmpty(env.AZURE_CLIENT_ID),
      nonEmpty(config.clientId),
      undefined,
    ),
    clientSecret: pick(
      nonEmpty(flags.clientSecret),
      nonEmpty(env.PC_CLIENT_SECRET) ?? nonEmpty(env.AZURE_CLIENT_SECRET),
      nonEmpty(config.clientSecret),
      undefined,
    ),
    refreshToken: pick(
      nonEmpty(flags.refreshToken),
      nonEmpty(env.PC_REFRESH_TOKEN),
      nonEmpty(config.refreshToken),
      undefined,
    ),
    accessToken: pick(undefined, nonEmpty(env.PC_ACCESS_TOKEN), undefined, undefined),
    endpointVersion: pick<'v1' | 'v2'>(undefined, undefined, version, 'v1'),
    modules: pick<readonly string[]>(
      undefined,
      envModules === undefined ? undefined : splitList(envModules),
      config.modules,
      [],
    ),
  };
}

/** The module packages to load: `PC_MODULES` (comma-separated), else the config file's list. */
export function moduleNames(env: Environment, config: ConfigFile): readonly string[] {
  const fromEnv = nonEmpty(env.PC_MODULES);
  return fromEnv !== undefined ? splitList(fromEnv) : (config.modules ?? []);
}

/** Splits a comma-separated list, trimming and dropping empty items. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** Every secret a set of settings holds, for redaction. */
export function secretsOf(settings: Settings): string[] {
  return [settings.clientSecret.value, settings.refreshToken.value, settings.accessToken.value].filter(
    (value): value is string => value !== undefined && value.length >= 4,
  );
}

/** Maps a missing-credentials situation to exit 4. */
export function missingCredentials(): CliError {
  return new CliError('no credentials configured', {
    exitCode: ExitCode.auth,
    hint: 'run `pc login`, or set PC_ACCESS_TOKEN, or PC_TENANT_ID + PC_CLIENT_ID + PC_REFRESH_TOKEN (see `pc help environment`)',
  });
}

import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { ConfigFile, Environment } from './config.js';
import { UsageError } from './exitCodes.js';

/** The profile used when none is named or switched to. */
export const defaultProfile = 'default';
/** The profile `pc mock` logs into (never the default one). */
export const mockProfile = 'mock';

/** The fields of a config file that belong to every profile alike. */
const globalKeys = ['locale', 'apiLocale', 'output', 'modules'] as const;
/** The fields a login stores in its profile (and `pc logout` removes). */
export const profileKeys = [
  'baseUrl',
  'authorityUrl',
  'tenantId',
  'clientId',
  'clientSecret',
  'refreshToken',
  'authMode',
  'endpointVersion',
  'caFile',
  'certificatePath',
  'tokenStore',
] as const satisfies readonly (keyof ConfigFile)[];

/** Checks a profile name: letters, digits, `.`, `_` and `-`, at most 64. */
export function checkProfileName(name: string, origin: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
    throw new UsageError(
      `${origin}: invalid profile name '${name.slice(0, 80)}'`,
      'use letters, digits, ".", "_" and "-" (at most 64), starting with a letter or digit',
    );
  }
  return name;
}

/**
 * The value of `--profile` in an argument list (before `--`), read ahead of the command parser
 * because the configuration is loaded before the commands are built.
 */
export function profileFlag(argv: readonly string[]): string | undefined {
  const end = argv.indexOf('--');
  const args = end === -1 ? argv : argv.slice(0, end);
  let found: string | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--profile') found = args[index + 1];
    else if (arg.startsWith('--profile=')) found = arg.slice('--profile='.length);
  }
  return found;
}

/** The profile of a run: `--profile`, else `PC_PROFILE`, else the switched-to one, else `default`. */
export function selectProfile(input: {
  readonly flag: string | undefined;
  readonly env: Environment;
  readonly config: ConfigFile;
}): { name: string; source: 'flag' | 'env' | 'config' | 'default' } {
  if (input.flag !== undefined && input.flag !== '')
    return { name: checkProfileName(input.flag, '--profile'), source: 'flag' };
  const fromEnv = input.env.PC_PROFILE;
  if (fromEnv !== undefined && fromEnv !== '')
    return { name: checkProfileName(fromEnv, 'PC_PROFILE'), source: 'env' };
  if (input.config.activeProfile !== undefined && input.config.activeProfile !== '')
    return { name: input.config.activeProfile, source: 'config' };
  return { name: defaultProfile, source: 'default' };
}

function pick(config: ConfigFile, keys: readonly (keyof ConfigFile)[]): ConfigFile {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (config[key] !== undefined) out[key] = config[key];
  return out as ConfigFile;
}

/**
 * What one profile holds. The `default` profile also takes the credentials a config file of an
 * earlier version kept at its top level.
 */
export function profileOf(config: ConfigFile, name: string): ConfigFile {
  const stored = config.profiles?.[name];
  if (name !== defaultProfile) return stored ?? {};
  return { ...pick(config, profileKeys), ...stored };
}

/** The flat view the settings are resolved from: the global fields plus one profile's. */
export function profileView(config: ConfigFile, name: string): ConfigFile {
  return { ...pick(config, globalKeys), ...profileOf(config, name) };
}

/** The names of the profiles a config file holds (`default` when it holds top-level credentials). */
export function profileNames(config: ConfigFile): string[] {
  const names = new Set(Object.keys(config.profiles ?? {}));
  if (Object.keys(pick(config, profileKeys)).length > 0) names.add(defaultProfile);
  return [...names].sort();
}

/**
 * The config file with one profile replaced (`undefined` removes it). Top-level credentials of an
 * earlier version move into `profiles.default` when the default profile is written.
 */
export function withProfile(config: ConfigFile, name: string, profile: ConfigFile | undefined): ConfigFile {
  const next: ConfigFile = { ...config };
  const profiles = { ...config.profiles };
  if (name === defaultProfile) for (const key of profileKeys) delete next[key];
  if (profile === undefined || Object.keys(pick(profile, profileKeys)).length === 0) delete profiles[name];
  else profiles[name] = pick(profile, profileKeys);
  if (Object.keys(profiles).length === 0) delete next.profiles;
  else next.profiles = profiles;
  if (profile === undefined && next.activeProfile === name) delete next.activeProfile;
  return next;
}

/** The file of a profile's token cache (access token, MSAL cache), beside the config file. */
export function tokenFilePath(configPath: string, profile: string): string {
  return join(dirname(configPath), 'tokens', `${profile}.json`);
}

/**
 * A fingerprint of what a cached access token was issued for (authority, tenant, client, mode,
 * API): a token cached for another login is never reused.
 */
export function loginFingerprint(profile: ConfigFile, baseUrl: string): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        profile.authorityUrl,
        profile.tenantId,
        profile.clientId,
        profile.authMode,
        profile.endpointVersion,
        baseUrl,
      ]),
    )
    .digest('base64url')
    .slice(0, 22);
}

import type { Environment } from './config.js';
import { CliError, ExitCode, UsageError } from './exitCodes.js';

/**
 * The OS keychain as a store of one profile's token data (the cached access token and MSAL's
 * cache with the refresh token), through `@napi-rs/keyring` (keyring-rs): the macOS Keychain,
 * the Windows Credential Manager, the Secret Service on Linux (GNOME Keyring, KWallet). On Linux
 * the entry is pinned to the Secret Service: the kernel keyring, keyring-rs's other choice, does
 * not outlive the login session. The native module is loaded only when a profile uses it.
 */

/** Where a profile's tokens are kept: `pc login` chooses, the profile remembers. */
export type TokenStoreKind = 'keychain' | 'file';

/** `PC_TOKEN_STORE`: `auto` (the keychain where one answers, else the file), `keychain`, `file`. */
export type TokenStorePreference = 'auto' | TokenStoreKind;

/** The service name of pc's keychain entries. */
export const keychainService = 'pc-cli';

/** How long one keychain call may take before pc gives up on it (a keychain that never answers). */
export const keychainTimeoutMs = 20_000;

/** Reads `PC_TOKEN_STORE`; a value other than `auto`, `keychain` or `file` is a usage error. */
export function tokenStorePreference(env: Environment): TokenStorePreference {
  const value = env.PC_TOKEN_STORE?.trim().toLowerCase();
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'keychain' || value === 'file') return value;
  throw new UsageError(
    `PC_TOKEN_STORE must be auto, keychain or file, got '${(env.PC_TOKEN_STORE ?? '').slice(0, 40)}'`,
  );
}

/** One secret in the keychain: a text read, written and removed whole. */
export interface KeychainEntry {
  /** The account name of the entry (`<profile> <config file>`), for messages. */
  readonly account: string;
  /** The text, or `undefined` when there is none. */
  read(): Promise<string | undefined>;
  write(text: string): Promise<void>;
  /** True when there was an entry to remove. */
  remove(): Promise<boolean>;
}

/**
 * The keychain could not be used; the message says why in one line (the module's own words,
 * never a secret). Exit 4: a login whose tokens cannot be read is no login.
 */
export class KeychainUnavailableError extends CliError {
  override readonly name = 'KeychainUnavailableError';
  constructor(message: string) {
    super(message, {
      exitCode: ExitCode.auth,
      hint: 'unlock the keychain and retry, or sign in again with PC_TOKEN_STORE=file to keep the tokens in a 0600 file',
    });
  }
}

type KeyringModule = typeof import('@napi-rs/keyring');

let loaded: Promise<KeyringModule> | undefined;

function loadKeyring(): Promise<KeyringModule> {
  loaded ??= import('@napi-rs/keyring');
  return loaded;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? message).slice(0, 300);
}

async function guarded<T>(what: string, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const signal = AbortSignal.timeout(keychainTimeoutMs);
  try {
    return await call(signal);
  } catch (error) {
    if (signal.aborted)
      throw new KeychainUnavailableError(`the OS keychain did not answer (${what}) in time`);
    throw new KeychainUnavailableError(`the OS keychain refused to ${what}: ${firstLine(error)}`);
  }
}

/**
 * The keychain entry of a profile of a config file (both named in the account, so two config
 * folders never share an entry).
 * @throws KeychainUnavailableError when the native module or the platform's keychain is missing.
 */
export async function openKeychainEntry(input: {
  readonly profile: string;
  readonly configPath: string;
}): Promise<KeychainEntry> {
  let keyring: KeyringModule;
  try {
    keyring = await loadKeyring();
  } catch (error) {
    throw new KeychainUnavailableError(`no keychain module for this platform: ${firstLine(error)}`);
  }
  const account = `${input.profile} ${input.configPath}`;
  let entry: InstanceType<KeyringModule['AsyncEntry']>;
  try {
    entry = new keyring.AsyncEntry(keychainService, account, { linux: { store: 'secret-service' } });
  } catch (error) {
    // keyring-rs connects to the Secret Service here: no D-Bus session fails at once.
    throw new KeychainUnavailableError(`the OS keychain cannot be reached: ${firstLine(error)}`);
  }
  return {
    account,
    read: async () => (await guarded('read', (signal) => entry.getPassword(signal))) ?? undefined,
    write: (text) => guarded('store the tokens', (signal) => entry.setPassword(text, signal)),
    remove: () => guarded('remove the tokens', (signal) => entry.deleteCredential(signal)),
  };
}

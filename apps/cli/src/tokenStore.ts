import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AccessToken, GetTokenOptions, MsalCacheStore, TokenProvider } from '@pc/transport';
import { CliError } from './exitCodes.js';
import type { KeychainEntry, TokenStoreKind } from './keychain.js';

/** The content of a profile's token file (mode 0600) or keychain entry. */
export interface TokenFile {
  /** The cached access token and the login it belongs to. */
  accessToken?: { token: string; expiresAt: number; login: string };
  /** MSAL's serialized cache (accounts and refresh tokens) of a device-code, browser or certificate login. */
  msal?: string;
}

/** Where a {@link TokenStore} keeps its text: a 0600 file, or an OS keychain entry. */
export interface TokenBackend {
  readonly kind: TokenStoreKind;
  /** Where, for messages: the file's path, or the keychain entry's name. */
  readonly where: string;
  /** The stored text, `undefined` when there is none. */
  read(): Promise<string | undefined>;
  /** Replaces the stored text. */
  write(text: string): Promise<void>;
  /** Removes it; true when there was something. */
  remove(): Promise<boolean>;
}

/** A file written atomically with mode 0600 in a folder of mode 0700. */
export function fileBackend(path: string): TokenBackend {
  return {
    kind: 'file',
    where: path,
    async read() {
      try {
        return await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new CliError(`cannot read the token cache ${path}: ${(error as Error).message}`);
      }
    },
    async write(text) {
      const directory = dirname(path);
      await mkdir(directory, { recursive: true, mode: 0o700 });
      await chmod(directory, 0o700);
      const temp = join(directory, `.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await rename(temp, path);
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        throw error;
      }
    },
    async remove() {
      try {
        await unlink(path);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
    },
  };
}

/** An OS keychain entry ({@link KeychainEntry}), opened on first use. */
export function keychainBackend(entry: () => Promise<KeychainEntry>, where: string): TokenBackend {
  let opened: Promise<KeychainEntry> | undefined;
  const open = () => {
    opened ??= entry();
    return opened;
  };
  return {
    kind: 'keychain',
    where,
    read: async () => (await open()).read(),
    write: async (text) => (await open()).write(text),
    remove: async () => (await open()).remove(),
  };
}

/** Use a cached access token only while it has this long left (5 minutes, as MSAL). */
export const reuseMarginMs = 5 * 60 * 1000;

/**
 * A profile's token data, in a file (0600) or the OS keychain ({@link TokenBackend}): read once,
 * written (atomically, for the file) only when its content changes, removed by `pc logout`.
 *
 * A `deferred` store (what `pc login` uses) starts empty, ignores what is stored and keeps every
 * change in memory until {@link TokenStore.commit}: a sign-in that fails or is cancelled (Ctrl-C)
 * leaves the profile's earlier login as it was.
 */
export class TokenStore {
  #content: TokenFile | undefined;
  readonly #deferred: boolean;
  /** Where the data is kept. */
  readonly backend: TokenBackend;

  /** `target`: a file path, or a {@link TokenBackend}. */
  constructor(target: string | TokenBackend, options: { readonly deferred?: boolean } = {}) {
    this.backend = typeof target === 'string' ? fileBackend(target) : target;
    this.#deferred = options.deferred === true;
    if (this.#deferred) this.#content = {};
  }

  /** Where the data is kept, for messages (a path, or the keychain entry). */
  get where(): string {
    return this.backend.where;
  }

  /** The stored content; missing or damaged data is an empty cache (it is only a cache). */
  async read(): Promise<TokenFile> {
    if (this.#content !== undefined) return this.#content;
    const text = await this.backend.read();
    if (text === undefined) {
      this.#content = {};
      return this.#content;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      this.#content = typeof parsed === 'object' && parsed !== null ? (parsed as TokenFile) : {};
    } catch (error) {
      // Never quote the text: it holds tokens. A damaged cache is dropped; a login refills it.
      if (!(error instanceof SyntaxError)) throw error;
      this.#content = {};
    }
    return this.#content;
  }

  /** Applies a change and stores it when the content differs (a deferred store: on commit). */
  async update(change: (content: TokenFile) => TokenFile): Promise<void> {
    const current = await this.read();
    const next = change({ ...current });
    if (JSON.stringify(next) === JSON.stringify(current)) return;
    this.#content = next;
    if (!this.#deferred) await this.backend.write(`${JSON.stringify(next)}\n`);
  }

  /**
   * Replaces what is stored with what a deferred store holds (removes it when that is nothing):
   * the step that makes a sign-in the profile's login.
   */
  async commit(): Promise<void> {
    const content = await this.read();
    if (Object.keys(content).length === 0) {
      await this.backend.remove();
      return;
    }
    await this.backend.write(`${JSON.stringify(content)}\n`);
  }

  /** Removes what is stored; true when there was something. */
  async remove(): Promise<boolean> {
    this.#content = {};
    return this.backend.remove();
  }

  /** MSAL's cache kept in this file. */
  msalStore(): MsalCacheStore {
    return {
      read: async () => (await this.read()).msal,
      write: (serialized) => this.update((content) => ({ ...content, msal: serialized })),
    };
  }
}

/**
 * Wraps a provider so that its access token is kept in the token file and reused by later
 * invocations until {@link reuseMarginMs} before it expires: a loop of short commands asks the
 * token endpoint once. A forced refresh (the API refused the token) skips the file.
 */
export function persistentTokenProvider(input: {
  readonly inner: TokenProvider;
  readonly store: TokenStore;
  /** The login the token belongs to ({@link loginFingerprint}). */
  readonly login: string;
  /** Learns every token handed out (for redaction). */
  readonly onToken?: (token: string) => void;
}): TokenProvider {
  const { inner, store, login } = input;
  let memory: AccessToken | undefined;
  return {
    kind: inner.kind,
    secrets: () => [...(inner.secrets?.() ?? []), ...(memory !== undefined ? [memory.token] : [])],
    async getToken(options?: GetTokenOptions): Promise<AccessToken> {
      if (options?.forceRefresh !== true) {
        if (memory !== undefined && Date.now() < memory.expiresAt - reuseMarginMs) return memory;
        const cached = (await store.read()).accessToken;
        if (cached !== undefined && cached.login === login && Date.now() < cached.expiresAt - reuseMarginMs) {
          memory = { token: cached.token, expiresAt: cached.expiresAt };
          input.onToken?.(memory.token);
          return memory;
        }
      }
      const token = await inner.getToken(options);
      input.onToken?.(token.token);
      memory = token;
      if (Number.isFinite(token.expiresAt)) {
        await store.update((content) => ({
          ...content,
          accessToken: { token: token.token, expiresAt: token.expiresAt, login },
        }));
      }
      return token;
    },
  };
}

import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessToken, GetTokenOptions, TokenProvider } from '@pc/transport';
import { describe, expect, it } from 'vitest';
import { persistentTokenProvider, TokenStore } from './tokenStore.js';

function counting(): TokenProvider & { calls: GetTokenOptions[] } {
  const calls: GetTokenOptions[] = [];
  return {
    kind: 'app+user',
    calls,
    getToken: async (options): Promise<AccessToken> => {
      calls.push(options ?? {});
      return { token: `token-${calls.length}`, expiresAt: Date.now() + 3_600_000 };
    },
  };
}

describe('the token file', () => {
  it('keeps the access token for the next run (0600), reuses it, and skips it on a forced refresh', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'pc-tokens-')), 'tokens', 'default.json');
    const inner = counting();
    const first = persistentTokenProvider({ inner, store: new TokenStore(path), login: 'L1' });
    expect((await first.getToken()).token).toBe('token-1');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(path, '..'))).mode & 0o777).toBe(0o700);
    // A later run: a new store on the same file, no call to the inner provider.
    const later = persistentTokenProvider({ inner, store: new TokenStore(path), login: 'L1' });
    expect((await later.getToken()).token).toBe('token-1');
    expect(inner.calls).toHaveLength(1);
    // Another login never gets that token.
    const other = persistentTokenProvider({ inner, store: new TokenStore(path), login: 'L2' });
    expect((await other.getToken()).token).toBe('token-2');
    // The server refused it: forced past the file.
    expect((await later.getToken({ forceRefresh: true, staleToken: 'token-1' })).token).toBe('token-3');
    expect(inner.calls.at(-1)).toMatchObject({ forceRefresh: true });
  });

  it('does not rewrite the file when nothing changed, and removes it', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'pc-tokens-')), 'profile.json');
    const store = new TokenStore(path);
    await store.update((content) => ({ ...content, msal: 'cache' }));
    const before = (await stat(path)).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await new TokenStore(path).update((content) => ({ ...content, msal: 'cache' }));
    expect((await stat(path)).mtimeMs).toBe(before);
    expect(await store.remove()).toBe(true);
    expect(await store.remove()).toBe(false);
  });

  it('a deferred store (a sign-in in progress) leaves the file alone until commit', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'pc-tokens-')), 'tokens', 'work.json');
    await new TokenStore(path).update((content) => ({ ...content, msal: 'earlier login' }));
    const signIn = new TokenStore(path, { deferred: true });
    expect(await signIn.read()).toEqual({});
    await signIn.update((content) => ({ ...content, msal: 'new login' }));
    // Not committed (the sign-in failed or was cancelled): the earlier login is intact.
    expect(await new TokenStore(path).read()).toEqual({ msal: 'earlier login' });
    await signIn.commit();
    expect(await new TokenStore(path).read()).toEqual({ msal: 'new login' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    // A login that cached nothing (--no-verify) removes the earlier login's tokens.
    await new TokenStore(path, { deferred: true }).commit();
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

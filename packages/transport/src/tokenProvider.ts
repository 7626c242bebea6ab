/** A bearer access token and when it stops being valid. */
export interface AccessToken {
  /** The bearer token, sent as `Authorization: Bearer <token>`. */
  readonly token: string;
  /** When the token expires, in epoch milliseconds (`Infinity` when unknown). */
  readonly expiresAt: number;
}

/** Options of {@link TokenProvider.getToken}. */
export interface GetTokenOptions {
  /** Aborts this caller's wait (a shared refresh keeps running for the other callers). */
  readonly signal?: AbortSignal;
  /** Skip the cache and fetch a new token (the transport does this once after a 401). */
  readonly forceRefresh?: boolean;
  /**
   * With `forceRefresh`: the token the server refused. If the cache already holds a different
   * one (another request refreshed meanwhile), it is returned without a second refresh.
   */
  readonly staleToken?: string;
}

/**
 * Supplies access tokens to the transport. Implementations cache tokens, refresh them ahead of
 * expiry and share one refresh among all waiting requests.
 */
export interface TokenProvider {
  /** Returns a valid token, from the cache when possible. */
  getToken(options?: GetTokenOptions): Promise<AccessToken>;
  /** The credential type: a fixed token, App+User (refresh token) or app-only (client credentials). */
  readonly kind: 'static' | 'app+user' | 'app-only';
  /**
   * The credentials this provider holds or obtained (client secret, refresh token, access
   * tokens), for redaction: the transport removes each of them, in every encoding, from every
   * error it raises. Optional: a provider without it still has its bearer token redacted.
   */
  secrets?(): readonly string[];
}

/**
 * A provider that always returns `token` (for scripts and tests that already hold one). If the
 * token is a JWT, `expiresAt` comes from its `exp` claim; otherwise it is `Infinity`. It cannot
 * refresh, so after a 401 the transport does not retry.
 */
export function createStaticTokenProvider(token: string): TokenProvider {
  const accessToken: AccessToken = { token, expiresAt: jwtExpiry(token) ?? Number.POSITIVE_INFINITY };
  return {
    kind: 'static',
    secrets: () => [token],
    getToken: (options) =>
      options?.signal?.aborted ? Promise.reject(options.signal.reason) : Promise.resolve(accessToken),
  };
}

/** The `exp` claim of a JWT in epoch ms, or `undefined` when `token` is not a readable JWT. */
function jwtExpiry(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    const exp = (payload as { exp?: unknown } | null)?.exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    // Not a JWT after all: an opaque token has no known expiry.
    return undefined;
  }
}

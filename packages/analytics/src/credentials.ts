/**
 * The credential types of `createClient`, in a file of their own so that the client and the
 * token-provider choice import them without importing each other.
 */

/** Entra ID credentials: with `refreshToken`, App+User (what analytics needs); without, app-only. */
export interface ClientCredentials {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret?: string | undefined;
  readonly refreshToken?: string | undefined;
  readonly authorityUrl?: string | undefined;
  readonly endpointVersion?: 'v1' | 'v2' | undefined;
  readonly onRefreshTokenRotated?: ((refreshToken: string) => void) | undefined;
}

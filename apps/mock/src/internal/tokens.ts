import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The audience of Partner Center API tokens. */
export const partnerCenterAudience = 'https://api.partnercenter.microsoft.com';

/** Claims the mock puts in (and reads from) an access token. */
export interface TokenClaims {
  readonly aud: string;
  readonly iss: string;
  readonly tid: string;
  readonly appid: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  /** `app` for app-only tokens, `user` for App+User. */
  readonly idtyp: 'app' | 'user';
  /** Authentication methods (`pwd`, `mfa`) of an App+User token. */
  readonly amr?: readonly string[];
  readonly scp?: string;
  readonly oid?: string;
  readonly upn?: string;
  /** `1.0` from the v1 endpoint, `2.0` from the v2 endpoint. */
  readonly ver: '1.0' | '2.0';
  /** A unique token id (Entra's `uti`): two tokens minted in the same second still differ. */
  readonly uti?: string;
}

/** Why a token was refused. */
export type TokenProblem = 'malformed' | 'signature' | 'expired' | 'not yet valid' | 'revoked';

/** What to mint. */
export interface MintOptions {
  readonly tenantId: string;
  readonly clientId: string;
  readonly audience?: string;
  readonly appOnly?: boolean;
  readonly mfa?: boolean;
  readonly expiresInSeconds?: number;
  readonly now?: number;
  /** Token version: `1.0` (issuer `sts.windows.net`, the default) or `2.0` (issuer `{authority}/{tid}/v2.0`). */
  readonly version?: '1.0' | '2.0';
  /** The authority origin that `2.0` tokens name as issuer. */
  readonly authority?: string;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Mints and checks HS256 JWTs with a key that lives and dies with one mock server. */
export class TokenIssuer {
  private readonly key = randomBytes(32);
  private readonly header = base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256', kid: 'pc-mock' }));
  /** Access tokens issued before this time (epoch seconds) are refused: a revoked sign-in session. */
  revokedBefore = 0;

  /** An unsigned-looking but signed JWT with arbitrary claims (ID tokens). */
  signClaims(claims: Readonly<Record<string, unknown>>): string {
    const payload = base64url(JSON.stringify(claims));
    return `${this.header}.${payload}.${this.sign(`${this.header}.${payload}`)}`;
  }

  /** A signed access token and its claims. */
  mint(options: MintOptions): { readonly token: string; readonly claims: TokenClaims } {
    const now = Math.floor((options.now ?? Date.now()) / 1000);
    const lifetime = options.expiresInSeconds ?? 3599;
    const appOnly = options.appOnly === true;
    const claims: TokenClaims = {
      aud: options.audience ?? partnerCenterAudience,
      iss:
        options.version === '2.0'
          ? `${options.authority ?? 'https://login.microsoftonline.com'}/${options.tenantId}/v2.0`
          : `https://sts.windows.net/${options.tenantId}/`,
      iat: now,
      nbf: now - 5,
      exp: now + lifetime,
      tid: options.tenantId,
      appid: options.clientId,
      idtyp: appOnly ? 'app' : 'user',
      ...(appOnly
        ? {}
        : {
            amr: options.mfa === false ? ['pwd'] : ['pwd', 'mfa'],
            scp: 'user_impersonation',
            oid: '6a0f3b4e-54b3-4bd4-9a4e-1b2c3d4e5f60',
            upn: 'admin@partner.onmicrosoft.com',
          }),
      ver: options.version ?? '1.0',
      uti: randomBytes(16).toString('base64url'),
    };
    const payload = base64url(JSON.stringify(claims));
    return { token: `${this.header}.${payload}.${this.sign(`${this.header}.${payload}`)}`, claims };
  }

  /** Checks the shape, signature and lifetime of a token. */
  verify(
    token: string,
    now = Date.now(),
  ): { ok: true; claims: TokenClaims } | { ok: false; problem: TokenProblem } {
    const parts = token.split('.');
    if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part)))
      return { ok: false, problem: 'malformed' };
    const [header, payload, signature] = parts as [string, string, string];
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return { ok: false, problem: 'malformed' };
    }
    if (
      typeof claims !== 'object' ||
      claims === null ||
      typeof claims.exp !== 'number' ||
      typeof claims.tid !== 'string'
    ) {
      return { ok: false, problem: 'malformed' };
    }
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return { ok: false, problem: 'signature' };
    const seconds = now / 1000;
    if (claims.exp <= seconds) return { ok: false, problem: 'expired' };
    if (typeof claims.iat === 'number' && claims.iat < this.revokedBefore)
      return { ok: false, problem: 'revoked' };
    if (typeof claims.nbf === 'number' && claims.nbf > seconds + 300)
      return { ok: false, problem: 'not yet valid' };
    return { ok: true, claims };
  }

  /** An opaque refresh token (unguessable, unique per issue). */
  opaque(): string {
    return `0.AQ${randomBytes(48).toString('base64url')}`;
  }

  private sign(input: string): string {
    return createHmac('sha256', this.key).update(input).digest('base64url');
  }
}

/** What a refresh token of the mock carries (sealed, so it needs no server-side state). */
export interface RefreshGrant {
  /** Partner tenant. */
  readonly tenantId: string;
  /** The client it was issued to. */
  readonly clientId: string;
  /** Issued to a public client (device code, browser): redeemable without a client secret. */
  readonly publicClient: boolean;
  /** Issue time, epoch milliseconds. */
  readonly issuedAt: number;
}

/**
 * Seals refresh tokens with a key derived from the data seed, so a refresh token issued by one
 * mock is still valid after a restart with the same seed (as Entra's survive a service restart),
 * and tokens of a mock with another seed are not. Revocation is a time: grants issued before it
 * are refused.
 */
export class RefreshTokenSealer {
  private readonly key: Buffer;
  /** Grants issued before this time (epoch milliseconds) are refused. */
  revokedBefore = 0;

  constructor(seed: number) {
    this.key = createHmac('sha256', 'pc-mock refresh tokens').update(String(seed)).digest();
  }

  /** A new refresh token for the grant (unique per call). */
  seal(grant: Omit<RefreshGrant, 'issuedAt'>, now = Date.now()): string {
    const payload = base64url(
      JSON.stringify({
        t: grant.tenantId,
        c: grant.clientId,
        p: grant.publicClient ? 1 : 0,
        i: now,
        n: randomBytes(12).toString('base64url'),
      }),
    );
    return `0.AR${payload}.${this.mac(payload)}`;
  }

  /** The grant of a refresh token, or why it is refused. */
  open(token: string): { ok: true; grant: RefreshGrant } | { ok: false; problem: 'invalid' | 'revoked' } {
    const match = /^0\.AR([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
    if (match === null) return { ok: false, problem: 'invalid' };
    const expected = Buffer.from(this.mac(match[1]!));
    const given = Buffer.from(match[2]!);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return { ok: false, problem: 'invalid' };
    let payload: { t?: unknown; c?: unknown; p?: unknown; i?: unknown };
    try {
      payload = JSON.parse(Buffer.from(match[1]!, 'base64url').toString('utf8')) as typeof payload;
    } catch {
      return { ok: false, problem: 'invalid' };
    }
    if (typeof payload.t !== 'string' || typeof payload.c !== 'string' || typeof payload.i !== 'number')
      return { ok: false, problem: 'invalid' };
    if (payload.i < this.revokedBefore) return { ok: false, problem: 'revoked' };
    return {
      ok: true,
      grant: { tenantId: payload.t, clientId: payload.c, publicClient: payload.p === 1, issuedAt: payload.i },
    };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

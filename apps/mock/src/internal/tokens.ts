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
  readonly ver: '1.0';
}

/** Why a token was refused. */
export type TokenProblem = 'malformed' | 'signature' | 'expired' | 'not yet valid';

/** What to mint. */
export interface MintOptions {
  readonly tenantId: string;
  readonly clientId: string;
  readonly audience?: string;
  readonly appOnly?: boolean;
  readonly mfa?: boolean;
  readonly expiresInSeconds?: number;
  readonly now?: number;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Mints and checks HS256 JWTs with a key that lives and dies with one mock server. */
export class TokenIssuer {
  private readonly key = randomBytes(32);
  private readonly header = base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256', kid: 'pc-mock' }));

  /** A signed access token and its claims. */
  mint(options: MintOptions): { readonly token: string; readonly claims: TokenClaims } {
    const now = Math.floor((options.now ?? Date.now()) / 1000);
    const lifetime = options.expiresInSeconds ?? 3599;
    const appOnly = options.appOnly === true;
    const claims: TokenClaims = {
      aud: options.audience ?? partnerCenterAudience,
      iss: `https://sts.windows.net/${options.tenantId}/`,
      iat: now - 5,
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
      ver: '1.0',
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

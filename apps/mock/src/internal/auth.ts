import { partnerCenterError } from './httpError.js';
import { partnerCenterAudience, type TokenClaims, type TokenIssuer } from './tokens.js';

/** The partner tenant and claims of an accepted bearer token. */
export interface Principal {
  readonly tenantId: string;
  readonly claims: TokenClaims;
}

/** Partner Center's catalog code for a 401 "Access denied" (a bad or expired token). */
const accessDenied = 400;

/** A 401 with the challenge Partner Center's error-codes page shows: `OAuth realm=urn:cpsvc:cpid:{cid}`. */
function unauthorized(tenantId: string, code: number, description: string) {
  return partnerCenterError({
    status: 401,
    code,
    description,
    headers: { 'WWW-Authenticate': `OAuth realm=urn:cpsvc:cpid:${tenantId}` },
  });
}

/**
 * Checks a request's bearer token as Partner Center does for the licenses-analytics endpoints:
 * 401 for a missing, malformed, badly signed, expired or wrong-audience token; 401 with code
 * 900421 without MFA; 403 for app-only tokens.
 * @throws MockHttpError
 */
export function authorize(options: {
  readonly authorization: string | undefined;
  readonly issuer: TokenIssuer;
  readonly realmTenantId: string;
  readonly now?: number;
}): Principal {
  const realm = options.realmTenantId;
  const header = options.authorization?.trim() ?? '';
  if (header === '') {
    throw unauthorized(
      realm,
      800001,
      'Partner Token missing in request context: send Authorization: Bearer <token>.',
    );
  }
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (match === null) {
    throw unauthorized(
      realm,
      accessDenied,
      'The Authorization header is malformed: expected the Bearer scheme and one token.',
    );
  }
  const verdict = options.issuer.verify(match[1]!, options.now);
  if (!verdict.ok) {
    const descriptions = {
      malformed: 'The access token is malformed: it is not a JWT.',
      signature: 'The access token signature is invalid.',
      expired: 'The access token has expired.',
      'not yet valid': 'The access token is not yet valid.',
      revoked: 'The access token was revoked: the sign-in session ended. Sign in again.',
    } as const;
    throw unauthorized(realm, accessDenied, descriptions[verdict.problem]);
  }
  const claims = verdict.claims;
  if (claims.aud.replace(/\/+$/, '') !== partnerCenterAudience) {
    throw unauthorized(
      claims.tid,
      accessDenied,
      `The access token audience '${claims.aud}' is not valid for Partner Center.`,
    );
  }
  if (claims.idtyp === 'app' || claims.scp === undefined) {
    throw partnerCenterError({
      status: 403,
      code: 2032,
      description: "This resource can't be accessed by application credentials.",
    });
  }
  if (!(claims.amr ?? []).includes('mfa')) {
    throw unauthorized(
      claims.tid,
      900421,
      'Multi-factor authentication is required: the access token has no MFA claim (amr must include mfa).',
    );
  }
  return { tenantId: claims.tid.toLowerCase(), claims };
}

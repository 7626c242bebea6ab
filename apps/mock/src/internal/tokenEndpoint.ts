import { checkClientAssertion, type RegisteredCertificate } from './clientAssertion.js';
import { type EntraDirectory, mockUser, type UserGrant } from './entra.js';
import { partnerCenterAudience, type RefreshTokenSealer, type TokenIssuer } from './tokens.js';

/** The Entra ID token endpoint's configuration. */
export interface TokenEndpointOptions {
  readonly issuer: TokenIssuer;
  readonly sealer: RefreshTokenSealer;
  readonly directory: EntraDirectory;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  readonly partnerTenantId: string;
  /** Certificates registered on the app: a `client_assertion` signed with one of them authenticates it. */
  readonly certificates: readonly RegisteredCertificate[];
}

/** A token endpoint answer: status and JSON body. */
export interface TokenAnswer {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const deviceCodeGrant = 'urn:ietf:params:oauth:grant-type:device_code';
const jwtBearerAssertion = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const grantTypes = new Set([
  'refresh_token',
  'client_credentials',
  'authorization_code',
  deviceCodeGrant,
  'device_code',
]);

/**
 * `POST /{tenant}/oauth2/token` (v1: `resource`, numbers as strings) and
 * `POST /{tenant}/oauth2/v2.0/token` (v2: `scope`, numbers as numbers), with the `refresh_token`,
 * `client_credentials`, `authorization_code` (PKCE) and device-code grants; a client secret or a
 * certificate assertion for confidential clients, nothing for public clients (device code,
 * browser); rotated refresh tokens sealed so that they survive a restart with the same seed;
 * ID tokens and `client_info` for MSAL; errors in Entra's shape.
 */
export class TokenEndpoint {
  constructor(private readonly options: TokenEndpointOptions) {}

  /** Answers one token request. */
  answer(request: {
    readonly tenant: string;
    readonly version: 1 | 2;
    readonly form: URLSearchParams;
    readonly authorization: string | undefined;
    readonly correlationId: string;
    /** The origin of the mock, for the issuer of v2 tokens. */
    readonly baseUrl: string;
  }): TokenAnswer {
    const { form, version } = request;
    const error = (status: number, code: string, aadsts: number, message: string): TokenAnswer => ({
      status,
      body: {
        error: code,
        error_description: `AADSTS${aadsts}: ${message}\r\nTrace ID: ${request.correlationId}\r\nCorrelation ID: ${request.correlationId}\r\nTimestamp: ${new Date().toISOString().replace('T', ' ').slice(0, 19)}Z`,
        error_codes: [aadsts],
        timestamp: `${new Date().toISOString().replace('T', ' ').slice(0, 19)}Z`,
        trace_id: request.correlationId,
        correlation_id: request.correlationId,
        error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
      },
    });
    let clientId = form.get('client_id') ?? undefined;
    let clientSecret = form.get('client_secret') ?? undefined;
    const basic = /^Basic\s+(\S+)$/i.exec(request.authorization ?? '');
    if (basic !== null) {
      const [id, ...secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
      clientId ??= decodeURIComponent(id ?? '');
      clientSecret ??= decodeURIComponent(secret.join(':'));
    }
    const sentGrantType = form.get('grant_type');
    // MSAL sends the short `device_code`; the RFC 8628 name is the long one. Entra takes both.
    const grantType = sentGrantType === 'device_code' ? deviceCodeGrant : sentGrantType;
    if (grantType === null || grantType === '') {
      return error(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'grant_type'.",
      );
    }
    if (!grantTypes.has(grantType) || (grantType === deviceCodeGrant && version === 1)) {
      return error(
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${sentGrantType}'.`,
      );
    }
    if (clientId === undefined || clientId === '') {
      return error(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'client_id'.",
      );
    }
    if (clientId !== this.options.clientId) {
      return error(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${request.tenant}'.`,
      );
    }
    // A refresh token says whether it was issued to a public client (no secret needed to redeem it).
    let refreshGrant: { tenantId: string | undefined; publicClient: boolean } | undefined;
    if (grantType === 'refresh_token') {
      const given = form.get('refresh_token') ?? '';
      if (given === '') {
        return error(
          400,
          'invalid_request',
          900144,
          "The request body must contain the following parameter: 'refresh_token'.",
        );
      }
      if (given === this.options.refreshToken) {
        if (this.options.sealer.revokedBefore > 0) {
          return error(
            400,
            'invalid_grant',
            50173,
            'The provided grant has expired due to it being revoked, a fresh auth token is needed.',
          );
        }
        refreshGrant = { tenantId: undefined, publicClient: false };
      } else {
        const opened = this.options.sealer.open(given);
        if (!opened.ok) {
          return opened.problem === 'revoked'
            ? error(
                400,
                'invalid_grant',
                50173,
                'The provided grant has expired due to it being revoked, a fresh auth token is needed.',
              )
            : error(
                400,
                'invalid_grant',
                9002313,
                'Invalid request. Request is malformed or invalid: the refresh token is not valid.',
              );
        }
        if (opened.grant.clientId !== clientId) {
          return error(400, 'invalid_grant', 70000, 'The refresh token was issued to another client.');
        }
        refreshGrant = { tenantId: opened.grant.tenantId, publicClient: opened.grant.publicClient };
      }
    }
    const publicGrant =
      grantType === deviceCodeGrant ||
      (grantType === 'authorization_code' && form.get('code_verifier') !== null) ||
      refreshGrant?.publicClient === true;
    const assertionType = form.get('client_assertion_type');
    const assertion = form.get('client_assertion');
    let confidential = false;
    if (assertion !== null && assertion !== '') {
      if (assertionType !== jwtBearerAssertion) {
        return error(400, 'invalid_request', 90002, `client_assertion_type must be '${jwtBearerAssertion}'.`);
      }
      const problem = checkClientAssertion({
        assertion,
        clientId,
        certificates: this.options.certificates,
      });
      if (problem !== undefined) return error(401, 'invalid_client', problem.aadsts, problem.message);
      confidential = true;
    } else if (clientSecret !== undefined && clientSecret !== '') {
      if (clientSecret !== this.options.clientSecret) {
        return error(
          401,
          'invalid_client',
          7000215,
          'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
        );
      }
      confidential = true;
    } else if (!publicGrant) {
      return error(
        401,
        'invalid_client',
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
    }
    // The user part of the grant: who signed in, for which scopes, in which tenant.
    let userGrant: UserGrant | undefined;
    if (grantType === deviceCodeGrant) {
      const poll = this.options.directory.pollDeviceCode(form.get('device_code') ?? '', clientId);
      if (poll.status === 'pending') {
        return error(
          400,
          'authorization_pending',
          70016,
          'OAuth 2.0 device flow error. Authorization is pending. Continue polling.',
        );
      }
      if (poll.status === 'expired') {
        return error(400, 'expired_token', 70020, 'The provided device code has expired: sign in again.');
      }
      if (poll.status !== 'approved') {
        return error(400, 'invalid_grant', 70000, 'The provided device code is not valid.');
      }
      userGrant = poll.grant;
    } else if (grantType === 'authorization_code') {
      const redeemed = this.options.directory.redeemCode({
        code: form.get('code') ?? '',
        clientId,
        redirectUri: form.get('redirect_uri') ?? undefined,
        codeVerifier: form.get('code_verifier') ?? undefined,
      });
      if (!redeemed.ok) return error(400, 'invalid_grant', redeemed.aadsts, redeemed.message);
      userGrant = redeemed.grant;
    }
    let audience = partnerCenterAudience;
    let scope = 'user_impersonation';
    let requestedScopes: string[] = [];
    if (version === 2) {
      requestedScopes = (form.get('scope') ?? userGrant?.scope ?? '')
        .split(/\s+/)
        .filter((item) => item !== '');
      if (requestedScopes.length === 0) {
        return error(
          400,
          'invalid_request',
          900144,
          "The request body must contain the following parameter: 'scope'.",
        );
      }
      const resourceScope = requestedScopes.find((item) => /^(https?:\/\/|api:\/\/)/i.test(item));
      if (resourceScope === undefined) {
        return error(
          400,
          'invalid_scope',
          70011,
          `The provided value for the input parameter 'scope' is not valid: ${requestedScopes.join(' ')}.`,
        );
      }
      const slash = resourceScope.lastIndexOf('/');
      audience = resourceScope.slice(0, slash > resourceScope.indexOf('//') + 1 ? slash : undefined);
      const permission = resourceScope.slice(audience.length + 1);
      // As Entra: the resource's scopes come back qualified; `.default` stands for what was consented.
      scope = `${audience}/${permission === '.default' || permission === '' ? 'user_impersonation' : permission}`;
    } else {
      const resource = form.get('resource');
      if (resource !== null && resource !== '') audience = resource.replace(/\/+$/, '');
    }
    const pathTenant = guidPattern.test(request.tenant)
      ? request.tenant.toLowerCase()
      : this.options.partnerTenantId;
    let tenantId = pathTenant;
    if (userGrant !== undefined && guidPattern.test(userGrant.tenant))
      tenantId = userGrant.tenant.toLowerCase();
    if (refreshGrant?.tenantId !== undefined) tenantId = refreshGrant.tenantId;
    const appOnly = grantType === 'client_credentials';
    let refreshToken: string | undefined;
    if (!appOnly) {
      refreshToken = this.options.sealer.seal({
        tenantId,
        clientId,
        publicClient: !confidential && (publicGrant || refreshGrant?.publicClient === true),
      });
    }
    const expiresIn = 3599;
    const { token, claims } = this.options.issuer.mint({
      tenantId,
      clientId,
      audience,
      appOnly,
      expiresInSeconds: expiresIn,
      ...(version === 2 ? { version: '2.0' as const, authority: request.baseUrl } : {}),
    });
    if (appOnly) scope = `${audience}/.default`;
    const body: Record<string, unknown> =
      version === 1
        ? {
            token_type: 'Bearer',
            scope: appOnly ? '' : 'user_impersonation',
            expires_in: String(expiresIn),
            ext_expires_in: String(expiresIn),
            expires_on: String(claims.exp),
            not_before: String(claims.nbf),
            resource: audience,
            access_token: token,
          }
        : {
            token_type: 'Bearer',
            scope,
            expires_in: expiresIn,
            ext_expires_in: expiresIn,
            access_token: token,
          };
    if (refreshToken !== undefined) body.refresh_token = refreshToken;
    if (!appOnly && version === 2) {
      // What MSAL needs to keep an account in its cache: an ID token and client_info.
      if (requestedScopes.includes('openid')) {
        body.id_token = this.options.issuer.signClaims({
          aud: clientId,
          iss: `${request.baseUrl}/${tenantId}/v2.0`,
          iat: claims.iat,
          nbf: claims.nbf,
          exp: claims.exp,
          name: mockUser.name,
          oid: mockUser.objectId,
          preferred_username: mockUser.userPrincipalName,
          sub: mockUser.objectId,
          tid: tenantId,
          ver: '2.0',
          ...(userGrant?.nonce !== undefined ? { nonce: userGrant.nonce } : {}),
        });
      }
      if (form.get('client_info') === '1') {
        body.client_info = Buffer.from(JSON.stringify({ uid: mockUser.objectId, utid: tenantId })).toString(
          'base64url',
        );
      }
    }
    return { status: 200, body };
  }
}

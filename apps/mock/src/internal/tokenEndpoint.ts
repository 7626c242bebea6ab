import { partnerCenterAudience, type TokenIssuer } from './tokens.js';

/** The Entra ID token endpoint's configuration. */
export interface TokenEndpointOptions {
  readonly issuer: TokenIssuer;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  readonly partnerTenantId: string;
}

/** A token endpoint answer: status and JSON body. */
export interface TokenAnswer {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `POST /{tenant}/oauth2/token` (v1: `resource`, numbers as strings) and
 * `POST /{tenant}/oauth2/v2.0/token` (v2: `scope`, numbers as numbers), with the `refresh_token`
 * and `client_credentials` grants, rotated refresh tokens, and errors in Entra's shape.
 */
export class TokenEndpoint {
  /** Refresh tokens handed out, with the tenant they belong to. */
  private readonly issuedRefreshTokens = new Map<string, string>();

  constructor(private readonly options: TokenEndpointOptions) {}

  /** Forgets rotated refresh tokens (the configured one stays valid). */
  reset(): void {
    this.issuedRefreshTokens.clear();
  }

  /** Answers one token request. */
  answer(request: {
    readonly tenant: string;
    readonly version: 1 | 2;
    readonly form: URLSearchParams;
    readonly authorization: string | undefined;
    readonly correlationId: string;
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
    const grantType = form.get('grant_type');
    if (grantType === null || grantType === '') {
      return error(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'grant_type'.",
      );
    }
    if (grantType !== 'refresh_token' && grantType !== 'client_credentials') {
      return error(
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${grantType}'.`,
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
    if (clientSecret === undefined || clientSecret === '') {
      return error(
        401,
        'invalid_client',
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
    }
    if (clientSecret !== this.options.clientSecret) {
      return error(
        401,
        'invalid_client',
        7000215,
        'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
      );
    }
    let audience = partnerCenterAudience;
    let scope = 'user_impersonation';
    if (version === 2) {
      const scopes = (form.get('scope') ?? '').split(/\s+/).filter((item) => item !== '');
      if (scopes.length === 0) {
        return error(
          400,
          'invalid_request',
          900144,
          "The request body must contain the following parameter: 'scope'.",
        );
      }
      const resourceScope = scopes.find((item) => /^(https?:\/\/|api:\/\/)/i.test(item));
      if (resourceScope === undefined) {
        return error(
          400,
          'invalid_scope',
          70011,
          `The provided value for the input parameter 'scope' is not valid: ${scopes.join(' ')}.`,
        );
      }
      const slash = resourceScope.lastIndexOf('/');
      audience = resourceScope.slice(0, slash > resourceScope.indexOf('//') + 1 ? slash : undefined);
      scope = scopes
        .map((item) => (item === resourceScope ? item.slice(audience.length + 1) : item))
        .join(' ');
    } else {
      const resource = form.get('resource');
      if (resource !== null && resource !== '') audience = resource.replace(/\/+$/, '');
    }
    const pathTenant = guidPattern.test(request.tenant)
      ? request.tenant.toLowerCase()
      : this.options.partnerTenantId;
    let tenantId = pathTenant;
    let refreshToken: string | undefined;
    const appOnly = grantType === 'client_credentials';
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
      const issuedTenant = this.issuedRefreshTokens.get(given);
      if (given !== this.options.refreshToken && issuedTenant === undefined) {
        return error(
          400,
          'invalid_grant',
          9002313,
          'Invalid request. Request is malformed or invalid: the refresh token is not valid.',
        );
      }
      if (issuedTenant !== undefined) tenantId = issuedTenant;
      refreshToken = this.options.issuer.opaque();
      this.issuedRefreshTokens.set(refreshToken, tenantId);
    }
    const expiresIn = 3599;
    const { token, claims } = this.options.issuer.mint({
      tenantId,
      clientId,
      audience,
      appOnly,
      expiresInSeconds: expiresIn,
    });
    const body: Record<string, unknown> =
      version === 1
        ? {
            token_type: 'Bearer',
            scope: appOnly ? '' : scope,
            expires_in: String(expiresIn),
            ext_expires_in: String(expiresIn),
            expires_on: String(claims.exp),
            not_before: String(claims.nbf),
            resource: audience,
            access_token: token,
          }
        : {
            token_type: 'Bearer',
            scope: appOnly ? `${audience}/.default` : scope,
            expires_in: expiresIn,
            ext_expires_in: expiresIn,
            access_token: token,
          };
    if (refreshToken !== undefined) body.refresh_token = refreshToken;
    return { status: 200, body };
  }
}

import { createHash, randomBytes, randomInt } from 'node:crypto';

/** What a user approved, through the device-code page or the authorization endpoint. */
export interface UserGrant {
  /** The tenant segment of the request path (`common`, `organizations`, a GUID or a domain). */
  readonly tenant: string;
  readonly clientId: string;
  /** The scopes asked for, space-separated as sent. */
  readonly scope: string;
  /** The OpenID Connect nonce of an authorization request, echoed in the ID token. */
  readonly nonce?: string;
}

interface DeviceCodeEntry {
  readonly grant: UserGrant;
  readonly userCode: string;
  readonly expiresAt: number;
  approved: boolean;
}

interface AuthorizationCodeEntry {
  readonly grant: UserGrant;
  readonly redirectUri: string;
  readonly codeChallenge: string | undefined;
  readonly codeChallengeMethod: string | undefined;
  readonly expiresAt: number;
}

/** Result of redeeming a device code. */
export type DeviceCodePoll =
  | { readonly status: 'approved'; readonly grant: UserGrant }
  | { readonly status: 'pending' | 'expired' | 'unknown' };

/** Result of redeeming an authorization code. */
export type CodeRedemption =
  | { readonly ok: true; readonly grant: UserGrant }
  | { readonly ok: false; readonly aadsts: number; readonly message: string };

/** Seconds a device code stays valid (Entra: 900). */
export const deviceCodeLifetimeSeconds = 900;
/** Seconds between two polls that the device-code answer asks for (Entra: 5; the mock is faster). */
export const deviceCodeIntervalSeconds = 1;
const authorizationCodeLifetimeMs = 10 * 60 * 1000;
const userCodeAlphabet = 'BCDFGHJKLMNPQRSTVWXZ23456789';

/** The partner user every interactive sign-in of the mock signs in as. */
export const mockUser = {
  objectId: '6a0f3b4e-54b3-4bd4-9a4e-1b2c3d4e5f60',
  userPrincipalName: 'admin@partner.onmicrosoft.com',
  name: 'Partner Admin',
} as const;

/**
 * The interactive half of Entra ID that MSAL needs: device codes (issued, approved by a test or by
 * `--auto-approve`, polled), authorization codes with PKCE (S256 or plain), and the discovery
 * documents. Codes live in memory only: a restart forgets them, as it forgets a half-done sign-in.
 */
export class EntraDirectory {
  private readonly deviceCodes = new Map<string, DeviceCodeEntry>();
  private readonly userCodes = new Map<string, string>();
  private readonly authorizationCodes = new Map<string, AuthorizationCodeEntry>();

  constructor(private readonly options: { readonly autoApprove: boolean }) {}

  /** Forgets every pending device and authorization code. */
  reset(): void {
    this.deviceCodes.clear();
    this.userCodes.clear();
    this.authorizationCodes.clear();
  }

  /** `POST /{tenant}/oauth2/v2.0/devicecode`: a new device code and its user code. */
  startDeviceCode(grant: UserGrant, baseUrl: string, now = Date.now()): Record<string, unknown> {
    this.expire(now);
    const deviceCode = `DAQABAAEAAAD${randomBytes(48).toString('base64url')}`;
    let userCode = '';
    do {
      userCode = Array.from({ length: 9 }, () => userCodeAlphabet[randomInt(userCodeAlphabet.length)]).join(
        '',
      );
    } while (this.userCodes.has(userCode));
    this.deviceCodes.set(deviceCode, {
      grant,
      userCode,
      expiresAt: now + deviceCodeLifetimeSeconds * 1000,
      approved: this.options.autoApprove,
    });
    this.userCodes.set(userCode, deviceCode);
    const verificationUri = `${baseUrl}/devicelogin`;
    return {
      user_code: userCode,
      device_code: deviceCode,
      verification_uri: verificationUri,
      expires_in: deviceCodeLifetimeSeconds,
      interval: deviceCodeIntervalSeconds,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
    };
  }

  /** Approves a pending device code by its user code (case and dashes ignored); false when unknown. */
  approve(userCode: string, now = Date.now()): boolean {
    this.expire(now);
    const deviceCode = this.userCodes.get(userCode.replace(/[\s-]/g, '').toUpperCase());
    const entry = deviceCode === undefined ? undefined : this.deviceCodes.get(deviceCode);
    if (entry === undefined) return false;
    entry.approved = true;
    return true;
  }

  /** The user codes waiting for approval. */
  pendingUserCodes(now = Date.now()): string[] {
    this.expire(now);
    return [...this.deviceCodes.values()].filter((entry) => !entry.approved).map((entry) => entry.userCode);
  }

  /** One poll of the token endpoint with a device code; an approved code is used up. */
  pollDeviceCode(deviceCode: string, clientId: string, now = Date.now()): DeviceCodePoll {
    const entry = this.deviceCodes.get(deviceCode);
    if (entry === undefined || entry.grant.clientId !== clientId) return { status: 'unknown' };
    if (now >= entry.expiresAt) {
      this.forgetDeviceCode(deviceCode, entry);
      return { status: 'expired' };
    }
    if (!entry.approved) return { status: 'pending' };
    this.forgetDeviceCode(deviceCode, entry);
    return { status: 'approved', grant: entry.grant };
  }

  /**
   * `GET /{tenant}/oauth2/v2.0/authorize`: signs the mock user in at once (no page to click) and
   * returns the authorization code with where to send it.
   */
  authorize(input: {
    readonly grant: UserGrant;
    readonly redirectUri: string;
    readonly codeChallenge: string | undefined;
    readonly codeChallengeMethod: string | undefined;
    readonly now?: number;
  }): string {
    const now = input.now ?? Date.now();
    this.expire(now);
    const code = `1.AR${randomBytes(48).toString('base64url')}`;
    this.authorizationCodes.set(code, {
      grant: input.grant,
      redirectUri: input.redirectUri,
      codeChallenge: input.codeChallenge,
      codeChallengeMethod: input.codeChallengeMethod,
      expiresAt: now + authorizationCodeLifetimeMs,
    });
    return code;
  }

  /** Redeems an authorization code (once), checking the client, the redirect URI and PKCE. */
  redeemCode(input: {
    readonly code: string;
    readonly clientId: string;
    readonly redirectUri: string | undefined;
    readonly codeVerifier: string | undefined;
    readonly now?: number;
  }): CodeRedemption {
    const entry = this.authorizationCodes.get(input.code);
    this.authorizationCodes.delete(input.code);
    const now = input.now ?? Date.now();
    if (entry === undefined || now >= entry.expiresAt) {
      return {
        ok: false,
        aadsts: 70008,
        message: 'The provided authorization code or refresh token has expired or was already redeemed.',
      };
    }
    if (entry.grant.clientId !== input.clientId) {
      return { ok: false, aadsts: 70002, message: 'The authorization code was issued to another client.' };
    }
    if (input.redirectUri !== entry.redirectUri) {
      return {
        ok: false,
        aadsts: 50148,
        message: 'The redirect_uri does not match the one of the authorization request.',
      };
    }
    if (entry.codeChallenge !== undefined) {
      const verifier = input.codeVerifier ?? '';
      const computed =
        entry.codeChallengeMethod?.toUpperCase() === 'S256'
          ? createHash('sha256').update(verifier).digest('base64url')
          : verifier;
      if (verifier === '' || computed !== entry.codeChallenge) {
        return {
          ok: false,
          aadsts: 501481,
          message:
            'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
        };
      }
    }
    return { ok: true, grant: entry.grant };
  }

  private forgetDeviceCode(deviceCode: string, entry: DeviceCodeEntry): void {
    this.deviceCodes.delete(deviceCode);
    this.userCodes.delete(entry.userCode);
  }

  private expire(now: number): void {
    for (const [deviceCode, entry] of this.deviceCodes) {
      if (now >= entry.expiresAt) this.forgetDeviceCode(deviceCode, entry);
    }
    for (const [code, entry] of this.authorizationCodes) {
      if (now >= entry.expiresAt) this.authorizationCodes.delete(code);
    }
  }
}

/** `GET /{tenant}/v2.0/.well-known/openid-configuration` (v2) and `/{tenant}/.well-known/openid-configuration` (v1). */
export function openIdConfiguration(input: {
  readonly baseUrl: string;
  readonly tenant: string;
  readonly version: 1 | 2;
}): Record<string, unknown> {
  const { baseUrl } = input;
  const tenant = encodeURIComponent(input.tenant);
  const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(input.tenant);
  const issuerTenant = guid ? input.tenant.toLowerCase() : '{tenantid}';
  if (input.version === 1) {
    return {
      token_endpoint: `${baseUrl}/${tenant}/oauth2/token`,
      authorization_endpoint: `${baseUrl}/${tenant}/oauth2/authorize`,
      device_authorization_endpoint: `${baseUrl}/${tenant}/oauth2/devicecode`,
      end_session_endpoint: `${baseUrl}/${tenant}/oauth2/logout`,
      jwks_uri: `${baseUrl}/common/discovery/keys`,
      issuer: `https://sts.windows.net/${issuerTenant}/`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
      scopes_supported: ['openid'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      tenant_region_scope: 'WW',
      cloud_instance_name: 'microsoftonline.com',
    };
  }
  return {
    token_endpoint: `${baseUrl}/${tenant}/oauth2/v2.0/token`,
    authorization_endpoint: `${baseUrl}/${tenant}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${baseUrl}/${tenant}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${baseUrl}/${tenant}/oauth2/v2.0/logout`,
    jwks_uri: `${baseUrl}/${tenant}/discovery/v2.0/keys`,
    issuer: `${baseUrl}/${issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${baseUrl}/oidc/userinfo`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'nonce',
      'name',
      'tid',
      'oid',
      'preferred_username',
    ],
    tenant_region_scope: 'WW',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
  };
}

/** `GET /common/discovery/instance?api-version=1.1&authorization_endpoint=…`: this host is its own cloud. */
export function instanceDiscovery(input: { readonly baseUrl: string }): Record<string, unknown> {
  const host = new URL(input.baseUrl).host;
  return {
    tenant_discovery_endpoint: `${input.baseUrl}/common/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}

/** The HTML page that posts an authorization response to the redirect URI (`response_mode=form_post`). */
export function formPostPage(action: string, fields: Readonly<Record<string, string>>): string {
  const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}" />`)
    .join('');
  return `<!DOCTYPE html><html><head><title>Working...</title></head><body onload="document.forms[0].submit()"><form method="POST" name="hiddenform" action="${escapeHtml(action)}">${inputs}<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript></form></body></html>`;
}

/** The page at `/devicelogin`: how to approve a device code against the mock. */
export function deviceLoginPage(pending: readonly string[]): string {
  return `<!DOCTYPE html><html><head><title>pc-mock device login</title></head><body><h1>pc-mock device login</h1><p>Approve a code with <code>POST /_mock/device/approve {"user_code": "..."}</code>, or start pc-mock with <code>--auto-approve</code>.</p><p>Codes waiting: ${pending.length === 0 ? 'none' : pending.join(', ')}</p></body></html>`;
}

import { entraErrorBodySchema, partnerCenterErrorBodySchema, tokenResponseSchema } from '@pc/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { call, paths, startSmall } from './helpers.js';

let server: MockServer;

beforeAll(async () => {
  server = await startSmall({ customers: 30 });
});
afterAll(() => server.close());

function form(fields: Record<string, string>): {
  method: 'POST';
  body: string;
  headers: Record<string, string>;
} {
  return {
    method: 'POST',
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}

const client = { client_id: 'mock-client-id', client_secret: 'mock-client-secret' };

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

describe('token endpoints', () => {
  it('v1 refresh_token: numbers as strings, resource, a rotated refresh token that works again', async () => {
    const answer = await call(
      `${server.url}/common/oauth2/token`,
      form({
        ...client,
        grant_type: 'refresh_token',
        refresh_token: 'mock-refresh-token',
        resource: 'https://api.partnercenter.microsoft.com',
      }),
    );
    expect(answer.status).toBe(200);
    const body = answer.json<Record<string, unknown>>();
    expect(body.expires_in).toBe('3599');
    expect(typeof body.expires_on).toBe('string');
    expect(body.resource).toBe('https://api.partnercenter.microsoft.com');
    expect(body.refresh_token).not.toBe('mock-refresh-token');
    const parsed = tokenResponseSchema.parse(body);
    const claims = claimsOf(parsed.accessToken);
    expect(claims).toMatchObject({
      aud: 'https://api.partnercenter.microsoft.com',
      tid: server.partnerTenantId,
      appid: 'mock-client-id',
    });
    expect(claims.amr).toContain('mfa');
    expect(claims.exp as number).toBeGreaterThan(Date.now() / 1000);
    const data = await call(`${server.url}${paths.deployment}?top=1`, { token: parsed.accessToken });
    expect(data.status).toBe(200);
    const again = await call(
      `${server.url}/common/oauth2/token`,
      form({ ...client, grant_type: 'refresh_token', refresh_token: String(body.refresh_token) }),
    );
    expect(again.status).toBe(200);
  });

  it('v2 refresh_token: numbers as numbers, scope; the tenant in the path becomes tid', async () => {
    const tenant = '11111111-2222-4333-8444-555555555555';
    const answer = await call(
      `${server.url}/${tenant}/oauth2/v2.0/token`,
      form({
        ...client,
        grant_type: 'refresh_token',
        refresh_token: 'mock-refresh-token',
        scope: 'https://api.partnercenter.microsoft.com/user_impersonation offline_access',
      }),
    );
    expect(answer.status).toBe(200);
    const body = answer.json<Record<string, unknown>>();
    expect(body.expires_in).toBe(3599);
    expect(typeof body.refresh_token).toBe('string');
    expect(claimsOf(String(body.access_token))).toMatchObject({
      tid: tenant,
      aud: 'https://api.partnercenter.microsoft.com',
    });
  });

  it('client_credentials gives an app-only token that the analytics endpoints refuse with 403', async () => {
    const answer = await call(
      `${server.url}/common/oauth2/v2.0/token`,
      form({
        ...client,
        grant_type: 'client_credentials',
        scope: 'https://api.partnercenter.microsoft.com/.default',
      }),
    );
    expect(answer.status).toBe(200);
    const body = answer.json<Record<string, unknown>>();
    expect(body.refresh_token).toBeUndefined();
    expect(claimsOf(String(body.access_token)).idtyp).toBe('app');
    const data = await call(`${server.url}${paths.usage}`, { token: String(body.access_token) });
    expect(data.status).toBe(403);
    expect(data.json<{ description: string }>().description).toBe(
      "This resource can't be accessed by application credentials.",
    );
  });

  it("answers Entra's error shapes: invalid_grant, invalid_client, unauthorized_client, unsupported_grant_type", async () => {
    const cases: [Record<string, string>, number, string, number][] = [
      [{ ...client, grant_type: 'refresh_token', refresh_token: 'stolen' }, 400, 'invalid_grant', 9002313],
      [
        {
          ...client,
          client_secret: 'wrong',
          grant_type: 'refresh_token',
          refresh_token: 'mock-refresh-token',
        },
        401,
        'invalid_client',
        7000215,
      ],
      [{ client_id: 'mock-client-id', grant_type: 'client_credentials' }, 401, 'invalid_client', 7000218],
      [
        { ...client, client_id: 'other', grant_type: 'client_credentials' },
        400,
        'unauthorized_client',
        700016,
      ],
      [{ ...client, grant_type: 'password' }, 400, 'unsupported_grant_type', 70003],
      [{ ...client, grant_type: 'refresh_token', refresh_token: '' }, 400, 'invalid_request', 900144],
    ];
    for (const [fields, status, error, code] of cases) {
      const answer = await call(`${server.url}/common/oauth2/token`, form(fields));
      expect(answer.status, error).toBe(status);
      const body = entraErrorBodySchema.parse(answer.json());
      expect(body.error).toBe(error);
      expect(body.error_codes).toEqual([code]);
      expect(body.error_description).toMatch(new RegExp(`^AADSTS${code}: `));
    }
    const v2 = await call(
      `${server.url}/common/oauth2/v2.0/token`,
      form({ ...client, grant_type: 'client_credentials' }),
    );
    expect(v2.json()).toMatchObject({ error: 'invalid_request', error_codes: [900144] });
  });

  it('accepts client credentials in a Basic authorization header', async () => {
    const answer = await call(`${server.url}/common/oauth2/token`, {
      ...form({ grant_type: 'refresh_token', refresh_token: 'mock-refresh-token' }),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('mock-client-id:mock-client-secret').toString('base64')}`,
      },
    });
    expect(answer.status).toBe(200);
  });
});

describe('API authentication', () => {
  // Partner Center's catalog: a 401 "Access denied" carries code 400; the challenge is `OAuth realm=urn:cpsvc:cpid:{cid}`.
  async function expect401(token: string | undefined, headers: Record<string, string> = {}, code = 400) {
    const answer = await call(`${server.url}${paths.usage}`, {
      ...(token === undefined ? {} : { token }),
      headers,
    });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toMatch(/^OAuth realm=urn:cpsvc:cpid:[0-9a-f-]{36}$/);
    const body = partnerCenterErrorBodySchema.parse(answer.json());
    expect(body.code).toBe(code);
    return body;
  }

  it('answers 401 for a missing, malformed, badly signed, expired or wrong-audience token', async () => {
    await expect401(undefined, {}, 800001);
    await expect401(undefined, { authorization: 'Basic abc' });
    await expect401('not-a-jwt');
    const other = await startSmall({ customers: 5 });
    const foreign = other.issueToken();
    await other.close();
    expect((await expect401(foreign)).description).toContain('signature');
    const tampered = server.issueToken().split('.');
    tampered[1] = Buffer.from(
      JSON.stringify({ ...claimsOf(server.issueToken()), tid: 'someone-else' }),
    ).toString('base64url');
    await expect401(tampered.join('.'));
    expect((await expect401(server.issueToken({ expiresInSeconds: -60 }))).description).toContain('expired');
    const graph = await call(
      `${server.url}/common/oauth2/token`,
      form({
        ...client,
        grant_type: 'refresh_token',
        refresh_token: 'mock-refresh-token',
        resource: 'https://graph.windows.net',
      }),
    );
    expect((await expect401(String(graph.json().access_token))).description).toContain('audience');
  });

  it('answers 401 with code 900421 for a token without MFA, 403 for app-only', async () => {
    const body = await expect401(server.issueToken({ mfa: false }), {}, 900421);
    expect(body.description).toMatch(/multi-factor/i);
    const appOnly = await call(`${server.url}${paths.deployment}`, {
      token: server.issueToken({ appOnly: true }),
    });
    expect(appOnly.status).toBe(403);
    expect(appOnly.json()).toMatchObject({
      description: "This resource can't be accessed by application credentials.",
    });
  });

  it("lets a tenant's token see only that tenant's data", async () => {
    const mine = await call(`${server.url}${paths.deployment}?top=5`, { token: server.issueToken() });
    const theirs = await call(`${server.url}${paths.deployment}?top=5`, {
      token: server.issueToken({ tenantId: '99999999-8888-4777-8666-555555555555' }),
    });
    const myIds = new Set(
      mine.json<{ Value: { customerTenantId: string }[] }>().Value.map((row) => row.customerTenantId),
    );
    const theirRows = theirs.json<{ Value: { customerTenantId: string }[] }>().Value;
    expect(theirRows.length).toBe(5);
    for (const row of theirRows) expect(myIds.has(row.customerTenantId)).toBe(false);
    const cross = await call(`${server.url}${paths.customerUsage(theirRows[0]!.customerTenantId)}`, {
      token: server.issueToken(),
    });
    expect(cross.status).toBe(404);
  });
});

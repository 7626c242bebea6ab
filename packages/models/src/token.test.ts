import { describe, expect, it } from 'vitest';
import { entraErrorBodySchema, partnerCenterErrorBodySchema, throttleErrorBodySchema } from './errors.js';
import { tokenResponseSchema } from './token.js';

describe('Entra ID token responses', () => {
  it('reads the v1 shape, whose numbers are strings', () => {
    const token = tokenResponseSchema.parse({
      token_type: 'Bearer',
      scope: 'user_impersonation',
      expires_in: '3600',
      ext_expires_in: '3600',
      expires_on: '1547581389',
      not_before: '1547577489',
      resource: 'https://api.partnercenter.microsoft.com',
      access_token: 'eyJ0eXAi.a.b',
      refresh_token: 'OAQABAAAAAAD',
      id_token: 'eyJ0eXAi.c.d',
    });
    expect(token).toEqual({
      tokenType: 'Bearer',
      accessToken: 'eyJ0eXAi.a.b',
      expiresInSeconds: 3600,
      expiresOn: 1547581389,
      refreshToken: 'OAQABAAAAAAD',
      idToken: 'eyJ0eXAi.c.d',
      resource: 'https://api.partnercenter.microsoft.com',
      scope: 'user_impersonation',
    });
  });

  it('reads the v2 shape, whose numbers are numbers', () => {
    const token = tokenResponseSchema.parse({
      token_type: 'Bearer',
      scope: 'https://api.partnercenter.microsoft.com/user_impersonation',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: 'x.y.z',
      refresh_token: 'r',
    });
    expect(token.expiresInSeconds).toBe(3599);
    expect(token.expiresOn).toBeUndefined();
  });

  it('names a missing access token and a bad expiry', () => {
    const result = tokenResponseSchema.safeParse({ token_type: 'Bearer', expires_in: 'soon' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'access_token',
      'expires_in',
    ]);
  });
});

describe('error bodies', () => {
  it('reads the Partner Center error body with a numeric or string code', () => {
    expect(
      partnerCenterErrorBodySchema.parse({
        code: 3000,
        description: 'Partner Organization with partner_id 9999999 could not be found',
        data: [],
        source: 'PartnerFD',
      }).code,
    ).toBe(3000);
    expect(partnerCenterErrorBodySchema.parse({ code: '900421', description: 'MFA required' }).code).toBe(
      '900421',
    );
    expect(partnerCenterErrorBodySchema.safeParse({ statusCode: 429 }).success).toBe(false);
  });

  it("reads the gateway's 429 body and Entra's error body", () => {
    expect(
      throttleErrorBodySchema.parse({
        statusCode: 429,
        message: 'Rate limit is exceeded. Try again in 57 seconds.',
      }).statusCode,
    ).toBe(429);
    expect(
      entraErrorBodySchema.parse({
        error: 'invalid_grant',
        error_description: 'AADSTS70008: The refresh token has expired.',
        error_codes: [70008],
      }).error_codes,
    ).toEqual([70008]);
  });
});

import { z } from 'zod';

const seconds = z
  .union([z.number(), z.string().regex(/^\d+$/, 'expected a number of seconds')])
  .transform((value) => Number(value));

/**
 * Entra ID token responses, v1 (`/oauth2/token`, numbers as strings, `resource`) and v2
 * (`/oauth2/v2.0/token`, numbers as numbers, `scope`), normalized to one camelCase shape.
 */
export const tokenResponseSchema = z
  .looseObject({
    token_type: z.string(),
    access_token: z.string().min(1),
    expires_in: seconds,
    ext_expires_in: seconds.optional(),
    expires_on: seconds.optional(),
    not_before: seconds.optional(),
    refresh_token: z.string().optional(),
    id_token: z.string().optional(),
    resource: z.string().optional(),
    scope: z.string().optional(),
  })
  .transform((body) => ({
    tokenType: body.token_type,
    accessToken: body.access_token,
    expiresInSeconds: body.expires_in,
    expiresOn: body.expires_on,
    refreshToken: body.refresh_token,
    idToken: body.id_token,
    resource: body.resource,
    scope: body.scope,
  }));
/** A normalized token response. */
export type TokenResponse = z.output<typeof tokenResponseSchema>;

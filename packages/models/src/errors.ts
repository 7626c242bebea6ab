import { z } from 'zod';

/**
 * The Partner Center error body: `{code, description, data, source}`. The docs call `code` a
 * string; real answers send numbers (`3000`, `900421`). Other fields are kept.
 */
export const partnerCenterErrorBodySchema = z.looseObject({
  code: z.union([z.number(), z.string()]),
  description: z.string(),
  data: z.array(z.unknown()).optional(),
  source: z.string().optional(),
});
/** A parsed Partner Center error body. */
export type PartnerCenterErrorBody = z.output<typeof partnerCenterErrorBodySchema>;

/** The API gateway's 429 body: `{statusCode: 429, message: "Rate limit is exceeded. Try again in 57 seconds."}`. */
export const throttleErrorBodySchema = z.looseObject({
  statusCode: z.number().int(),
  message: z.string(),
});
/** A parsed 429 gateway body. */
export type ThrottleErrorBody = z.output<typeof throttleErrorBodySchema>;

/** Entra ID's token error: `{error, error_description, error_codes}` (e.g. `invalid_grant`, AADSTS70008). */
export const entraErrorBodySchema = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
  error_codes: z.array(z.number()).optional(),
  trace_id: z.string().optional(),
  correlation_id: z.string().optional(),
});
/** A parsed Entra ID token error. */
export type EntraErrorBody = z.output<typeof entraErrorBodySchema>;

import type { JsonResponse } from '@pc/transport';
import { PartnerCenterError } from '@pc/transport';

/** The part of a ZodError this module reads. */
interface Issues {
  readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[];
}

/**
 * Wraps a page-validation failure into a `DECODE` error that names the JSON path of the first bad
 * value (`items.3.licensesSold`) and the request id; the ZodError is the `cause`.
 */
export function decodeError(options: {
  readonly endpointId: string;
  readonly error: Issues & Error;
  readonly response: Omit<JsonResponse<unknown>, 'body'>;
}): PartnerCenterError {
  const { endpointId, error, response } = options;
  const first = error.issues[0];
  const path = first === undefined || first.path.length === 0 ? '(body)' : first.path.map(String).join('.');
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return new PartnerCenterError({
    code: 'DECODE',
    message: `${endpointId}: unexpected response at ${path}: ${first?.message ?? error.message}${more} [request id ${response.requestId}]`,
    status: response.status,
    requestId: response.requestId,
    correlationId: response.correlationId,
    attempts: response.attempts,
    retryable: false,
    cause: error,
  });
}

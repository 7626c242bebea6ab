/** An answer other than 200 that a handler decided on: status, Partner Center error body, extra headers. */
export class MockHttpError extends Error {
  override readonly name = 'MockHttpError';
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;

  constructor(options: {
    readonly status: number;
    readonly body: Readonly<Record<string, unknown>>;
    readonly headers?: Readonly<Record<string, string>>;
  }) {
    super(
      typeof options.body.description === 'string'
        ? options.body.description
        : typeof options.body.message === 'string'
          ? options.body.message
          : `HTTP ${options.status}`,
    );
    this.status = options.status;
    this.body = options.body;
    this.headers = options.headers ?? {};
  }
}

/** The `source` of every Partner Center error body the mock sends. */
export const errorSource = 'pc-mock';

/** A Partner Center error: `{code, description, data, source}`. */
export function partnerCenterError(options: {
  readonly status: number;
  readonly code?: number | string;
  readonly description: string;
  readonly data?: readonly unknown[];
  readonly headers?: Readonly<Record<string, string>>;
}): MockHttpError {
  return new MockHttpError({
    status: options.status,
    body: {
      code: options.code ?? options.status,
      description: options.description.slice(0, 1024),
      data: options.data ?? [],
      source: errorSource,
    },
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  });
}

/**
 * A bad analytics query in the analytics API's shape (evidence A9, the Store analytics sibling):
 * `{code: "BadRequest", data, details, innererror: {code: "InvalidQueryParameters", data: [what is
 * wrong], details, message, source: "AnalyticsAPI"}, message, source: "AnalyticsAPI"}`, keeping the
 * status and headers of the Partner Center error it replaces.
 */
export function analyticsQueryError(error: MockHttpError): MockHttpError {
  const what = typeof error.body.description === 'string' ? error.body.description : error.message;
  return new MockHttpError({
    status: error.status,
    headers: error.headers,
    body: {
      code: 'BadRequest',
      data: [],
      details: [],
      innererror: {
        code: 'InvalidQueryParameters',
        data: [what],
        details: [],
        message: 'One or More Query Parameters has invalid values.',
        source: 'AnalyticsAPI',
      },
      message: 'The calling client sent a bad request to the service.',
      source: 'AnalyticsAPI',
    },
  });
}

/** The API gateway's 429: `{statusCode, message}` with `Retry-After`. */
export function throttleError(
  retryAfterSeconds: number,
  extraHeaders: Readonly<Record<string, string>> = {},
): MockHttpError {
  return new MockHttpError({
    status: 429,
    body: { statusCode: 429, message: `Rate limit is exceeded. Try again in ${retryAfterSeconds} seconds.` },
    headers: { 'Retry-After': String(retryAfterSeconds), ...extraHeaders },
  });
}

const statusDescriptions: Readonly<Record<number, string>> = {
  400: 'Invalid request input.',
  401: 'Unauthorized.',
  403: 'Access denied.',
  404: 'Not found.',
  405: 'Method not allowed.',
  408: 'Request timed out.',
  409: 'Conflict.',
  412: 'Precondition failed.',
  500: 'Unexpected service error.',
  501: 'Not implemented.',
  502: 'Bad gateway.',
  503: 'The service is temporarily unavailable. Please retry later.',
  504: 'Gateway timeout.',
};

/** The error an injected status fault answers with. */
export function injectedError(status: number, retryAfterSeconds?: number): MockHttpError {
  if (status === 429) return throttleError(retryAfterSeconds ?? 1);
  return partnerCenterError({
    status,
    code: status >= 500 ? 800003 : status,
    description: `${statusDescriptions[status] ?? `HTTP ${status}.`} (injected by pc-mock)`,
    ...(retryAfterSeconds === undefined ? {} : { headers: { 'Retry-After': String(retryAfterSeconds) } }),
  });
}

/** The error an injected status fault answers with on the token endpoint, in Entra's shape. */
export function injectedEntraError(status: number, retryAfterSeconds?: number): MockHttpError {
  const transient = status === 429 || status >= 500;
  const code = transient ? 90033 : 900144;
  return new MockHttpError({
    status,
    body: {
      error: transient ? 'temporarily_unavailable' : 'invalid_request',
      error_description: `AADSTS${code}: ${transient ? 'A transient error has occurred. Please try again.' : 'Invalid request.'} (injected by pc-mock)`,
      error_codes: [code],
    },
    ...(retryAfterSeconds === undefined ? {} : { headers: { 'Retry-After': String(retryAfterSeconds) } }),
  });
}

/**
 * Keeps secrets out of messages, hooks and errors: only allow-listed query values and headers are
 * shown; everything else is replaced by `REDACTED`.
 */

/** Query parameters whose values are safe to show (lower case). */
const allowedQueryParameters = new Set([
  'filter',
  'groupby',
  'top',
  'skip',
  'processeddatetime',
  'aggregationlevel',
  'api-version',
  'size',
  'offset',
  'seekoperation',
]);

/** Headers whose values are safe to show (lower case). */
const allowedHeaders = new Set([
  'accept',
  'content-type',
  'content-length',
  'date',
  'ms-requestid',
  'ms-correlationid',
  'ms-cv',
  'ms-serverid',
  'x-locale',
  'ms-partnercenter-client',
  'ms-partnercenter-application',
  'user-agent',
  'retry-after',
  'retry-after-ms',
  'x-ms-retry-after-ms',
  'www-authenticate',
]);

const redacted = 'REDACTED';

/**
 * Returns the URL with the value of every query parameter not on the allow-list replaced by
 * `REDACTED`, and any user:password part removed. Unparseable input yields `[invalid URL]`.
 */
export function sanitizeUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : new URL(url.href);
  } catch {
    return '[invalid URL]';
  }
  parsed.username = '';
  parsed.password = '';
  const search = parsed.search;
  if (search.length <= 1) return parsed.href;
  const parts = search.slice(1).split('&');
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index] ?? '';
    const equals = part.indexOf('=');
    const rawName = equals === -1 ? part : part.slice(0, equals);
    let name: string;
    try {
      name = decodeURIComponent(rawName).toLowerCase();
    } catch {
      name = rawName.toLowerCase();
    }
    if (equals !== -1 && !allowedQueryParameters.has(name)) parts[index] = `${rawName}=${redacted}`;
  }
  parsed.search = `?${parts.join('&')}`;
  return parsed.href;
}

/** The path and query of a sanitized URL, for messages (`/partner/v1/...?top=10`). */
export function sanitizePath(url: URL): string {
  const sanitized = sanitizeUrl(url);
  const origin = url.origin;
  return sanitized.startsWith(origin) ? sanitized.slice(origin.length) : sanitized;
}

/** Returns a copy of `headers` with every header value not on the allow-list redacted. */
export function sanitizeHeaders(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const shown = allowedHeaders.has(name.toLowerCase());
    out[name] = shown ? (typeof value === 'string' ? value : value.join(', ')) : redacted;
  }
  return out;
}

/**
 * Removes each of `secrets` from `text` (a last line of defence for messages built from text a
 * server sent back, which could echo a credential).
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) out = out.split(secret).join(redacted);
  }
  return out;
}

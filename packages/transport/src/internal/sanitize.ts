import { redactText } from '../redaction.js';

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
 * Removes each of `secrets` from `text`, in every encoding (see `redactText` in `redaction.ts`):
 * a last line of defence for messages built from text a server sent back.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  return redactText(text, secrets);
}

/** C0 and C1 control characters, DEL, and the bidi overrides that can disguise text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const controlCharacters = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text a server sent, made safe to show: control characters (an error body could retitle or clear
 * a terminal with escape sequences) become `?` (tab and newline stay), and anything past
 * `maxLength` characters is cut with an ellipsis.
 */
export function cleanServerText(text: string, maxLength: number): string {
  const clean = text.replace(controlCharacters, '?');
  return clean.length > maxLength ? `${clean.slice(0, maxLength)}…` : clean;
}

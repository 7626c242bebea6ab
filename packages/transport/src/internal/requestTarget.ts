import { encodeQuery, type QueryParams } from '../encodeQuery.js';
import { PartnerCenterError, type PartnerCenterErrorCode } from '../errors.js';
import { sanitizeUrl } from './sanitize.js';

/** Where one call goes: the origin-relative path sent on the wire and the full URL. */
export interface RequestTarget {
  /** Path and query exactly as sent (`/partner/v1/...?top=10`). */
  readonly path: string;
  /** `origin + path`. */
  readonly href: string;
}

/** Characters undici accepts in a request path without re-encoding. */
const sendablePath = /^[\u0021-\u007e]*$/;

/**
 * Resolves `raw` (absolute or relative) against `relativeTo`, refuses any origin but `origin`
 * (with `foreignCode`), and keeps the caller's or server's text verbatim when it can be sent as
 * is; otherwise the WHATWG-normalized form is sent. `query` is appended, encoded once.
 */
export function resolveTarget(options: {
  readonly raw: string;
  readonly relativeTo: string | URL;
  readonly origin: string;
  readonly foreignCode: PartnerCenterErrorCode;
  readonly query?: QueryParams | undefined;
  readonly context?: string;
}): RequestTarget {
  const { raw, origin } = options;
  const context = options.context ?? '';
  // A protocol-relative link (`//host/...`) names a host of its own: refused before resolving,
  // even when it names ours (the server has no reason to send one; a token never follows it).
  if (/^\s*[\\/]{2}/.test(raw)) {
    throw new PartnerCenterError({
      code: options.foreignCode,
      message: `Refusing a protocol-relative URL (one that starts with //): only ${origin} receives the token${context}`,
    });
  }
  let url: URL;
  try {
    url = new URL(raw, options.relativeTo);
  } catch (error) {
    throw new PartnerCenterError({
      code: options.foreignCode === 'FOREIGN_NEXT_LINK' ? 'DECODE' : 'INVALID_REQUEST',
      message: `Not a valid URL: ${raw.slice(0, 200)}${context}`,
      cause: error,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PartnerCenterError({
      code: options.foreignCode,
      message: `Refusing a ${url.protocol} URL: only ${origin} receives the token${context}`,
    });
  }
  if (url.username !== '' || url.password !== '') {
    throw new PartnerCenterError({
      code: options.foreignCode,
      message: `Refusing a URL with user information (user:password@): only ${origin} receives the token, and only in the Authorization header${context}`,
      url: sanitizeUrl(url),
    });
  }
  if (url.origin !== origin) {
    throw new PartnerCenterError({
      code: options.foreignCode,
      message: `Refusing to send a request to ${url.origin}: only ${origin} (the base URL's origin) receives the token${context}`,
      url: sanitizeUrl(url),
    });
  }
  let path = verbatimPath(raw, url);
  if (options.query !== undefined && options.query.length > 0) {
    const separator = path.includes('?') ? (path.endsWith('?') || path.endsWith('&') ? '' : '&') : '?';
    path = `${path}${separator}${encodeQuery(options.query)}`;
  }
  return { path, href: `${origin}${path}` };
}

function verbatimPath(raw: string, url: URL): string {
  const hash = raw.indexOf('#');
  const text = hash === -1 ? raw : raw.slice(0, hash);
  let candidate: string | undefined;
  if (text.startsWith(url.origin)) {
    const rest = text.slice(url.origin.length);
    if (rest === '') candidate = '/';
    else if (rest.startsWith('/')) candidate = rest;
    else if (rest.startsWith('?')) candidate = `/${rest}`;
  } else if (text.startsWith('/') && !text.startsWith('//')) {
    candidate = text;
  }
  if (
    candidate !== undefined &&
    sendablePath.test(candidate) &&
    !candidate.includes('/..') &&
    !candidate.includes('/./')
  ) {
    return candidate;
  }
  return `${url.pathname}${url.search}`;
}

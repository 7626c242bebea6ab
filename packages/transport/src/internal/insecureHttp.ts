import { PartnerCenterError } from '../errors.js';

/**
 * Plain `http://` carries the bearer token, the client secret and the refresh token in clear. Like
 * the Azure SDK (which refuses bearer tokens over http), the transport refuses it unless the host
 * is this machine or the caller opted in with `allowInsecureHttp`.
 */

/** True for `localhost`, `*.localhost`, 127.0.0.0/8 and `::1`: traffic that never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  const v4 = host.startsWith('::ffff:') ? host.slice(7) : host;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * Throws `INVALID_REQUEST` for an `http:` URL to a host that is not loopback, unless `allow`.
 * `what` names the setting in the message (`baseUrl`, `authorityUrl`).
 */
export function refuseInsecureHttp(
  url: URL,
  options: { readonly allow: boolean; readonly what: string },
): void {
  if (url.protocol !== 'http:' || options.allow || isLoopbackHost(url.hostname)) return;
  throw new PartnerCenterError({
    code: 'INVALID_REQUEST',
    message: `${options.what} ${url.origin} uses plain http to a host that is not this machine: tokens and secrets would travel in clear. Use https, or opt in with allowInsecureHttp: true (pc: --allow-insecure-http or PC_ALLOW_INSECURE_HTTP=1)`,
  });
}

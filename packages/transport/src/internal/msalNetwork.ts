import type { INetworkModule, NetworkResponse } from '@azure/msal-node';
import type { Dispatcher } from 'undici';
import { PartnerCenterError } from '../errors.js';
import { chooseDispatcher } from './dispatcher.js';
import { classifyNetworkError } from './retryPolicy.js';
import { sanitizeUrl } from './sanitize.js';

/**
 * MSAL's HTTP client over undici, so that MSAL's requests take the same road as the transport's:
 * the proxy from the environment, the extra CA (`ca`, e.g. `pc-mock --tls`), the caller's
 * dispatcher, the abort signal and a timeout. Bodies that are not JSON become an empty object
 * (MSAL then reports the status), never a parse error that quotes the body.
 */
export function msalNetworkClient(options: {
  readonly dispatcher?: Dispatcher | undefined;
  readonly ca?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number | undefined;
}): INetworkModule & { close(): Promise<void> } {
  const { dispatcher, owned } = chooseDispatcher({
    dispatcher: options.dispatcher,
    connections: 2,
    ca: options.ca,
  });
  const send = async <T>(
    method: 'GET' | 'POST',
    url: string,
    init?: { headers?: Record<string, string>; body?: string },
  ): Promise<NetworkResponse<T>> => {
    const signals = [AbortSignal.timeout(options.timeoutMs ?? 60_000)];
    if (options.signal !== undefined) signals.push(options.signal);
    try {
      const response = await dispatcher.request({
        origin: new URL(url).origin,
        path: `${new URL(url).pathname}${new URL(url).search}`,
        method,
        ...(init?.headers !== undefined ? { headers: init.headers } : {}),
        ...(init?.body !== undefined ? { body: init.body } : {}),
        signal: AbortSignal.any(signals),
      });
      const text = await response.body.text();
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (typeof value === 'string') headers[name.toLowerCase()] = value;
        else if (Array.isArray(value)) headers[name.toLowerCase()] = value.join(', ');
      }
      let body: unknown = {};
      try {
        body = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        body = {};
      }
      return { status: response.statusCode, headers, body: body as T };
    } catch (error) {
      if (options.signal?.aborted) {
        throw new PartnerCenterError({
          code: 'ABORTED',
          message: `Sign-in request to ${sanitizeUrl(new URL(url))} was aborted`,
          cause: error,
        });
      }
      const network = classifyNetworkError(error, false);
      throw new PartnerCenterError({
        code: 'NETWORK',
        message: `Sign-in request to ${sanitizeUrl(new URL(url))} failed: ${network.reason} (${network.errorCode})`,
        retryable: network.retryable,
        url: sanitizeUrl(new URL(url)),
        cause: error,
      });
    }
  };
  return {
    sendGetRequestAsync: (url, init) => send('GET', url, init),
    sendPostRequestAsync: (url, init) => send('POST', url, init),
    close: () => (owned ? dispatcher.close() : Promise.resolve()),
  };
}

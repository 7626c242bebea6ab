import { rootCertificates } from 'node:tls';
import type { Dispatcher } from 'undici';
import { guardedProxyClientFactory } from './proxyGuard.js';
import { undici } from './undici.js';

/** How the transport reaches the network. */
export interface DispatcherChoice {
  readonly dispatcher: Dispatcher;
  /** True when the transport created it and must close it. */
  readonly owned: boolean;
}

/** True when one of the standard proxy variables is set (either case). */
export function proxyFromEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
}

/**
 * Picks the dispatcher: the caller's; a `ProxyAgent` for an explicit proxy URL; an
 * `EnvHttpProxyAgent` (HTTPS_PROXY / HTTP_PROXY / NO_PROXY) when the environment names a proxy and
 * `proxy` is not `false`; proxies get the CONNECT guard of `proxyGuard.ts`; otherwise a keep-alive `Agent` with `connections` sockets per origin.
 */
export function chooseDispatcher(options: {
  readonly dispatcher?: Dispatcher | undefined;
  readonly proxy?: string | false | undefined;
  readonly connections: number;
  /** Extra PEM certificates to trust besides Node's own (a private CA, the mock's `--tls`). */
  readonly ca?: string | undefined;
  /** The bound of one proxy CONNECT handshake. */
  readonly tunnelTimeoutMs?: number | undefined;
}): DispatcherChoice {
  if (options.dispatcher !== undefined) return { dispatcher: options.dispatcher, owned: false };
  const clientFactory = guardedProxyClientFactory(options.tunnelTimeoutMs);
  const { Agent, EnvHttpProxyAgent, ProxyAgent } = undici();
  const connections = options.connections;
  const tls = options.ca === undefined ? {} : { ca: [...rootCertificates, options.ca] };
  const trust = options.ca === undefined ? {} : { connect: tls, requestTls: tls };
  if (typeof options.proxy === 'string') {
    return {
      dispatcher: new ProxyAgent({ uri: options.proxy, connections, clientFactory, ...trust }),
      owned: true,
    };
  }
  if (options.proxy !== false && proxyFromEnvironment()) {
    return {
      dispatcher: new EnvHttpProxyAgent({ connections, clientFactory, ...trust }),
      owned: true,
    };
  }
  return {
    dispatcher: new Agent({
      connections,
      keepAliveTimeout: 30_000,
      ...(options.ca === undefined ? {} : { connect: tls }),
    }),
    owned: true,
  };
}

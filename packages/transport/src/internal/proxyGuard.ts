import type { Client, Dispatcher } from 'undici';
import { undici } from './undici.js';

/**
 * The guard against undici 7's proxy tunnel loop (nodejs/undici#3897, fixed in undici 8 by
 * nodejs/undici#5441, which needs Node >= 22.19): when a proxy accepts the CONNECT and then
 * closes, the tunnel fails with `UND_ERR_SOCKET`, which undici treats as recoverable; the request
 * stays queued and undici reconnects in a tight loop, ignoring every timeout and the abort
 * signal. A proxy that never answers the CONNECT holds the request for undici's 300 s default.
 *
 * `ProxyAgent`'s `clientFactory` lets us supply the client that talks to the proxy: this one
 * bounds each CONNECT by a timeout and reports any tunnel failure as {@link ProxyTunnelError}
 * (code `PC_PROXY_TUNNEL`), which undici fails the queued requests with instead of looping.
 * See decisions/0013-proxy-tunnel-guard.md.
 */

/** A CONNECT that failed: the proxy closed, refused or did not answer in time. */
export class ProxyTunnelError extends Error {
  override readonly name = 'ProxyTunnelError';
  /** Not `UND_ERR_SOCKET`: undici must fail the request, not reconnect. */
  readonly code = 'PC_PROXY_TUNNEL';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The default bound of one CONNECT handshake. */
export const defaultTunnelTimeoutMs = 30_000;

type GuardedProxyClientClass = new (
  url: string | URL,
  options: Client.Options,
  tunnelTimeoutMs: number,
) => Client;
let guardedProxyClient: GuardedProxyClientClass | undefined;

/**
 * The class of a `Client` to the proxy whose CONNECTs are bounded and never make undici loop;
 * defined on first use, since it extends undici's `Client` (undici loads lazily, `undici.ts`).
 */
function guardedProxyClientClass(): GuardedProxyClientClass {
  guardedProxyClient ??= defineGuardedProxyClient(undici().Client);
  return guardedProxyClient;
}

function defineGuardedProxyClient(Base: typeof Client): GuardedProxyClientClass {
  return class GuardedProxyClient extends Base {
    readonly #tunnelTimeoutMs: number;

    constructor(url: string | URL, options: Client.Options, tunnelTimeoutMs: number) {
      super(url, options);
      this.#tunnelTimeoutMs = tunnelTimeoutMs;
    }

    override connect(options: Client.Options & Dispatcher.ConnectOptions): Promise<Dispatcher.ConnectData>;
    override connect(
      options: Client.Options & Dispatcher.ConnectOptions,
      callback: (err: Error | null, data: Dispatcher.ConnectData) => void,
    ): void;
    override connect(
      options: Client.Options & Dispatcher.ConnectOptions,
      callback?: (err: Error | null, data: Dispatcher.ConnectData) => void,
    ): Promise<Dispatcher.ConnectData> | undefined {
      const attempt = this.#guardedConnect(options);
      if (callback === undefined) return attempt;
      attempt.then(
        (data) => callback(null, data),
        (error: Error) => callback(error, undefined as unknown as Dispatcher.ConnectData),
      );
      return undefined;
    }

    async #guardedConnect(options: Dispatcher.ConnectOptions): Promise<Dispatcher.ConnectData> {
      const controller = new AbortController();
      const timeoutMs = this.#tunnelTimeoutMs;
      const timer = setTimeout(
        () => controller.abort(new Error(`the proxy did not answer the CONNECT within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const outer = options.signal as AbortSignal | null | undefined;
      const onAbort = (): void => controller.abort(outer?.reason);
      outer?.addEventListener('abort', onAbort, { once: true });
      try {
        return await super.connect({ ...options, signal: controller.signal });
      } catch (error) {
        const reason = controller.signal.aborted
          ? messageOf(controller.signal.reason)
          : `the proxy closed or refused the tunnel (${messageOf(error)})`;
        throw new ProxyTunnelError(`proxy tunnel to ${String(options.path)} failed: ${reason}`, {
          cause: error,
        });
      } finally {
        clearTimeout(timer);
        outer?.removeEventListener('abort', onAbort);
      }
    }
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The `clientFactory` option of `ProxyAgent`/`EnvHttpProxyAgent` that installs the guard. */
export function guardedProxyClientFactory(
  tunnelTimeoutMs: number = defaultTunnelTimeoutMs,
): (origin: URL, options: object) => Dispatcher {
  return (origin, options) => {
    const GuardedProxyClient = guardedProxyClientClass();
    return new GuardedProxyClient(origin, options as Client.Options, tunnelTimeoutMs);
  };
}

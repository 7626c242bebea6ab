import type { AccessToken, GetTokenOptions } from '../tokenProvider.js';
import { raceWithSignal } from './abortableDelay.js';

/** How long to keep using a still-valid token after a failed early refresh, before trying again. */
const refreshRetryMs = 5_000;

/**
 * Caches one access token, refreshes it `refreshAheadMs` before expiry and shares one refresh
 * among all concurrent callers (single flight). A failed early refresh falls back to the cached
 * token while it is still valid.
 */
export class TokenCache {
  readonly #fetchToken: (request: { readonly forced: boolean }) => Promise<AccessToken>;
  readonly #refreshAheadMs: number;
  #current: AccessToken | undefined;
  #inflight: Promise<AccessToken> | undefined;
  #retryRefreshAfter = 0;

  /** `fetchToken` is told whether the refresh was forced (the server refused the cached token). */
  constructor(options: {
    fetchToken: (request: { readonly forced: boolean }) => Promise<AccessToken>;
    refreshAheadMs: number;
  }) {
    this.#fetchToken = options.fetchToken;
    this.#refreshAheadMs = options.refreshAheadMs;
  }

  /** Returns a cached or refreshed token. */
  get(options?: GetTokenOptions): Promise<AccessToken> {
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const current = this.#current;
    const now = Date.now();
    if (current !== undefined) {
      if (options?.forceRefresh) {
        if (options.staleToken !== undefined && options.staleToken !== current.token) {
          return Promise.resolve(current);
        }
      } else if (now < current.expiresAt - this.#refreshAheadMs) {
        return Promise.resolve(current);
      } else if (now < current.expiresAt && now < this.#retryRefreshAfter && this.#inflight === undefined) {
        return Promise.resolve(current);
      }
    }
    return raceWithSignal(this.#refresh(options?.forceRefresh === true), signal);
  }

  #refresh(forced: boolean): Promise<AccessToken> {
    if (this.#inflight !== undefined) return this.#inflight;
    const previous = this.#current;
    const inflight = this.#fetchToken({ forced }).then(
      (token) => {
        this.#current = token;
        this.#retryRefreshAfter = 0;
        return token;
      },
      (error: unknown) => {
        if (!forced && previous !== undefined && Date.now() < previous.expiresAt - 1_000) {
          this.#retryRefreshAfter = Date.now() + refreshRetryMs;
          return previous;
        }
        throw error;
      },
    );
    this.#inflight = inflight;
    const clear = (): void => {
      if (this.#inflight === inflight) this.#inflight = undefined;
    };
    inflight.then(clear, clear);
    return inflight;
  }
}

/**
 * The longest delay `setTimeout` honours (about 24.8 days); a longer one, `Infinity` included, would
 * fire after 1 ms. Every timer of this package is clamped to it.
 */
export const maxTimerMs = 2_147_483_647;

/**
 * Waits `ms` milliseconds (at most {@link maxTimerMs}), or rejects with `signal.reason` as soon as
 * `signal` aborts. The timer is cleared on abort, so nothing keeps the process alive.
 */
export function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  const delay = Math.min(ms, maxTimerMs);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delay);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Settles like `promise`, but rejects with `signal.reason` as soon as `signal` aborts. The
 * promise itself is not cancelled (it may be shared with other waiters).
 */
export function raceWithSignal<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

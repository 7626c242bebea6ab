/**
 * The throttle shared by every request of one transport to its origin: a 429 anywhere pauses them
 * all until its `Retry-After` has passed, so parallel requests stop retrying into a throttled
 * service one by one (each of which the service counts as another early retry).
 */
export class ThrottleGate {
  #pausedUntil = 0;
  #epoch = 0;

  /**
   * Grows each time a pause is set or extended. An attempt that saw one value when it was sent and
   * another when its 429 came back was throttled because of a pause it could not have known about.
   */
  get epoch(): number {
    return this.#epoch;
  }

  /** Milliseconds until the origin may be called again (0 when it is not paused). */
  remaining(now: number = Date.now()): number {
    return Math.max(0, this.#pausedUntil - now);
  }

  /** Pauses every request until `until` (epoch ms); a shorter pause never shortens a longer one. */
  pause(until: number): void {
    if (until <= this.#pausedUntil) return;
    this.#pausedUntil = until;
    this.#epoch += 1;
  }
}

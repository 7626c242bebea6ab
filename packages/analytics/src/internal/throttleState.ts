/**
 * Counts throttled retries the transport reported (429 / Retry-After waits). A read compares the
 * count with the one it started at: once the server has throttled, the read goes on one request at
 * a time, since more parallel requests would only be throttled too.
 */
export class ThrottleState {
  #events = 0;

  /** Throttled retries seen so far by this client. */
  get events(): number {
    return this.#events;
  }

  /** Records one throttled retry. */
  record(): void {
    this.#events += 1;
  }
}

/**
 * A token bucket on an injected clock: holds at most `capacity` tokens and gains `ratePerSecond`
 * a second. Used per peer for received frames and bytes; tests drive the clock by hand.
 */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    private readonly nowMs: () => number,
  ) {
    this.tokens = capacity;
    this.lastMs = nowMs();
  }

  /** Takes `amount` tokens if there are enough; false (and nothing taken) otherwise. */
  take(amount: number): boolean {
    const now = this.nowMs();
    // A clock that steps back must not mint tokens, nor freeze the bucket forever.
    if (now > this.lastMs) this.tokens = Math.min(this.capacity, this.tokens + ((now - this.lastMs) * this.ratePerSecond) / 1000);
    this.lastMs = now;
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }
}

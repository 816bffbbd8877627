import { XinlianError } from '@xinlian/protocol';

/**
 * The share of its thread's time that queries may take (contract evaluation, ADR 010): without a
 * bound a stream of them, each within its step limit, would take a core from block execution (on
 * the query worker, ADR 014) or from consensus (on the main thread when executionThreads is 0).
 * Time is measured, not steps: compiling a contract costs time that no step counts. The API may
 * read a clock; consensus and execution never do.
 */
export class QueryBudget {
  private windowStartMs = Number.NEGATIVE_INFINITY;
  private spentMs = 0;

  constructor(private readonly nowMs: () => number, readonly msPerSecondMax: number) {}

  /** Runs `query` if this second's share is not spent; UNAVAILABLE (503) otherwise. */
  run<T>(query: () => T): T {
    const start = this.nowMs();
    this.admit();
    try {
      return query();
    } finally {
      this.spend(this.nowMs() - start);
    }
  }

  /** Throws UNAVAILABLE (503, with retryAfterMs) when this second's share is spent. */
  admit(): void {
    const now = this.nowMs();
    if (now - this.windowStartMs >= 1000) {
      this.windowStartMs = now;
      this.spentMs = 0;
    }
    if (this.spentMs >= this.msPerSecondMax) {
      throw new XinlianError('UNAVAILABLE', `queries have used this node's ${this.msPerSecondMax} ms per second; retry shortly`, { retryAfterMs: Math.max(1, Math.ceil(this.windowStartMs + 1000 - now)) });
    }
  }

  /** Counts `ms` of query time against the current second's share. */
  spend(ms: number): void {
    this.spentMs += Math.max(0, ms);
  }
}

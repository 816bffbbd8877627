import { XinlianError } from '@xinlian/protocol';

/**
 * The share of the node's main thread that queries may take (contract evaluation, ADR 010): a
 * query runs synchronously between blocks, so without a bound a stream of them, each within its
 * step limit, could starve consensus. Time is measured, not steps: parsing a contract costs time
 * that no step counts. The API may read a clock; consensus and execution never do.
 */
export class QueryBudget {
  private windowStartMs = Number.NEGATIVE_INFINITY;
  private spentMs = 0;

  constructor(private readonly nowMs: () => number, readonly msPerSecondMax: number) {}

  /** Runs `query` if this second's share is not spent; UNAVAILABLE (503) otherwise. */
  run<T>(query: () => T): T {
    const start = this.nowMs();
    if (start - this.windowStartMs >= 1000) {
      this.windowStartMs = start;
      this.spentMs = 0;
    }
    if (this.spentMs >= this.msPerSecondMax) {
      throw new XinlianError('UNAVAILABLE', `queries have used this node's ${this.msPerSecondMax} ms per second; retry shortly`, { retryAfterMs: Math.max(1, Math.ceil(this.windowStartMs + 1000 - start)) });
    }
    try {
      return query();
    } finally {
      this.spentMs += Math.max(0, this.nowMs() - start);
    }
  }
}

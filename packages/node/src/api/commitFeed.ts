import { XinlianError } from '@xinlian/protocol';
import type { CommittedBlock } from '../ledger/ledger.js';
import { hexKey } from '../hexKey.js';

type Listener = (block: CommittedBlock) => void;

/**
 * Fans committed blocks out to tx waiters (submit-and-wait) and stream subscribers. Waiters are
 * bounded; each has a timeout from the injected timer functions.
 */
export class CommitFeed {
  private readonly waiters = new Map<string, Array<(height: number) => void>>();
  private waiterCount = 0;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly waitersMax: number) {}

  publish(block: CommittedBlock): void {
    for (const tx of block.txs) {
      const id = hexKey(tx.txId);
      const resolvers = this.waiters.get(id);
      if (resolvers === undefined) continue;
      this.waiters.delete(id);
      this.waiterCount -= resolvers.length;
      for (const resolve of resolvers) resolve(block.header.height);
    }
    for (const listener of this.listeners) listener(block);
  }

  /** Resolves with the commit height, or rejects with TIMEOUT. */
  waitFor(txIdHex: string, timeoutMs: number): Promise<number> {
    if (this.waiterCount >= this.waitersMax) {
      return Promise.reject(new XinlianError('UNAVAILABLE', `too many waiting clients (${this.waitersMax})`));
    }
    return new Promise((resolve, reject) => {
      const list = this.waiters.get(txIdHex) ?? [];
      const timer = setTimeout(() => {
        const current = this.waiters.get(txIdHex);
        if (current !== undefined) {
          const index = current.indexOf(done);
          if (index >= 0) {
            current.splice(index, 1);
            this.waiterCount -= 1;
          }
          if (current.length === 0) this.waiters.delete(txIdHex);
        }
        reject(new XinlianError('TIMEOUT', `tx ${txIdHex} not committed within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (height: number): void => {
        clearTimeout(timer);
        resolve(height);
      };
      list.push(done);
      this.waiters.set(txIdHex, list);
      this.waiterCount += 1;
    });
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }
}

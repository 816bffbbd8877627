import { type ChainParameters } from '@xinlian/protocol';
import type { CommitFeed } from './api/commitFeed.js';
import type { Ledger } from './ledger/ledger.js';
import type { Logger } from './log/logger.js';
import type { TxPool } from './mempool/txPool.js';
import type { BlockMetrics } from './metrics/nodeMetrics.js';
import { hexKey } from './hexKey.js';

export interface BlockProducerOptions {
  ledger: Ledger;
  pool: TxPool;
  feed: CommitFeed;
  /** The chain parameters in force (governance may change them). */
  parameters: () => ChainParameters;
  nowMs: () => number;
  logger: Logger;
  metrics: BlockMetrics;
  /** The time a block may take to execute; the rest of the pool waits for the next (ADR 014). */
  executionMsMax: number;
}

/**
 * Single-node mode: makes a block when txs are waiting, at most one per blockIntervalMs, each within
 * the block limits. Multi-validator consensus (issue 3) replaces this with the Tendermint driver.
 */
export class BlockProducer {
  private timer: NodeJS.Timeout | undefined;
  /** The block being made, if any: stop() waits for it, so that nothing writes after the store closes. */
  private producing: Promise<void> | undefined;
  private lastBlockAtMs = 0;
  private stopped = false;

  constructor(private readonly options: BlockProducerOptions) {}

  schedule(): void {
    if (this.stopped || this.timer !== undefined || this.options.pool.size === 0) return;
    const waitMs = Math.max(0, this.lastBlockAtMs + this.options.parameters().blockIntervalMs - this.options.nowMs());
    this.timer = setTimeout(() => {
      // Kept set while the block executes (off this thread): one block at a time.
      this.producing = this.produceOne().then(() => {
        this.producing = undefined;
        this.timer = undefined;
        this.schedule();
      });
    }, waitMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.producing;
  }

  private async produceOne(): Promise<void> {
    const { ledger, pool, feed, parameters, nowMs, logger, metrics } = this.options;
    const height = ledger.height + 1;
    const { blockTxsMax, blockBytesMax } = parameters();
    const candidates = pool.reap(blockTxsMax, blockBytesMax);
    // Txs whose expiry passed while waiting are dropped here, never included.
    const expired = candidates.filter((tx) => tx.body.expiryHeight < height);
    if (expired.length > 0) {
      pool.remove(expired.map((tx) => hexKey(tx.txId)));
      logger.info('dropped expired txs', { count: expired.length, height });
    }
    const txs = expired.length === 0 ? candidates : candidates.filter((tx) => tx.body.expiryHeight >= height);
    if (txs.length === 0) return;
    const startedMs = nowMs();
    const block = await ledger.produce(txs, startedMs, this.options.executionMsMax);
    this.lastBlockAtMs = nowMs();
    // Txs left out of the block (its contract step budget was spent) stay pending.
    pool.remove(block.txs.map((tx) => hexKey(tx.txId)));
    metrics.observe(block.header.height, block.txs.length, this.lastBlockAtMs - startedMs);
    logger.debug('block committed', { height: block.header.height, txs: block.txs.length, ms: this.lastBlockAtMs - startedMs });
    feed.publish(block);
  }
}

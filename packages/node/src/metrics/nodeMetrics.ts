import { MetricsRegistry, type Counter } from './metrics.js';
import type { Ledger } from '../ledger/ledger.js';
import type { TxPool } from '../mempool/txPool.js';
import type { CommitFeed } from '../api/commitFeed.js';

export interface BlockMetrics {
  observe(height: number, txCount: number, commitMs: number): void;
}

/** The node's metrics, with units as suffixes (Prometheus conventions). */
export function nodeMetrics(sources: { ledger: Ledger; pool: TxPool; feed: CommitFeed }): {
  registry: MetricsRegistry;
  requests: Counter;
  block: BlockMetrics;
} {
  const registry = new MetricsRegistry();
  registry.gauge('xinlian_chain_height', 'height of the latest committed block', () => sources.ledger.height);
  registry.gauge('xinlian_block_executions', 'blocks executed since start (built, validated or synced): one per height unless a round changes', () => sources.ledger.executions);
  registry.gauge('xinlian_mempool_txs', 'txs waiting for a block', () => sources.pool.size);
  registry.gauge('xinlian_mempool_bytes', 'bytes of txs waiting for a block', () => sources.pool.sizeBytes);
  registry.gauge('xinlian_event_streams', 'open event-stream subscribers', () => sources.feed.subscriberCount);
  const committedTxs = registry.counter('xinlian_committed_txs_total', 'txs committed in blocks');
  const blocks = registry.counter('xinlian_blocks_total', 'blocks committed');
  const commitSeconds = registry.histogram('xinlian_block_commit_seconds', 'time to execute and durably commit a block', [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]);
  const requests = registry.counter('xinlian_http_requests_total', 'HTTP requests by route and status');
  return {
    registry,
    requests,
    block: {
      observe(_height, txCount, commitMs) {
        blocks.inc();
        committedTxs.inc(txCount);
        commitSeconds.observe(commitMs / 1000);
      },
    },
  };
}

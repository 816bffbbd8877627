import type { Genesis, VerifySuite } from '@xinlian/protocol';
import type { Admission } from '../admission/admission.js';
import type { ChainStore } from '../ledger/chainStore.js';
import type { ProofBuilder } from '../ledger/proofBuilder.js';
import type { TxPool } from '../mempool/txPool.js';
import type { MetricsRegistry } from '../metrics/metrics.js';
import type { StateTree } from '../state/stateTree.js';
import type { CommitFeed } from './commitFeed.js';

/** What the API needs from the node; the composition root provides it. */
export interface NodeServices {
  genesis: Genesis;
  suite: VerifySuite;
  store: ChainStore;
  state: StateTree;
  pool: TxPool;
  admission: Admission;
  proofs: ProofBuilder;
  metrics: MetricsRegistry;
  feed: CommitFeed;
  height(): number;
  status(): Record<string, unknown>;
  members(): Record<string, unknown>;
  waitForTx(txId: Uint8Array, timeoutMs: number): Promise<number>;
  keyHistory(key: Uint8Array, limit: number): Array<Record<string, unknown>>;
  evidence(hash: Uint8Array): Record<string, unknown>;
  /** Stream subscribers are bounded too. */
  streamsMax: number;
}

import { toHex } from '@xinlian/protocol';
import type { ChainStore } from '../ledger/chainStore.js';
import type { TxPool } from '../mempool/txPool.js';
import type { Logger } from '../log/logger.js';
import type { Admission } from './admission.js';

/**
 * After a restart, acknowledged txs that were not yet in a block come back from the pending bucket.
 * They are re-checked (expiry may have passed; none can have been committed without the pending
 * entry being deleted in the same batch). Signatures were verified before they were persisted.
 */
export function restorePending(store: ChainStore, admission: Admission, pool: TxPool, logger: Logger): number {
  let restored = 0;
  const stale: Uint8Array[] = [];
  for (const raw of store.pendingTxs()) {
    try {
      const { tx } = admission.check(raw);
      pool.add(tx);
      restored += 1;
    } catch (error) {
      logger.warn('dropping a pending tx on restart', { error: (error as Error).message });
      stale.push(raw);
    }
  }
  if (stale.length > 0) {
    const ids = stale.map((raw) => admission.txIdOfRaw(raw)).filter((id): id is Uint8Array => id !== undefined);
    store.removePending(ids);
    logger.info('removed stale pending txs', { count: ids.length, ids: ids.slice(0, 10).map(toHex) });
  }
  return restored;
}

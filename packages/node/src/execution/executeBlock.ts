import { compareBytes, toHex, type TxResult } from '@xinlian/protocol';
import type { AdmittedTx, BlockContext, StateReader, StateWrite, TxHandler } from './application.js';

export interface KeyChange {
  key: Uint8Array;
  value: Uint8Array | undefined;
  txIndex: number;
  txId: Uint8Array;
}

export interface BlockExecution {
  results: TxResult[];
  /** Net writes of the block, one per key, sorted by key: what the state tree applies. */
  writes: StateWrite[];
  /** Every change in tx order, for the key history. */
  changes: KeyChange[];
}

/**
 * Executes a block's txs in order against `state` (as of the previous block). Pure and
 * deterministic: a failed tx writes nothing; an unknown tx type is a failed tx, not an exception.
 */
export function executeBlock(
  handlers: ReadonlyMap<string, TxHandler>,
  state: StateReader,
  txs: readonly AdmittedTx[],
  block: BlockContext,
): BlockExecution {
  const pending = new Map<string, StateWrite>();
  const view: StateReader = {
    get(key) {
      const write = pending.get(toHex(key));
      return write === undefined ? state.get(key) : write.value;
    },
  };
  const results: TxResult[] = [];
  const changes: KeyChange[] = [];
  txs.forEach((tx, txIndex) => {
    const handler = handlers.get(tx.body.type);
    if (handler === undefined) {
      results.push({ txId: tx.txId, code: 'TX_UNKNOWN_TYPE', message: `no handler for tx type "${tx.body.type}"`, events: [] });
      return;
    }
    if (tx.body.expiryHeight < block.height) {
      results.push({ txId: tx.txId, code: 'TX_EXPIRED', message: `expired at height ${tx.body.expiryHeight}`, events: [] });
      return;
    }
    const outcome = handler(tx, view, block);
    if (!outcome.ok) {
      results.push({ txId: tx.txId, code: outcome.code, message: outcome.message, events: [] });
      return;
    }
    for (const write of outcome.writes) {
      pending.set(toHex(write.key), write);
      changes.push({ key: write.key, value: write.value, txIndex, txId: tx.txId });
    }
    results.push({ txId: tx.txId, code: 'OK', message: '', events: outcome.events });
  });
  const writes = [...pending.values()].sort((a, b) => compareBytes(a.key, b.key));
  return { results, writes, changes };
}

import { toHex, type TxResult } from '@xinlian/protocol';
import type { AdmittedTx, BlockContext, StateReader, StateWrite, TxHandler } from './application.js';

/** One change of a key, with the tx that made it (for the state tree and the key history). */
export interface KeyChange extends StateWrite {
  txIndex: number;
  txId: Uint8Array;
}

export interface BlockExecution {
  results: TxResult[];
  /** Every change of every successful tx, in block order; for a key written twice the last wins. */
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
  const pending = new Map<string, Uint8Array | null>();
  const view: StateReader = {
    get(key) {
      const written = pending.get(toHex(key));
      if (written === undefined) return state.get(key);
      return written ?? undefined;
    },
  };
  const results: TxResult[] = [];
  const changes: KeyChange[] = [];
  txs.forEach((tx, txIndex) => {
    const fail = (code: string, message: string): void => {
      results.push({ txId: tx.txId, code, message, events: [] });
    };
    const handler = handlers.get(tx.body.type);
    if (handler === undefined) return fail('TX_UNKNOWN_TYPE', `no handler for tx type "${tx.body.type}"`);
    if (tx.body.expiryHeight < block.height) return fail('TX_EXPIRED', `expired at height ${tx.body.expiryHeight}`);
    const outcome = handler(tx, view, block);
    if (!outcome.ok) return fail(outcome.code, outcome.message);
    for (const write of outcome.writes) {
      pending.set(toHex(write.key), write.value);
      changes.push({ key: write.key, value: write.value, txIndex, txId: tx.txId });
    }
    results.push({ txId: tx.txId, code: 'OK', message: '', events: outcome.events });
  });
  return { results, changes };
}

import { assert, isSysKey, toHex, type Genesis, type TxResult } from '@xinlian/protocol';
import type { AdmittedTx, BlockContext, StateReader, StateWrite, TxHandler } from './application.js';
import { BlockView } from './blockView.js';
import { genesisWrites } from './governance/genesisWrites.js';
import { isSystemHandler } from './governance/governanceHandlers.js';
import { TxAccess } from './governance/txAccess.js';
import { rotationWrites } from './governance/validatorRotation.js';

/** One change of a key, with the tx that made it (for the state tree and the key history). */
export interface KeyChange extends StateWrite {
  txIndex: number;
  txId: Uint8Array;
}

/**
 * The txId of the changes a block makes before its first tx (genesis materialisation in block 1,
 * a validator set taking effect): empty, which no tx id is, with txIndex 0 because the key history
 * orders changes by an unsigned tx index and these come first. A tx 0 writing the same key in the
 * same block shares the history entry (the later write is kept), which the value index needs anyway.
 */
export const BLOCK_TX_ID = new Uint8Array(0);

export interface BlockExecution {
  results: TxResult[];
  /** Every change of the block and of every successful tx, in block order; for a key written twice the last wins. */
  changes: KeyChange[];
  /** How many of the txs were executed (all of them unless continueAt stopped the block). */
  executedTxs: number;
}

export interface ExecuteOptions {
  /**
   * The chain's genesis: block 1 writes it into sys/ before its txs (ADR 008). Without it nothing
   * is materialised and the consortium rules stay off (tests of applications alone).
   */
  genesis?: Genesis;
  /**
   * Asked before every tx after the first: false ends the block there (the txs from that index on
   * are left out). A proposer passes a time budget here (ADR 014): which txs a proposal holds is
   * the proposer's choice, and validators execute exactly the txs it holds, so this never makes
   * execution depend on a clock.
   */
  continueAt?: (txIndex: number) => boolean;
}

/**
 * Executes a block's txs in order against `state` (as of the previous block). Pure and
 * deterministic: a failed tx writes nothing; an unknown tx type is a failed tx, not an exception.
 * Before the txs: block 1 materialises genesis and an announced validator set whose height has come
 * takes effect. Before each handler: the consortium's access rules (TxAccess).
 */
export function executeBlock(
  handlers: ReadonlyMap<string, TxHandler>,
  state: StateReader,
  txs: readonly AdmittedTx[],
  block: BlockContext,
  options: ExecuteOptions = {},
): BlockExecution {
  const view = new BlockView(state);
  const results: TxResult[] = [];
  const changes: KeyChange[] = [];
  const record = (write: StateWrite, txIndex: number, txId: Uint8Array): void => {
    view.set(write.key, write.value);
    changes.push({ key: write.key, value: write.value, txIndex, txId });
  };
  if (block.height === 1 && options.genesis !== undefined) for (const write of genesisWrites(options.genesis)) record(write, 0, BLOCK_TX_ID);
  for (const write of rotationWrites(view, block.height)) record(write, 0, BLOCK_TX_ID);
  const access = new TxAccess(view, block);
  let executedTxs = 0;
  for (const [txIndex, tx] of txs.entries()) {
    if (txIndex > 0 && options.continueAt !== undefined && !options.continueAt(txIndex)) break;
    executedTxs++;
    executeTx(tx, txIndex);
  }
  return { results, changes, executedTxs };

  function executeTx(tx: AdmittedTx, txIndex: number): void {
    const fail = (code: string, message: string): void => {
      results.push({ txId: tx.txId, code, message, events: [] });
    };
    const handler = handlers.get(tx.body.type);
    if (handler === undefined) return fail('TX_UNKNOWN_TYPE', `no handler for tx type "${tx.body.type}"`);
    if (tx.body.expiryHeight < block.height) return fail('TX_EXPIRED', `expired at height ${tx.body.expiryHeight}`);
    const denied = access.check(tx);
    if (denied !== undefined) return fail(denied.code, denied.message);
    const outcome = handler(tx, view, block);
    if (!outcome.ok) return fail(outcome.code, outcome.message);
    const system = isSystemHandler(handler);
    for (const write of outcome.writes) {
      // Handlers are trusted code: one writing the consortium state is a bug, not a bad tx.
      if (!system && isSysKey(write.key)) assert(false, `handler of ${tx.body.type} wrote ${toHex(write.key.subarray(0, 64))}…: only governance may write sys/`);
      record(write, txIndex, tx.txId);
    }
    if (system) access.forget();
    results.push({ txId: tx.txId, code: 'OK', message: '', events: outcome.events });
  }
}

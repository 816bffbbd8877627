import { bytesEqual, XinlianError } from '@xinlian/protocol';
import type { AdmittedTx } from '../execution/application.js';
import { checkTx, type TxCheckDeps } from '../admission/checkTx.js';
import type { SignatureCheck } from '../admission/admission.js';
import { hexKey } from '../hexKey.js';

export interface BlockTxsContext {
  /** Height of the block's parent: txs must not have expired by the block's own height. */
  parentHeight: number;
  /** The proposed block's time: membership (certificate validity) is judged at it. */
  blockTimeMs: number;
  blockTxsMax: number;
  blockBytesMax: number;
  /**
   * The exact bytes of a tx this node already admitted (its pool), by tx id: a block tx with the
   * same bytes is not verified again. The bytes matter, not the id: the id covers the body only,
   * and a proposer must not get a copy with a different, invalid signature into a block.
   */
  admittedBytes?: (txIdHex: string) => Uint8Array | undefined;
}

/**
 * What a validator checks before it prevotes a proposed block (issue 3): every tx passes the same
 * checks as at admission, judged at the block's own height and time, signatures included, and no
 * tx appears twice. A proposer cannot slip in a tx the validators' own admission would refuse.
 * Throws TX_* errors naming the offending tx index; returns the txs ready for execution.
 */
export async function validateBlockTxs(
  txs: readonly Uint8Array[],
  deps: TxCheckDeps & { verifyBatch: (items: SignatureCheck[]) => Promise<boolean[]> },
  context: BlockTxsContext,
): Promise<AdmittedTx[]> {
  if (txs.length > context.blockTxsMax) {
    throw new XinlianError('BAD_REQUEST', `block holds ${txs.length} txs, more than blockTxsMax ${context.blockTxsMax}`);
  }
  const bytes = txs.reduce((sum, tx) => sum + tx.length, 0);
  if (bytes > context.blockBytesMax) {
    throw new XinlianError('BAD_REQUEST', `block holds ${bytes} tx bytes, more than blockBytesMax ${context.blockBytesMax}`);
  }
  const seen = new Set<string>();
  const known = new Set<number>();
  const admitted = context.admittedBytes ?? (() => undefined);
  const checked = txs.map((raw, index) => {
    try {
      const result = checkTx(raw, deps, { height: context.parentHeight, timeMs: context.blockTimeMs });
      const id = hexKey(result.tx.txId);
      if (seen.has(id)) throw new XinlianError('TX_REPLAYED', `tx ${id} appears twice in the block`);
      seen.add(id);
      const previously = admitted(id);
      if (previously !== undefined && bytesEqual(previously, raw)) known.add(index);
      return result;
    } catch (error) {
      if (error instanceof XinlianError) throw new XinlianError(error.code, `block tx ${index}: ${error.message}`, { index });
      throw error;
    }
  });
  // Only signatures this node has not verified before cost a verification (a proposal's txs are
  // mostly already in our pool, admitted and checked).
  const unknown = checked.map((c, index) => ({ c, index })).filter(({ index }) => !known.has(index));
  const valid = await deps.verifyBatch(unknown.map(({ c }) => ({ publicKey: c.tx.sender.publicKey, message: c.tx.txId, signature: c.signature })));
  const bad = valid.indexOf(false);
  if (bad >= 0) throw new XinlianError('TX_INVALID_SIGNATURE', `block tx ${unknown[bad]!.index}: signature does not verify`, { index: unknown[bad]!.index });
  return checked.map((c) => c.tx);
}

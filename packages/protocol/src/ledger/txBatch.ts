import { decodeAll } from '../codec/reader.js';
import { Writer } from '../codec/writer.js';
import { LIMITS } from '../limits.js';

/** Most txs in one submission (JSON or binary). */
export const TX_BATCH_MAX = 10_000;

/**
 * The binary batch body of POST /v1/txs/batch (content-type application/octet-stream):
 * list<bytes SignedTx>. Cheaper than JSON hex for both sides at high rates.
 */
export function encodeTxBatch(txs: readonly Uint8Array[]): Uint8Array {
  return new Writer().list(txs, (w, tx) => w.bytes(tx)).finish();
}

export function decodeTxBatch(bytes: Uint8Array): Uint8Array[] {
  return decodeAll(bytes, (r) => r.list(TX_BATCH_MAX, (x) => x.bytes(LIMITS.txBytesMax, 'tx'), 'txs'), 'tx batch');
}

import { XinlianError } from '@xinlian/protocol';
import type { AdmittedTx } from '../execution/application.js';
import { hexKey } from '../hexKey.js';

export interface TxPoolLimits {
  txsMax: number;
  bytesMax: number;
}

/**
 * The bounded pool of admitted txs waiting for a block, first come first served, deduplicated by tx
 * id. It holds only txs that passed the stateless checks; replay against committed txs is checked
 * by the caller (it needs the tx index).
 */
export class TxPool {
  private readonly txs = new Map<string, AdmittedTx>();
  private bytes = 0;

  constructor(private readonly limits: TxPoolLimits) {}

  get size(): number {
    return this.txs.size;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  has(txIdHex: string): boolean {
    return this.txs.has(txIdHex);
  }

  get(txIdHex: string): AdmittedTx | undefined {
    return this.txs.get(txIdHex);
  }

  /** Throws MEMPOOL_FULL when a bound would be exceeded; returns false for a duplicate. */
  add(tx: AdmittedTx): boolean {
    const id = hexKey(tx.txId);
    if (this.txs.has(id)) return false;
    if (this.txs.size >= this.limits.txsMax || this.bytes + tx.encoded.length > this.limits.bytesMax) {
      throw new XinlianError('MEMPOOL_FULL', `pool holds ${this.txs.size} txs / ${this.bytes} bytes; try again later`);
    }
    this.txs.set(id, tx);
    this.bytes += tx.encoded.length;
    return true;
  }

  /** The oldest txs that fit the block limits, without removing them. */
  reap(txsMax: number, bytesMax: number): AdmittedTx[] {
    const out: AdmittedTx[] = [];
    let bytes = 0;
    for (const tx of this.txs.values()) {
      if (out.length >= txsMax || bytes + tx.encoded.length > bytesMax) break;
      out.push(tx);
      bytes += tx.encoded.length;
    }
    return out;
  }

  remove(txIdHexes: Iterable<string>): void {
    for (const id of txIdHexes) {
      const tx = this.txs.get(id);
      if (tx === undefined) continue;
      this.txs.delete(id);
      this.bytes -= tx.encoded.length;
    }
  }
}

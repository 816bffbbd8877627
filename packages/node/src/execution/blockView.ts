import { compareBytes, mergeRange, toHex } from '@xinlian/protocol';
import { WriteSet } from './writeSet.js';

/**
 * The state as a block's txs see it: the previous block's state plus the writes of the block so
 * far. Range scans merge those writes in; key history stays that of committed blocks.
 */
export class BlockView extends WriteSet {
  range(start: Uint8Array, end: Uint8Array, limit: number): Array<[Uint8Array, Uint8Array]> {
    const own = [...this.pending.values()]
      .filter((w) => compareBytes(w.key, start) >= 0 && compareBytes(w.key, end) < 0)
      .map((w): [Uint8Array, Uint8Array | null] => [w.key, w.value]);
    return mergeRange(this.base.range?.(start, end, limit + own.length) ?? [], own, limit, compareBytes, toHex);
  }

  history(key: Uint8Array, beforeHeight: number, limit: number): Array<{ height: number; txId: Uint8Array; value: Uint8Array | null }> {
    return this.base.history?.(key, beforeHeight, limit) ?? [];
  }
}

import { compareBytes, toHex } from '@xinlian/protocol';
import { WriteSet } from './writeSet.js';

/**
 * The state as a block's txs see it: the previous block's state plus the writes of the block so
 * far. Range scans merge those writes in; key history stays that of committed blocks.
 */
export class BlockView extends WriteSet {
  range(start: Uint8Array, end: Uint8Array, limit: number): Array<[Uint8Array, Uint8Array]> {
    const own = [...this.pending.values()].filter((w) => compareBytes(w.key, start) >= 0 && compareBytes(w.key, end) < 0);
    // `limit + own` base entries leave `limit` after this block's deletions (see CallOverlay).
    const merged = new Map<string, [Uint8Array, Uint8Array | null]>();
    for (const [key, value] of this.base.range?.(start, end, limit + own.length) ?? []) merged.set(toHex(key), [key, value]);
    for (const write of own) merged.set(toHex(write.key), [write.key, write.value]);
    const entries: Array<[Uint8Array, Uint8Array]> = [];
    for (const [key, value] of merged.values()) if (value !== null) entries.push([key, value]);
    entries.sort((a, b) => compareBytes(a[0], b[0]));
    return entries.slice(0, limit);
  }

  history(key: Uint8Array, beforeHeight: number, limit: number): Array<{ height: number; txId: Uint8Array; value: Uint8Array | null }> {
    return this.base.history?.(key, beforeHeight, limit) ?? [];
  }
}

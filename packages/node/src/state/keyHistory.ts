import { assert } from '@xinlian/protocol';
import type { StorageOp, Store } from '../storage/store.js';
import { readU64, writeU64 } from './bigEndian.js';
import { STATE_BUCKETS } from './stateBuckets.js';

/** One change of a key: which block and transaction made it, and whether it deleted the key. */
export interface HistoryEntry {
  readonly height: number;
  readonly txIndex: number;
  readonly txId: Uint8Array;
  readonly deleted: boolean;
  /** The value written; undefined when the change deleted the key. */
  readonly value: Uint8Array | undefined;
}

export interface HistoryQuery {
  /** At most this many entries (default 100). */
  readonly limit?: number;
  /** Only changes in blocks below this height, for paging backwards. */
  readonly beforeHeight?: number;
}

export interface HistoryWrite {
  readonly value: Uint8Array | null;
  readonly txIndex: number;
  readonly txId: Uint8Array;
}

const DELETED = 1;
const HASH_BYTES = 32;
const KEY_BYTES = HASH_BYTES + 8 + 4;

/*
 * Key: keyHash || u64 height || u32 txIndex, so one key's changes are adjacent and in block order.
 * Value: u8 flags || u8 txId length || txId || the value written. Carrying the value makes this
 * also the versioned value index: the value of a key at any height is one backwards seek, with no
 * tree walk and no second index to write (a second per-key index cost as much as all tree nodes).
 * Two writes of one key by the same transaction share an entry; the later one is kept.
 */
function historyKey(keyHash: Uint8Array, height: number, txIndex: number): Uint8Array {
  const key = new Uint8Array(KEY_BYTES);
  key.set(keyHash, 0);
  writeU64(key, HASH_BYTES, height);
  new DataView(key.buffer).setUint32(HASH_BYTES + 8, txIndex);
  return key;
}

export function historyOps(height: number, writes: readonly HistoryWrite[], keyHashes: readonly Uint8Array[]): StorageOp[] {
  return writes.map((write, i) => {
    assert(Number.isInteger(write.txIndex) && write.txIndex >= 0 && write.txIndex <= 0xffffffff, 'bad txIndex');
    assert(write.txId.length <= 255, 'txId longer than 255 bytes');
    const valueLength = write.value === null ? 0 : write.value.length;
    const record = new Uint8Array(2 + write.txId.length + valueLength);
    record[0] = write.value === null ? DELETED : 0;
    record[1] = write.txId.length;
    record.set(write.txId, 2);
    if (write.value !== null) record.set(write.value, 2 + write.txId.length);
    return { type: 'put', bucket: STATE_BUCKETS.history, key: historyKey(keyHashes[i]!, height, write.txIndex), value: record };
  });
}

function entriesBefore(store: Store, keyHash: Uint8Array, beforeHeight: number | undefined, limit: number): ReturnType<Store['range']> {
  const upper = beforeHeight === undefined
    ? historyKey(keyHash, Number.MAX_SAFE_INTEGER, 0xffffffff)
    : historyKey(keyHash, beforeHeight, 0);
  return store.range(STATE_BUCKETS.history, { gte: historyKey(keyHash, 0, 0), lt: upper, reverse: true, limit });
}

export function readHistory(store: Store, keyHash: Uint8Array, query: HistoryQuery): HistoryEntry[] {
  return entriesBefore(store, keyHash, query.beforeHeight, query.limit ?? 100).map(({ key, value }) => ({
    height: readU64(key, HASH_BYTES),
    txIndex: new DataView(key.buffer, key.byteOffset).getUint32(HASH_BYTES + 8),
    txId: value.slice(2, 2 + value[1]!),
    deleted: value[0] === DELETED,
    value: value[0] === DELETED ? undefined : value.slice(2 + value[1]!),
  }));
}

/** The value after block `height` per the last change at or below it; undefined if none or deleted. */
export function readValueAt(store: Store, keyHash: Uint8Array, height: number): Uint8Array | undefined {
  const [last] = entriesBefore(store, keyHash, height + 1, 1);
  if (last === undefined || last.value[0] === DELETED) return undefined;
  return last.value.subarray(2 + last.value[1]!);
}

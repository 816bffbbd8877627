import { STATE_HASH_BYTES, assert } from '@xinlian/protocol';
import type { StorageOp, Store } from '../storage/store.js';
import { readU64, writeU64 } from './bigEndian.js';
import { STATE_BUCKETS } from './stateBuckets.js';

/** One change of a key: which block and transaction made it, and whether it deleted the key. */
export interface HistoryEntry {
  readonly height: number;
  readonly txIndex: number;
  readonly txId: Uint8Array;
  readonly deleted: boolean;
}

export interface HistoryQuery {
  /** At most this many entries (default 100). */
  readonly limit?: number;
  /** Only changes in blocks below this height, for paging backwards. */
  readonly beforeHeight?: number;
}

const DELETED = 1;
const KEY_BYTES = STATE_HASH_BYTES + 8 + 4;

// Key: keyHash || u64 height || u32 txIndex, so one key's entries are adjacent and ordered by time.
// Two writes of one key in the same transaction share an entry (the transaction changed it once).
function historyKey(keyHash: Uint8Array, height: number, txIndex: number): Uint8Array {
  const key = new Uint8Array(KEY_BYTES);
  key.set(keyHash, 0);
  writeU64(key, STATE_HASH_BYTES, height);
  new DataView(key.buffer).setUint32(STATE_HASH_BYTES + 8, txIndex);
  return key;
}

export function historyOps(
  height: number,
  writes: readonly { readonly value: Uint8Array | null; readonly txIndex: number; readonly txId: Uint8Array }[],
  keyHashes: readonly Uint8Array[],
): StorageOp[] {
  return writes.map((write, i) => {
    assert(Number.isInteger(write.txIndex) && write.txIndex >= 0 && write.txIndex <= 0xffffffff, 'bad txIndex');
    const value = new Uint8Array(1 + write.txId.length);
    value[0] = write.value === null ? DELETED : 0;
    value.set(write.txId, 1);
    return { type: 'put', bucket: STATE_BUCKETS.history, key: historyKey(keyHashes[i]!, height, write.txIndex), value };
  });
}

export function readHistory(store: Store, keyHash: Uint8Array, query: HistoryQuery): HistoryEntry[] {
  const upper = query.beforeHeight === undefined
    ? historyKey(keyHash, Number.MAX_SAFE_INTEGER, 0xffffffff)
    : historyKey(keyHash, query.beforeHeight, 0);
  const entries = store.range(STATE_BUCKETS.history, {
    gte: historyKey(keyHash, 0, 0),
    lt: upper,
    reverse: true,
    limit: query.limit ?? 100,
  });
  return entries.map(({ key, value }) => ({
    height: readU64(key, STATE_HASH_BYTES),
    txIndex: new DataView(key.buffer, key.byteOffset).getUint32(STATE_HASH_BYTES + 8),
    txId: value.slice(1),
    deleted: value[0] === DELETED,
  }));
}

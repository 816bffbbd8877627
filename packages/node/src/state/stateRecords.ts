import {
  STATE_HASH_BYTES, STATE_LEAF_PREFIX, STATE_NODE_PREFIX, assert, type StateHashFunction,
} from '@xinlian/protocol';

/** The buckets the state uses; open the Store with these (plus the caller's own). */
export const STATE_BUCKETS = {
  /** node hash -> node record (content-addressed, never rewritten, so every past root stays readable) */
  node: 'state.node',
  /** u64 height -> root after that height */
  root: 'state.root',
  /** key hash -> latest value, so reads at the tip cost one lookup instead of a walk */
  value: 'state.value',
  /** key hash || u64 height || u32 txIndex -> u8 flags || txId */
  history: 'state.history',
} as const;
export const STATE_BUCKET_NAMES: readonly string[] = Object.values(STATE_BUCKETS);

/**
 * Stored node records. An inner record is exactly its hash preimage (0x03 || left || right); a leaf
 * record is its preimage (0x02 || keyHash || valueHash) followed by the value itself.
 */
export type StoredNode =
  | { readonly kind: 'inner'; readonly left: Uint8Array; readonly right: Uint8Array }
  | { readonly kind: 'leaf'; readonly keyHash: Uint8Array; readonly valueHash: Uint8Array; readonly value: Uint8Array };

const H = STATE_HASH_BYTES;
const PREIMAGE_BYTES = 1 + 2 * H;

export function decodeStoredNode(record: Uint8Array): StoredNode {
  assert(record.length >= PREIMAGE_BYTES, 'state node record too short');
  if (record[0] === STATE_NODE_PREFIX) {
    assert(record.length === PREIMAGE_BYTES, 'state inner node record has trailing bytes');
    return { kind: 'inner', left: record.subarray(1, 1 + H), right: record.subarray(1 + H) };
  }
  assert(record[0] === STATE_LEAF_PREFIX, 'unknown state node record');
  return {
    kind: 'leaf',
    keyHash: record.subarray(1, 1 + H),
    valueHash: record.subarray(1 + H, PREIMAGE_BYTES),
    value: record.subarray(PREIMAGE_BYTES),
  };
}

/**
 * Builds node and leaf records and hashes them from the record itself, so each hash costs one call
 * of the suite's hash and one allocation.
 */
export class NodeHasher {
  constructor(private readonly hash: StateHashFunction) {}

  inner(left: Uint8Array, right: Uint8Array): { hash: Uint8Array; record: Uint8Array } {
    const record = new Uint8Array(PREIMAGE_BYTES);
    record[0] = STATE_NODE_PREFIX;
    record.set(left, 1);
    record.set(right, 1 + H);
    return { hash: this.hash(record), record };
  }

  leaf(keyHash: Uint8Array, value: Uint8Array): { hash: Uint8Array; record: Uint8Array } {
    const record = new Uint8Array(PREIMAGE_BYTES + value.length);
    record[0] = STATE_LEAF_PREFIX;
    record.set(keyHash, 1);
    record.set(this.hash(value), 1 + H);
    record.set(value, PREIMAGE_BYTES);
    return { hash: this.hash(record.subarray(0, PREIMAGE_BYTES)), record };
  }

  key(key: Uint8Array): Uint8Array {
    return this.hash(key);
  }
}

export function heightKey(height: number): Uint8Array {
  const out = new Uint8Array(8);
  writeU64(out, 0, height);
  return out;
}

export function readHeightKey(key: Uint8Array): number {
  return readU64(key, 0);
}

export function writeU64(out: Uint8Array, offset: number, value: number): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(offset, Math.floor(value / 0x100000000));
  view.setUint32(offset + 4, value >>> 0);
}

export function readU64(bytes: Uint8Array, offset: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(offset) * 0x100000000 + view.getUint32(offset + 4);
}

import {
  STATE_HASH_BYTES, STATE_LEAF_PREFIX, STATE_NODE_PREFIX, assert, type StateHashFunction,
} from '@xinlian/protocol';

/** The buckets the state uses; open the Store with these (plus the caller's own). */
export const STATE_BUCKETS = {
  /** node location (u64 height || u32 sequence) -> node record; never rewritten */
  node: 'state.node',
  /** u64 height -> root hash || root location */
  root: 'state.root',
  /** key hash || u64 height || u32 txIndex -> u8 flags || txId */
  history: 'state.history',
} as const;
export const STATE_BUCKET_NAMES: readonly string[] = Object.values(STATE_BUCKETS);

/**
 * Where a node is stored: the height that created it and a sequence number within that block
 * (from 1; all zeros means "no node", the location of an empty subtree). Nodes are found by
 * location rather than by hash because locations grow with height, so LMDB appends each block's
 * nodes at the end of its B-tree; hash keys scatter them over the whole file, which measured ten
 * times slower (docs/adr/002-state-tree.md). Hashes still link the tree; locations only find it.
 */
export const LOCATION_BYTES = 12;
export const NO_LOCATION: Uint8Array = new Uint8Array(LOCATION_BYTES);

export function location(height: number, sequence: number): Uint8Array {
  const out = new Uint8Array(LOCATION_BYTES);
  writeU64(out, 0, height);
  new DataView(out.buffer).setUint32(8, sequence);
  return out;
}

/**
 * Stored node records. Both start with the node's hash preimage (65 bytes): an inner record is
 * 0x03 || leftHash || rightHash || leftLocation || rightLocation; a leaf record is
 * 0x02 || keyHash || valueHash || value.
 */
export type StoredNode =
  | {
    readonly kind: 'inner';
    readonly left: Uint8Array; readonly right: Uint8Array;
    readonly leftAt: Uint8Array; readonly rightAt: Uint8Array;
  }
  | { readonly kind: 'leaf'; readonly keyHash: Uint8Array; readonly valueHash: Uint8Array; readonly value: Uint8Array };

const H = STATE_HASH_BYTES;
const PREIMAGE_BYTES = 1 + 2 * H;
const INNER_BYTES = PREIMAGE_BYTES + 2 * LOCATION_BYTES;

export function decodeStoredNode(record: Uint8Array): StoredNode {
  if (record[0] === STATE_NODE_PREFIX) {
    assert(record.length === INNER_BYTES, 'state inner node record has the wrong length');
    return {
      kind: 'inner',
      left: record.subarray(1, 1 + H),
      right: record.subarray(1 + H, PREIMAGE_BYTES),
      leftAt: record.subarray(PREIMAGE_BYTES, PREIMAGE_BYTES + LOCATION_BYTES),
      rightAt: record.subarray(PREIMAGE_BYTES + LOCATION_BYTES),
    };
  }
  assert(record[0] === STATE_LEAF_PREFIX && record.length >= PREIMAGE_BYTES, 'unknown state node record');
  return {
    kind: 'leaf',
    keyHash: record.subarray(1, 1 + H),
    valueHash: record.subarray(1 + H, PREIMAGE_BYTES),
    value: record.subarray(PREIMAGE_BYTES),
  };
}

/** Builds node and leaf records and hashes their preimage prefix: one hash call, one allocation. */
export class NodeHasher {
  constructor(private readonly hash: StateHashFunction) {}

  inner(left: Uint8Array, right: Uint8Array, leftAt: Uint8Array, rightAt: Uint8Array): { hash: Uint8Array; record: Uint8Array } {
    const record = new Uint8Array(INNER_BYTES);
    record[0] = STATE_NODE_PREFIX;
    record.set(left, 1);
    record.set(right, 1 + H);
    record.set(leftAt, PREIMAGE_BYTES);
    record.set(rightAt, PREIMAGE_BYTES + LOCATION_BYTES);
    return { hash: this.hash(record.subarray(0, PREIMAGE_BYTES)), record };
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

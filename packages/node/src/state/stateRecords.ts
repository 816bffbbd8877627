import { STATE_HASH_BYTES, STATE_LEAF_PREFIX, STATE_NODE_PREFIX, assert } from '@xinlian/protocol';
import { INNER_RECORD_BYTES, LOCATION_BYTES, PREIMAGE_BYTES } from './nodeChunks.js';

/**
 * Stored node records. Both start with the node's hash preimage (65 bytes): an inner record is
 * 0x03 || leftHash || rightHash || leftLocation || rightLocation; a leaf record is
 * 0x02 || keyHash || valueHash || u32 length || value. Hashes link the tree; locations (see
 * nodeChunks.ts) only say where a child is stored, and are not hashed.
 */
export type StoredNode =
  | {
    readonly kind: 'inner';
    readonly left: Uint8Array; readonly right: Uint8Array;
    readonly leftAt: Uint8Array; readonly rightAt: Uint8Array;
  }
  | { readonly kind: 'leaf'; readonly keyHash: Uint8Array; readonly valueHash: Uint8Array; readonly value: Uint8Array };

const H = STATE_HASH_BYTES;

/** Decodes the record at `offset` of a chunk (a whole record when offset is 0 and it is alone). */
export function decodeStoredNode(chunk: Uint8Array, offset = 0): StoredNode {
  const record = chunk.subarray(offset);
  if (record[0] === STATE_NODE_PREFIX) {
    assert(record.length >= INNER_RECORD_BYTES, 'state inner node record truncated');
    return {
      kind: 'inner',
      left: record.subarray(1, 1 + H),
      right: record.subarray(1 + H, PREIMAGE_BYTES),
      leftAt: record.subarray(PREIMAGE_BYTES, PREIMAGE_BYTES + LOCATION_BYTES),
      rightAt: record.subarray(PREIMAGE_BYTES + LOCATION_BYTES, INNER_RECORD_BYTES),
    };
  }
  assert(record[0] === STATE_LEAF_PREFIX && record.length >= PREIMAGE_BYTES + 4, 'unknown state node record');
  const length = ((record[PREIMAGE_BYTES]! << 24) >>> 0) + (record[PREIMAGE_BYTES + 1]! << 16) + (record[PREIMAGE_BYTES + 2]! << 8) + record[PREIMAGE_BYTES + 3]!;
  assert(record.length >= PREIMAGE_BYTES + 4 + length, 'state leaf record truncated');
  return {
    kind: 'leaf',
    keyHash: record.subarray(1, 1 + H),
    valueHash: record.subarray(1 + H, PREIMAGE_BYTES),
    value: record.subarray(PREIMAGE_BYTES + 4, PREIMAGE_BYTES + 4 + length),
  };
}

/** Length of the record that starts at `offset` of a chunk. */
export function storedNodeLength(chunk: Uint8Array, offset: number): number {
  if (chunk[offset] === STATE_NODE_PREFIX) return INNER_RECORD_BYTES;
  assert(chunk[offset] === STATE_LEAF_PREFIX && chunk.length >= offset + PREIMAGE_BYTES + 4, 'unknown state node record');
  const at = offset + PREIMAGE_BYTES;
  return PREIMAGE_BYTES + 4 + ((chunk[at]! << 24) >>> 0) + (chunk[at + 1]! << 16) + (chunk[at + 2]! << 8) + chunk[at + 3]!;
}

/**
 * Hashing rules of the state tree (docs/spec/state.md, docs/adr/002-state-tree.md): a binary sparse
 * Merkle tree over the 256-bit path H(key), with shortcut leaves and a constant for empty subtrees.
 *
 * Prefixes 0x02 (leaf) and 0x03 (inner node) are distinct from each other, so a leaf can never pass
 * for a node, and from RFC 6962's 0x00/0x01 used by the tx and result trees, so no state hash can
 * pass for a tx-tree hash either.
 */
import { concatBytes } from '../bytes.js';

export const STATE_LEAF_PREFIX = 0x02;
export const STATE_NODE_PREFIX = 0x03;
/** Both suites hash to 32 bytes; paths therefore have 256 bits. */
export const STATE_HASH_BYTES = 32;
export const STATE_PATH_BITS = STATE_HASH_BYTES * 8;
/** The hash of an empty subtree (and the root of an empty state): 32 zero bytes, never stored. */
export const STATE_EMPTY_HASH: Uint8Array = new Uint8Array(STATE_HASH_BYTES);

export type StateHashFunction = (data: Uint8Array) => Uint8Array;

/** The key's path in the tree. */
export function stateKeyHash(hash: StateHashFunction, key: Uint8Array): Uint8Array {
  return hash(key);
}

export function stateValueHash(hash: StateHashFunction, value: Uint8Array): Uint8Array {
  return hash(value);
}

/** H(0x02 || keyHash || valueHash). The depth is not hashed, so a leaf can move up or down. */
export function stateLeafHash(hash: StateHashFunction, keyHash: Uint8Array, valueHash: Uint8Array): Uint8Array {
  return hash(concatBytes(Uint8Array.of(STATE_LEAF_PREFIX), keyHash, valueHash));
}

/** H(0x03 || left || right); either side may be STATE_EMPTY_HASH but never both. */
export function stateNodeHash(hash: StateHashFunction, left: Uint8Array, right: Uint8Array): Uint8Array {
  return hash(concatBytes(Uint8Array.of(STATE_NODE_PREFIX), left, right));
}

/** Bit `depth` of the path, most significant bit of byte 0 first: 0 goes left, 1 goes right. */
export function statePathBit(path: Uint8Array, depth: number): number {
  return (path[depth >> 3]! >> (7 - (depth & 7))) & 1;
}

export function isStateEmptyHash(value: Uint8Array): boolean {
  for (const byte of value) if (byte !== 0) return false;
  return value.length === STATE_HASH_BYTES;
}

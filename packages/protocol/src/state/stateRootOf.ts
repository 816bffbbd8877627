import { compareBytes } from '../bytes.js';
import {
  STATE_EMPTY_HASH, type StateHashFunction,
  stateKeyHash, stateLeafHash, stateNodeHash, stateValueHash, statePathBit,
} from './stateHash.js';

/**
 * The state root of a whole key-value set, computed from scratch: the reference definition of the
 * tree (docs/spec/state.md). The node maintains the same root incrementally; tests compare the two.
 * Keys must be distinct. Cost O(n log n) hashes; meant for specs, tests and small sets.
 */
export function stateRootOf(
  hash: StateHashFunction,
  entries: readonly { readonly key: Uint8Array; readonly value: Uint8Array }[],
): Uint8Array {
  const leaves = entries
    .map(({ key, value }) => {
      const keyHash = stateKeyHash(hash, key);
      return { keyHash, leafHash: stateLeafHash(hash, keyHash, stateValueHash(hash, value)) };
    })
    .sort((a, b) => compareBytes(a.keyHash, b.keyHash));
  return subtreeHash(hash, leaves, 0);
}

function subtreeHash(
  hash: StateHashFunction,
  leaves: readonly { readonly keyHash: Uint8Array; readonly leafHash: Uint8Array }[],
  depth: number,
): Uint8Array {
  if (leaves.length === 0) return STATE_EMPTY_HASH;
  if (leaves.length === 1) return leaves[0]!.leafHash;
  if (depth >= 256) throw new RangeError('duplicate key in stateRootOf');
  const split = leaves.findIndex((leaf) => statePathBit(leaf.keyHash, depth) === 1);
  const cut = split < 0 ? leaves.length : split;
  return stateNodeHash(hash, subtreeHash(hash, leaves.slice(0, cut), depth + 1), subtreeHash(hash, leaves.slice(cut), depth + 1));
}

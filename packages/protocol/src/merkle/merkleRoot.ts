import { assert } from '../assert.js';
import { emptyTreeRoot, leafHash, nodeHash, type HashFunction } from './leafHash.js';

/** MTH(D[n]) of RFC 6962 §2.1 over raw leaf data; each leaf is hashed as HASH(0x00 || leaf). */
export function merkleRoot(hash: HashFunction, leaves: readonly Uint8Array[]): Uint8Array {
  return merkleRootFromLeafHashes(hash, leaves.map((leaf) => leafHash(hash, leaf)));
}

/**
 * MTH from precomputed leaf hashes (already HASH(0x00 || leaf)).
 *
 * Bottom-up: pair neighbours level by level, carrying an unpaired last node up unchanged. This gives
 * exactly the RFC's recursive split at the largest power of two below n (its left subtrees are
 * always complete), in n-1 hashes, one scratch array and no recursion.
 */
export function merkleRootFromLeafHashes(hash: HashFunction, leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return emptyTreeRoot(hash);
  const level = leafHashes.slice();
  let width = level.length;
  while (width > 1) {
    let next = 0;
    for (let i = 0; i < width; i += 2) {
      level[next++] = i + 1 < width ? nodeHash(hash, level[i]!, level[i + 1]!) : level[i]!;
    }
    width = next;
  }
  const root = level[0];
  assert(root !== undefined, 'merkle root of a non-empty tree');
  // With one leaf the root is the caller's own array; copy so that later mutation can't alias.
  return leafHashes.length === 1 ? root.slice() : root;
}

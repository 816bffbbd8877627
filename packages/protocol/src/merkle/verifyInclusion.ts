import { bytesEqual } from '../bytes.js';
import { emptyTreeRoot, nodeHash, type HashFunction } from './leafHash.js';
import { half, isOdd, isTreeIndex } from './treeMath.js';

/**
 * The root that `path` leads to from `leafHash` at `index` in a tree of `treeSize` leaves, by the
 * iterative algorithm of RFC 9162 §2.1.3.2; undefined when the path cannot be a valid one (index out
 * of range, too short, too long, or elements that are not digests).
 *
 * The tree size is not bound into the hashes: one path can be valid for several sizes of the same
 * shape. Callers take treeSize from signed data (the header's txCount), never from the prover.
 */
export function rootFromInclusionProof(
  hash: HashFunction,
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  path: readonly Uint8Array[],
): Uint8Array | undefined {
  if (!isTreeIndex(index) || !isTreeIndex(treeSize) || index >= treeSize) return undefined;
  const digestBytes = emptyTreeRoot(hash).length;
  if (leafHash.length !== digestBytes) return undefined;
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of path) {
    // sn reaching 0 means we are at the root already: any further element is garbage.
    if (sn === 0 || p.length !== digestBytes) return undefined;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(hash, p, r);
      // A right-edge node with no right sibling is carried up: skip those levels.
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(hash, r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : undefined;
}

/** RFC 9162 §2.1.3.2: true only when `path` proves `leafHash` at `index` under `root`. */
export function verifyInclusion(
  hash: HashFunction,
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const computed = rootFromInclusionProof(hash, leafHash, index, treeSize, path);
  return computed !== undefined && bytesEqual(computed, root);
}

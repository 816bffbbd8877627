import { bytesEqual } from '../bytes.js';
import { emptyTreeRoot, nodeHash, type HashFunction } from './leafHash.js';
import { half, isOdd, isPowerOfTwo, isTreeIndex } from './treeMath.js';

/**
 * RFC 9162 §2.1.4.2: true only when `path` proves that the tree of `firstSize` leaves with root
 * `firstRoot` is a prefix of the tree of `secondSize` leaves with root `secondRoot`.
 *
 * The RFC covers 0 < first < second. The edges are strict rather than "anything goes": equal sizes
 * need an empty path and equal roots; first = 0 needs an empty path and firstRoot = the empty-tree
 * root. As with inclusion, the sizes are not bound into the hashes: take them from signed data.
 */
export function verifyConsistency(
  hash: HashFunction,
  firstSize: number,
  secondSize: number,
  path: readonly Uint8Array[],
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
): boolean {
  if (!isTreeIndex(firstSize) || !isTreeIndex(secondSize) || firstSize > secondSize) return false;
  const empty = emptyTreeRoot(hash);
  const digestBytes = empty.length;
  if (firstRoot.length !== digestBytes || secondRoot.length !== digestBytes) return false;
  if (path.some((node) => node.length !== digestBytes)) return false;
  if (firstSize === secondSize) return path.length === 0 && bytesEqual(firstRoot, secondRoot);
  if (firstSize === 0) return path.length === 0 && bytesEqual(firstRoot, empty);
  if (path.length === 0) return false;

  // When the old tree is a complete subtree its root is not sent: it starts the path.
  const nodes = isPowerOfTwo(firstSize) ? [firstRoot, ...path] : path;
  let fn = firstSize - 1;
  let sn = secondSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = nodes[0]!;
  let sr = fr;
  for (let i = 1; i < nodes.length; i++) {
    const c = nodes[i]!;
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(hash, c, fr);
      sr = nodeHash(hash, c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(hash, sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(fr, firstRoot) && bytesEqual(sr, secondRoot);
}

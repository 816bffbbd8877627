// The RFC 6962 §2.1 definitions written as literally as possible (recursive, slicing), to check the
// iterative implementation against. Fine for the small trees of property tests only.
import { leafHash, nodeHash, type HashFunction } from '../../src/index.js';

function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function referenceRoot(hash: HashFunction, leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return hash(new Uint8Array(0));
  if (leaves.length === 1) return leafHash(hash, leaves[0]!);
  const k = splitPoint(leaves.length);
  return nodeHash(hash, referenceRoot(hash, leaves.slice(0, k)), referenceRoot(hash, leaves.slice(k)));
}

/** PATH(m, D[n]). */
export function referencePath(hash: HashFunction, m: number, leaves: Uint8Array[]): Uint8Array[] {
  if (leaves.length <= 1) return [];
  const k = splitPoint(leaves.length);
  return m < k
    ? [...referencePath(hash, m, leaves.slice(0, k)), referenceRoot(hash, leaves.slice(k))]
    : [...referencePath(hash, m - k, leaves.slice(k)), referenceRoot(hash, leaves.slice(0, k))];
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true) of RFC 9162 §2.1.4.1. */
export function referenceConsistency(hash: HashFunction, m: number, leaves: Uint8Array[]): Uint8Array[] {
  if (m === 0 || m === leaves.length) return [];
  const subproof = (m: number, d: Uint8Array[], b: boolean): Uint8Array[] => {
    if (m === d.length) return b ? [] : [referenceRoot(hash, d)];
    const k = splitPoint(d.length);
    return m <= k
      ? [...subproof(m, d.slice(0, k), b), referenceRoot(hash, d.slice(k))]
      : [...subproof(m - k, d.slice(k), false), referenceRoot(hash, d.slice(0, k))];
  };
  return subproof(m, leaves, true);
}

/** Which side each path element sits on, leaf first: the only thing treeSize contributes. */
export function pathShape(m: number, n: number): string {
  if (n <= 1) return '';
  const k = splitPoint(n);
  return m < k ? pathShape(m, k) + 'R' : pathShape(m - k, n - k) + 'L';
}

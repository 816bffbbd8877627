import { assert } from '../assert.js';
import { XinlianError } from '../errors.js';
import { emptyTreeRoot, leafHash, nodeHash, type HashFunction } from './leafHash.js';
import { ceilLog2, half, isOdd, isTreeIndex, largestPowerOfTwoBelow } from './treeMath.js';

/**
 * An RFC 6962 tree kept in memory with every level, so that one build (n-1 hashes) serves any
 * number of inclusion and consistency proofs (a block's txRoot and a proof for each of its txs).
 *
 * Level l holds the nodes over leaves [j*2^l, min((j+1)*2^l, n)); an unpaired last node is carried
 * up unchanged, which reproduces the RFC's left-complete split (see merkleRootFromLeafHashes).
 */
export class MerkleTree {
  private constructor(
    private readonly hash: HashFunction,
    private readonly levels: readonly (readonly Uint8Array[])[],
  ) {}

  static fromLeaves(hash: HashFunction, leaves: readonly Uint8Array[]): MerkleTree {
    return MerkleTree.fromLeafHashes(hash, leaves.map((leaf) => leafHash(hash, leaf)));
  }

  /** Leaf hashes must already be HASH(0x00 || leaf). */
  static fromLeafHashes(hash: HashFunction, leafHashes: readonly Uint8Array[]): MerkleTree {
    const levels: Uint8Array[][] = [leafHashes.map((leaf) => leaf.slice())];
    let below = levels[0]!;
    while (below.length > 1) {
      const level: Uint8Array[] = [];
      for (let i = 0; i < below.length; i += 2) {
        level.push(i + 1 < below.length ? nodeHash(hash, below[i]!, below[i + 1]!) : below[i]!);
      }
      levels.push(level);
      below = level;
    }
    return new MerkleTree(hash, levels);
  }

  get size(): number {
    return this.levels[0]!.length;
  }

  root(): Uint8Array {
    if (this.size === 0) return emptyTreeRoot(this.hash);
    return this.levels[this.levels.length - 1]![0]!.slice();
  }

  /** PATH(index, D[n]) of RFC 6962 §2.1.1 (RFC 9162 §2.1.3.1), leaf side first. */
  inclusionProof(index: number): Uint8Array[] {
    if (!isTreeIndex(index) || index >= this.size) {
      throw new XinlianError('BAD_REQUEST', `leaf index ${index} outside a tree of ${this.size}`, {
        index,
        treeSize: this.size,
      });
    }
    const path: Uint8Array[] = [];
    let position = index;
    for (let l = 0; l + 1 < this.levels.length; l++) {
      const level = this.levels[l]!;
      // No sibling means this node is carried up: the RFC path has no entry for that level.
      const sibling = isOdd(position) ? level[position - 1] : level[position + 1];
      if (sibling !== undefined) path.push(sibling.slice());
      position = half(position);
    }
    return path;
  }

  /**
   * PROOF(oldSize, D[n]) of RFC 9162 §2.1.4.1: proves that the tree of the first `oldSize` leaves
   * is a prefix of this one. Empty when oldSize is 0 or n (nothing to prove beyond the roots).
   */
  consistencyProof(oldSize: number): Uint8Array[] {
    const size = this.size;
    if (!isTreeIndex(oldSize) || oldSize > size) {
      throw new XinlianError('BAD_REQUEST', `old size ${oldSize} larger than the tree of ${size}`, {
        oldSize,
        treeSize: size,
      });
    }
    if (oldSize === 0 || oldSize === size) return [];
    // SUBPROOF walked top-down without recursion: each step appends the subtree root that the
    // recursion would append after returning, so the collected list is reversed at the end.
    const collected: Uint8Array[] = [];
    let m = oldSize;
    let start = 0;
    let width = size;
    let startsAtOldRoot = true; // the RFC's b: the old tree is a left-complete subtree we stand on
    while (m !== width) {
      const k = largestPowerOfTwoBelow(width);
      if (m <= k) {
        collected.push(this.subtreeRoot(start + k, width - k));
        width = k;
      } else {
        collected.push(this.subtreeRoot(start, k));
        start += k;
        m -= k;
        width -= k;
        startsAtOldRoot = false;
      }
    }
    if (!startsAtOldRoot) collected.push(this.subtreeRoot(start, width));
    return collected.reverse();
  }

  /** MTH(D[start:start+width]) for a node of this tree (complete, or ending at the right edge). */
  private subtreeRoot(start: number, width: number): Uint8Array {
    const level = ceilLog2(width);
    const span = 2 ** level;
    assert(start % span === 0 && (width === span || start + width === this.size), 'not a node of the tree');
    const node = this.levels[level]?.[start / span];
    assert(node !== undefined, 'node present in level table');
    return node.slice();
  }
}

/** Audit path for leaf `index` (0-based) in the tree over `leaves` (raw data, not hashes). */
export function inclusionProof(hash: HashFunction, leaves: readonly Uint8Array[], index: number): Uint8Array[] {
  return MerkleTree.fromLeaves(hash, leaves).inclusionProof(index);
}

/** Consistency proof from the tree of the first `oldSize` leaves to the tree over all `leaves`. */
export function consistencyProof(hash: HashFunction, leaves: readonly Uint8Array[], oldSize: number): Uint8Array[] {
  return MerkleTree.fromLeaves(hash, leaves).consistencyProof(oldSize);
}

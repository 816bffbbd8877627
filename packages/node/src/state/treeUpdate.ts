import {
  STATE_EMPTY_HASH, STATE_PATH_BITS, assert, isStateEmptyHash, statePathBit, type StateHashFunction,
} from '@xinlian/protocol';
import type { StorageOp } from '../storage/store.js';
import { NO_LOCATION, NodeWriter } from './nodeChunks.js';
import type { StoredNode } from './stateRecords.js';

/** One key's final write in a block, after sorting by key hash and keeping the last write. */
export interface ResolvedWrite {
  readonly keyHash: Uint8Array;
  readonly value: Uint8Array | null;
}

const EMPTY = 0;
const LEAF = 1;
const INNER = 2;
/** An untouched subtree: its kind is only looked up when a deletion may have to lift a leaf. */
const UNKNOWN = 3;
type Kind = typeof EMPTY | typeof LEAF | typeof INNER | typeof UNKNOWN;

/** A subtree's root: its hash, where it is stored, and (when known) what it is. */
export interface Child {
  readonly hash: Uint8Array;
  readonly at: Uint8Array;
  readonly kind: Kind;
}

interface CarriedLeaf {
  readonly hash: Uint8Array;
  readonly at: Uint8Array;
  readonly keyHash: Uint8Array;
}

/** Loads the node stored at a location. */
export type NodeLoader = (at: Uint8Array) => StoredNode;

const EMPTY_CHILD: Child = { hash: STATE_EMPTY_HASH, at: NO_LOCATION, kind: EMPTY };

/**
 * Applies a block's writes to the tree in one pass down the sorted key hashes, so nodes shared by
 * several writes (the top of the tree) are read, hashed and stored once per block, not once per
 * write. The result is canonical: a subtree with no leaf is empty, one with exactly one leaf is
 * that leaf, and only subtrees with two or more leaves are inner nodes. Hence the root depends on
 * the set of (key, value) pairs only, never on the order or grouping of the writes.
 */
export class TreeUpdate {
  private readonly nodes: NodeWriter;

  constructor(
    hash: StateHashFunction,
    private readonly load: NodeLoader,
    height: number,
    private readonly writes: readonly ResolvedWrite[],
  ) {
    this.nodes = new NodeWriter(hash, height);
  }

  /** The new root, and the puts that store the new nodes. */
  run(root: Uint8Array, rootAt: Uint8Array): { root: Child; ops: StorageOp[] } {
    const newRoot = this.update(root, rootAt, 0, 0, this.writes.length);
    return { root: newRoot, ops: this.nodes.finish() };
  }

  private update(nodeHash: Uint8Array, at: Uint8Array, depth: number, lo: number, hi: number): Child {
    if (lo === hi) return isStateEmptyHash(nodeHash) ? EMPTY_CHILD : { hash: nodeHash, at, kind: UNKNOWN };
    if (isStateEmptyHash(nodeHash)) return this.fresh(depth, lo, hi, undefined);
    const node = this.load(at);
    if (node.kind === 'leaf') {
      // The existing leaf either is overwritten here or must be placed among the new ones.
      const carried = this.contains(node.keyHash, lo, hi) ? undefined : { hash: nodeHash, at, keyHash: node.keyHash };
      return this.fresh(depth, lo, hi, carried);
    }
    const mid = this.split(depth, lo, hi);
    return this.combine(
      this.update(node.left, node.leftAt, depth + 1, lo, mid),
      this.update(node.right, node.rightAt, depth + 1, mid, hi),
    );
  }

  /** Builds a subtree that held nothing but `carried` from the writes [lo, hi). */
  private fresh(depth: number, lo: number, hi: number, carried: CarriedLeaf | undefined): Child {
    let live = carried === undefined ? 0 : 1;
    let single = -1;
    for (let i = lo; i < hi && live < 2; i++) {
      if (this.writes[i]!.value !== null) {
        live++;
        single = i;
      }
    }
    if (live === 0) return EMPTY_CHILD;
    if (live === 1) return carried !== undefined ? { hash: carried.hash, at: carried.at, kind: LEAF } : this.putLeaf(this.writes[single]!);
    assert(depth < STATE_PATH_BITS, 'two distinct key hashes share all 256 bits');
    const mid = this.split(depth, lo, hi);
    const carriedRight = carried !== undefined && statePathBit(carried.keyHash, depth) === 1;
    return this.combine(
      this.fresh(depth + 1, lo, mid, carriedRight ? undefined : carried),
      this.fresh(depth + 1, mid, hi, carriedRight ? carried : undefined),
    );
  }

  private combine(left: Child, right: Child): Child {
    if (left.kind === EMPTY && right.kind === EMPTY) return EMPTY_CHILD;
    // A lone leaf moves up to the shortest unique prefix; its hash does not depend on depth.
    if (left.kind === EMPTY && this.isLeaf(right)) return { hash: right.hash, at: right.at, kind: LEAF };
    if (right.kind === EMPTY && this.isLeaf(left)) return { hash: left.hash, at: left.at, kind: LEAF };
    const node = this.nodes.inner(left.hash, right.hash, left.at, right.at);
    return { hash: node.hash, at: node.at, kind: INNER };
  }

  private isLeaf(child: Child): boolean {
    if (child.kind === UNKNOWN) return this.load(child.at).kind === 'leaf';
    return child.kind === LEAF;
  }

  private putLeaf(write: ResolvedWrite): Child {
    assert(write.value !== null, 'putLeaf on a deletion');
    const node = this.nodes.leaf(write.keyHash, write.value);
    return { hash: node.hash, at: node.at, kind: LEAF };
  }

  /** First index in [lo, hi) whose path has bit `depth` set; writes are sorted by key hash. */
  private split(depth: number, lo: number, hi: number): number {
    let low = lo;
    let high = hi;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (statePathBit(this.writes[middle]!.keyHash, depth) === 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private contains(keyHash: Uint8Array, lo: number, hi: number): boolean {
    let low = lo;
    let high = hi;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const order = Buffer.compare(this.writes[middle]!.keyHash, keyHash);
      if (order === 0) return true;
      if (order < 0) low = middle + 1;
      else high = middle;
    }
    return false;
  }
}

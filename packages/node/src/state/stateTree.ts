import {
  STATE_EMPTY_HASH, STATE_HASH_BYTES, XinlianError, assert, bytesEqual, hasPrefix, isStateEmptyHash, prefixEnd, statePathBit,
  type StateHashFunction, type StateProof, type StateProofTerminal,
} from '@xinlian/protocol';
import type { StorageOp, Store } from '../storage/store.js';
import { heightKey, readU64, writeU64 } from './bigEndian.js';
import { historyOps, readHistory, readValueAt, type HistoryEntry, type HistoryQuery } from './keyHistory.js';
import { NO_LOCATION, chunkKeyOf, offsetOf } from './nodeChunks.js';
import { ORDERED_KEY_PREFIX, STATE_BUCKETS } from './stateBuckets.js';
import { decodeStoredNode, storedNodeLength, type StoredNode } from './stateRecords.js';
import { TreeUpdate, type ResolvedWrite } from './treeUpdate.js';

/** One change made by a transaction; `value: null` deletes the key. */
export interface StateWrite {
  readonly key: Uint8Array;
  readonly value: Uint8Array | null;
  /** Position of the transaction in its block; writes come in block order (non-decreasing). */
  readonly txIndex: number;
  readonly txId: Uint8Array;
}

export interface AppliedState {
  readonly root: Uint8Array;
  /** Commit these in the block's atomic batch; nothing is written until the caller does. */
  readonly ops: StorageOp[];
}

export interface ProvenValue {
  readonly root: Uint8Array;
  /** undefined when the key is absent at that height */
  readonly value: Uint8Array | undefined;
  readonly proof: StateProof;
}

interface RootRef { readonly height: number; readonly hash: Uint8Array; readonly at: Uint8Array }
const META_KEY = Uint8Array.of(0);
const SLAB_BYTES = 65536;

/**
 * Authenticated, versioned key-value state (docs/adr/002-state-tree.md, docs/spec/state.md): a
 * binary sparse Merkle tree over H(key) whose nodes are never overwritten, so the root, any value
 * and a proof of it are available at every past height. `apply` only computes; the caller commits
 * the returned ops in its block batch, and the store stays the single source of truth.
 */
export class StateTree {
  // No node cache: LMDB reads straight from its memory map, and caching the top of the tree cost
  // more than it saved (measured, docs/adr/002-state-tree.md).
  constructor(private readonly store: Store, private readonly hash: StateHashFunction) {}

  /** Height of the last committed apply, or undefined before the first. */
  latestHeight(): number | undefined {
    return this.tip()?.height;
  }

  /**
   * Computes the state after block `height` (the next after the last committed one). Writes take
   * effect in order, so for a key written twice the last write wins; every write is recorded in
   * the key's history.
   */
  apply(height: number, writes: readonly StateWrite[]): AppliedState {
    const tip = this.tip();
    // This also catches an apply whose predecessor's ops were never committed.
    assert(Number.isSafeInteger(height) && height >= 0, `bad height ${height}`);
    assert(tip === undefined || height === tip.height + 1, `apply(${height}) after height ${tip?.height}`);
    for (let i = 1; i < writes.length; i++) assert(writes[i]!.txIndex >= writes[i - 1]!.txIndex, 'writes out of block order');
    const keyHashes = writes.map((write) => this.hash(write.key));
    const reader = new ChunkReader(this.store);
    const update = new TreeUpdate(this.hash, (at) => reader.node(at), height, resolveWrites(writes, keyHashes));
    const { root, ops } = update.run(tip?.hash ?? STATE_EMPTY_HASH, tip?.at ?? NO_LOCATION);
    ops.push(...historyOps(height, writes, keyHashes));
    // Ops apply in order in one transaction, so a key written twice ends as its last write.
    for (const write of writes) {
      if (!hasPrefix(write.key, ORDERED_KEY_PREFIX)) continue;
      ops.push(write.value === null
        ? { type: 'delete', bucket: STATE_BUCKETS.ordered, key: write.key }
        : { type: 'put', bucket: STATE_BUCKETS.ordered, key: write.key, value: write.value });
    }
    const rootRecord = new Uint8Array(8 + STATE_HASH_BYTES + root.at.length);
    writeU64(rootRecord, 0, height);
    rootRecord.set(root.hash, 8);
    rootRecord.set(root.at, 8 + STATE_HASH_BYTES);
    ops.push({ type: 'put', bucket: STATE_BUCKETS.root, key: heightKey(height), value: rootRecord.subarray(8) });
    ops.push({ type: 'put', bucket: STATE_BUCKETS.meta, key: META_KEY, value: rootRecord });
    return { root: root.hash, ops };
  }

  /** The root after block `height`; the empty root before the first block. */
  rootAt(height: number): Uint8Array {
    return this.rootRef(height).hash;
  }

  /** The value after block `height` (default: the latest); undefined when absent. */
  get(key: Uint8Array, height?: number): Uint8Array | undefined {
    // The latest value of a key under the ordered prefix (contract state) is one read of the
    // ordered index, written in the same batch as the tree: no key hash, no history scan.
    if (height === undefined && hasPrefix(key, ORDERED_KEY_PREFIX)) return this.store.get(STATE_BUCKETS.ordered, key);
    const tip = this.tip();
    if (tip === undefined && height === undefined) return undefined;
    const at = height ?? tip!.height;
    this.checkHeight(at, tip);
    return readValueAt(this.store, this.hash(key), at);
  }

  /** The value or absence of `key` after block `height` (default: the latest), with its proof. */
  prove(key: Uint8Array, height?: number): ProvenValue {
    const root = this.rootRef(height ?? this.tip()?.height ?? 0);
    const path = this.hash(key);
    const siblings: Uint8Array[] = [];
    const reader = new ChunkReader(this.store);
    let current = root.hash;
    let at = root.at;
    for (let depth = 0; ; depth++) {
      if (isStateEmptyHash(current)) return { root: root.hash, value: undefined, proof: { siblings, terminal: { kind: 'empty' } } };
      const node = reader.node(at);
      if (node.kind === 'leaf') {
        const own = bytesEqual(node.keyHash, path);
        // The value is copied out: the node lives in a 64 KiB slab that a caller should not pin.
        const terminal: StateProofTerminal = own ? { kind: 'leaf' } : { kind: 'otherLeaf', keyHash: node.keyHash, valueHash: node.valueHash };
        return { root: root.hash, value: own ? node.value.slice() : undefined, proof: { siblings, terminal } };
      }
      const right = statePathBit(path, depth) === 1;
      siblings.push(right ? node.left : node.right);
      current = right ? node.right : node.left;
      at = right ? node.rightAt : node.leftAt;
    }
  }

  /**
   * The latest entries with keys in [start, end) in byte order, at most `limit`; only keys under
   * ORDERED_KEY_PREFIX are kept in order, so the range must lie within it.
   */
  range(start: Uint8Array, end: Uint8Array | undefined, limit: number): Array<[Uint8Array, Uint8Array]> {
    assert(hasPrefix(start, ORDERED_KEY_PREFIX), 'range scans only cover keys under the ordered prefix');
    const upper = end ?? prefixEnd(ORDERED_KEY_PREFIX);
    return this.store.range(STATE_BUCKETS.ordered, { gte: start, lt: upper, limit }).map(({ key, value }) => [key, value]);
  }

  /** Changes to `key`, newest first. */
  history(key: Uint8Array, query: HistoryQuery = {}): HistoryEntry[] {
    return readHistory(this.store, this.hash(key), query);
  }

  private tip(): RootRef | undefined {
    const record = this.store.get(STATE_BUCKETS.meta, META_KEY);
    if (record === undefined) return undefined;
    return { height: readU64(record, 0), hash: record.subarray(8, 8 + STATE_HASH_BYTES), at: record.subarray(8 + STATE_HASH_BYTES) };
  }

  private checkHeight(height: number, tip: RootRef | undefined): void {
    // Height 0 is the state before the first block: empty, and readable.
    if (!Number.isSafeInteger(height) || height < 0 || height > (tip?.height ?? 0)) {
      throw new XinlianError('NOT_FOUND', `no state at height ${height}`, { height, latest: tip?.height });
    }
  }

  private rootRef(height: number): RootRef {
    const tip = this.tip();
    this.checkHeight(height, tip);
    if (tip === undefined) return { height, hash: STATE_EMPTY_HASH, at: NO_LOCATION };
    if (height === tip.height) return tip;
    const entry = this.store.get(STATE_BUCKETS.root, heightKey(height));
    // Heights are contiguous from the first apply on, so a missing one lies before it: empty.
    if (entry === undefined) return { height, hash: STATE_EMPTY_HASH, at: NO_LOCATION };
    return { height, hash: entry.subarray(0, STATE_HASH_BYTES), at: entry.subarray(STATE_HASH_BYTES) };
  }
}

/**
 * Reads nodes for one apply or one proof. A node's children are often written just before it,
 * into the same chunk, and about half of all reads hit the chunk read last (measured), so that
 * chunk is reused straight from LMDB's buffer while the store has done nothing else since;
 * each node is copied out (one small slice) because that buffer changes on the next read.
 * Nodes are not re-hashed on reading: a damaged record gives a wrong state root, which fails to
 * match the block's commit signatures, and a wrong proof fails the verifier.
 */
class ChunkReader {
  private lastKey: Uint8Array | undefined;
  private last: Uint8Array | undefined;
  private lastOperation = -1;
  private slab = new Uint8Array(0);
  private slabUsed = 0;

  constructor(private readonly store: Store) {}

  node(at: Uint8Array): StoredNode {
    const key = chunkKeyOf(at);
    const offset = offsetOf(at);
    const reuse = this.last !== undefined && this.lastKey !== undefined
      && this.lastOperation === this.store.operationCount && bytesEqual(key, this.lastKey);
    if (!reuse) {
      this.last = this.store.read(STATE_BUCKETS.node, key, (chunk) => chunk);
      assert(this.last !== undefined, 'state node chunk missing from the store');
      this.lastKey = key;
      this.lastOperation = this.store.operationCount;
    }
    const chunk = this.last!;
    const length = storedNodeLength(chunk, offset);
    // Copied into a shared slab: one allocation per 64 KiB of nodes instead of one per node.
    if (this.slabUsed + length > this.slab.length) {
      this.slab = new Uint8Array(Math.max(SLAB_BYTES, length));
      this.slabUsed = 0;
    }
    const record = this.slab.subarray(this.slabUsed, this.slabUsed + length);
    record.set(chunk.subarray(offset, offset + length));
    this.slabUsed += length;
    return decodeStoredNode(record);
  }
}

/** Sorted by key hash; for a key written more than once the last write in block order is kept. */
function resolveWrites(writes: readonly StateWrite[], keyHashes: readonly Uint8Array[]): ResolvedWrite[] {
  const order = writes.map((_, index) => index);
  order.sort((a, b) => Buffer.compare(keyHashes[a]!, keyHashes[b]!) || a - b);
  const out: ResolvedWrite[] = [];
  for (let i = 0; i < order.length; i++) {
    const index = order[i]!;
    const next = order[i + 1];
    if (next !== undefined && bytesEqual(keyHashes[next]!, keyHashes[index]!)) continue;
    out.push({ keyHash: keyHashes[index]!, value: writes[index]!.value });
  }
  return out;
}

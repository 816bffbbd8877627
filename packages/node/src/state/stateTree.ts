import {
  STATE_EMPTY_HASH, STATE_HASH_BYTES, XinlianError, assert, bytesEqual, isStateEmptyHash, statePathBit,
  type StateHashFunction, type StateProof, type StateProofTerminal,
} from '@xinlian/protocol';
import type { StorageOp, Store } from '../storage/store.js';
import { historyOps, readHistory, type HistoryEntry, type HistoryQuery } from './keyHistory.js';
import { NO_LOCATION, chunkKeyOf, offsetOf } from './nodeChunks.js';
import { heightKey, readHeightKey } from './bigEndian.js';
import { STATE_BUCKETS } from './stateBuckets.js';
import { decodeStoredNode, storedNodeLength, type StoredNode } from './stateRecords.js';
import { TreeUpdate, type ResolvedWrite } from './treeUpdate.js';

/** One change made by a transaction; `value: null` deletes the key. */
export interface StateWrite {
  readonly key: Uint8Array;
  readonly value: Uint8Array | null;
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

interface RootRef { readonly hash: Uint8Array; readonly at: Uint8Array }
const EMPTY_ROOT: RootRef = { hash: STATE_EMPTY_HASH, at: NO_LOCATION };

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
    const [last] = this.store.range(STATE_BUCKETS.root, { reverse: true, limit: 1 });
    return last === undefined ? undefined : readHeightKey(last.key);
  }

  /**
   * Computes the state after block `height` (the next after the last committed one). Writes take
   * effect in array order, so for a key written twice the last write wins; every write is still
   * recorded in the key's history.
   */
  apply(height: number, writes: readonly StateWrite[]): AppliedState {
    const latest = this.latestHeight();
    // This also catches an apply whose predecessor's ops were never committed.
    assert(Number.isSafeInteger(height) && height >= 0, `bad height ${height}`);
    assert(latest === undefined || height === latest + 1, `apply(${height}) after height ${latest}`);
    const previous = latest === undefined ? EMPTY_ROOT : this.rootRef(latest);
    const keyHashes = writes.map((write) => this.hash(write.key));
    const update = new TreeUpdate(
      this.hash, (at) => this.loadNode(at), height, resolveWrites(writes, keyHashes),
    );
    const { root, ops } = update.run(previous.hash, previous.at);
    ops.push(...historyOps(height, writes, keyHashes));
    const rootRecord = new Uint8Array(STATE_HASH_BYTES + root.at.length);
    rootRecord.set(root.hash, 0);
    rootRecord.set(root.at, STATE_HASH_BYTES);
    ops.push({ type: 'put', bucket: STATE_BUCKETS.root, key: heightKey(height), value: rootRecord });
    return { root: root.hash, ops };
  }

  /** The root after block `height`; the empty root before the first block. */
  rootAt(height: number): Uint8Array {
    return this.rootRef(height).hash;
  }

  /** The value after block `height` (default: the latest); undefined when absent. */
  get(key: Uint8Array, height?: number): Uint8Array | undefined {
    return this.prove(key, height).value;
  }

  /** The value or absence of `key` after block `height` (default: the latest), with its proof. */
  prove(key: Uint8Array, height?: number): ProvenValue {
    const root = this.rootRef(height ?? this.latestHeight() ?? 0);
    const path = this.hash(key);
    const siblings: Uint8Array[] = [];
    let current = root.hash;
    let at = root.at;
    for (let depth = 0; ; depth++) {
      if (isStateEmptyHash(current)) return { root: root.hash, value: undefined, proof: { siblings, terminal: { kind: 'empty' } } };
      const node = this.loadNode(at);
      if (node.kind === 'leaf') {
        const own = bytesEqual(node.keyHash, path);
        const terminal: StateProofTerminal = own ? { kind: 'leaf' } : { kind: 'otherLeaf', keyHash: node.keyHash, valueHash: node.valueHash };
        return { root: root.hash, value: own ? node.value.slice() : undefined, proof: { siblings, terminal } };
      }
      const right = statePathBit(path, depth) === 1;
      siblings.push(right ? node.left : node.right);
      current = right ? node.right : node.left;
      at = right ? node.rightAt : node.leftAt;
    }
  }

  /** Changes to `key`, newest first. */
  history(key: Uint8Array, query: HistoryQuery = {}): HistoryEntry[] {
    return readHistory(this.store, this.hash(key), query);
  }

  private rootRef(height: number): RootRef {
    const latest = this.latestHeight() ?? 0;
    if (height > latest) {
      throw new XinlianError('NOT_FOUND', `no state at height ${height}`, { height, latest });
    }
    const [entry] = this.store.range(STATE_BUCKETS.root, { lt: heightKey(height + 1), reverse: true, limit: 1 });
    if (entry === undefined) return EMPTY_ROOT;
    return { hash: entry.value.subarray(0, STATE_HASH_BYTES), at: entry.value.subarray(STATE_HASH_BYTES) };
  }

  private loadNode(at: Uint8Array): StoredNode {
    const offset = offsetOf(at);
    // Copy just this record out of LMDB's shared buffer (a chunk holds about 40 of them). It is
    // not re-hashed: a damaged record gives a wrong state root, which then fails to match the
    // block's commit signatures, and a proof built from it fails the verifier.
    const record = this.store.read(STATE_BUCKETS.node, chunkKeyOf(at), (chunk) => {
      assert(chunk !== undefined, 'state node chunk missing from the store');
      return chunk.slice(offset, offset + storedNodeLength(chunk, offset));
    });
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

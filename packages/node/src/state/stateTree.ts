import {
  STATE_EMPTY_HASH, XinlianError, assert, bytesEqual, isStateEmptyHash, statePathBit,
  type StateHashFunction, type StateProof, type StateProofTerminal,
} from '@xinlian/protocol';
import type { StorageOp, Store } from '../storage/store.js';
import { historyOps, readHistory, type HistoryEntry, type HistoryQuery } from './keyHistory.js';
import { NodeHasher, STATE_BUCKETS, decodeStoredNode, heightKey, readHeightKey, type StoredNode } from './stateRecords.js';
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

/**
 * Authenticated, versioned key-value state (docs/adr/002-state-tree.md, docs/spec/state.md): a
 * binary sparse Merkle tree over H(key) whose content-addressed nodes are never overwritten, so the
 * root, any value and a proof of it are available at every past height. Holds no state of its own
 * beyond the store: `apply` only computes, and the caller commits the returned ops.
 */
export class StateTree {
  private readonly hasher: NodeHasher;

  constructor(private readonly store: Store, hash: StateHashFunction) {
    this.hasher = new NodeHasher(hash);
  }

  /** Height of the last committed apply, or undefined before the first. */
  latestHeight(): number | undefined {
    const [last] = this.store.range(STATE_BUCKETS.root, { reverse: true, limit: 1 });
    return last === undefined ? undefined : readHeightKey(last.key);
  }

  /**
   * Computes the state after block `height`. Writes are applied in array order, so for a key
   * written twice the last write wins; every write is still recorded in the key's history.
   */
  apply(height: number, writes: readonly StateWrite[]): AppliedState {
    const latest = this.latestHeight();
    // Heights follow each other; this also catches an apply whose predecessor was never committed.
    assert(Number.isSafeInteger(height) && height >= 0, `bad height ${height}`);
    assert(latest === undefined || height === latest + 1, `apply(${height}) after height ${latest}`);
    const previousRoot = latest === undefined ? STATE_EMPTY_HASH : this.rootAt(latest);
    const keyHashes = writes.map((write) => this.hasher.key(write.key));
    const resolved = resolveWrites(writes, keyHashes);
    const update = new TreeUpdate(this.hasher, (hash) => this.loadNode(hash), resolved);
    const root = update.run(previousRoot);
    const ops = update.ops;
    for (const write of resolved) {
      ops.push(write.value === null
        ? { type: 'delete', bucket: STATE_BUCKETS.value, key: write.keyHash }
        : { type: 'put', bucket: STATE_BUCKETS.value, key: write.keyHash, value: write.value });
    }
    ops.push(...historyOps(height, writes, keyHashes));
    ops.push({ type: 'put', bucket: STATE_BUCKETS.root, key: heightKey(height), value: root });
    return { root, ops };
  }

  /** The root after block `height`; the empty root before the first block. */
  rootAt(height: number): Uint8Array {
    const latest = this.latestHeight();
    if (latest === undefined || height > latest) {
      throw new XinlianError('NOT_FOUND', `no state at height ${height}`, { height, latest });
    }
    const [entry] = this.store.range(STATE_BUCKETS.root, { lt: heightKey(height + 1), reverse: true, limit: 1 });
    return entry === undefined ? STATE_EMPTY_HASH : entry.value;
  }

  /** The value at the tip, or after block `height`; undefined when absent. */
  get(key: Uint8Array, height?: number): Uint8Array | undefined {
    if (height === undefined) return this.store.get(STATE_BUCKETS.value, this.hasher.key(key));
    return this.prove(key, height).value;
  }

  prove(key: Uint8Array, height: number): ProvenValue {
    const root = this.rootAt(height);
    const path = this.hasher.key(key);
    const siblings: Uint8Array[] = [];
    let current = root;
    for (let depth = 0; ; depth++) {
      if (isStateEmptyHash(current)) return { root, value: undefined, proof: { siblings, terminal: { kind: 'empty' } } };
      const node = this.loadNode(current);
      if (node.kind === 'leaf') {
        const own = bytesEqual(node.keyHash, path);
        const terminal: StateProofTerminal = own ? { kind: 'leaf' } : { kind: 'otherLeaf', keyHash: node.keyHash, valueHash: node.valueHash };
        return { root, value: own ? node.value : undefined, proof: { siblings, terminal } };
      }
      const right = statePathBit(path, depth) === 1;
      siblings.push(right ? node.left : node.right);
      current = right ? node.right : node.left;
    }
  }

  /** Changes to `key`, newest first. */
  history(key: Uint8Array, query: HistoryQuery = {}): HistoryEntry[] {
    return readHistory(this.store, this.hasher.key(key), query);
  }

  private loadNode(hash: Uint8Array): StoredNode {
    const record = this.store.get(STATE_BUCKETS.node, hash);
    assert(record !== undefined, 'state node missing from the store');
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

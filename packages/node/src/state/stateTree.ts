import {
  STATE_EMPTY_HASH, STATE_HASH_BYTES, XinlianError, assert, bytesEqual, isStateEmptyHash, statePathBit,
  type StateHashFunction, type StateProof, type StateProofTerminal,
} from '@xinlian/protocol';
import type { StorageOp, Store } from '../storage/store.js';
import { historyOps, readHistory, type HistoryEntry, type HistoryQuery } from './keyHistory.js';
import { NodeCache } from './nodeCache.js';
import {
  NO_LOCATION, NodeHasher, STATE_BUCKETS, decodeStoredNode, heightKey, readHeightKey, type StoredNode,
} from './stateRecords.js';
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

export interface StateTreeOptions {
  /**
   * Inner nodes this close to the root are cached (default 14 levels, at most 16,383 nodes per
   * version). Every block reads and rewrites the top of the tree; deeper nodes are touched at
   * random, and caching them only feeds the garbage collector (measured: a quarter of the time).
   */
  readonly cacheDepth?: number;
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
  private readonly hasher: NodeHasher;
  private readonly cache: NodeCache;
  private readonly cacheDepth: number;
  /** Nodes of the last apply; cached only once the store shows that block committed. */
  private pending: { height: number; root: Uint8Array; created: { hash: Uint8Array; record: Uint8Array }[] } | undefined;

  constructor(private readonly store: Store, private readonly hash: StateHashFunction, options: StateTreeOptions = {}) {
    this.hasher = new NodeHasher(hash);
    this.cacheDepth = options.cacheDepth ?? 14;
    this.cache = new NodeCache(2 ** this.cacheDepth * 2);
  }

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
    this.adoptPending(latest, previous.hash);
    const keyHashes = writes.map((write) => this.hasher.key(write.key));
    const update = new TreeUpdate(
      this.hasher, (hash, at, depth) => this.loadNode(hash, at, depth), height, resolveWrites(writes, keyHashes), this.cacheDepth,
    );
    const root = update.run(previous.hash, previous.at);
    const ops = update.ops;
    ops.push(...historyOps(height, writes, keyHashes));
    const rootRecord = new Uint8Array(STATE_HASH_BYTES + root.at.length);
    rootRecord.set(root.hash, 0);
    rootRecord.set(root.at, STATE_HASH_BYTES);
    ops.push({ type: 'put', bucket: STATE_BUCKETS.root, key: heightKey(height), value: rootRecord });
    this.pending = { height, root: root.hash, created: update.created };
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
    const path = this.hasher.key(key);
    const siblings: Uint8Array[] = [];
    let current = root.hash;
    let at = root.at;
    for (let depth = 0; ; depth++) {
      if (isStateEmptyHash(current)) return { root: root.hash, value: undefined, proof: { siblings, terminal: { kind: 'empty' } } };
      const node = this.loadNode(current, at, depth);
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
    return readHistory(this.store, this.hasher.key(key), query);
  }

  private rootRef(height: number): RootRef {
    const latest = this.latestHeight();
    if (latest === undefined || height > latest) {
      throw new XinlianError('NOT_FOUND', `no state at height ${height}`, { height, latest });
    }
    const [entry] = this.store.range(STATE_BUCKETS.root, { lt: heightKey(height + 1), reverse: true, limit: 1 });
    if (entry === undefined) return EMPTY_ROOT;
    return { hash: entry.value.subarray(0, STATE_HASH_BYTES), at: entry.value.subarray(STATE_HASH_BYTES) };
  }

  private adoptPending(latest: number | undefined, latestRoot: Uint8Array): void {
    const pending = this.pending;
    this.pending = undefined;
    if (pending === undefined || pending.height !== latest || !bytesEqual(pending.root, latestRoot)) return;
    for (const { hash, record } of pending.created) this.cache.set(hash, decodeStoredNode(record));
  }

  private loadNode(hash: Uint8Array, at: Uint8Array, depth: number): StoredNode {
    const cacheable = depth < this.cacheDepth;
    const cached = cacheable ? this.cache.get(hash) : undefined;
    if (cached !== undefined) return cached;
    const record = this.store.get(STATE_BUCKETS.node, at);
    assert(record !== undefined, 'state node missing from the store');
    // Cheap next to the read, and it stops a damaged or misplaced record from becoming state.
    assert(bytesEqual(this.hash(record.subarray(0, 1 + 2 * STATE_HASH_BYTES)), hash), 'state node record does not match its hash');
    const node = decodeStoredNode(record);
    if (cacheable && node.kind === 'inner') this.cache.set(hash, node);
    return node;
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

import { Reader, Writer, XinlianError, decodeAll } from '@xinlian/protocol';
import { Store, type StorageOp } from '../storage/store.js';
import { STATE_BUCKET_NAMES } from '../state/stateBuckets.js';

export const BUCKETS = {
  meta: 'meta',
  blocks: 'blocks',
  commits: 'commits',
  results: 'results',
  blockHashes: 'blockHashes',
  txIndex: 'txIndex',
  pending: 'pending',
  /** Conflicting signed consensus messages (see consensus/misbehaviourStore.ts). */
  misbehaviour: 'misbehaviour',
} as const;

const LATEST = new TextEncoder().encode('latestHeight');
const FORMAT = new TextEncoder().encode('storageFormat');
/** Bumped whenever the on-disk layout changes incompatibly; a node refuses data it cannot read. */
// 2: the ordered index of contract state (state.ordered) and the contract change kinds in sys/policies.
export const STORAGE_FORMAT = 2;

/** Opens the node's store with the chain's and the state tree's buckets, checking its format. */
export function openChainStore(directory: string): ChainStore {
  const db = Store.open(directory, { buckets: [...Object.values(BUCKETS), ...STATE_BUCKET_NAMES] });
  const raw = db.get(BUCKETS.meta, FORMAT);
  const empty = db.get(BUCKETS.meta, LATEST) === undefined && db.range(BUCKETS.pending, { limit: 1 }).length === 0;
  const format = raw === undefined ? undefined : decodeAll(raw, (r) => r.u32(), 'storage format');
  if (format === undefined && empty) {
    db.commit([{ type: 'put', bucket: BUCKETS.meta, key: FORMAT, value: new Writer().u32(STORAGE_FORMAT).finish() }]);
  } else if (format !== STORAGE_FORMAT) {
    void db.close();
    throw new XinlianError(
      'STORAGE_ERROR',
      `${directory} holds storage format ${format ?? 'from before format 1'}; this node reads format ${STORAGE_FORMAT}. Initialise a new chain or restore a matching version`,
    );
  }
  return new ChainStore(db);
}

export interface TxLocation {
  height: number;
  index: number;
}

/** Everything a block commits besides the state tree, written in one atomic batch with it. */
export interface BlockRecord {
  height: number;
  hash: Uint8Array;
  block: Uint8Array;
  commit: Uint8Array;
  /** Encoded TxResult per tx, in block order. */
  results: Uint8Array[];
  txIds: Uint8Array[];
}

export function heightKey(height: number): Uint8Array {
  return new Writer().u64(height).finish();
}

/** The chain's own records on top of the Store: blocks, commits, results, tx index, pending txs. */
export class ChainStore {
  constructor(readonly db: Store) {}

  latestHeight(): number {
    const raw = this.db.get(BUCKETS.meta, LATEST);
    return raw === undefined ? 0 : decodeAll(raw, (r) => r.u64(), 'latest height');
  }

  block(height: number): Uint8Array | undefined {
    return this.db.get(BUCKETS.blocks, heightKey(height));
  }

  commit(height: number): Uint8Array | undefined {
    return this.db.get(BUCKETS.commits, heightKey(height));
  }

  results(height: number): Uint8Array[] | undefined {
    const raw = this.db.get(BUCKETS.results, heightKey(height));
    return raw === undefined ? undefined : decodeAll(raw, (r) => r.list(1 << 20, (x) => x.bytes(1 << 20)), 'results');
  }

  heightOfHash(hash: Uint8Array): number | undefined {
    const raw = this.db.get(BUCKETS.blockHashes, hash);
    return raw === undefined ? undefined : decodeAll(raw, (r) => r.u64(), 'height');
  }

  txLocation(txId: Uint8Array): TxLocation | undefined {
    const raw = this.db.get(BUCKETS.txIndex, txId);
    return raw === undefined ? undefined : decodeAll(raw, (r: Reader) => ({ height: r.u64(), index: r.u32() }), 'tx location');
  }

  /** Acknowledged txs not yet in a block (small: bounded by the pool's limits). */
  pendingTxs(): Uint8Array[] {
    return this.db.range(BUCKETS.pending).map((entry) => entry.value);
  }

  /** Durably records admitted txs (one fsynced batch) before they are acknowledged. */
  addPending(txs: Array<{ txId: Uint8Array; encoded: Uint8Array }>): void {
    if (txs.length === 0) return;
    this.db.commit(txs.map((tx) => ({ type: 'put', bucket: BUCKETS.pending, key: tx.txId, value: tx.encoded })));
  }

  removePending(txIds: Uint8Array[]): void {
    if (txIds.length === 0) return;
    this.db.commit(txIds.map((key) => ({ type: 'delete', bucket: BUCKETS.pending, key })));
  }

  /** The ops that record a block; the caller adds the state tree's ops and writes them at once. */
  blockOps(record: BlockRecord): StorageOp[] {
    const key = heightKey(record.height);
    const ops: StorageOp[] = [
      { type: 'put', bucket: BUCKETS.blocks, key, value: record.block },
      { type: 'put', bucket: BUCKETS.commits, key, value: record.commit },
      { type: 'put', bucket: BUCKETS.results, key, value: new Writer().list(record.results, (w, r) => w.bytes(r)).finish() },
      { type: 'put', bucket: BUCKETS.blockHashes, key: record.hash, value: key },
      { type: 'put', bucket: BUCKETS.meta, key: LATEST, value: key },
    ];
    record.txIds.forEach((txId, index) => {
      ops.push({ type: 'put', bucket: BUCKETS.txIndex, key: txId, value: new Writer().u64(record.height).u32(index).finish() });
      ops.push({ type: 'delete', bucket: BUCKETS.pending, key: txId });
    });
    return ops;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

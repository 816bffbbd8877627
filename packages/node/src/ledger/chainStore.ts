import { Reader, Writer, decodeAll, type Block } from '@xinlian/protocol';

/** The storage the chain needs: buckets of binary keys, sync reads, one atomic durable batch. */
export interface KvOp {
  bucket: string;
  key: Uint8Array;
  /** undefined deletes. */
  value: Uint8Array | undefined;
}

export interface Kv {
  get(bucket: string, key: Uint8Array): Uint8Array | undefined;
  /** Atomic and durable (fsync) before it returns: all of the ops or none survive a crash. */
  write(ops: KvOp[]): void;
  /** Values of a bucket in key order (small buckets only: the pending pool at start-up). */
  values(bucket: string): Iterable<Uint8Array>;
}

export const BUCKETS = {
  meta: 'meta',
  blocks: 'blocks',
  commits: 'commits',
  results: 'results',
  blockHashes: 'blockHashes',
  txIndex: 'txIndex',
  pending: 'pending',
} as const;

const LATEST = new TextEncoder().encode('latestHeight');

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

/** The chain's own records on top of a Kv: blocks, commits, results, tx index, pending txs. */
export class ChainStore {
  constructor(readonly kv: Kv) {}

  latestHeight(): number {
    const raw = this.kv.get(BUCKETS.meta, LATEST);
    return raw === undefined ? 0 : decodeAll(raw, (r) => r.u64(), 'latest height');
  }

  block(height: number): Uint8Array | undefined {
    return this.kv.get(BUCKETS.blocks, heightKey(height));
  }

  commit(height: number): Uint8Array | undefined {
    return this.kv.get(BUCKETS.commits, heightKey(height));
  }

  results(height: number): Uint8Array[] | undefined {
    const raw = this.kv.get(BUCKETS.results, heightKey(height));
    return raw === undefined ? undefined : decodeAll(raw, (r) => r.list(1 << 20, (x) => x.bytes(1 << 20)), 'results');
  }

  heightOfHash(hash: Uint8Array): number | undefined {
    const raw = this.kv.get(BUCKETS.blockHashes, hash);
    return raw === undefined ? undefined : decodeAll(raw, (r) => r.u64(), 'height');
  }

  txLocation(txId: Uint8Array): TxLocation | undefined {
    const raw = this.kv.get(BUCKETS.txIndex, txId);
    return raw === undefined ? undefined : decodeAll(raw, (r: Reader) => ({ height: r.u64(), index: r.u32() }), 'tx location');
  }

  pendingTxs(): Iterable<Uint8Array> {
    return this.kv.values(BUCKETS.pending);
  }

  pendingOps(txs: Array<{ txId: Uint8Array; encoded: Uint8Array }>): KvOp[] {
    return txs.map((tx) => ({ bucket: BUCKETS.pending, key: tx.txId, value: tx.encoded }));
  }

  /** The ops that record a block; the caller adds the state tree's ops and writes them at once. */
  blockOps(record: BlockRecord): KvOp[] {
    const key = heightKey(record.height);
    const ops: KvOp[] = [
      { bucket: BUCKETS.blocks, key, value: record.block },
      { bucket: BUCKETS.commits, key, value: record.commit },
      { bucket: BUCKETS.results, key, value: new Writer().list(record.results, (w, r) => w.bytes(r)).finish() },
      { bucket: BUCKETS.blockHashes, key: record.hash, value: key },
      { bucket: BUCKETS.meta, key: LATEST, value: key },
    ];
    record.txIds.forEach((txId, index) => {
      ops.push({ bucket: BUCKETS.txIndex, key: txId, value: new Writer().u64(record.height).u32(index).finish() });
      ops.push({ bucket: BUCKETS.pending, key: txId, value: undefined });
    });
    return ops;
  }
}

export type { Block };

import { open, type Database, type RootDatabase } from 'lmdb';
import { assert, XinlianError, compareBytes } from '@xinlian/protocol';

/** One write in an atomic batch. Keys are 1..1978 bytes (LMDB's limit with 4 KiB pages). */
export type StorageOp =
  | { readonly type: 'put'; readonly bucket: string; readonly key: Uint8Array; readonly value: Uint8Array }
  | { readonly type: 'delete'; readonly bucket: string; readonly key: Uint8Array };

export interface StoreOptions {
  /** Named sub-databases; every bucket a caller uses must be declared when opening. */
  readonly buckets: readonly string[];
}

/** Half-open key range [gte, lt) in byte order, walked upwards or (reverse) downwards. */
export interface RangeOptions {
  readonly gte?: Uint8Array;
  readonly lt?: Uint8Array;
  readonly reverse?: boolean;
  readonly limit?: number;
}

export interface Entry {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

const MAX_KEY_BYTES = 1978;

/**
 * Embedded storage (docs/adr/003-storage-lmdb.md): one LMDB environment with a named sub-database
 * per bucket, binary keys and values, synchronous reads and one durable transaction per batch.
 * `commit` fsyncs before it returns (overlappingSync off), so once it returns the batch survives a
 * crash, and LMDB's copy-on-write pages mean a crash during it leaves all of the batch or none.
 */
export class Store {
  private operations = 0;

  private constructor(
    private readonly root: RootDatabase<Uint8Array, Uint8Array>,
    private readonly buckets: ReadonlyMap<string, Database<Uint8Array, Uint8Array>>,
  ) {}

  static open(directory: string, options: StoreOptions): Store {
    assert(new Set(options.buckets).size === options.buckets.length, 'duplicate bucket names');
    try {
      const root = open<Uint8Array, Uint8Array>({
        path: directory,
        maxDbs: options.buckets.length + 1,
        // Off: with it on, transactionSync returns before the fsync and durability lags the commit.
        overlappingSync: false,
        encoding: 'binary',
        keyEncoding: 'binary',
      });
      const buckets = new Map<string, Database<Uint8Array, Uint8Array>>();
      for (const name of options.buckets) {
        buckets.set(name, root.openDB<Uint8Array, Uint8Array>({ name, encoding: 'binary', keyEncoding: 'binary' }));
      }
      return new Store(root, buckets);
    } catch (error) {
      throw storageError(`cannot open store at ${directory}`, error);
    }
  }

  private bucket(name: string): Database<Uint8Array, Uint8Array> {
    const bucket = this.buckets.get(name);
    assert(bucket !== undefined, `unknown bucket ${name}`);
    return bucket;
  }

  /**
   * Counts every call into LMDB. A view from `read` stays valid while this is unchanged, which
   * lets a caller reuse it across its own consecutive reads without copying.
   */
  get operationCount(): number {
    return this.operations;
  }

  /** The committed value, or undefined. The returned bytes are a private copy. */
  get(bucket: string, key: Uint8Array): Uint8Array | undefined {
    checkKey(key);
    this.operations++;
    const value = this.bucket(bucket).get(key);
    return value === undefined ? undefined : plain(value);
  }

  /**
   * Zero-copy read: `read` sees LMDB's reusable buffer, valid only until the next call into the
   * store of any kind (see operationCount), so it must copy out what it keeps. For hot paths that
   * need a small part of a larger value.
   */
  read<T>(bucket: string, key: Uint8Array, read: (value: Uint8Array | undefined) => T): T {
    checkKey(key);
    this.operations++;
    const value = this.bucket(bucket).getBinaryFast(key);
    return read(value === undefined ? undefined : plain(value));
  }

  range(bucket: string, options: RangeOptions = {}): Entry[] {
    const db = this.bucket(bucket);
    this.operations++;
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const out: Entry[] = [];
    if (limit <= 0) return out;
    if (options.reverse !== true) {
      for (const { key, value } of db.getRange({ start: options.gte, end: options.lt, limit })) {
        out.push({ key: plain(key), value: plain(value) });
      }
      return out;
    }
    // LMDB's reverse walk starts at `start` inclusive and stops before `end`; our bounds are the
    // other way round, so the upper bound is skipped and the lower one checked here.
    for (const { key, value } of db.getRange({ start: options.lt, reverse: true })) {
      if (options.lt !== undefined && compareBytes(key, options.lt) >= 0) continue;
      if (options.gte !== undefined && compareBytes(key, options.gte) < 0) break;
      out.push({ key: plain(key), value: plain(value) });
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Applies every op in one transaction and fsyncs; all of them take effect or none do. */
  commit(ops: readonly StorageOp[]): void {
    const resolved = ops.map((op) => {
      checkKey(op.key);
      return { op, db: this.bucket(op.bucket) };
    });
    this.operations++;
    try {
      this.root.transactionSync(() => {
        for (const { op, db } of resolved) {
          if (op.type === 'put') db.putSync(op.key, op.value);
          else db.removeSync(op.key);
        }
      });
    } catch (error) {
      throw storageError('commit failed', error);
    }
  }

  /**
   * Reads see what is committed now: a store opened on another thread (the execution worker) keeps
   * reading one snapshot until this renews it.
   */
  refresh(): void {
    this.root.resetReadTxn();
  }

  async close(): Promise<void> {
    await this.root.close();
  }
}

/** A plain Uint8Array view of LMDB's Buffer (no copy), so callers never see Buffer semantics. */
function plain(bytes: Uint8Array): Uint8Array {
  // `length`, not `byteLength`: a getBinaryFast buffer spans the whole shared area.
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

function checkKey(key: Uint8Array): void {
  assert(key.length > 0 && key.length <= MAX_KEY_BYTES, `storage key length ${key.length} out of range`);
}

function storageError(message: string, cause: unknown): XinlianError {
  return new XinlianError('STORAGE_ERROR', `${message}: ${String(cause)}`);
}

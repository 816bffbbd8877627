import { STATE_HASH_BYTES, STATE_LEAF_PREFIX, STATE_NODE_PREFIX, assert, type StateHashFunction } from '@xinlian/protocol';
import type { StorageOp } from '../storage/store.js';
import { writeU64 } from './bigEndian.js';
import { STATE_BUCKETS } from './stateBuckets.js';

/**
 * Node records are packed into chunks of at most 4 KiB, stored under u64 height || u32 chunk, so
 * a block writes a few hundred sequential LMDB entries instead of one per node (11,000 puts per
 * block cost more than all the hashing), and records are built in place in the chunk, so a node
 * costs no allocation of its own (per-node buffers fed the garbage collector a quarter of the time).
 * A node's location is its chunk key followed by a u16 offset.
 */
export const CHUNK_KEY_BYTES = 12;
export const LOCATION_BYTES = CHUNK_KEY_BYTES + 2;
/** The location of an empty subtree: all zeros (chunks are numbered from 1). */
export const NO_LOCATION: Uint8Array = new Uint8Array(LOCATION_BYTES);
export const PREIMAGE_BYTES = 1 + 2 * STATE_HASH_BYTES;
export const INNER_RECORD_BYTES = PREIMAGE_BYTES + 2 * LOCATION_BYTES;
const CHUNK_BYTES = 4096;
/** Chunks are carved from slabs: one allocation per 16 chunks rather than per chunk. */
const SLAB_BYTES = 16 * CHUNK_BYTES;

export interface WrittenNode {
  readonly hash: Uint8Array;
  readonly at: Uint8Array;
  readonly record: Uint8Array;
}

/** Writes one block's new nodes: builds each record in place, hashes it, and gives its location. */
export class NodeWriter {
  private readonly ops: StorageOp[] = [];
  private chunk = 1;
  private slab = new Uint8Array(SLAB_BYTES);
  private buffer = this.slab.subarray(0, CHUNK_BYTES);
  private size = 0;

  constructor(private readonly hash: StateHashFunction, private readonly height: number) {}

  inner(left: Uint8Array, right: Uint8Array, leftAt: Uint8Array, rightAt: Uint8Array): WrittenNode {
    const { record, at } = this.reserve(INNER_RECORD_BYTES);
    record[0] = STATE_NODE_PREFIX;
    record.set(left, 1);
    record.set(right, 1 + STATE_HASH_BYTES);
    record.set(leftAt, PREIMAGE_BYTES);
    record.set(rightAt, PREIMAGE_BYTES + LOCATION_BYTES);
    return { hash: this.hash(record.subarray(0, PREIMAGE_BYTES)), at, record };
  }

  leaf(keyHash: Uint8Array, value: Uint8Array): WrittenNode {
    const { record, at } = this.reserve(PREIMAGE_BYTES + 4 + value.length);
    record[0] = STATE_LEAF_PREFIX;
    record.set(keyHash, 1);
    record.set(this.hash(value), 1 + STATE_HASH_BYTES);
    const length = value.length;
    record[PREIMAGE_BYTES] = length >>> 24;
    record[PREIMAGE_BYTES + 1] = (length >>> 16) & 255;
    record[PREIMAGE_BYTES + 2] = (length >>> 8) & 255;
    record[PREIMAGE_BYTES + 3] = length & 255;
    record.set(value, PREIMAGE_BYTES + 4);
    return { hash: this.hash(record.subarray(0, PREIMAGE_BYTES)), at, record };
  }

  /** The puts for every chunk; call once, after the last node. */
  finish(): StorageOp[] {
    this.flush();
    return this.ops;
  }

  private reserve(length: number): { record: Uint8Array; at: Uint8Array } {
    if (this.size + length > this.buffer.length) {
      this.flush();
      // A record bigger than a chunk (a large value) gets a chunk of its own size.
      if (length > this.buffer.length) this.buffer = new Uint8Array(length);
    }
    const at = new Uint8Array(LOCATION_BYTES);
    writeChunkKey(at, this.height, this.chunk);
    at[12] = this.size >> 8;
    at[13] = this.size & 255;
    const record = this.buffer.subarray(this.size, this.size + length);
    this.size += length;
    return { record, at };
  }

  private flush(): void {
    if (this.size === 0) return;
    const key = new Uint8Array(CHUNK_KEY_BYTES);
    writeChunkKey(key, this.height, this.chunk);
    // The filled part is handed over as is; records returned earlier stay valid views of it.
    this.ops.push({ type: 'put', bucket: STATE_BUCKETS.node, key, value: this.buffer.subarray(0, this.size) });
    assert(this.chunk < 0xffffffff, 'too many state chunks in one block');
    this.chunk++;
    this.size = 0;
    const used = this.buffer.byteOffset + this.buffer.length - this.slab.byteOffset;
    if (this.buffer.buffer === this.slab.buffer && used + CHUNK_BYTES <= this.slab.length) {
      this.buffer = this.slab.subarray(used, used + CHUNK_BYTES);
    } else {
      this.slab = new Uint8Array(SLAB_BYTES);
      this.buffer = this.slab.subarray(0, CHUNK_BYTES);
    }
  }
}

function writeChunkKey(out: Uint8Array, height: number, chunk: number): void {
  writeU64(out, 0, height);
  out[8] = chunk >>> 24;
  out[9] = (chunk >>> 16) & 255;
  out[10] = (chunk >>> 8) & 255;
  out[11] = chunk & 255;
}

export function chunkKeyOf(at: Uint8Array): Uint8Array {
  return at.subarray(0, CHUNK_KEY_BYTES);
}

export function offsetOf(at: Uint8Array): number {
  return (at[12]! << 8) | at[13]!;
}

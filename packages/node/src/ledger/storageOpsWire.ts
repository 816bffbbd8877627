import { assert } from '@xinlian/protocol';
import type { StorageOp } from '../storage/store.js';

/**
 * A block's state writes as one buffer, for the trip from the execution worker to the main thread:
 * transferred rather than copied, and read back as views into it (no per-op copies or clones).
 * Per op: u8 kind (0 put, 1 delete), u8 bucket index, u32 key length, key, then for a put u32
 * value length and value. Little-endian; a process-internal format, never stored or sent.
 */
export function packStorageOps(ops: readonly StorageOp[], buckets: readonly string[]): Uint8Array {
  const index = new Map(buckets.map((name, i) => [name, i]));
  let bytes = 0;
  for (const op of ops) bytes += 6 + op.key.length + (op.type === 'put' ? 4 + op.value.length : 0);
  const out = new Uint8Array(bytes);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const op of ops) {
    const bucket = index.get(op.bucket);
    assert(bucket !== undefined, `packStorageOps: unknown bucket ${op.bucket}`);
    out[at] = op.type === 'put' ? 0 : 1;
    out[at + 1] = bucket;
    view.setUint32(at + 2, op.key.length, true);
    out.set(op.key, at + 6);
    at += 6 + op.key.length;
    if (op.type === 'put') {
      view.setUint32(at, op.value.length, true);
      out.set(op.value, at + 4);
      at += 4 + op.value.length;
    }
  }
  return out;
}

export function unpackStorageOps(packed: Uint8Array, buckets: readonly string[]): StorageOp[] {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const ops: StorageOp[] = [];
  let at = 0;
  while (at < packed.length) {
    const kind = packed[at]!;
    const bucket = buckets[packed[at + 1]!];
    assert(bucket !== undefined && kind <= 1, 'unpackStorageOps: corrupt buffer');
    const keyLength = view.getUint32(at + 2, true);
    const key = packed.subarray(at + 6, at + 6 + keyLength);
    at += 6 + keyLength;
    if (kind === 1) {
      ops.push({ type: 'delete', bucket, key });
      continue;
    }
    const valueLength = view.getUint32(at, true);
    ops.push({ type: 'put', bucket, key, value: packed.subarray(at + 4, at + 4 + valueLength) });
    at += 4 + valueLength;
  }
  assert(at === packed.length, 'unpackStorageOps: trailing bytes');
  return ops;
}

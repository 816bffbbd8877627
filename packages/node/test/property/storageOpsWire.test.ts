import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { packStorageOps, unpackStorageOps } from '../../src/ledger/storageOpsWire.js';
import { STATE_BUCKET_NAMES } from '../../src/state/stateBuckets.js';
import type { StorageOp } from '../../src/storage/store.js';

// The state writes of a block cross from the execution worker to the main thread as one buffer
// (ADR 014): what is packed must unpack to the same ops, in the same order, and nothing else.

const op: fc.Arbitrary<StorageOp> = fc.oneof(
  fc.record({ type: fc.constant('put' as const), bucket: fc.constantFrom(...STATE_BUCKET_NAMES), key: fc.uint8Array({ minLength: 1, maxLength: 80 }), value: fc.uint8Array({ maxLength: 300 }) }),
  fc.record({ type: fc.constant('delete' as const), bucket: fc.constantFrom(...STATE_BUCKET_NAMES), key: fc.uint8Array({ minLength: 1, maxLength: 80 }) }),
);

const plain = (ops: readonly StorageOp[]) => ops.map((o) => (o.type === 'put'
  ? { type: o.type, bucket: o.bucket, key: [...o.key], value: [...o.value] }
  : { type: o.type, bucket: o.bucket, key: [...o.key] }));

test('property: unpack(pack(ops)) is ops, in order, for any puts and deletes of the state buckets', () => {
  fc.assert(fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
    const packed = packStorageOps(ops, STATE_BUCKET_NAMES);
    assert.deepEqual(plain(unpackStorageOps(packed, STATE_BUCKET_NAMES)), plain(ops));
  }), { numRuns: 300 });
});

test('a buffer cut short, with a bad kind or with trailing bytes is refused, never misread', () => {
  const ops: StorageOp[] = [{ type: 'put', bucket: STATE_BUCKET_NAMES[0]!, key: Uint8Array.of(1, 2), value: Uint8Array.of(3) }, { type: 'delete', bucket: STATE_BUCKET_NAMES[1]!, key: Uint8Array.of(4) }];
  const packed = packStorageOps(ops, STATE_BUCKET_NAMES);
  assert.throws(() => unpackStorageOps(packed.subarray(0, packed.length - 1), STATE_BUCKET_NAMES));
  assert.throws(() => unpackStorageOps(Uint8Array.of(...packed, 0), STATE_BUCKET_NAMES));
  const badKind = packed.slice();
  badKind[0] = 7;
  assert.throws(() => unpackStorageOps(badKind, STATE_BUCKET_NAMES));
  assert.throws(() => packStorageOps([{ type: 'delete', bucket: 'blocks', key: Uint8Array.of(1) }], STATE_BUCKET_NAMES), /unknown bucket/);
});

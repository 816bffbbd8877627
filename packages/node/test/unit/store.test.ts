import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssertionFailed } from '@xinlian/protocol';
import { Store } from '../../src/storage/store.js';

function withStore(run: (store: Store, directory: string) => Promise<void> | void): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'xinlian-store-'));
  const store = Store.open(directory, { buckets: ['a', 'b'] });
  return Promise.resolve(run(store, directory)).finally(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });
}

const k = (...bytes: number[]): Uint8Array => new Uint8Array(bytes);

test('commit puts and deletes across buckets; buckets are separate key spaces', () =>
  withStore((store) => {
    store.commit([
      { type: 'put', bucket: 'a', key: k(1), value: k(10) },
      { type: 'put', bucket: 'b', key: k(1), value: k(20) },
      { type: 'put', bucket: 'a', key: k(2), value: k() },
    ]);
    assert.deepEqual(store.get('a', k(1)), k(10));
    assert.deepEqual(store.get('b', k(1)), k(20));
    assert.deepEqual(store.get('a', k(2)), k(), 'empty values round-trip');
    store.commit([{ type: 'delete', bucket: 'a', key: k(1) }, { type: 'delete', bucket: 'a', key: k(9) }]);
    assert.equal(store.get('a', k(1)), undefined);
  }));

test('range is [gte, lt) in byte order both ways, with a limit', () =>
  withStore((store) => {
    store.commit([1, 2, 3, 4, 5].map((i) => ({ type: 'put', bucket: 'a', key: k(i), value: k(i) })));
    const keys = (options: Parameters<Store['range']>[1]): number[] => store.range('a', options).map((e) => e.key[0]!);
    assert.deepEqual(keys({ gte: k(2), lt: k(4) }), [2, 3]);
    assert.deepEqual(keys({ gte: k(2), lt: k(4), reverse: true }), [3, 2]);
    assert.deepEqual(keys({ reverse: true, limit: 2 }), [5, 4]);
    assert.deepEqual(keys({ lt: k(3, 0), reverse: true }), [3, 2, 1]);
    assert.deepEqual(keys({ gte: k(4) }), [4, 5]);
    assert.deepEqual(keys({ limit: 0 }), []);
  }));

test('a batch that fails midway leaves nothing behind', () =>
  withStore((store) => {
    assert.throws(() => store.commit([
      { type: 'put', bucket: 'a', key: k(1), value: k(1) },
      { type: 'put', bucket: 'nope', key: k(2), value: k(2) },
    ]), AssertionFailed);
    assert.equal(store.get('a', k(1)), undefined);
  }));

test('committed data survives close and reopen', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'xinlian-store-'));
  try {
    const first = Store.open(directory, { buckets: ['a'] });
    first.commit([{ type: 'put', bucket: 'a', key: k(7), value: k(8, 9) }]);
    await first.close();
    const second = Store.open(directory, { buckets: ['a'] });
    assert.deepEqual(second.get('a', k(7)), k(8, 9));
    await second.close();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

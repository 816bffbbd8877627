import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { stateRootOf, toHex, utf8, verifyStateProof } from '@xinlian/protocol';
import { StateTree, type StateWrite } from '../../src/state/stateTree.js';
import { withStateStore } from '../helpers/tempStore.js';

const sha256 = (data: Uint8Array): Uint8Array => createHash('sha256').update(data).digest();
const KEYS = Array.from({ length: 10 }, (_, i) => utf8(`key-${i}`));

// A block: writes (key index, value or null for delete); txIndex grows every two writes.
const blockArb = fc.array(
  fc.record({ key: fc.nat(KEYS.length - 1), value: fc.option(fc.uint8Array({ maxLength: 6 }), { nil: null, freq: 4 }) }),
  { maxLength: 12 },
);

type Model = Map<number, Uint8Array>;

function toWrites(block: { key: number; value: Uint8Array | null }[], height: number): StateWrite[] {
  return block.map((write, i) => ({
    key: KEYS[write.key]!, value: write.value, txIndex: i >> 1, txId: Uint8Array.of(height, i),
  }));
}

function modelRoot(model: Model): string {
  return toHex(stateRootOf(sha256, [...model].map(([key, value]) => ({ key: KEYS[key]!, value }))));
}

test('state at every height matches a model; every proof verifies and accepts only true claims', async () => {
  await fc.assert(fc.asyncProperty(fc.array(blockArb, { minLength: 1, maxLength: 6 }), (blocks) =>
    withStateStore((store) => {
      const tree = new StateTree(store, sha256);
      const models: Model[] = [];
      let model: Model = new Map();
      blocks.forEach((block, index) => {
        const height = index + 1;
        const { root, ops } = tree.apply(height, toWrites(block, height));
        store.commit(ops);
        model = new Map(model);
        for (const write of block) {
          if (write.value === null) model.delete(write.key);
          else model.set(write.key, write.value);
        }
        models[height] = model;
        // The incremental root equals the from-scratch reference root of the same set.
        assert.equal(toHex(root), modelRoot(model));
        assert.equal(toHex(tree.rootAt(height)), toHex(root));
      });
      const bogusRoot = new Uint8Array(32).fill(7);
      for (let height = 1; height < models.length; height++) {
        const expected = models[height]!;
        const root = tree.rootAt(height);
        for (let key = 0; key < KEYS.length; key++) {
          const want = expected.get(key);
          const proven = tree.prove(KEYS[key]!, height);
          assert.deepEqual(proven.value, want === undefined ? undefined : new Uint8Array(want));
          assert.deepEqual(tree.get(KEYS[key]!, height), proven.value);
          assert.ok(verifyStateProof(sha256, root, KEYS[key]!, want, proven.proof));
          assert.ok(!verifyStateProof(sha256, bogusRoot, KEYS[key]!, want, proven.proof));
          assert.ok(!verifyStateProof(sha256, root, KEYS[key]!, Uint8Array.of(9, 9, 9, 9, 9, 9, 9), proven.proof));
          // Soundness: whatever claim this proof is accepted for, against any root, is true there.
          for (let other = 0; other < KEYS.length; other++) {
            for (let h = 1; h < models.length; h++) {
              for (const claim of [models[h]!.get(other), undefined, expected.get(other)]) {
                if (!verifyStateProof(sha256, tree.rootAt(h), KEYS[other]!, claim, proven.proof)) continue;
                assert.deepEqual(claim, models[h]!.get(other), `accepted a false claim about key ${other} at ${h}`);
              }
            }
          }
        }
      }
      const last = models.length - 1;
      for (let key = 0; key < KEYS.length; key++) {
        const want = models[last]!.get(key);
        assert.deepEqual(tree.get(KEYS[key]!), want === undefined ? undefined : new Uint8Array(want));
      }
    })), { numRuns: 40 });
});

test('history lists every change newest first, with limit and beforeHeight', async () => {
  await withStateStore((store) => {
    const tree = new StateTree(store, sha256);
    const key = KEYS[0]!;
    const txId = (n: number): Uint8Array => Uint8Array.of(n);
    for (let height = 1; height <= 5; height++) {
      const writes: StateWrite[] = [{ key, value: Uint8Array.of(height), txIndex: 0, txId: txId(height * 10) }];
      if (height === 3) writes.push({ key, value: null, txIndex: 2, txId: txId(32) });
      writes.push({ key: KEYS[1]!, value: Uint8Array.of(1), txIndex: 3, txId: txId(99) });
      store.commit(tree.apply(height, writes).ops);
    }
    const summary = (entries: ReturnType<StateTree['history']>): string[] =>
      entries.map((e) => `${e.height}/${e.txIndex}/${e.txId[0]}${e.deleted ? '/deleted' : ''}`);
    assert.deepEqual(summary(tree.history(key)), ['5/0/50', '4/0/40', '3/2/32/deleted', '3/0/30', '2/0/20', '1/0/10']);
    assert.deepEqual(summary(tree.history(key, { limit: 2 })), ['5/0/50', '4/0/40']);
    assert.deepEqual(summary(tree.history(key, { beforeHeight: 4, limit: 2 })), ['3/2/32/deleted', '3/0/30']);
    assert.equal(tree.get(key, 3), undefined, 'the later write in block 3 (a delete) wins');
    assert.deepEqual(tree.history(KEYS[2]!), []);
  });
});

test('heights must follow each other and only committed heights are readable', async () => {
  await withStateStore((store) => {
    const tree = new StateTree(store, sha256);
    // Height 0 is the state before the first block: empty, and readable.
    assert.equal(toHex(tree.rootAt(0)), toHex(new Uint8Array(32)));
    assert.equal(tree.get(KEYS[0]!), undefined);
    assert.throws(() => tree.rootAt(1), /no state/);
    store.commit(tree.apply(1, []).ops);
    assert.equal(toHex(tree.rootAt(1)), toHex(new Uint8Array(32)));
    tree.apply(2, [{ key: KEYS[0]!, value: Uint8Array.of(1), txIndex: 0, txId: Uint8Array.of(1) }]);
    // Block 2's ops were never committed, so block 3 cannot be computed on top of it.
    assert.throws(() => tree.apply(3, []), /after height 1/);
    assert.throws(() => tree.rootAt(2), /no state/);
  });
});

test('large trees and large values: incremental root equals the reference, every proof verifies', async () => {
  await withStateStore((store) => {
    const tree = new StateTree(store, sha256);
    const model = new Map<string, Uint8Array>();
    let seed = 1;
    const next = (): number => (seed = (Math.imul(seed, 48271) + 11) >>> 0);
    for (let height = 1; height <= 4; height++) {
      const writes: StateWrite[] = [];
      for (let i = 0; i < 1500; i++) {
        const name = `k${next() % 3000}`;
        // Mostly small values, some deletions, and some values bigger than a 4 KiB chunk.
        const roll = next() % 100;
        const value = roll < 10 ? null : new Uint8Array(roll < 13 ? 5000 + (next() % 3000) : next() % 200).fill(height);
        writes.push({ key: utf8(name), value, txIndex: i, txId: Uint8Array.of(i & 255) });
        if (value === null) model.delete(name);
        else model.set(name, value);
      }
      const { root, ops } = tree.apply(height, writes);
      store.commit(ops);
      assert.equal(toHex(root), toHex(stateRootOf(sha256, [...model].map(([key, value]) => ({ key: utf8(key), value })))));
    }
    for (let i = 0; i < 3000; i += 7) {
      const key = utf8(`k${i}`);
      const want = model.get(`k${i}`);
      const proven = tree.prove(key);
      assert.ok(verifyStateProof(sha256, tree.rootAt(4), key, want, proven.proof));
      assert.deepEqual(proven.value, want);
      assert.deepEqual(tree.get(key), want);
    }
  });
});

test('property: the latest value of a contract-state key (read from the ordered index) equals its value at the tip height (read from its history)', async () => {
  const contractKeys = Array.from({ length: 6 }, (_, i) => utf8(`c/app/k${i}`));
  await fc.assert(fc.asyncProperty(fc.array(blockArb, { minLength: 1, maxLength: 6 }), (blocks) =>
    withStateStore((store) => {
      const tree = new StateTree(store, sha256);
      blocks.forEach((block, index) => {
        const height = index + 1;
        const writes = block.map((write, i) => ({ key: contractKeys[write.key % contractKeys.length]!, value: write.value, txIndex: i >> 1, txId: Uint8Array.of(height, i) }));
        store.commit(tree.apply(height, writes).ops);
        for (const key of contractKeys) assert.deepEqual(tree.get(key), tree.get(key, height), `c/ key at height ${height}`);
      });
    })), { numRuns: 60 });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  MerkleTree, XinlianError, consistencyProof, inclusionProof, leafHash, merkleRoot,
  merkleRootFromLeafHashes, nodeHash, rootFromInclusionProof, toHex, verifyConsistency, verifyInclusion,
  type HashFunction,
} from '../../src/index.js';
import { pathShape, referenceConsistency, referencePath, referenceRoot } from './merkleReference.js';

const nodeHashFunction = (name: string): HashFunction => (data) => new Uint8Array(createHash(name).update(data).digest());
const sha256 = nodeHashFunction('sha256');
const sm3 = nodeHashFunction('sm3');

const leavesArb = (min: number, max: number) => fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: min, maxLength: max });
/** A tree and a leaf index in it. */
const treeAndIndexArb = leavesArb(1, 70).chain((leaves) => fc.tuple(fc.constant(leaves), fc.nat({ max: leaves.length - 1 })));
/** A tree and an old size 0..n. */
const treeAndOldSizeArb = leavesArb(0, 70).chain((leaves) => fc.tuple(fc.constant(leaves), fc.nat({ max: leaves.length })));

const flipBit = (bytes: Uint8Array, bit: number): Uint8Array => {
  const out = bytes.slice();
  out[Math.floor(bit / 8) % out.length]! ^= 1 << (bit % 8);
  return out;
};
const hexes = (list: Uint8Array[]): string[] => list.map(toHex);

test('roots and paths equal the RFC recursive definitions', () => {
  fc.assert(fc.property(treeAndIndexArb, ([leaves, index]) => {
    const tree = MerkleTree.fromLeaves(sha256, leaves);
    const expected = toHex(referenceRoot(sha256, leaves));
    assert.equal(toHex(merkleRoot(sha256, leaves)), expected);
    assert.equal(toHex(tree.root()), expected);
    assert.deepEqual(hexes(tree.inclusionProof(index)), hexes(referencePath(sha256, index, leaves)));
  }));
  fc.assert(fc.property(treeAndOldSizeArb, ([leaves, oldSize]) => {
    assert.deepEqual(hexes(consistencyProof(sha256, leaves, oldSize)), hexes(referenceConsistency(sha256, oldSize, leaves)));
  }));
});

test('every inclusion proof verifies, for SHA-256 and SM3', () => {
  for (const hash of [sha256, sm3]) {
    fc.assert(fc.property(leavesArb(1, 40), (leaves) => {
      const tree = MerkleTree.fromLeaves(hash, leaves);
      const root = tree.root();
      leaves.forEach((leaf, index) => {
        assert.ok(verifyInclusion(hash, leafHash(hash, leaf), index, leaves.length, tree.inclusionProof(index), root));
      });
    }), { numRuns: 50 });
  }
});

test('inclusion: any change of leaf, index, path or root fails', () => {
  fc.assert(fc.property(treeAndIndexArb, fc.nat(), fc.nat(), ([leaves, index], bit, pick) => {
    const size = leaves.length;
    const tree = MerkleTree.fromLeaves(sha256, leaves);
    const root = tree.root();
    const leaf = leafHash(sha256, leaves[index]!);
    const path = tree.inclusionProof(index);
    const verify = (l: Uint8Array, i: number, s: number, p: Uint8Array[], r: Uint8Array) => verifyInclusion(sha256, l, i, s, p, r);

    assert.equal(verify(flipBit(leaf, bit), index, size, path, root), false, 'leaf');
    assert.equal(verify(flipBit(root, bit), index, size, path, root.slice(1)), false, 'short root');
    assert.equal(verify(leaf, index, size, path, flipBit(root, bit)), false, 'root');
    // Another index verifies only if it holds an identical leaf with an identical path (duplicate
    // leaves, which random data produces often, e.g. two empty leaves side by side).
    const otherIndex = (index + 1 + (pick % size)) % (size + 1);
    const other = leaves[otherIndex];
    const legitimate = other !== undefined && toHex(leafHash(sha256, other)) === toHex(leaf)
      && hexes(tree.inclusionProof(otherIndex)).join() === hexes(path).join();
    assert.equal(verify(leaf, otherIndex, size, path, root), legitimate, 'index');
    if (path.length > 0) {
      const at = pick % path.length;
      const flipped = path.slice();
      flipped[at] = flipBit(path[at]!, bit);
      assert.equal(verify(leaf, index, size, flipped, root), false, 'path element');
      assert.equal(verify(leaf, index, size, path.slice(0, -1), root), false, 'truncated');
      assert.equal(verify(leaf, index, size, path.slice(1), root), false, 'first dropped');
      assert.equal(verify(leaf, index, size, [...path.slice(0, at), ...path.slice(at + 1)], root), false, 'one dropped');
    }
    assert.equal(verify(leaf, index, size, [...path, root], root), false, 'extended');
    assert.equal(verify(leaf, index, size, [root, ...path], root), false, 'prepended');
  }));
});

// The size is not hashed into the root (RFC 9162 has the same property): a path verifies for another
// size exactly when that size gives the leaf the same left/right shape. Callers must therefore take
// the size from signed data; this pins down that nothing else is accepted.
test('inclusion: another tree size verifies only when the path shape is identical', () => {
  fc.assert(fc.property(treeAndIndexArb, fc.integer({ min: 0, max: 200 }), ([leaves, index], otherSize) => {
    const size = leaves.length;
    const tree = MerkleTree.fromLeaves(sha256, leaves);
    const path = tree.inclusionProof(index);
    const accepted = verifyInclusion(sha256, leafHash(sha256, leaves[index]!), index, otherSize, path, tree.root());
    const sameShape = index < otherSize && pathShape(index, otherSize) === pathShape(index, size);
    assert.equal(accepted, sameShape);
  }));
});

test('every consistency proof verifies; changed proofs and roots fail', () => {
  fc.assert(fc.property(treeAndOldSizeArb, fc.nat(), fc.nat(), ([leaves, oldSize], bit, pick) => {
    const size = leaves.length;
    const tree = MerkleTree.fromLeaves(sha256, leaves);
    const newRoot = tree.root();
    const oldRoot = merkleRoot(sha256, leaves.slice(0, oldSize));
    const proof = tree.consistencyProof(oldSize);
    const verify = (p: Uint8Array[], a: Uint8Array, b: Uint8Array) => verifyConsistency(sha256, oldSize, size, p, a, b);
    assert.ok(verify(proof, oldRoot, newRoot));
    assert.equal(verify(proof, flipBit(oldRoot, bit), newRoot), false, 'old root');
    // The empty tree is a prefix of every tree, so with oldSize 0 there is no new root to check.
    if (oldSize > 0) assert.equal(verify(proof, oldRoot, flipBit(newRoot, bit)), false, 'new root');
    assert.equal(verify([...proof, newRoot], oldRoot, newRoot), false, 'extended');
    assert.equal(verify([oldRoot, ...proof], oldRoot, newRoot), false, 'prepended');
    if (proof.length > 0) {
      const at = pick % proof.length;
      const flipped = proof.slice();
      flipped[at] = flipBit(proof[at]!, bit);
      assert.equal(verify(flipped, oldRoot, newRoot), false, 'proof element');
      assert.equal(verify(proof.slice(0, -1), oldRoot, newRoot), false, 'truncated');
      assert.equal(verify(proof.slice(1), oldRoot, newRoot), false, 'first dropped');
    }
  }));
});

test('consistency between random sizes of one growing log', () => {
  fc.assert(fc.property(leavesArb(0, 100), fc.nat(), fc.nat(), (leaves, a, b) => {
    const second = b % (leaves.length + 1);
    const first = a % (second + 1);
    const proof = consistencyProof(sha256, leaves.slice(0, second), first);
    const firstRoot = merkleRoot(sha256, leaves.slice(0, first));
    const secondRoot = merkleRoot(sha256, leaves.slice(0, second));
    assert.ok(verifyConsistency(sha256, first, second, proof, firstRoot, secondRoot));
    assert.equal(verifyConsistency(sha256, second, first, proof, secondRoot, firstRoot), first === second);
  }), { numRuns: 200 });
});

test('SM3 trees differ from SHA-256 trees, and proofs do not cross suites', () => {
  fc.assert(fc.property(treeAndIndexArb, ([leaves, index]) => {
    assert.notEqual(toHex(merkleRoot(sm3, leaves)), toHex(merkleRoot(sha256, leaves)));
    const tree = MerkleTree.fromLeaves(sm3, leaves);
    const path = tree.inclusionProof(index);
    assert.ok(verifyInclusion(sm3, leafHash(sm3, leaves[index]!), index, leaves.length, path, tree.root()));
    // A one-leaf tree involves no interior hashing, so only larger trees can tell the suites apart.
    if (leaves.length > 1) {
      assert.equal(verifyInclusion(sha256, leafHash(sm3, leaves[index]!), index, leaves.length, path, tree.root()), false);
    }
  }), { numRuns: 50 });
});

test('bad arguments: typed errors from provers, false from verifiers', () => {
  const leaves = [new Uint8Array([1]), new Uint8Array([2]), new Uint8Array([3])];
  const badRequest = (e: unknown) => e instanceof XinlianError && e.code === 'BAD_REQUEST';
  for (const index of [-1, 3, 1.5, Number.NaN]) assert.throws(() => inclusionProof(sha256, leaves, index), badRequest);
  assert.throws(() => inclusionProof(sha256, [], 0), badRequest);
  for (const oldSize of [-1, 4, 0.5]) assert.throws(() => consistencyProof(sha256, leaves, oldSize), badRequest);
  const root = merkleRoot(sha256, leaves);
  const leaf = leafHash(sha256, leaves[0]!);
  const path = inclusionProof(sha256, leaves, 0);
  for (const [index, size] of [[-1, 3], [0, -3], [0.5, 3], [0, 3.5], [0, Number.POSITIVE_INFINITY], [2 ** 53, 2 ** 53 + 2]]) {
    assert.equal(verifyInclusion(sha256, leaf, index!, size!, path, root), false, `${index}/${size}`);
  }
  assert.equal(rootFromInclusionProof(sha256, leaf, 0, 3, path.map((p) => p.subarray(1))), undefined, 'short elements');
  assert.equal(verifyConsistency(sha256, -1, 3, [], root, root), false);
  assert.equal(verifyConsistency(sha256, 1, Number.NaN, [], root, root), false);
});

test('large sizes near 2^53 are handled without 32-bit overflow', () => {
  // A leaf at the far right of a huge tree: the path is one sibling per level, all on the left.
  const leaf = leafHash(sha256, new Uint8Array([7]));
  const size = 2 ** 52 + 1; // the last leaf hangs directly under the root
  const sibling = sha256(new Uint8Array([1]));
  const expected = toHex(nodeHash(sha256, sibling, leaf));
  assert.equal(toHex(rootFromInclusionProof(sha256, leaf, size - 1, size, [sibling])!), expected);
  assert.equal(rootFromInclusionProof(sha256, leaf, size - 1, size, []), undefined);
  assert.equal(rootFromInclusionProof(sha256, leaf, 2 ** 32, 2 ** 32 + 1, [sibling]) !== undefined, true);
});

test('10,000 leaves: root and all proofs quickly', () => {
  const leaves = Array.from({ length: 10_000 }, (_, i) => new TextEncoder().encode(`tx-${i}`));
  const started = performance.now();
  const root = merkleRoot(sha256, leaves);
  const tree = MerkleTree.fromLeaves(sha256, leaves);
  assert.equal(toHex(tree.root()), toHex(root));
  for (let i = 0; i < leaves.length; i += 97) {
    assert.ok(verifyInclusion(sha256, leafHash(sha256, leaves[i]!), i, leaves.length, tree.inclusionProof(i), root));
  }
  const elapsedMs = performance.now() - started;
  assert.ok(elapsedMs < 2000, `took ${elapsedMs} ms`);
  assert.equal(toHex(merkleRootFromLeafHashes(sha256, leaves.map((l) => leafHash(sha256, l)))), toHex(root));
});

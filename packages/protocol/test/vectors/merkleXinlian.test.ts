// Xinlian's own Merkle vectors, the ones printed in docs/spec/merkle.md: COMPUTED BY US (with Node's
// OpenSSL SHA-256 and SM3, cross-checked with an independent Python hashlib script), not published
// elsewhere. Their purpose is to give SM3 implementations a fixed target; the published SHA-256
// vectors are in merkle.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  consistencyProof, emptyTreeRoot, fromHex, inclusionProof, leafHash, merkleRoot, toHex, utf8, verifyConsistency,
  verifyInclusion, type HashFunction,
} from '../../src/index.js';

interface SuiteVector {
  name: string;
  empty: string;
  leafHashes: [string, string, string];
  roots: [string, string, string]; // sizes 1, 2, 3
}

const VECTORS: SuiteVector[] = [
  {
    name: 'sha256',
    empty: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    leafHashes: [
      '022a6979e6dab7aa5ae4c3e5e45f7e977112a7e63593820dbec1ec738a24f93c',
      '57eb35615d47f34ec714cacdf5fd74608a5e8e102724e80b24b287c0c27b6a31',
      '597fcb31282d34654c200d3418fca5705c648ebf326ec73d8ddef11841f876d8',
    ],
    roots: [
      '022a6979e6dab7aa5ae4c3e5e45f7e977112a7e63593820dbec1ec738a24f93c',
      'b137985ff484fb600db93107c77b0365c80d78f5b429ded0fd97361d077999eb',
      '36642e73c2540ab121e3a6bf9545b0a24982cd830eb13d3cd19de3ce6c021ec1',
    ],
  },
  {
    name: 'sm3',
    empty: '1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b',
    leafHashes: [
      'c688f41bcd570f9651ccb215058a545f66f52ab4eac2968896e1637af9443d8c',
      '724af679db0196244526c0138b438a44458c320e7e610e75e13f3dec5f0ccbb9',
      '5b280c126260877493fd073e309507ce00677c1f89d8d24d97d61a7a4dff401c',
    ],
    roots: [
      'c688f41bcd570f9651ccb215058a545f66f52ab4eac2968896e1637af9443d8c',
      '2c537e31416ae684fd8a1552a3bcd5a452274e02a45d67c856405b3a1108ee90',
      '2706e4e4d41c1ed9c3fe7f7822bf360a67abcc052cc2c00022c1313ec3ded965',
    ],
  },
];

const LEAVES = ['a', 'b', 'c'].map(utf8);

for (const vector of VECTORS) {
  const hash: HashFunction = (data) => new Uint8Array(createHash(vector.name).update(data).digest());
  test(`${vector.name}: leaves "a", "b", "c"`, () => {
    const [l0, l1, l2] = vector.leafHashes;
    const [r1, r2, r3] = vector.roots;
    assert.equal(toHex(emptyTreeRoot(hash)), vector.empty);
    assert.deepEqual(LEAVES.map((leaf) => toHex(leafHash(hash, leaf))), vector.leafHashes);
    assert.deepEqual([1, 2, 3].map((n) => toHex(merkleRoot(hash, LEAVES.slice(0, n)))), vector.roots);
    assert.deepEqual(inclusionProof(hash, LEAVES, 0).map(toHex), [l1, l2]);
    assert.deepEqual(inclusionProof(hash, LEAVES, 2).map(toHex), [r2]);
    assert.deepEqual(consistencyProof(hash, LEAVES, 1).map(toHex), [l1, l2]);
    assert.deepEqual(consistencyProof(hash, LEAVES, 2).map(toHex), [l2]);
    const bytes = fromHex;
    assert.ok(verifyInclusion(hash, bytes(l2), 2, 3, [bytes(r2)], bytes(r3)));
    assert.ok(verifyInclusion(hash, bytes(l0), 0, 3, [bytes(l1), bytes(l2)], bytes(r3)));
    assert.ok(verifyConsistency(hash, 2, 3, [bytes(l2)], bytes(r2), bytes(r3)));
    assert.ok(verifyConsistency(hash, 1, 3, [bytes(l1), bytes(l2)], bytes(r1), bytes(r3)));
  });
}

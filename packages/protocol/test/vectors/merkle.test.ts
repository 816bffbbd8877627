// RFC 6962 reference test data, as published by Google's certificate-transparency / Trillian and now
// kept in github.com/transparency-dev/merkle: leaves, node hashes and roots from
// testonly/constants.go; inclusion and consistency paths from proof/verify_test.go. The hex values
// are the published expectations; nothing here is computed by us.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  MerkleTree, consistencyProof, emptyTreeRoot, fromHex, inclusionProof, leafHash, merkleRoot,
  merkleRootFromLeafHashes, toHex, verifyConsistency, verifyInclusion,
} from '../../src/index.js';

const sha256 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest());

const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(fromHex);

/** Leaf hashes HASH(0x00 || leaf), level 0 of the published node table. */
const LEAF_HASHES = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
  '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
  '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
  'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
  'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
  '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1',
];

/** Root of the tree over the first n leaves, n = 0..8. */
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

/** [leaf index, tree size, path]. The source numbers leaves from 1; these are 0-based. */
const INCLUSION: [number, number, string[]][] = [
  [0, 1, []],
  [0, 8, [
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
  ]],
  [5, 8, [
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  ]],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [1, 5, [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  ]],
];

/** [old size, new size, path]. */
const CONSISTENCY: [number, number, string[]][] = [
  [1, 1, []],
  [1, 8, [
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
  ]],
  [6, 8, [
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  ]],
  [2, 5, [
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  ]],
  [6, 7, [
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  ]],
];

const hexList = (list: Uint8Array[]): string[] => list.map(toHex);
const root = (size: number): Uint8Array => fromHex(ROOTS[size]!);
const SOME_HASH = fromHex('abacaba000000000000000000000000000000000000000000060061e00123456');

test('leaf hashes and roots for sizes 0..8', () => {
  assert.deepEqual(hexList(LEAVES.map((leaf) => leafHash(sha256, leaf))), LEAF_HASHES);
  assert.equal(toHex(emptyTreeRoot(sha256)), ROOTS[0]);
  for (let size = 0; size <= 8; size++) {
    const leaves = LEAVES.slice(0, size);
    assert.equal(toHex(merkleRoot(sha256, leaves)), ROOTS[size], `merkleRoot size ${size}`);
    assert.equal(toHex(merkleRootFromLeafHashes(sha256, LEAF_HASHES.slice(0, size).map(fromHex))), ROOTS[size]);
    assert.equal(toHex(MerkleTree.fromLeaves(sha256, leaves).root()), ROOTS[size], `MerkleTree size ${size}`);
  }
});

test('inclusion paths: generated equal published, and verify', () => {
  for (const [index, size, path] of INCLUSION) {
    const leaves = LEAVES.slice(0, size);
    assert.deepEqual(hexList(inclusionProof(sha256, leaves, index)), path, `path ${index}/${size}`);
    assert.ok(verifyInclusion(sha256, fromHex(LEAF_HASHES[index]!), index, size, path.map(fromHex), root(size)));
  }
});

test('consistency paths: generated equal published, and verify', () => {
  for (const [first, second, path] of CONSISTENCY) {
    const leaves = LEAVES.slice(0, second);
    assert.deepEqual(hexList(consistencyProof(sha256, leaves, first)), path, `proof ${first}->${second}`);
    assert.ok(verifyConsistency(sha256, first, second, path.map(fromHex), root(first), root(second)));
  }
});

// The corruptions that the published verifier tests apply to every known-good inclusion proof.
test('corrupted inclusion proofs fail', () => {
  for (const [index, size, hexPath] of INCLUSION) {
    const path = hexPath.map(fromHex);
    const leaf = fromHex(LEAF_HASHES[index]!);
    const good = root(size);
    const probes: [string, number, number, Uint8Array, Uint8Array[], Uint8Array][] = [
      ['index - 1', index - 1, size, leaf, path, good],
      ['index + 1', index + 1, size, leaf, path, good],
      ['index ^ 2', index ^ 2, size, leaf, path, good],
      ['size * 2', index, size * 2, leaf, path, good],
      ['size / 2', index, Math.floor(size / 2), leaf, path, good],
      ['wrong leaf', index, size, new TextEncoder().encode('WrongLeaf'), path, good],
      ['empty root', index, size, leaf, path, root(0)],
      ['random root', index, size, leaf, path, SOME_HASH],
      ['trailing garbage', index, size, leaf, [...path, new Uint8Array(0)], good],
      ['trailing root', index, size, leaf, [...path, good], good],
      ['preceding garbage', index, size, leaf, [new Uint8Array(0), ...path], good],
      ['preceding root', index, size, leaf, [good, ...path], good],
    ];
    path.forEach((_, i) => {
      const flipped = path.map((node) => node.slice());
      flipped[i]![0]! ^= 8;
      probes.push([`flipped path[${i}]`, index, size, leaf, flipped, good]);
    });
    if (path.length > 0) probes.push(['removed last', index, size, leaf, path.slice(0, -1), good]);
    if (path.length > 1) probes.push(['inserted', index, size, leaf, [path[0]!, SOME_HASH, ...path.slice(1)], good]);
    for (const [what, i, s, l, p, r] of probes) {
      assert.equal(verifyInclusion(sha256, l, i, s, p, r), false, `${what} for ${index}/${size}`);
    }
  }
});

test('corrupted consistency proofs fail', () => {
  for (const [first, second, hexPath] of CONSISTENCY) {
    if (hexPath.length === 0) continue;
    const path = hexPath.map(fromHex);
    const [r1, r2] = [root(first), root(second)];
    const wrong = new TextEncoder().encode('WrongRoot');
    const probes: [string, number, number, Uint8Array[], Uint8Array, Uint8Array][] = [
      ['first - 1', first - 1, second, path, r1, r2],
      ['first + 1', first + 1, second, path, r1, r2],
      ['first ^ 2', first ^ 2, second, path, r1, r2],
      ['second * 2', first, second * 2, path, r1, r2],
      ['second / 2', first, Math.floor(second / 2), path, r1, r2],
      ['wrong root1', first, second, path, wrong, r2],
      ['wrong root2', first, second, path, r1, wrong],
      ['swapped roots', first, second, path, r2, r1],
      ['empty proof', first, second, [], r1, r2],
      ['trailing garbage', first, second, [...path, new Uint8Array(0)], r1, r2],
      ['trailing root1', first, second, [...path, r1], r1, r2],
      ['trailing root2', first, second, [...path, r2], r1, r2],
      ['preceding garbage', first, second, [new Uint8Array(0), ...path], r1, r2],
      ['preceding root1', first, second, [r1, ...path], r1, r2],
      ['preceding root2', first, second, [r2, ...path], r1, r2],
      ['preceding path[0]', first, second, [path[0]!, ...path], r1, r2],
      ['truncated', first, second, path.slice(0, -1), r1, r2],
    ];
    path.forEach((_, i) => {
      const flipped = path.map((node) => node.slice());
      flipped[i]![0]! ^= 16;
      probes.push([`flipped path[${i}]`, first, second, flipped, r1, r2]);
    });
    for (const [what, s1, s2, p, a, b] of probes) {
      assert.equal(verifyConsistency(sha256, s1, s2, p, a, b), false, `${what} for ${first}->${second}`);
    }
  }
});

test('edge cases of the published verifier tests', () => {
  const leaf = leafHash(sha256, new TextEncoder().encode('data'));
  assert.ok(verifyInclusion(sha256, leaf, 0, 1, [], leaf), 'a one-leaf tree: root = leaf hash');
  assert.equal(verifyInclusion(sha256, leaf, 0, 1, [], new Uint8Array(0)), false);
  assert.equal(verifyInclusion(sha256, new Uint8Array(0), 0, 1, [], leaf), false);
  for (const [index, size] of [[0, 0], [1, 0], [2, 1]] as const) {
    assert.equal(verifyInclusion(sha256, SOME_HASH, index, size, [], root(0)), false, `${index}/${size}`);
  }
  const proof2 = [root(0)];
  assert.ok(verifyConsistency(sha256, 0, 0, [], root(0), root(0)));
  assert.ok(verifyConsistency(sha256, 0, 3, [], root(0), root(3)));
  assert.ok(verifyConsistency(sha256, 3, 3, [], root(3), root(3)));
  assert.equal(verifyConsistency(sha256, 3, 3, [], root(3), root(4)), false, 'equal sizes, different roots');
  assert.equal(verifyConsistency(sha256, 1, 0, [], root(1), root(0)), false, 'time travel');
  assert.equal(verifyConsistency(sha256, 2, 1, [], root(2), root(1)), false, 'time travel');
  assert.equal(verifyConsistency(sha256, 1, 2, [], root(1), root(2)), false, 'empty proof');
  assert.equal(verifyConsistency(sha256, 0, 0, proof2, root(0), root(0)), false, 'non-empty proof');
  assert.equal(verifyConsistency(sha256, 0, 1, proof2, root(0), root(1)), false, 'non-empty proof');
  assert.equal(verifyConsistency(sha256, 1, 1, proof2, root(1), root(1)), false, 'non-empty proof');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  XinlianError, decodeStateProof, encodeStateProof, stateRootOf, toHex, utf8, verifyStateProof,
  stateKeyHash, stateLeafHash, stateNodeHash, stateValueHash, type StateProof,
} from '../../src/index.js';

const sha256 = (data: Uint8Array): Uint8Array => createHash('sha256').update(data).digest();
const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const proofArb: fc.Arbitrary<StateProof> = fc.record({
  siblings: fc.array(hash32, { maxLength: 40 }),
  terminal: fc.oneof(
    fc.constant({ kind: 'empty' as const }),
    fc.constant({ kind: 'leaf' as const }),
    fc.record({ kind: fc.constant('otherLeaf' as const), keyHash: hash32, valueHash: hash32 }),
  ),
});

function expectDecodeErrorOrCanonical(bytes: Uint8Array): void {
  let proof: StateProof;
  try {
    proof = decodeStateProof(bytes);
  } catch (error) {
    assert.ok(error instanceof XinlianError, `unexpected ${String(error)}`);
    assert.equal(error.code, 'DECODE_ERROR');
    return;
  }
  assert.equal(toHex(encodeStateProof(proof)), toHex(bytes));
}

test('decode(encode(proof)) = proof', () => {
  fc.assert(fc.property(proofArb, (proof) => {
    assert.deepEqual(decodeStateProof(encodeStateProof(proof)), { siblings: proof.siblings, terminal: { ...proof.terminal } });
  }));
});

test('decoder fuzz: random bytes and mutated proofs are DECODE_ERROR or canonical', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), expectDecodeErrorOrCanonical), { numRuns: 2000 });
  fc.assert(fc.property(proofArb, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.integer({ min: -3, max: 3 }), (proof, at, byte, cut) => {
    const bytes = encodeStateProof(proof);
    const mutated = bytes.slice();
    mutated[at % mutated.length] = byte;
    expectDecodeErrorOrCanonical(mutated);
    expectDecodeErrorOrCanonical(cut >= 0 ? bytes.subarray(0, Math.max(0, bytes.length - cut)) : new Uint8Array([...bytes, 0]));
  }), { numRuns: 1000 });
});

test('decoder rejects depth above 256 and unknown terminals', () => {
  const deep = new Uint8Array(3 + 257 * 32);
  deep.set([0, 0x01, 0x01]);
  assert.throws(() => decodeStateProof(deep), { code: 'DECODE_ERROR' });
  assert.throws(() => decodeStateProof(Uint8Array.of(3, 0, 0)), { code: 'DECODE_ERROR' });
  assert.deepEqual(decodeStateProof(Uint8Array.of(0, 0, 0)), { siblings: [], terminal: { kind: 'empty' } });
});

test('hand-built proofs: inclusion, absence under another leaf, absence under an empty subtree', () => {
  const entries = ['alice', 'bob', 'carol'].map((name, i) => ({ key: utf8(name), value: utf8(String(i)) }));
  const root = stateRootOf(sha256, entries);
  // SHA-256 paths: alice 0010..., carol 0100..., bob 1000...; so root = N(N(alice, carol), bob).
  const leaf = (i: number): Uint8Array => stateLeafHash(sha256, stateKeyHash(sha256, entries[i]!.key), stateValueHash(sha256, entries[i]!.value));
  const aliceProof: StateProof = { siblings: [leaf(1), leaf(2)], terminal: { kind: 'leaf' } };
  assert.ok(verifyStateProof(sha256, root, utf8('alice'), utf8('0'), aliceProof));
  assert.ok(!verifyStateProof(sha256, root, utf8('alice'), utf8('1'), aliceProof));
  assert.ok(!verifyStateProof(sha256, root, utf8('alice'), undefined, aliceProof));
  assert.ok(!verifyStateProof(sha256, root, utf8('carol'), utf8('0'), aliceProof));
  // "zed" (SHA-256 path 1...) is absent: the walk ends at bob's leaf at depth 1.
  const zed = utf8('zed');
  assert.equal(stateKeyHash(sha256, zed)[0]! >> 7, 1);
  const bobKeyHash = stateKeyHash(sha256, entries[1]!.key);
  const absence: StateProof = {
    siblings: [stateNodeHash(sha256, leaf(0), leaf(2))],
    terminal: { kind: 'otherLeaf', keyHash: bobKeyHash, valueHash: stateValueHash(sha256, entries[1]!.value) },
  };
  assert.ok(verifyStateProof(sha256, root, zed, undefined, absence));
  assert.ok(!verifyStateProof(sha256, root, zed, utf8('1'), absence));
  assert.ok(!verifyStateProof(sha256, root, utf8('bob'), undefined, absence), 'the leaf is bob\'s own');
  // Malformed input is false, never a throw.
  assert.ok(!verifyStateProof(sha256, root.subarray(1), zed, undefined, absence));
  assert.ok(!verifyStateProof(sha256, root, zed, undefined, { siblings: [new Uint8Array(31)], terminal: { kind: 'empty' } }));
  // An empty state proves every key absent with the empty proof, and nothing else.
  const empty = stateRootOf(sha256, []);
  assert.ok(verifyStateProof(sha256, empty, zed, undefined, { siblings: [], terminal: { kind: 'empty' } }));
  assert.ok(!verifyStateProof(sha256, empty, zed, utf8(''), { siblings: [], terminal: { kind: 'leaf' } }));
});

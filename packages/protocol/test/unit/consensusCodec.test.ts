import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  decodeConsensusMessage, decodeProposal, decodeSignedVote, encodeConsensusMessage, encodeProposal, encodeSignedVote,
  proposalDigest, pureSuite, voteDigest, XinlianError, type ConsensusMessage,
} from '../../src/index.js';

const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const height = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const proposal = fc.tuple(height, fc.integer({ min: 1, max: 0xffffffff }), hash32).chain(([h, round, blockHash]) =>
  fc.integer({ min: -1, max: round - 1 }).map((polRound) => ({ height: h, round, polRound, blockHash })));
const signedVote = fc.record({
  vote: fc.record({ type: fc.constantFrom(1 as const, 2 as const), height, round: u32, blockHash: hash32 }, { noNullPrototype: true }),
  validatorIndex: fc.integer({ min: 0, max: 999 }),
  signature: fc.uint8Array({ maxLength: 72 }),
}, { noNullPrototype: true });
const message: fc.Arbitrary<ConsensusMessage> = fc.oneof(
  fc.record({ proposal, signature: fc.uint8Array({ maxLength: 72 }), value: fc.uint8Array({ maxLength: 64 }) })
    .map(({ proposal: p, signature, value }): ConsensusMessage => ({ type: 'proposal', proposal: { proposal: p, signature }, value })),
  signedVote.map((vote): ConsensusMessage => ({ type: 'vote', vote })),
);
const isDecodeError = (e: unknown) => e instanceof XinlianError && e.code === 'DECODE_ERROR';

test('proposal, signed vote and consensus message round-trip (property)', () => {
  fc.assert(fc.property(proposal, (p) => assert.deepEqual(decodeProposal(encodeProposal(p)), p)));
  fc.assert(fc.property(signedVote, (v) => assert.deepEqual(decodeSignedVote(encodeSignedVote(v)), v)));
  fc.assert(fc.property(message, (m) => assert.deepEqual(decodeConsensusMessage(encodeConsensusMessage(m), 64), m)));
});

test('decoders of peer input fail only with DECODE_ERROR (property)', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
    for (const decode of [decodeProposal, decodeSignedVote, (b: Uint8Array) => decodeConsensusMessage(b, 64)]) {
      try { decode(bytes); } catch (e) { assert.ok(isDecodeError(e), String(e)); }
    }
  }));
  fc.assert(fc.property(message, fc.nat(), fc.integer({ min: 0, max: 255 }), (m, at, byte) => {
    const bytes = encodeConsensusMessage(m);
    bytes[at % bytes.length] = byte;
    try { decodeConsensusMessage(bytes, 64); } catch (e) { assert.ok(isDecodeError(e), String(e)); }
  }));
});

test('a polRound at or above the round has no encoding', () => {
  assert.throws(() => encodeProposal({ height: 1, round: 2, polRound: 2, blockHash: new Uint8Array(32) }), RangeError);
  const bytes = encodeProposal({ height: 1, round: 3, polRound: 2, blockHash: new Uint8Array(32) });
  bytes[8 + 3] = 2; // round 3 -> 2, polRound stays 2
  assert.throws(() => decodeProposal(bytes), isDecodeError);
});

test('proposal and vote digests differ by domain for the same bytes', () => {
  const { hash } = pureSuite('intl');
  const p = proposalDigest(hash, 'c', { height: 1, round: 0, polRound: -1, blockHash: new Uint8Array(32) });
  const v = voteDigest(hash, 'c', { type: 1, height: 1, round: 0, blockHash: new Uint8Array(32) });
  assert.notDeepEqual(p, v);
  assert.equal(p.length, 32);
});

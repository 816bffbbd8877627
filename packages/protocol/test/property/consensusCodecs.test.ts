import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  decodeConsensusMessage, decodeProposal, decodeSignedProposal, decodeSignedVote, encodeConsensusMessage, encodeProposal,
  encodeSignedProposal, encodeSignedVote, LIMITS, Writer, type ConsensusMessage,
} from '../../src/index.js';
import {
  applyMutation, assertRejects, checkProperty, decodeCanonicallyOrReject, mutationArbitrary, OutcomeCounter,
  signedProposalArbitrary, signedVoteArbitrary,
} from '../helpers/decoderFuzz.js';

// The consensus codecs every validator decodes from its peers (docs/spec/consensus.md). The unit
// tests hold round-trips and "garbage is a DECODE_ERROR"; these add canonicity (whatever decodes
// re-encodes to the same bytes), prefix-freeness, the signed proposal codec and the size limits.

const VALUE_BYTES_MAX = 64;

const consensusMessageArbitrary: fc.Arbitrary<ConsensusMessage> = fc.oneof(
  fc.record({ proposal: signedProposalArbitrary, value: fc.uint8Array({ maxLength: VALUE_BYTES_MAX }) })
    .map(({ proposal, value }): ConsensusMessage => ({ type: 'proposal', proposal, value })),
  signedVoteArbitrary.map((vote): ConsensusMessage => ({ type: 'vote', vote })),
);

function propertiesOf<T>(name: string, seed: number, arbitrary: fc.Arbitrary<T>, encode: (value: T) => Uint8Array, decode: (bytes: Uint8Array) => T): void {
  test(`${name}: decode(encode(x)) equals x`, (t) => {
    checkProperty(t, fc.property(arbitrary, (value) => assert.deepEqual(decode(encode(value)), value)), { seed, numRuns: 300 });
  });

  test(`${name}: a mutated encoding decodes to a value that re-encodes to it, or is a DECODE_ERROR`, (t) => {
    const outcomes = new OutcomeCounter();
    const limits = [LIMITS.signatureBytesMax, LIMITS.validatorsMax, VALUE_BYTES_MAX];
    checkProperty(t, fc.property(arbitrary, mutationArbitrary(limits), (value, mutation) => {
      outcomes.add(decodeCanonicallyOrReject(applyMutation(encode(value), mutation), decode, encode));
    }), { seed: seed + 1, numRuns: 1000 });
    outcomes.assertBothAtLeast(50, name);
  });

  test(`${name}: no strict prefix and no extension of an encoding decodes`, (t) => {
    checkProperty(t, fc.property(arbitrary, fc.uint8Array({ minLength: 1, maxLength: 8 }), (value, tail) => {
      const bytes = encode(value);
      for (let cut = 0; cut < bytes.length; cut++) assertRejects(() => decode(bytes.subarray(0, cut)), 'DECODE_ERROR', `prefix of ${cut} bytes`);
      assertRejects(() => decode(Uint8Array.from([...bytes, ...tail])), 'DECODE_ERROR', 'trailing bytes');
    }), { seed: seed + 2, numRuns: 100 });
  });

  test(`${name}: random bytes decode canonically or are a DECODE_ERROR`, (t) => {
    checkProperty(t, fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      decodeCanonicallyOrReject(bytes, decode, encode);
    }), { seed: seed + 3, numRuns: 500 });
  });
}

propertiesOf('proposal', 3100, signedProposalArbitrary.map((signed) => signed.proposal), encodeProposal, decodeProposal);
propertiesOf('signed proposal', 3200, signedProposalArbitrary, encodeSignedProposal, decodeSignedProposal);
propertiesOf('signed vote', 3300, signedVoteArbitrary, encodeSignedVote, decodeSignedVote);
propertiesOf('consensus message', 3400, consensusMessageArbitrary, encodeConsensusMessage, (bytes) => decodeConsensusMessage(bytes, VALUE_BYTES_MAX));

test('limits: signatures up to signatureBytesMax, validator indices below validatorsMax, values up to the caller\'s limit', (t) => {
  const vote = { type: 1 as const, height: 7, round: 1, blockHash: new Uint8Array(LIMITS.hashBytes) };
  const signedVote = (validatorIndex: number, signatureBytes: number) =>
    encodeSignedVote({ vote, validatorIndex, signature: new Uint8Array(signatureBytes) });
  checkProperty(t, fc.property(
    fc.integer({ min: LIMITS.validatorsMax - 2, max: LIMITS.validatorsMax + 1 }),
    fc.integer({ min: LIMITS.signatureBytesMax - 2, max: LIMITS.signatureBytesMax + 2 }),
    fc.integer({ min: 0, max: 100 }),
    fc.integer({ min: 0, max: 102 }),
    (validatorIndex, signatureBytes, valueBytesMax, valueBytes) => {
      const voteBytes = signedVote(validatorIndex, signatureBytes);
      const voteFits = validatorIndex < LIMITS.validatorsMax && signatureBytes <= LIMITS.signatureBytesMax;
      if (voteFits) assert.equal(decodeSignedVote(voteBytes).validatorIndex, validatorIndex);
      else assertRejects(() => decodeSignedVote(voteBytes), 'DECODE_ERROR', 'vote over a limit');
      const message = encodeConsensusMessage({
        type: 'proposal',
        proposal: { proposal: { height: 7, round: 0, polRound: -1, blockHash: vote.blockHash }, signature: new Uint8Array(signatureBytes) },
        value: new Uint8Array(valueBytes),
      });
      if (signatureBytes <= LIMITS.signatureBytesMax && valueBytes <= valueBytesMax) decodeConsensusMessage(message, valueBytesMax);
      else assertRejects(() => decodeConsensusMessage(message, valueBytesMax), 'DECODE_ERROR', 'proposal over a limit');
    },
  ), { seed: 3500, numRuns: 300 });
});

test('fields with a closed set of values: vote type 1 or 2, polRound present flag 0 or 1, polRound below round', (t) => {
  checkProperty(t, fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }),
    (voteType, flag, round, polRound) => {
      const vote = new Writer().u8(voteType).u64(1).u32(0).fixed(new Uint8Array(32), 32).u32(0).bytes(new Uint8Array(0)).finish();
      if (voteType === 1 || voteType === 2) decodeSignedVote(vote);
      else assertRejects(() => decodeSignedVote(vote), 'DECODE_ERROR', `vote type ${voteType}`);
      const proposal = new Writer().u64(1).u32(round).u8(flag).u32(polRound).fixed(new Uint8Array(32), 32).finish();
      // With the flag 0 the u32 is not read, so the 4 bytes are trailing: only flag 1 and polRound < round decode.
      if (flag === 1 && polRound < round) assert.equal(decodeProposal(proposal).polRound, polRound);
      else assertRejects(() => decodeProposal(proposal), 'DECODE_ERROR', `flag ${flag}, polRound ${polRound}, round ${round}`);
    },
  ), { seed: 3600, numRuns: 400 });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  decodeConsensusMessage, decodeProposal, decodeSignedProposal, decodeSignedVote, encodeConsensusMessage, encodeProposal,
  encodeSignedProposal, encodeSignedVote, LIMITS, Writer, type ConsensusMessage,
} from '../../src/index.js';
import {
  assertRejects, checkProperty, codecProperties,
  signedProposalArbitrary, signedVoteArbitrary,
} from '../helpers/decoderFuzz.js';

// The consensus codecs every validator decodes from its peers (docs/spec/consensus.md). The unit
// tests hold round-trips and "garbage is a DECODE_ERROR"; these add canonicity (whatever decodes
// re-encodes to the same bytes), prefix-freeness, the signed proposal codec and the size limits.

const VALUE_BYTES_MAX = 64;
const CODEC_OPTIONS = { limits: [LIMITS.signatureBytesMax, LIMITS.validatorsMax, VALUE_BYTES_MAX] };

const consensusMessageArbitrary: fc.Arbitrary<ConsensusMessage> = fc.oneof(
  fc.record({ proposal: signedProposalArbitrary, value: fc.uint8Array({ maxLength: VALUE_BYTES_MAX }) })
    .map(({ proposal, value }): ConsensusMessage => ({ type: 'proposal', proposal, value })),
  signedVoteArbitrary.map((vote): ConsensusMessage => ({ type: 'vote', vote })),
);


codecProperties('proposal', 3100, signedProposalArbitrary.map((signed) => signed.proposal), encodeProposal, decodeProposal, CODEC_OPTIONS);
codecProperties('signed proposal', 3200, signedProposalArbitrary, encodeSignedProposal, decodeSignedProposal, CODEC_OPTIONS);
codecProperties('signed vote', 3300, signedVoteArbitrary, encodeSignedVote, decodeSignedVote, CODEC_OPTIONS);
codecProperties('consensus message', 3400, consensusMessageArbitrary, encodeConsensusMessage, (bytes) => decodeConsensusMessage(bytes, VALUE_BYTES_MAX), CODEC_OPTIONS);

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

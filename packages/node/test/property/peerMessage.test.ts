import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeConsensusMessage, encodeConsensusMessage, LIMITS, Writer, type ConsensusMessage } from '@xinlian/protocol';
import type * as DecoderFuzz from '../../../protocol/dist/test/helpers/decoderFuzz.js';
import {
  decodePeerMessage, encodePeerMessage, GOSSIP_TXS_MAX, SYNC_BLOCKS_MAX, type PeerMessage,
} from '../../src/consensus/peerMessage.js';

// The shared decoder fuzzing helpers, from the build of protocol's tests (this package depends on it).
const {
  applyMutation, assertRejects, checkProperty, decodeCanonicallyOrReject, mutationArbitrary, OutcomeCounter,
  signedProposalArbitrary, signedVoteArbitrary,
} = (await import(new URL('../../../../protocol/dist/test/helpers/decoderFuzz.js', import.meta.url).href)) as typeof DecoderFuzz;

// Every byte a peer sends on the consensus channel goes through decodePeerMessage first, then (for
// the consensus channel) through decodeConsensusMessage, as ConsensusDriver.receive does. A peer
// that sends garbage must get a DECODE_ERROR (and is dropped), never an exception of another kind
// and never a message other than the one its bytes encode.

/** Small, so that the limits derived from it (blockBytesMax + 64 KiB) stay cheap to reach. */
const BLOCK_BYTES_MAX = 512;
const CONSENSUS_BYTES_MAX = BLOCK_BYTES_MAX + 65_536;
const COMMIT_BYTES_MAX = LIMITS.validatorsMax * 200;
const decode = (bytes: Uint8Array) => decodePeerMessage(bytes, BLOCK_BYTES_MAX);

const consensusMessageArbitrary: fc.Arbitrary<ConsensusMessage> = fc.oneof(
  fc.record({ proposal: signedProposalArbitrary, value: fc.uint8Array({ maxLength: 64 }) })
    .map(({ proposal, value }): ConsensusMessage => ({ type: 'proposal', proposal, value })),
  signedVoteArbitrary.map((vote): ConsensusMessage => ({ type: 'vote', vote })),
);

const blob = fc.uint8Array({ maxLength: 48 });
const peerMessageArbitrary: fc.Arbitrary<PeerMessage> = fc.oneof(
  fc.oneof(consensusMessageArbitrary.map(encodeConsensusMessage), blob).map((bytes): PeerMessage => ({ type: 'consensus', bytes })),
  fc.array(blob, { maxLength: 6 }).map((txs): PeerMessage => ({ type: 'txs', txs })),
  fc.maxSafeNat().map((committedHeight): PeerMessage => ({ type: 'status', committedHeight })),
  fc.maxSafeNat().map((fromHeight): PeerMessage => ({ type: 'syncRequest', fromHeight })),
  fc.array(fc.record({ block: blob, commit: blob }, { noNullPrototype: true }), { maxLength: 4 })
    .map((blocks): PeerMessage => ({ type: 'syncReply', blocks })),
);

test('decodePeerMessage(encodePeerMessage(m)) equals m on every channel', (t) => {
  checkProperty(t, fc.property(peerMessageArbitrary, (message) => {
    assert.deepEqual(decode(encodePeerMessage(message)), message);
  }), { seed: 5100, numRuns: 1000 });
});

test('a mutated message decodes to a message that re-encodes to it, or is a DECODE_ERROR', (t) => {
  const outcomes = new OutcomeCounter();
  const limits = [GOSSIP_TXS_MAX, SYNC_BLOCKS_MAX, CONSENSUS_BYTES_MAX, COMMIT_BYTES_MAX, LIMITS.txBytesMax];
  checkProperty(t, fc.property(peerMessageArbitrary, mutationArbitrary(limits), (message, mutation) => {
    outcomes.add(decodeCanonicallyOrReject(applyMutation(encodePeerMessage(message), mutation), decode, encodePeerMessage));
  }), { seed: 5101, numRuns: 4000 });
  outcomes.assertBothAtLeast(300, 'mutated peer messages');
});

test('consensus channel, both decoders as the driver runs them: canonical or a DECODE_ERROR', (t) => {
  // The inner decoder gets the same limit as in ConsensusDriver.receive.
  const decodeBoth = (bytes: Uint8Array): ConsensusMessage => {
    const outer = decode(bytes);
    assert.ok(outer.type === 'consensus', 'channel byte 1 is the consensus channel');
    return decodeConsensusMessage(outer.bytes, CONSENSUS_BYTES_MAX);
  };
  const outcomes = new OutcomeCounter();
  checkProperty(t, fc.property(consensusMessageArbitrary, mutationArbitrary([CONSENSUS_BYTES_MAX]), (message, mutation) => {
    const bytes = applyMutation(encodePeerMessage({ type: 'consensus', bytes: encodeConsensusMessage(message) }), mutation);
    // A mutation of the channel byte may turn the message into another channel's: checked above.
    if (bytes[0] !== 1) return;
    outcomes.add(decodeCanonicallyOrReject(bytes, decodeBoth, (inner) => encodePeerMessage({ type: 'consensus', bytes: encodeConsensusMessage(inner) })));
  }), { seed: 5102, numRuns: 3000 });
  outcomes.assertBothAtLeast(300, 'mutated consensus channel messages');
});

test('no strict prefix and no extension of a message decodes', (t) => {
  checkProperty(t, fc.property(peerMessageArbitrary, fc.uint8Array({ minLength: 1, maxLength: 16 }), (message, tail) => {
    const bytes = encodePeerMessage(message);
    for (let cut = 0; cut < bytes.length; cut++) assertRejects(() => decode(bytes.subarray(0, cut)), 'DECODE_ERROR', `prefix of ${cut} bytes`);
    assertRejects(() => decode(Uint8Array.from([...bytes, ...tail])), 'DECODE_ERROR', 'trailing bytes');
  }), { seed: 5103, numRuns: 300 });
});

test('random bytes on any channel byte decode canonically or are a DECODE_ERROR', (t) => {
  checkProperty(t, fc.property(fc.integer({ min: 0, max: 255 }), fc.boolean(), fc.uint8Array({ maxLength: 200 }), (channel, likelyChannel, rest) => {
    const bytes = Uint8Array.from([likelyChannel ? channel % 7 : channel, ...rest]);
    decodeCanonicallyOrReject(bytes, decode, encodePeerMessage);
  }), { seed: 5104, numRuns: 3000 });
});

/** Channel byte and a u32 count followed by `count` entries, each written by `entry`. */
function listMessage(channel: number, count: number, entry: (w: Writer) => void): Uint8Array {
  const w = new Writer().u8(channel).u32(count);
  for (let i = 0; i < count; i++) entry(w);
  return w.finish();
}

test('counts: up to GOSSIP_TXS_MAX txs and SYNC_BLOCKS_MAX blocks decode, one more does not even when present', (t) => {
  checkProperty(t, fc.property(fc.integer({ min: -3, max: 3 }), fc.constantFrom(2, 5), (delta, channel) => {
    const max = channel === 2 ? GOSSIP_TXS_MAX : SYNC_BLOCKS_MAX;
    const count = max + delta;
    const bytes = listMessage(channel, count, (w) => (channel === 2 ? w.bytes(Uint8Array.of(1)) : w.bytes(Uint8Array.of(2)).bytes(Uint8Array.of(3))));
    if (count <= max) {
      const message = decode(bytes);
      assert.equal(message.type === 'txs' ? message.txs.length : message.type === 'syncReply' ? message.blocks.length : -1, count);
    } else {
      assertRejects(() => decode(bytes), 'DECODE_ERROR', `${count} entries over ${max}`);
    }
  }), { seed: 5105, numRuns: 60 });
  // A huge count is refused from the 4 count bytes alone: the decoder never loops over it.
  for (const channel of [2, 5]) assertRejects(() => decode(new Writer().u8(channel).u32(0xffffffff).finish()), 'DECODE_ERROR', 'count 2^32-1');
});

test('lengths: consensus bytes, sync blocks and sync commits up to their limits decode, one byte more does not', (t) => {
  type Field = 'consensus' | 'block' | 'commit';
  const limitOf = (field: Field, blockBytesMax: number) => (field === 'commit' ? COMMIT_BYTES_MAX : blockBytesMax + 65_536);
  checkProperty(t, fc.property(fc.constantFrom<Field>('consensus', 'block', 'commit'), fc.integer({ min: 0, max: 4096 }), fc.integer({ min: -2, max: 2 }),
    (field, blockBytesMax, delta) => {
      const length = limitOf(field, blockBytesMax) + delta;
      const body = new Uint8Array(length);
      const bytes = field === 'consensus'
        ? new Writer().u8(1).bytes(body).finish()
        : new Writer().u8(5).u32(1).bytes(field === 'block' ? body : new Uint8Array(0)).bytes(field === 'commit' ? body : new Uint8Array(0)).finish();
      if (delta <= 0) decodePeerMessage(bytes, blockBytesMax);
      else assertRejects(() => decodePeerMessage(bytes, blockBytesMax), 'DECODE_ERROR', `${field} of ${length} bytes`);
    },
  ), { seed: 5106, numRuns: 60 });
});

test('a gossiped tx may have LIMITS.txBytesMax bytes, not one more', () => {
  for (const delta of [0, 1]) {
    const bytes = listMessage(2, 1, (w) => w.bytes(new Uint8Array(LIMITS.txBytesMax + delta)));
    if (delta === 0) assert.equal(decode(bytes).type, 'txs');
    else assertRejects(() => decode(bytes), 'DECODE_ERROR', `tx of ${LIMITS.txBytesMax + delta} bytes`);
  }
});

test('channel bytes other than 1 to 5 are a DECODE_ERROR whatever follows', (t) => {
  checkProperty(t, fc.property(fc.integer({ min: 0, max: 255 }).filter((channel) => channel < 1 || channel > 5), peerMessageArbitrary, (channel, message) => {
    const bytes = encodePeerMessage(message);
    bytes[0] = channel;
    assertRejects(() => decode(bytes), 'DECODE_ERROR', `channel ${channel}`);
  }), { seed: 5107, numRuns: 300 });
  assertRejects(() => decode(new Uint8Array(0)), 'DECODE_ERROR', 'empty message');
});

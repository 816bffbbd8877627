import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LIMITS, Writer } from '@xinlian/protocol';
import type * as DecoderFuzz from '../../../protocol/dist/test/helpers/decoderFuzz.js';
import { decodeWalRecord, encodeWalRecord, type WalRecord } from '../../src/index.js';

// The shared decoder fuzzing helpers, from the build of protocol's tests (this package depends on it).
const {
  applyMutation, assertRejects, checkProperty, decodeCanonicallyOrReject, hashArbitrary, heightArbitrary, mutationArbitrary,
  OutcomeCounter, roundArbitrary, signedProposalArbitrary, signedVoteArbitrary,
} = (await import(new URL('../../../../protocol/dist/test/helpers/decoderFuzz.js', import.meta.url).href)) as typeof DecoderFuzz;

// decodeWalRecord reads the node's own disk after a crash: a torn or corrupted record must come out
// as a DECODE_ERROR (the node then refuses to start) and never as a different record.

const VALUE_BYTES_MAX = 48;

function recordArbitrary(valueBytesMax: number): fc.Arbitrary<WalRecord> {
  const value = fc.uint8Array({ maxLength: valueBytesMax });
  const locks = fc.record({
    type: fc.constantFrom('locked' as const, 'valid' as const),
    height: heightArbitrary,
    round: roundArbitrary,
    value: fc.record({ blockHash: hashArbitrary, bytes: value }, { noNullPrototype: true }),
  }, { noNullPrototype: true });
  return fc.oneof(
    fc.record({ proposal: signedProposalArbitrary, value }).map(({ proposal, value: bytes }): WalRecord => ({ type: 'signedProposal', proposal, value: bytes })),
    signedVoteArbitrary.map((vote): WalRecord => ({ type: 'signedVote', vote })),
    locks,
  );
}

const decode = (bytes: Uint8Array) => decodeWalRecord(bytes, VALUE_BYTES_MAX);

test('decodeWalRecord(encodeWalRecord(r)) equals r for every kind of record', (t) => {
  checkProperty(t, fc.property(fc.integer({ min: 0, max: 200 }).chain((max) => fc.tuple(fc.constant(max), recordArbitrary(max))), ([max, record]) => {
    assert.deepEqual(decodeWalRecord(encodeWalRecord(record), max), record);
  }), { seed: 4100, numRuns: 500 });
});

test('a mutated record decodes to a record that re-encodes to it, or is a DECODE_ERROR', (t) => {
  const outcomes = new OutcomeCounter();
  const limits = [VALUE_BYTES_MAX, LIMITS.signatureBytesMax, LIMITS.validatorsMax];
  checkProperty(t, fc.property(recordArbitrary(VALUE_BYTES_MAX), mutationArbitrary(limits), (record, mutation) => {
    outcomes.add(decodeCanonicallyOrReject(applyMutation(encodeWalRecord(record), mutation), decode, encodeWalRecord));
  }), { seed: 4101, numRuns: 3000 });
  outcomes.assertBothAtLeast(200, 'mutated WAL records');
});

test('a torn record (any strict prefix) and a record with bytes after it never decode', (t) => {
  checkProperty(t, fc.property(recordArbitrary(VALUE_BYTES_MAX), fc.uint8Array({ minLength: 1, maxLength: 16 }), (record, tail) => {
    const bytes = encodeWalRecord(record);
    for (let cut = 0; cut < bytes.length; cut++) assertRejects(() => decode(bytes.subarray(0, cut)), 'DECODE_ERROR', `prefix of ${cut} bytes`);
    assertRejects(() => decode(Uint8Array.from([...bytes, ...tail])), 'DECODE_ERROR', 'trailing bytes');
  }), { seed: 4102, numRuns: 200 });
});

test('random bytes, with a valid or an unknown kind byte first, decode canonically or are a DECODE_ERROR', (t) => {
  checkProperty(t, fc.property(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 300 }), fc.boolean(), (kind, rest, likelyKind) => {
    const bytes = Uint8Array.from([likelyKind ? kind % 6 : kind, ...rest]);
    decodeCanonicallyOrReject(bytes, decode, encodeWalRecord);
  }), { seed: 4103, numRuns: 2000 });
});

test('the value limit is the caller\'s: a value of valueBytesMax bytes decodes, one more byte does not', (t) => {
  checkProperty(t, fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: -2, max: 2 }), fc.constantFrom('signedProposal', 'locked', 'valid'),
    (valueBytesMax, delta, kind) => {
      const valueBytes = Math.max(0, valueBytesMax + delta);
      const value = new Uint8Array(valueBytes).fill(7);
      const blockHash = new Uint8Array(LIMITS.hashBytes);
      const record: WalRecord = kind === 'signedProposal'
        ? { type: kind, proposal: { proposal: { height: 3, round: 1, polRound: 0, blockHash }, signature: new Uint8Array(64) }, value }
        : { type: kind, height: 3, round: 1, value: { blockHash, bytes: value } };
      const bytes = encodeWalRecord(record);
      if (valueBytes <= valueBytesMax) assert.deepEqual(decodeWalRecord(bytes, valueBytesMax), record);
      else assertRejects(() => decodeWalRecord(bytes, valueBytesMax), 'DECODE_ERROR', `value of ${valueBytes} bytes over ${valueBytesMax}`);
    },
  ), { seed: 4104, numRuns: 300 });
});

test('kind bytes other than 1 to 4 are a DECODE_ERROR whatever follows', (t) => {
  checkProperty(t, fc.property(fc.integer({ min: 0, max: 255 }).filter((kind) => kind < 1 || kind > 4), recordArbitrary(VALUE_BYTES_MAX), (kind, record) => {
    const bytes = encodeWalRecord(record);
    bytes[0] = kind;
    assertRejects(() => decode(bytes), 'DECODE_ERROR', `kind ${kind}`);
  }), { seed: 4105, numRuns: 300 });
  // And the empty record (a zero-length WAL entry) has no kind at all.
  assertRejects(() => decode(new Writer().finish()), 'DECODE_ERROR', 'empty record');
});

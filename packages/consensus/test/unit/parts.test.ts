import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NIL_BLOCK_HASH, XinlianError } from '@xinlian/protocol';
import { decodeWalRecord, encodeWalRecord, ProposerSchedule, timeoutMs, type WalRecord } from '../../src/index.js';
import { TIMEOUTS } from '../helpers/harness.js';

const key = (i: number) => new Uint8Array(32).fill(i);

test('proposer schedule: plain rotation for equal power', () => {
  const schedule = new ProposerSchedule([1, 1, 1, 1].map((power, i) => ({ publicKey: key(i), power })));
  assert.deepEqual([0, 1, 2, 3, 4].map((r) => schedule.proposer(1, r)), [1, 2, 3, 0, 1]);
  assert.equal(schedule.proposer(2, 0), schedule.proposer(1, 1));
});

test('proposer schedule: weighted by power and interleaved (smooth round-robin)', () => {
  const schedule = new ProposerSchedule([{ publicKey: key(0), power: 30 }, { publicKey: key(1), power: 10 }]);
  assert.deepEqual([0, 1, 2, 3].map((r) => schedule.proposer(0, r)), [0, 0, 1, 0], 'gcd 10 divides the powers: a cycle of 4');
  const five = new ProposerSchedule([5, 3, 2].map((power, i) => ({ publicKey: key(i), power })));
  const counts = [0, 0, 0];
  for (let r = 0; r < 100; r++) counts[five.proposer(7, r)]!++;
  assert.deepEqual(counts, [50, 30, 20]);
});

test('proposer schedule: huge powers fall back to contiguous slots, still weighted', () => {
  const schedule = new ProposerSchedule([{ publicKey: key(0), power: 100_001 }, { publicKey: key(1), power: 100_000 }]);
  assert.equal(schedule.proposer(0, 100_000), 0);
  assert.equal(schedule.proposer(0, 100_001), 1);
  assert.throws(() => new ProposerSchedule([{ publicKey: key(0), power: 0 }]), XinlianError);
});

test('timeouts grow linearly with the round', () => {
  assert.equal(timeoutMs(TIMEOUTS, 'propose', 0), 300);
  assert.equal(timeoutMs(TIMEOUTS, 'propose', 3), 600);
  assert.equal(timeoutMs(TIMEOUTS, 'prevote', 2), 200);
  assert.equal(timeoutMs(TIMEOUTS, 'precommit', 4), 300);
});

test('WAL records round-trip through their encoding; garbage is a DECODE_ERROR', () => {
  const value = { blockHash: key(9), bytes: new Uint8Array([1, 2, 3]) };
  const records: WalRecord[] = [
    { type: 'signedProposal', proposal: { proposal: { height: 5, round: 2, polRound: 1, blockHash: key(9) }, signature: key(7) }, value: value.bytes },
    { type: 'signedProposal', proposal: { proposal: { height: 5, round: 0, polRound: -1, blockHash: key(9) }, signature: key(7) }, value: value.bytes },
    { type: 'signedVote', vote: { vote: { type: 2, height: 5, round: 3, blockHash: NIL_BLOCK_HASH }, validatorIndex: 3, signature: key(1) } },
    { type: 'locked', height: 5, round: 2, value },
    { type: 'valid', height: 5, round: 4, value },
  ];
  for (const record of records) assert.deepEqual(decodeWalRecord(encodeWalRecord(record), 1024), record);
  for (const bad of [new Uint8Array([9]), new Uint8Array([]), encodeWalRecord(records[3]!).subarray(1)]) {
    assert.throws(() => decodeWalRecord(bad, 1024), (e: unknown) => e instanceof XinlianError && e.code === 'DECODE_ERROR');
  }
  assert.throws(() => decodeWalRecord(encodeWalRecord(records[0]!), 2), (e: unknown) => e instanceof XinlianError && e.code === 'DECODE_ERROR');
});

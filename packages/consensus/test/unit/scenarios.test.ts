// Scenario tests of the state machine in the style of TigerBeetle's replica_test: each test is a
// short story told with crafted messages; the machine under test is `h.machine` (validator h.self).
// Height 1 with four validators of power 1: the proposer of round r is validator (1 + r) mod 4.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pureSuite, verifyCommit, XinlianError } from '@xinlian/protocol';
import { CHAIN_ID, Harness, ofType, sentVotes, value, TIMEOUTS } from '../helpers/harness.js';

const A = value('A');
const B = value('B');
const labels = [A, B];

test('happy path: proposal, validation, prevotes, precommits, commit with a verifiable quorum', () => {
  const h = new Harness(0);
  const start = h.start();
  assert.deepEqual(ofType(start, 'scheduleTimeout').map((t) => [t.step, t.round, t.durationMs]), [['propose', 0, 300]]);
  const onProposal = h.feed(h.proposal(0, A));
  assert.equal(ofType(onProposal, 'requestValidation').length, 1, 'the application is asked to validate the block');
  assert.deepEqual(sentVotes(onProposal, labels), [], 'no prevote before the block is known valid');
  assert.deepEqual(sentVotes(h.valid(A), labels), ['prevote 0 A@1']);
  assert.deepEqual(sentVotes(h.votes('prevote', [1, 2], 0, A), labels), ['precommit 0 A@1']);
  assert.equal(h.machine.status().lockedRound, 0);
  const commit = ofType(h.votes('precommit', [1, 2], 0, A), 'commit');
  assert.equal(commit.length, 1);
  assert.deepEqual(commit[0]!.value, A);
  const signers = verifyCommit(pureSuite('intl'), CHAIN_ID, h.validators, 1, A.blockHash, commit[0]!.commit);
  assert.deepEqual(signers, [0, 1, 2]);
});

test("proposer's proposal arrives late: validators prevote nil, round 1 commits", () => {
  const h = new Harness(0);
  h.start();
  assert.deepEqual(sentVotes(h.timeout('propose', 0), labels), ['prevote 0 nil']);
  assert.deepEqual(sentVotes(h.votes('prevote', [2, 3], 0, 'nil'), labels), ['precommit 0 nil']);
  const precommits = h.votes('precommit', [2, 3], 0, 'nil');
  assert.deepEqual(ofType(precommits, 'scheduleTimeout').map((t) => [t.step, t.round, t.durationMs]), [['precommit', 0, 100]]);
  const round1 = h.timeout('precommit', 0);
  assert.equal(h.machine.status().round, 1);
  assert.deepEqual(ofType(round1, 'scheduleTimeout').map((t) => [t.step, t.round, t.durationMs]), [['propose', 1, 400]], 'timeouts grow per round');
  assert.deepEqual(sentVotes(h.feed(h.proposal(0, A)), labels), [], 'the late round-0 proposal changes nothing in round 1');
  h.feed(h.proposal(1, B));
  assert.deepEqual(sentVotes(h.valid(B), labels), ['prevote 1 B@1']);
  assert.deepEqual(sentVotes(h.votes('prevote', [2, 3], 1, B), labels), ['precommit 1 B@1']);
  const commit = ofType(h.votes('precommit', [2, 3], 1, B), 'commit');
  assert.equal(commit[0]?.commit.round, 1);
  assert.deepEqual(commit[0]?.value, B);
});

test('an invalid block gets a nil prevote (line 22)', () => {
  const h = new Harness(0);
  h.start();
  h.feed(h.proposal(0, A));
  assert.deepEqual(sentVotes(h.valid(A, false), labels), ['prevote 0 nil']);
});

test('locked validator does not prevote another value unless a POL at a later round', () => {
  const h = new Harness(0); // proposers of rounds 0, 1, 2 are validators 1, 2, 3
  h.start();
  h.feed(h.proposal(0, A));
  h.valid(A);
  assert.deepEqual(sentVotes(h.votes('prevote', [1, 2], 0, A), labels), ['precommit 0 A@1']);
  assert.equal(h.machine.status().lockedRound, 0, 'locked on A in round 0');
  h.votes('precommit', [1, 2, 3], 0, 'nil');
  h.timeout('precommit', 0);
  // Round 1: B proposed fresh (polRound -1). Valid, but the lock on A forbids it (line 22).
  h.feed(h.proposal(1, B));
  assert.deepEqual(sentVotes(h.valid(B), labels), ['prevote 1 nil']);
  // Round 2 (reached through line 55): B again, claiming a proof of lock from round 1.
  h.feed(h.proposal(2, B, 1));
  assert.deepEqual(sentVotes(h.feed(h.vote('prevote', 1, 2, 'nil')), labels), [], 'no POL seen yet: no prevote');
  assert.equal(h.machine.status().round, 2);
  assert.deepEqual(sentVotes(h.votes('prevote', [1, 2], 1, B), labels), [], 'two prevotes are not 2f + 1');
  assert.deepEqual(sentVotes(h.feed(h.vote('prevote', 3, 1, B)), labels), ['prevote 2 B@1'], 'POL at round 1 > lockedRound 0 (line 28)');
});

test('a proposal claiming a POL that this node never saw gets a nil prevote at the timeout', () => {
  const h = new Harness(0);
  h.start();
  h.feed(h.vote('prevote', 3, 1, 'nil'));
  h.feed(h.proposal(1, B, 0)); // with the round-1 proposer (2), f + 1 validators are in round 1
  assert.equal(h.machine.status().round, 1);
  h.valid(B);
  assert.deepEqual(sentVotes(h.timeout('propose', 1), labels), ['prevote 1 nil']);
});

test('validValue carried into the next proposal, with its round as polRound (no new value requested)', () => {
  const h = new Harness(2); // proposer of round 1
  h.start();
  h.feed(h.proposal(0, A));
  h.valid(A);
  h.votes('prevote', [0, 1], 0, A); // self locks A and A becomes validValue
  h.votes('precommit', [0, 1], 0, 'nil');
  const round1 = h.timeout('precommit', 0);
  assert.deepEqual(ofType(round1, 'requestValue'), []);
  const sent = ofType(round1, 'broadcast').map((b) => b.message).filter((m) => m.type === 'proposal');
  assert.equal(sent.length, 1);
  const proposal = sent[0]!.type === 'proposal' ? sent[0]!.proposal.proposal : undefined;
  assert.deepEqual(proposal?.blockHash, A.blockHash);
  assert.equal(proposal?.polRound, 0);
  assert.deepEqual(sentVotes(round1, labels), ['prevote 1 A@1'], 'the proposer prevotes its own proposal');
  const persists = round1.map((e) => e.type);
  assert.ok(persists.indexOf('persist') < persists.indexOf('broadcast'), 'persist before broadcast');
});

test('a proposer without a valid value asks the application, then proposes what it gets', () => {
  const h = new Harness(1); // proposer of round 0
  const start = h.start();
  assert.deepEqual(ofType(start, 'requestValue').map((r) => r.round), [0]);
  const ready = h.feed({ type: 'valueReady', height: 1, round: 0, value: A });
  assert.deepEqual(ready.map((e) => e.type), ['persist', 'broadcast', 'persist', 'broadcast']);
  assert.deepEqual(sentVotes(ready, labels), ['prevote 0 A@1']);
});

test('restarted from its WAL, a validator re-sends its old prevote instead of signing a nil one', () => {
  const h = new Harness(0);
  h.start();
  h.feed(h.proposal(0, A));
  const first = ofType(h.valid(A), 'broadcast')[0]!.message;
  const restarted = h.restart();
  assert.deepEqual(ofType(restarted, 'persist'), [], 'nothing new signed on restart');
  const afterTimeout = h.timeout('propose', 0);
  assert.deepEqual(ofType(afterTimeout, 'persist'), [], 'the guard hands back the old vote');
  assert.deepEqual(ofType(afterTimeout, 'broadcast')[0]?.message, first, 'the same signed prevote for A, not nil');
});

test('restarted after locking, a validator keeps its lock and its round', () => {
  const h = new Harness(0);
  h.start();
  h.feed(h.proposal(0, A));
  h.valid(A);
  h.votes('prevote', [1, 2], 0, A);
  h.votes('precommit', [1, 2], 0, 'nil');
  h.timeout('precommit', 0);
  h.restart();
  assert.equal(h.machine.status().lockedRound, 0);
  assert.equal(h.machine.status().round, 0, 'round 1 had nothing signed yet');
  h.votes('precommit', [1, 2, 3], 0, 'nil');
  h.timeout('precommit', 0);
  h.feed(h.proposal(1, B));
  assert.deepEqual(sentVotes(h.valid(B), labels), ['prevote 1 nil'], 'the lock survived the crash');
});

test('conflicting votes from one validator are evidence (reported once) and count for each value, as in the paper', () => {
  const h = new Harness(0);
  h.start();
  h.feed(h.vote('prevote', 2, 0, A));
  const conflict = h.feed(h.vote('prevote', 2, 0, B));
  const evidence = ofType(conflict, 'evidence');
  assert.equal(evidence.length, 1);
  assert.equal(evidence[0]!.evidence.type, 'duplicateVote');
  assert.equal(evidence[0]!.evidence.validatorIndex, 2);
  assert.deepEqual(ofType(h.feed(h.vote('prevote', 2, 0, 'nil')), 'evidence'), [], 'reported once');
  // Self and validator 1 prevote B: with the equivocator's B vote that is 2f + 1 for B.
  h.feed(h.proposal(0, B));
  assert.deepEqual(sentVotes(h.valid(B), labels), ['prevote 0 B@1']);
  assert.equal(h.machine.status().validRound, -1);
  h.votes('prevote', [1], 0, B);
  assert.equal(h.machine.status().validRound, 0, 'the quorum for B is seen despite the conflict');
});

test('two proposals from one proposer in one round are evidence', () => {
  const h = new Harness(0);
  h.start();
  h.feed(h.proposal(0, A));
  const evidence = ofType(h.feed(h.proposal(0, B)), 'evidence');
  assert.equal(evidence[0]?.evidence.type, 'duplicateProposal');
});

test('f + 1 validators in a later round pull a validator into it (line 55)', () => {
  const h = new Harness(0);
  h.start();
  h.feed(h.vote('prevote', 1, 5, 'nil'));
  assert.equal(h.machine.status().round, 0, 'one validator is not f + 1');
  const effects = h.feed(h.vote('precommit', 2, 5, 'nil'));
  assert.equal(h.machine.status().round, 5);
  assert.deepEqual(ofType(effects, 'scheduleTimeout').map((t) => [t.step, t.round, t.durationMs]), [['propose', 5, TIMEOUTS.proposeMs + 5 * TIMEOUTS.proposeDeltaMs]]);
});

test('a decision from an earlier round is taken in a later round (line 49)', () => {
  const h = new Harness(0);
  h.start();
  h.feed(h.proposal(0, A));
  assert.deepEqual(sentVotes(h.valid(A), labels), ['prevote 0 A@1']);
  h.votes('prevote', [1, 2], 0, 'nil'); // the others' prevotes for A were lost
  h.timeout('prevote', 0);
  h.votes('prevote', [2, 3], 2, 'nil'); // f + 1 already in round 2
  assert.equal(h.machine.status().round, 2);
  const commit = ofType(h.votes('precommit', [1, 2, 3], 0, A), 'commit');
  assert.equal(commit[0]?.commit.round, 0, 'A committed by round-0 precommits');
});

test('messages too far ahead are dropped; forged signatures are rejected with BAD_REQUEST', () => {
  const h = new Harness(0);
  h.start();
  h.feed(h.vote('prevote', 1, 11, 'nil'));
  h.feed(h.vote('prevote', 2, 11, 'nil'));
  assert.equal(h.machine.status().round, 0, 'round 11 is beyond roundsAheadMax 10');
  const forged = h.vote('prevote', 1, 0, A);
  if (forged.type === 'vote') forged.vote.validatorIndex = 2;
  assert.throws(() => h.feed(forged), (e: unknown) => e instanceof XinlianError && e.code === 'BAD_REQUEST');
  const notProposer = h.proposal(0, A, -1, 3);
  assert.throws(() => h.feed(notProposer), (e: unknown) => e instanceof XinlianError && e.code === 'BAD_REQUEST');
});

test('after a decision, inputs are ignored until the next height starts', () => {
  const h = new Harness(0);
  h.start();
  h.feed(h.proposal(0, A));
  h.valid(A);
  h.votes('prevote', [1, 2], 0, A);
  h.votes('precommit', [1, 2], 0, A);
  assert.equal(h.machine.status().decided, true);
  assert.deepEqual(h.timeout('precommit', 0), []);
  const next = h.start(2);
  assert.equal(h.machine.status().height, 2);
  assert.equal(h.machine.status().lockedRound, -1, 'locks reset at a new height');
  assert.ok(next.length > 0);
  assert.ok(h.machine.gossip().some((m) => m.type === 'proposal' && m.proposal.proposal.height === 1), 'the last decision is still gossiped');
});

test('timeouts given with startHeight (chain parameters changed by governance) apply from that height on; invalid ones are refused', () => {
  const h = new Harness(0);
  const slower = { proposeMs: 900, proposeDeltaMs: 200, prevoteMs: 300, prevoteDeltaMs: 100, precommitMs: 300, precommitDeltaMs: 100 };
  const start = h.feed({ type: 'startHeight', height: 1, validators: h.validators, timeouts: slower });
  assert.deepEqual(ofType(start, 'scheduleTimeout').map((t) => [t.step, t.round, t.durationMs]), [['propose', 0, 900]]);
  const round1 = h.feed({ type: 'timeout', height: 1, round: 0, step: 'propose' });
  assert.ok(ofType(round1, 'scheduleTimeout').every((t) => t.durationMs >= 300), 'the new timeouts, not the config\'s');
  assert.throws(() => new Harness(0).machine.step({ type: 'startHeight', height: 1, validators: h.validators, timeouts: { ...slower, prevoteMs: -1 } }),
    (e: unknown) => e instanceof XinlianError && e.code === 'BAD_REQUEST');
});

test('validator-set changes: a key outside the set follows as an observer, votes under its index once added, stops once removed', () => {
  const h = new Harness(4, [1, 1, 1, 1, 1]); // the machine holds key 4
  const four = h.validators.slice(0, 4);
  // Height 1 runs with keys 0-3: the machine decides on their precommits and signs nothing.
  const observing = [h.feed({ type: 'startHeight', height: 1, validators: four })];
  observing.push(h.feed(h.proposal(0, A, -1, 1)), h.valid(A), h.votes('prevote', [0, 1, 2], 0, A));
  const commit = ofType(h.votes('precommit', [0, 1, 2], 0, A), 'commit');
  assert.deepEqual(observing.flatMap((effects) => sentVotes(effects, labels)), []);
  assert.deepEqual(h.wal.map((r) => r.type), ['locked'], 'an observer signs nothing (it still tracks its lock)');
  assert.deepEqual(verifyCommit(pureSuite('intl'), CHAIN_ID, four, 1, A.blockHash, commit[0]!.commit), [0, 1, 2]);
  // Height 2 runs with keys 0-4: the machine is validator #4 and votes.
  h.height = 2;
  const A2 = value('A', 2);
  h.feed({ type: 'startHeight', height: 2, validators: h.validators });
  h.feed(h.proposal(0, A2, -1, 2));
  const prevote = h.valid(A2);
  assert.deepEqual(sentVotes(prevote, [A2]), ['prevote 0 A@2']);
  assert.deepEqual(ofType(prevote, 'broadcast').map((b) => b.message.type === 'vote' && b.message.vote.validatorIndex), [4]);
  // Three of five are not a quorum; with the machine's own precommit, four are.
  assert.deepEqual(sentVotes(h.votes('prevote', [0, 1], 0, A2), [A2]), []);
  assert.deepEqual(sentVotes(h.votes('prevote', [2], 0, A2), [A2]), ['precommit 0 A@2']);
  assert.equal(ofType(h.votes('precommit', [0, 1], 0, A2), 'commit').length, 0);
  const commit2 = ofType(h.votes('precommit', [2], 0, A2), 'commit');
  assert.deepEqual(verifyCommit(pureSuite('intl'), CHAIN_ID, h.validators, 2, A2.blockHash, commit2[0]!.commit), [0, 1, 2, 4]);
  // Height 3 runs with keys 0-3 again: removed, the machine stops voting.
  h.height = 3;
  const A3 = value('A', 3);
  h.feed({ type: 'startHeight', height: 3, validators: four });
  h.feed(h.proposal(0, A3, -1, 3));
  assert.deepEqual(sentVotes([...h.valid(A3), ...h.timeout('propose', 0)], [A3]), []);
  assert.throws(() => h.feed(h.vote('prevote', 4, 0, A3)), (e: unknown) => e instanceof XinlianError && e.code === 'BAD_REQUEST', 'its votes no longer count');
});

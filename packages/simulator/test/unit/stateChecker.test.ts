import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NIL_BLOCK_HASH, pureSuite, utf8, VOTE_TYPE, voteDigest, type ValidatorSet } from '@xinlian/protocol';
import { StateChecker } from '../../src/index.js';
import { simulatedPublicKey, simulatedSign } from '../../src/simulatedKeys.js';

const sha256 = pureSuite('intl').hash;
// Read through a function: after assert.equal(x, undefined) TypeScript would narrow the field for good.
const kindOf = (checker: StateChecker) => checker.failure?.kind;
const genesis = [0, 1, 2, 3].map((key) => ({ key, power: 1 }));
const KEYS = 5;

/** A block of `height` committed by `signers`, given as keys; `set` lists the keys of that height's set. */
function block(label: string, signers: number[], height = 1, change = '', set = [0, 1, 2, 3]) {
  const bytes = utf8(`block h=${height} r=0 proposer=1 instance=${label}${change === '' ? '' : ` change=${change}`}`);
  const blockHash = sha256(bytes);
  const digest = voteDigest(sha256, 'c', { type: VOTE_TYPE.precommit, height, round: 0, blockHash });
  const signatures = signers.map((key) => ({ validatorIndex: set.indexOf(key), signature: simulatedSign(simulatedPublicKey(key), digest) }));
  return { height, value: { blockHash, bytes }, commit: { height, round: 0, blockHash, signatures } };
}

const vote = (height: number, validatorIndex: number, blockHash: Uint8Array = NIL_BLOCK_HASH) =>
  ({ type: 'vote' as const, vote: { vote: { type: VOTE_TYPE.prevote, height, round: 0, blockHash }, validatorIndex, signature: new Uint8Array(32) } });

test('two different blocks at one height are a fork', () => {
  const checker = new StateChecker('c', genesis, KEYS);
  checker.onCommit(1, 'a', block('1', [0, 1, 2]));
  checker.onCommit(2, 'b', block('1', [1, 2, 3]));
  assert.equal(checker.failure, undefined, 'the same block with another quorum is fine');
  checker.onCommit(3, 'c', block('2', [0, 2, 3]));
  assert.equal(kindOf(checker), 'agreement');
});

test('a commit without more than 2/3 of the power is a validity failure', () => {
  const checker = new StateChecker('c', genesis, KEYS);
  checker.onCommit(1, 'a', block('1', [0, 1]));
  assert.equal(kindOf(checker), 'validity');
});

test('the quorum checker uses the set of the height: a commit by a quorum of the old set fails after an add', () => {
  const checker = new StateChecker('c', genesis, KEYS);
  checker.onCommit(1, 'a', block('1', [0, 1, 2], 1, 'add:4:1'));
  checker.onCommit(2, 'a', block('2', [0, 1, 2], 2));
  assert.equal(checker.failure, undefined);
  // Height 3 runs with [0 1 2 3 4]: three of the four old validators are 3 of 5, not > 2/3.
  checker.onCommit(3, 'a', block('3', [0, 1, 2], 3, '', [0, 1, 2, 3, 4]));
  assert.equal(kindOf(checker), 'validity');
  assert.match(checker.failure!.message, /committed height 3 without a valid quorum of its set \[0 1 2 3 4\]/);
  // The same block with the added validator's precommit is a quorum of the new set.
  const fine = new StateChecker('c', genesis, KEYS);
  for (const b of [block('1', [0, 1, 2], 1, 'add:4:1'), block('2', [0, 1, 2], 2), block('3', [0, 1, 2, 4], 3, '', [0, 1, 2, 3, 4])]) fine.onCommit(1, 'a', b);
  assert.equal(fine.failure, undefined);
});

test('the quorum checker uses the set of the height: signatures under old indices fail after a remove', () => {
  const checker = new StateChecker('c', genesis, KEYS);
  checker.onCommit(1, 'a', block('1', [0, 1, 2], 1, 'remove:1'));
  checker.onCommit(2, 'a', block('2', [1, 2, 3], 2));
  // Height 3 runs with [0 2 3]: index 1 is now key 2, so key 1's precommit does not verify.
  checker.onCommit(3, 'a', block('3', [0, 1, 2], 3, '', [0, 1, 2, 3]));
  assert.equal(kindOf(checker), 'validity');
});

test('a committed block whose change the rules refuse is a validity failure', () => {
  const checker = new StateChecker('c', genesis, KEYS);
  checker.onCommit(1, 'a', block('1', [0, 1, 2], 1, 'power:0:3'));
  assert.equal(kindOf(checker), 'validity');
  assert.match(checker.failure!.message, /more than a third/);
});

test('correct replicas starting one height with different sets is a validatorSet failure', () => {
  const checker = new StateChecker('c', genesis, KEYS);
  const set = (keys: number[]): ValidatorSet => keys.map((key) => ({ publicKey: simulatedPublicKey(key), power: 1 }));
  checker.onStartHeight(1, 'a', 3, set([0, 1, 2, 3]));
  checker.onStartHeight(2, 'b', 3, set([0, 1, 2, 3]));
  checker.onStartHeight(3, 'b', 4, set([0, 1, 2, 3, 4]));
  assert.equal(checker.failure, undefined);
  checker.onStartHeight(4, 'c', 3, set([0, 1, 2, 3, 4]));
  assert.equal(kindOf(checker), 'validatorSet');
  assert.match(checker.failure!.message, /c started height 3 with validators \[0×1 1×1 2×1 3×1 4×1\], a with \[0×1 1×1 2×1 3×1\]/);
});

test('a correct replica signing where the set of the height does not hold its key (at that index) is a validatorSet failure', () => {
  const removed = new StateChecker('c', genesis, KEYS);
  removed.onCommit(1, 'a', block('1', [0, 1, 2], 1, 'remove:3'));
  removed.onCommit(2, 'a', block('2', [0, 1, 2], 2));
  removed.onSigned(3, 2, vote(3, 2));
  assert.equal(removed.failure, undefined);
  removed.onSigned(4, 3, vote(3, 3));
  assert.equal(kindOf(removed), 'validatorSet');
  const misplaced = new StateChecker('c', genesis, KEYS);
  misplaced.onSigned(1, 1, vote(1, 2)); // key 1 voting as index 2 (key 2's place)
  assert.equal(kindOf(misplaced), 'validatorSet');
});

test('a correct validator signing two votes at one position is a double-sign', () => {
  const checker = new StateChecker('c', genesis, KEYS);
  checker.onSigned(1, 2, vote(1, 2));
  checker.onSigned(2, 2, vote(1, 2));
  assert.equal(checker.failure, undefined);
  checker.onSigned(3, 2, vote(1, 2, new Uint8Array(32).fill(1)));
  assert.equal(kindOf(checker), 'doubleSign');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NIL_BLOCK_HASH, pureSuite, utf8, VOTE_TYPE, voteDigest } from '@xinlian/protocol';
import { StateChecker } from '../../src/index.js';
import { simulatedPublicKey, simulatedSign } from '../../src/simulatedKeys.js';

const sha256 = pureSuite('intl').hash;
// Read through a function: after assert.equal(x, undefined) TypeScript would narrow the field for good.
const kindOf = (checker: StateChecker) => checker.failure?.kind;
const validators = [0, 1, 2, 3].map((i) => ({ publicKey: simulatedPublicKey(i), power: 1 }));

function block(label: string, signers: number[], height = 1) {
  const bytes = utf8(`block h=${height} r=0 proposer=1 instance=${label}`);
  const blockHash = sha256(bytes);
  const digest = voteDigest(sha256, 'c', { type: VOTE_TYPE.precommit, height, round: 0, blockHash });
  const signatures = signers.map((i) => ({ validatorIndex: i, signature: simulatedSign(validators[i]!.publicKey, digest) }));
  return { height, value: { blockHash, bytes }, commit: { height, round: 0, blockHash, signatures } };
}

test('two different blocks at one height are a fork', () => {
  const checker = new StateChecker('c', validators);
  checker.onCommit(1, 'a', block('1', [0, 1, 2]));
  checker.onCommit(2, 'b', block('1', [1, 2, 3]));
  assert.equal(checker.failure, undefined, 'the same block with another quorum is fine');
  checker.onCommit(3, 'c', block('2', [0, 2, 3]));
  assert.equal(kindOf(checker), 'agreement');
});

test('a commit without more than 2/3 of the power is a validity failure', () => {
  const checker = new StateChecker('c', validators);
  checker.onCommit(1, 'a', block('1', [0, 1]));
  assert.equal(kindOf(checker), 'validity');
});

test('a correct validator signing two votes at one position is a double-sign', () => {
  const checker = new StateChecker('c', validators);
  const vote = (blockHash: Uint8Array) => ({ type: 'vote' as const, vote: { vote: { type: VOTE_TYPE.prevote, height: 1, round: 0, blockHash }, validatorIndex: 2, signature: new Uint8Array(32) } });
  checker.onSigned(1, 2, vote(NIL_BLOCK_HASH));
  checker.onSigned(2, 2, vote(NIL_BLOCK_HASH));
  assert.equal(checker.failure, undefined);
  checker.onSigned(3, 2, vote(new Uint8Array(32).fill(1)));
  assert.equal(kindOf(checker), 'doubleSign');
});

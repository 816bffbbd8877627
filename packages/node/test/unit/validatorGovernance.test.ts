import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_GOVERNANCE, encodeEvidenceDeposit, EVIDENCE_DEPOSIT_TYPE, fromHex, GOV_PROPOSE_TYPE, GOV_VOTE_TYPE, pemDecode,
  stateRootOf, sysKey, toHex, validatorSetAt, validatorSetFromGenesis,
} from '@xinlian/protocol';
import { BLOCK_TX_ID } from '../../src/execution/executeBlock.js';
import { StateTree } from '../../src/state/stateTree.js';
import { withStateStore } from '../helpers/tempStore.js';
import { issue, makeConsortium, TestChain } from '../helpers/consortium.js';

// Block 1 materialises genesis; validator changes are announced for h + 2 and take effect there
// (docs/adr/008-governance.md). Four validators of power 1 over three organisations: a change may
// move a power of at most 4/3, so 1.

const consortium = await makeConsortium(3, 4);
after(() => consortium.cleanup());
const { genesis } = consortium;

test('block 1 writes genesis into sys/ before its txs, attributed to no tx', () => {
  const chain = new TestChain(consortium);
  assert.equal(chain.view.materialised(), false);
  const deposit = chain.tx('org1/client', EVIDENCE_DEPOSIT_TYPE, encodeEvidenceDeposit({ hash: consortium.suite.hash(Uint8Array.of(1)), title: '' }));
  const first = chain.block([deposit]);
  assert.deepEqual(first.results.map((r) => r.code), ['OK'], 'txs of block 1 already run under the default ACLs');
  const blockLevel = first.changes.filter((c) => c.txId.length === 0);
  assert.ok(blockLevel.every((c) => c.txIndex === 0 && c.txId === BLOCK_TX_ID));
  assert.equal(blockLevel.length, 3 + 1 + 1 + 1 + 1 + 3, 'three organisations, the index, validators, params, policies, three ACLs');
  assert.deepEqual(first.changes.slice(blockLevel.length).map((c) => c.txIndex), [0], 'the deposit follows');

  const view = chain.view;
  assert.deepEqual(view.memberIds(), ['org1', 'org2', 'org3']);
  for (const org of genesis.organisations) {
    const record = view.organisation(org.id)!;
    assert.deepEqual([record.name, record.joinedHeight, record.removedHeight], [org.name, 0, 0]);
    assert.deepEqual(record.caCertDer, pemDecode(org.caCertPem, 'CERTIFICATE'));
  }
  const validators = view.validators()!;
  assert.equal(validators.sinceHeight, 1);
  assert.deepEqual(validators.validators.map((v) => [v.name, v.org, v.power]), genesis.validators.map((v) => [v.name, v.org, v.power]));
  assert.deepEqual(validators.validators.map((v) => v.certDer), genesis.validators.map((v) => pemDecode(v.certPem, 'CERTIFICATE')));
  assert.deepEqual(validatorSetAt(chain.reader, 2)!.set, validatorSetFromGenesis(genesis));
  assert.deepEqual(view.params(), genesis.parameters);
  assert.deepEqual(view.policies(), DEFAULT_GOVERNANCE);
  assert.deepEqual(view.txAcl(EVIDENCE_DEPOSIT_TYPE), { orgs: 'all', roles: ['admin', 'client'] });
  assert.deepEqual(view.txAcl(GOV_PROPOSE_TYPE), { orgs: 'all', roles: ['admin'] });
  assert.deepEqual(view.txAcl(GOV_VOTE_TYPE), { orgs: 'all', roles: ['admin'] });
  assert.equal(view.nextValidators(), undefined);
  assert.deepEqual(chain.block().changes, [], 'block 2 writes nothing of its own');
});

test('addValidator announces the set for h + 2, where it takes effect; another change waits until then', async () => {
  const chain = new TestChain(consortium);
  chain.block();
  const node = await issue({ commonName: 'node4.org2', organisation: 'org2', role: 'node' }, consortium.ca('org2'));
  const add = chain.propose('org1/admin', { kind: 'addValidator', name: 'node4', org: 'org2', certDer: node.certDer, power: 1 });
  chain.block([add]);
  const passed = chain.block([chain.vote('org3/admin', add.txId)]);
  const h = chain.height;
  assert.deepEqual(passed.results[0]!.events[1], { type: 'gov.passed', attributes: [['proposal', toHex(add.txId)], ['kind', 'addValidator'], ['org', 'org1'], ['effectiveHeight', String(h + 2)]] });
  const next = chain.view.nextValidators()!;
  assert.deepEqual([next.effectiveHeight, toHex(next.proposalId)], [h + 2, toHex(add.txId)]);
  assert.deepEqual(next.validators.map((v) => v.name), ['node0', 'node1', 'node2', 'node3', 'node4']);
  assert.deepEqual(next.validators[4]!.publicKey, node.key.publicKey);
  assert.equal(chain.view.proposal(add.txId)!.effectiveHeight, h + 2);
  assert.equal(validatorSetAt(chain.reader, h + 1)!.set.length, 4, 'block h + 1 is signed by the old set');

  // While the change is pending another one can be proposed, but not pass.
  const power = chain.propose('org2/admin', { kind: 'setValidatorPower', name: 'node0', power: 2 });
  const blocked = chain.block([power, chain.vote('org3/admin', power.txId)]);
  assert.deepEqual(blocked.results.map((r) => r.code), ['OK', 'GOV_INVALID']);
  assert.match(blocked.results[1]!.message, new RegExp(`takes effect at height ${h + 2}`));
  assert.equal(chain.height, h + 1);
  assert.equal(validatorSetAt(chain.reader, h + 2)!.set.length, 5, 'consensus for h + 2 runs with the new set');

  const rotated = chain.block([chain.vote('org3/admin', power.txId)]);
  assert.deepEqual(rotated.changes.slice(0, 2).map((c) => [new TextDecoder().decode(c.key), c.txIndex, c.txId.length, c.value === null]), [
    ['sys/validators', 0, 0, false], ['sys/validators-next', 0, 0, true],
  ]);
  assert.deepEqual(rotated.results.map((r) => r.code), ['OK'], 'the waiting change passes once the set is in force');
  const current = chain.view.validators()!;
  assert.deepEqual([current.sinceHeight, current.validators.length], [h + 2, 5]);
  assert.equal(chain.view.nextValidators()!.effectiveHeight, h + 4);
  assert.deepEqual(chain.view.nextValidators()!.validators.map((v) => v.power), [2, 1, 1, 1, 1]);
});

test('one change moves at most a third of the power, and the set stays non-empty and unique', async () => {
  const chain = new TestChain(consortium);
  chain.block();
  const refused = (change: Parameters<TestChain['propose']>[1], pattern: RegExp) => {
    const result = chain.one(chain.propose('org1/admin', change));
    assert.equal(result.code, 'GOV_INVALID', result.message);
    assert.match(result.message, pattern);
  };
  const node = await issue({ commonName: 'node5.org1', organisation: 'org1', role: 'node' }, consortium.ca('org1'));
  refused({ kind: 'addValidator', name: 'node5', org: 'org1', certDer: node.certDer, power: 2 }, /moves power 2, more than a third of the total 4/);
  refused({ kind: 'setValidatorPower', name: 'node1', power: 3 }, /moves power 2/);
  refused({ kind: 'setValidatorPower', name: 'node1', power: 1 }, /already has power 1/);
  refused({ kind: 'addValidator', name: 'node0', org: 'org1', certDer: node.certDer, power: 1 }, /exists/);
  refused({ kind: 'addValidator', name: 'node5', org: 'org2', certDer: node.certDer, power: 1 }, /O is "org1", not "org2"/);
  const foreign = await issue({ commonName: 'node5.org1', organisation: 'org1', role: 'node' }, await issue({ commonName: 'Organisation 1 CA', organisation: 'org1' }));
  refused({ kind: 'addValidator', name: 'node5', org: 'org1', certDer: foreign.certDer, power: 1 }, /another key|signature/);
  const client = await issue({ commonName: 'c.org1', organisation: 'org1', role: 'client' }, consortium.ca('org1'));
  refused({ kind: 'addValidator', name: 'node5', org: 'org1', certDer: client.certDer, power: 1 }, /role is client/);
  refused({ kind: 'removeValidator', name: 'node9' }, /no validator/);
  assert.equal(chain.one(chain.propose('org1/admin', { kind: 'addValidator', name: 'node5', org: 'org1', certDer: node.certDer, power: 1 })).code, 'OK');
  assert.equal(chain.one(chain.propose('org1/admin', { kind: 'removeValidator', name: 'node3' })).code, 'OK');
});

test('removing validators one at a time until the third-of-the-power bound stops it', () => {
  const chain = new TestChain(consortium);
  chain.block();
  for (const name of ['node3', 'node2']) {
    const remove = chain.propose('org1/admin', { kind: 'removeValidator', name });
    assert.deepEqual(chain.block([remove, chain.vote('org2/admin', remove.txId)]).results.map((r) => r.code), ['OK', 'OK'], name);
    chain.block();
    chain.block();
    assert.equal(chain.view.nextValidators(), undefined);
  }
  assert.deepEqual(chain.view.validators()!.validators.map((v) => v.name), ['node0', 'node1']);
  const half = chain.one(chain.propose('org1/admin', { kind: 'removeValidator', name: 'node1' }));
  assert.deepEqual([half.code, /more than a third of the total 2/.test(half.message)], ['GOV_INVALID', true]);
});

test('the last validator cannot be removed', async (t) => {
  const single = await makeConsortium(1, 1);
  t.after(() => single.cleanup());
  const chain = new TestChain(single);
  chain.block();
  const last = chain.one(chain.propose('org1/admin', { kind: 'removeValidator', name: 'node0' }));
  assert.deepEqual([last.code, /last validator/.test(last.message)], ['GOV_INVALID', true]);
  assert.equal(chain.state.has(toHex(sysKey.validatorsNext())), false);
});

test('the stored state tree takes the block-level changes: values, roots and key history agree', async () => {
  await withStateStore(async (store) => {
    const tree = new StateTree(store, consortium.suite.hash);
    const chain = new TestChain(consortium);
    const commit = (execution: ReturnType<TestChain['block']>) => store.commit(tree.apply(chain.height, execution.changes).ops);
    commit(chain.block());
    const remove = chain.propose('org1/admin', { kind: 'removeValidator', name: 'node3' });
    commit(chain.block([remove, chain.vote('org2/admin', remove.txId)]));
    commit(chain.block());
    commit(chain.block());
    const entries = [...chain.state.entries()].map(([key, value]) => ({ key: fromHex(key), value }));
    assert.equal(toHex(tree.rootAt(chain.height)), toHex(stateRootOf(consortium.suite.hash, entries)));
    assert.deepEqual(tree.get(sysKey.validators()), chain.state.get(toHex(sysKey.validators())));
    assert.deepEqual(tree.history(sysKey.validators()).map((e) => [e.height, e.txIndex, toHex(e.txId), e.deleted]), [[4, 0, '', false], [1, 0, '', false]]);
    assert.deepEqual(tree.history(sysKey.validatorsNext()).map((e) => [e.height, e.txIndex, toHex(e.txId), e.deleted]), [
      [4, 0, '', true], [2, 1, toHex(chain.view.proposal(remove.txId)!.votes[1]!.txId), false],
    ]);
  });
});

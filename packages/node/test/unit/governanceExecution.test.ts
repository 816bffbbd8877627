import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssertionFailed, EVIDENCE_DEPOSIT_TYPE, encodeEvidenceDeposit, GOV_PROPOSE_TYPE, sysKey, toHex, utf8,
  type GovChange,
} from '@xinlian/protocol';
import { executeBlock } from '../../src/execution/executeBlock.js';
import { builtInHandlers } from '../../src/execution/handlers.js';
import type { TxHandler } from '../../src/execution/application.js';
import { issue, makeConsortium, signerOf, TestChain } from '../helpers/consortium.js';

// Governance as execution sees it (docs/adr/008-governance.md): three organisations from initChain,
// real certificates, default policies (twoThirds of three is two organisations).

const consortium = await makeConsortium();
after(() => consortium.cleanup());

const codes = (execution: { results: Array<{ code: string }> }) => execution.results.map((r) => r.code);
const eventTypes = (execution: { results: Array<{ events: Array<{ type: string }> }> }) => execution.results.flatMap((r) => r.events.map((e) => e.type));

async function newOrganisation(id: string): Promise<GovChange> {
  const ca = await issue({ commonName: `${id} CA`, organisation: id });
  return { kind: 'addOrganisation', id, name: `Organisation ${id}`, caCertDer: ca.certDer };
}

test('addOrganisation needs two of three organisations: one vote leaves it open, the second passes it', async () => {
  const chain = new TestChain(consortium);
  chain.block();
  const propose = chain.propose('org1/admin', await newOrganisation('org4'));
  const proposed = chain.block([propose]);
  assert.deepEqual(codes(proposed), ['OK']);
  assert.deepEqual(eventTypes(proposed), ['gov.proposed']);
  assert.deepEqual(proposed.results[0]!.events[0]!.attributes, [['proposal', toHex(propose.txId)], ['kind', 'addOrganisation'], ['org', 'org1']]);
  const open = chain.view.proposal(propose.txId)!;
  assert.equal(open.status, 'open');
  assert.deepEqual(open.votes.map((v) => [v.org, v.approve]), [['org1', true]]);
  assert.equal(open.deadlineHeight, 2 + 100_000);
  assert.equal(chain.view.organisation('org4'), undefined);
  assert.deepEqual(chain.view.openProposals().map((p) => toHex(p.id)), [toHex(propose.txId)]);

  const voted = chain.block([chain.vote('org2/admin', propose.txId)]);
  assert.deepEqual(codes(voted), ['OK']);
  assert.deepEqual(eventTypes(voted), ['gov.voted', 'gov.passed']);
  const passed = chain.view.proposal(propose.txId)!;
  assert.deepEqual([passed.status, passed.decidedHeight, passed.effectiveHeight], ['passed', 3, 3]);
  assert.deepEqual(chain.view.memberIds(), ['org1', 'org2', 'org3', 'org4']);
  assert.deepEqual({ ...chain.view.organisation('org4')!, caCertDer: undefined }, { id: 'org4', name: 'Organisation org4', caCertDer: undefined, joinedHeight: 3, removedHeight: 0 });
  assert.deepEqual(chain.view.openProposals(), []);
});

test('two organisations voting no reject a proposal; a later vote finds it closed', async () => {
  const chain = new TestChain(consortium);
  chain.block();
  const propose = chain.propose('org1/admin', await newOrganisation('org5'));
  chain.block([propose]);
  const first = chain.block([chain.vote('org2/admin', propose.txId, false)]);
  assert.deepEqual(eventTypes(first), ['gov.voted']);
  assert.equal(chain.view.proposal(propose.txId)!.status, 'open', 'org3 could still make it two yes');
  const second = chain.block([chain.vote('org3/admin', propose.txId, false)]);
  assert.deepEqual(eventTypes(second), ['gov.voted', 'gov.rejected']);
  assert.deepEqual([chain.view.proposal(propose.txId)!.status, chain.view.proposal(propose.txId)!.decidedHeight], ['rejected', 4]);
  assert.equal(chain.view.organisation('org5'), undefined);
  const late = chain.one(chain.vote('org2/admin', propose.txId, true));
  assert.equal(late.code, 'GOV_CLOSED');
  assert.match(late.message, /rejected/);
});

test('only admins of member organisations propose and vote, once per organisation', async () => {
  const chain = new TestChain(consortium);
  chain.block();
  const change: GovChange = { kind: 'setParameter', name: 'blockTxsMax', value: 1000 };
  // The ACL block 1 wrote for gov.propose admits role admin only.
  assert.equal(chain.one(chain.propose('org1/client', change)).code, 'TX_FORBIDDEN');
  const propose = chain.propose('org1/admin', change);
  chain.block([propose]);
  const again = chain.block([chain.vote('org1/admin', propose.txId), chain.vote('org3/admin', propose.txId, false), chain.vote('org3/admin', propose.txId, true)]);
  assert.deepEqual(codes(again), ['GOV_ALREADY_VOTED', 'OK', 'GOV_ALREADY_VOTED'], 'proposing is a yes vote; one vote per organisation');
  assert.equal(chain.one(chain.vote('org2/admin', new Uint8Array(32).fill(7))).code, 'GOV_UNKNOWN_PROPOSAL');
  assert.equal(chain.one(chain.tx('org2/admin', GOV_PROPOSE_TYPE, Uint8Array.of(99))).code, 'TX_INVALID_PAYLOAD');

  // Without the ACL (a state from before block 1's rules) the handler still refuses non-admins.
  const noAcl = new Map(chain.state);
  noAcl.delete(toHex(sysKey.aclTx(GOV_PROPOSE_TYPE)));
  const block = { chainId: chain.genesis.chainId, height: chain.height + 1, timeMs: 1_900_000_000_000, hash: consortium.suite.hash };
  const direct = executeBlock(chain.handlers, { get: (key) => noAcl.get(toHex(key)) }, [chain.propose('org2/client', change)], block);
  assert.deepEqual(codes(direct), ['GOV_NOT_ADMIN']);
});

test('a proposal past its deadline takes no votes and is written down as expired by the next governance tx', async () => {
  const genesis = { ...consortium.genesis, governance: { policies: consortium.genesis.governance!.policies, proposalHeightsMax: 2 } };
  const chain = new TestChain(consortium, genesis);
  chain.block();
  const propose = chain.propose('org1/admin', { kind: 'setParameter', name: 'blockIntervalMs', value: 200 });
  chain.block([propose]); // height 2, deadline 4
  chain.block();
  chain.block();
  const late = chain.one(chain.vote('org2/admin', propose.txId)); // height 5
  assert.deepEqual([late.code, late.message.includes('expired')], ['GOV_CLOSED', true]);
  assert.equal(chain.view.proposal(propose.txId)!.status, 'open', 'a failed tx writes nothing');
  assert.equal(chain.one(chain.propose('org3/admin', { kind: 'setParameter', name: 'blockIntervalMs', value: 300 })).code, 'OK');
  const expired = chain.view.proposal(propose.txId)!;
  assert.deepEqual([expired.status, expired.decidedHeight], ['expired', 5]);
  assert.deepEqual(chain.view.openProposals().map((p) => p.org), ['org3']);
  assert.equal(chain.view.params()!.blockIntervalMs, consortium.genesis.parameters.blockIntervalMs);
});

test('a revoked certificate fails from the next tx on, in the same block and after', () => {
  const chain = new TestChain(consortium);
  chain.block();
  const client3 = consortium.signers.get('org3/client')!;
  const deposit = (n: number) => chain.tx('org3/client', EVIDENCE_DEPOSIT_TYPE, encodeEvidenceDeposit({ hash: consortium.suite.hash(Uint8Array.of(n)), title: '' }));
  const certHash = consortium.suite.hash(client3.certDer);
  const propose = chain.propose('org1/admin', { kind: 'revokeCertificate', certHash, org: 'org3', reason: 'laptop stolen' });
  chain.block([propose]);
  const block = chain.block([deposit(1), chain.vote('org2/admin', propose.txId), deposit(2)]);
  assert.deepEqual(codes(block), ['OK', 'OK', 'CERT_REVOKED'], 'revokeCertificate needs a majority: two of three');
  assert.equal(chain.one(deposit(3)).code, 'CERT_REVOKED');
  const revocation = chain.view.revocation(certHash)!;
  assert.deepEqual([revocation.org, revocation.reason, revocation.height, toHex(revocation.proposalId)], ['org3', 'laptop stolen', 3, toHex(propose.txId)]);
  // Admission may hand over the hash it computed; the check is the same.
  const withHash = deposit(4);
  withHash.sender = { ...withHash.sender, certHash };
  assert.equal(chain.one(withHash).code, 'CERT_REVOKED');
  assert.equal(chain.one(chain.propose('org2/admin', { kind: 'revokeCertificate', certHash, org: 'org3', reason: 'again' })).code, 'GOV_INVALID');
});

test('a tx ACL decides who may send a type; the governance ACLs cannot be changed', () => {
  const chain = new TestChain(consortium);
  chain.block();
  const deposit = (who: string, n: number) => chain.tx(who, EVIDENCE_DEPOSIT_TYPE, encodeEvidenceDeposit({ hash: consortium.suite.hash(Uint8Array.of(n)), title: '' }));
  assert.deepEqual(codes(chain.block([deposit('org1/client', 1), deposit('org2/admin', 2)])), ['OK', 'OK'], 'block 1 admits admins and clients of all');
  const propose = chain.propose('org1/admin', { kind: 'setTxAcl', txType: EVIDENCE_DEPOSIT_TYPE, rule: { orgs: ['org1', 'org3'], roles: ['client'] } });
  chain.block([propose]);
  chain.block([chain.vote('org3/admin', propose.txId)]);
  assert.deepEqual(codes(chain.block([deposit('org1/client', 3), deposit('org2/client', 4), deposit('org1/admin', 5)])), ['OK', 'TX_FORBIDDEN', 'TX_FORBIDDEN']);
  const locked = chain.one(chain.propose('org1/admin', { kind: 'setTxAcl', txType: GOV_PROPOSE_TYPE, rule: { orgs: [], roles: [] } }));
  assert.deepEqual([locked.code, /cannot be changed/.test(locked.message)], ['GOV_INVALID', true]);
  assert.equal(chain.one(chain.propose('org1/admin', { kind: 'setTxAcl', txType: 'x', rule: { orgs: ['org9'], roles: ['client'] } })).code, 'GOV_INVALID');
  assert.equal(chain.one(chain.propose('org1/admin', { kind: 'setReadAcl', prefix: 'evidence', rule: { orgs: 'all', roles: ['auditor'] } })).code, 'GOV_INVALID');
  const read = chain.propose('org1/admin', { kind: 'setReadAcl', prefix: 'evidence/', rule: { orgs: 'all', roles: ['auditor'] } });
  chain.block([read, chain.vote('org2/admin', read.txId)]);
  assert.deepEqual(chain.view.readAclFor(utf8('evidence/00ff'))?.rule, { orgs: 'all', roles: ['auditor'] });
});

test('a removed organisation loses its vote and its txs; one running validators cannot be removed', async () => {
  const chain = new TestChain(consortium);
  chain.block();
  const ca = await issue({ commonName: 'org6 CA', organisation: 'org6' });
  const admin6 = signerOf(await issue({ commonName: 'admin.org6', organisation: 'org6', role: 'admin' }, ca), 'admin');
  const add = chain.propose('org1/admin', { kind: 'addOrganisation', id: 'org6', name: 'Six', caCertDer: ca.certDer });
  chain.block([add, chain.vote('org2/admin', add.txId)]);
  assert.equal(chain.view.isMember('org6'), true);
  // Four members now: twoThirds needs three.
  const params = chain.propose(admin6, { kind: 'setParameter', name: 'blockTxsMax', value: 77 });
  chain.block([params, chain.vote('org1/admin', params.txId)]);
  assert.equal(chain.view.proposal(params.txId)!.status, 'open');
  const validatorOrg = chain.one(chain.propose('org1/admin', { kind: 'removeOrganisation', id: 'org3' }));
  assert.deepEqual([validatorOrg.code, /node2/.test(validatorOrg.message)], ['GOV_INVALID', true]);
  const remove = chain.propose('org1/admin', { kind: 'removeOrganisation', id: 'org6' });
  chain.block([remove, chain.vote('org2/admin', remove.txId), chain.vote('org3/admin', remove.txId)]);
  assert.deepEqual(chain.view.memberIds(), ['org1', 'org2', 'org3']);
  assert.equal(chain.view.organisation('org6')!.removedHeight, chain.height);
  assert.equal(chain.one(chain.vote(admin6, params.txId)).code, 'TX_UNKNOWN_MEMBER');
  // org6's yes no longer counts: org1 and org2 make the two of three.
  assert.deepEqual(eventTypes(chain.block([chain.vote('org2/admin', params.txId)])), ['gov.voted', 'gov.passed']);
  assert.equal(chain.view.params()!.blockTxsMax, 77);
  assert.equal(chain.one(chain.propose('org1/admin', await newOrganisation('org6'))).code, 'GOV_INVALID', 'ids are never reused');
});

test('changes are checked when proposed: certificates, formats and bounds', async () => {
  const chain = new TestChain(consortium);
  chain.block();
  const refused = async (change: GovChange, pattern: RegExp) => {
    const result = chain.one(chain.propose('org1/admin', change));
    assert.equal(result.code, 'GOV_INVALID', `${change.kind}: ${result.message}`);
    assert.match(result.message, pattern);
  };
  const wrongO = await issue({ commonName: 'CA', organisation: 'other' });
  await refused({ kind: 'addOrganisation', id: 'org7', name: 'Seven', caCertDer: wrongO.certDer }, /O is "other"/);
  const notCa = await issue({ commonName: 'x', organisation: 'org7', role: 'client' }, consortium.ca('org1'));
  await refused({ kind: 'addOrganisation', id: 'org7', name: 'Seven', caCertDer: notCa.certDer }, /cA is not set/);
  await refused({ kind: 'addOrganisation', id: 'Org_7', name: 'Seven', caCertDer: wrongO.certDer }, /must match/);
  await refused({ kind: 'addOrganisation', id: 'org7', name: 'Seven', caCertDer: Uint8Array.of(1, 2) }, /CA certificate/);
  await refused({ kind: 'addOrganisation', id: 'org2', name: 'Two', caCertDer: consortium.ca('org2').certDer }, /exists/);
  await refused({ kind: 'setParameter', name: 'txBytesMax', value: 10 }, /from 1024/);
  await refused({ kind: 'setParameter', name: 'blockBytesMax', value: 2048 }, /at least txBytesMax/);
  await refused({ kind: 'revokeCertificate', certHash: new Uint8Array(32), org: 'org9', reason: 'x' }, /not a member/);
  await refused({ kind: 'revokeCertificate', certHash: new Uint8Array(32), org: 'org1', reason: '' }, /reason/);
  await refused({ kind: 'removeOrganisation', id: 'org9' }, /not a member/);
});

test('an organisation may have 16 open proposals at a time', () => {
  const chain = new TestChain(consortium);
  chain.block();
  const proposals = Array.from({ length: 17 }, (_, i) => chain.propose('org2/admin', { kind: 'setParameter', name: 'blockTxsMax', value: 100 + i }));
  const results = codes(chain.block(proposals));
  assert.deepEqual(results, [...Array<string>(16).fill('OK'), 'GOV_INVALID']);
  assert.equal(chain.one(chain.propose('org3/admin', { kind: 'setParameter', name: 'blockTxsMax', value: 99 })).code, 'OK', 'the others are not crowded out');
  assert.equal(chain.view.openProposals().length, 17);
});

test('only governance handlers may write sys/: another handler doing so is a broken invariant', () => {
  const chain = new TestChain(consortium);
  const rogue: TxHandler = () => ({ ok: true, writes: [{ key: utf8('sys/params'), value: new Uint8Array(40) }], events: [] });
  const handlers = new Map([...builtInHandlers(), ['rogue', rogue]]);
  const block = { chainId: chain.genesis.chainId, height: 2, timeMs: 1_900_000_000_000, hash: consortium.suite.hash };
  assert.throws(() => executeBlock(handlers, chain.reader, [chain.tx('org1/client', 'rogue', new Uint8Array())], block), AssertionFailed);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeProposalRecord, encodeEvidenceDeposit, encodeGovPropose, encodeGovVote, encodeSignedTx, encodeTxBody, EVIDENCE_DEPOSIT_TYPE,
  GOV_PROPOSE_TYPE, GOV_VOTE_TYPE, parseGenesis, parseProofBundle, pemDecode, sysKey, toHex, TX_VERSION, txIdOf, verifyProofBundle,
  type GovChange, type ProofBundle,
} from '@xinlian/protocol';
import { loadSigningKey, nodeSuite } from '@xinlian/crypto-node';
import { startNode, type RunningNode } from '../../src/xinlianNode.js';
import { MemoryHub } from '../helpers/memoryHub.js';
import { inProcessChain } from '../helpers/inProcessChain.js';

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, attempts = 1500): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${what}: condition not met`);
}

async function json<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(url, init);
  return { status: response.status, body: await response.json() as T };
}

/**
 * Governance on a running 4-validator network (in one process, over the in-memory hub): an
 * observer becomes the fifth validator and signs blocks, proofs of later blocks verify offline
 * from genesis through the handoff, a proposal short of its policy stays open, a revoked client's
 * next tx is refused, and a validator is removed again.
 */
test('governance on a live network: add a validator, revoke a client, a proposal without enough votes stays open, remove a validator', { timeout: 180_000 }, async () => {
  const setup = await inProcessChain('gov', { observers: 1 });
  const nodes: RunningNode[] = [];
  try {
    const { chain, observerHomes, homes } = setup;
    const hub = new MemoryHub();
    for (const [i, home] of homes.entries()) nodes.push(await startNode({ home, transport: hub.transport(`node${i}`), apiPort: 0 }));

    const genesis = parseGenesis(JSON.parse(readFileSync(join(chain, 'genesis.json'), 'utf8')));
    const suite = nodeSuite('intl');
    const identity = (org: string, role: string) => ({
      key: loadSigningKey(readFileSync(join(chain, 'orgs', org, `${role}.key.pem`), 'utf8')),
      cert: pemDecode(readFileSync(join(chain, 'orgs', org, `${role}.cert.pem`), 'utf8'), 'CERTIFICATE'),
    });
    let nonce = 0;
    const sign = (who: ReturnType<typeof identity>, type: string, payload: Uint8Array) => {
      nonce += 1;
      const nonceBytes = new Uint8Array(16);
      new DataView(nonceBytes.buffer).setUint32(0, nonce);
      const bodyBytes = encodeTxBody({
        version: TX_VERSION, chainId: genesis.chainId, signerCert: who.cert, nonce: nonceBytes, expiryHeight: 5000, type, payload,
      });
      const txId = txIdOf(suite.hash, genesis.chainId, bodyBytes);
      return { txId: toHex(txId), hex: toHex(encodeSignedTx({ bodyBytes, signature: who.key.sign(txId) })) };
    };
    const height = async (i: number) => (await json<{ height: number }>(`${nodes[i]!.url}/v1/status`)).body.height;
    /** Submits through `via` and waits for the commit; returns the result code and height. */
    const send = async (via: number, tx: { txId: string; hex: string }) => {
      const submitted = await json<{ error?: { code: string } }>(`${nodes[via]!.url}/v1/txs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tx: tx.hex }) });
      if (submitted.status !== 202) return { code: submitted.body.error?.code ?? `HTTP ${submitted.status}`, height: 0, status: submitted.status };
      const done = await json<{ height: number; result: { code: string } }>(`${nodes[via]!.url}/v1/txs/${tx.txId}/wait?timeoutMs=60000`);
      return { code: done.body.result.code, height: done.body.height, status: 200 };
    };
    const proposal = async (id: string) => {
      const { body } = await json<{ value: string | null }>(`${nodes[0]!.url}/v1/state?keyHex=${toHex(sysKey.proposal(Buffer.from(id, 'hex')))}`);
      return body.value === null ? undefined : decodeProposalRecord(Buffer.from(body.value, 'hex'));
    };
    const admin1 = identity('org1', 'admin');
    const admin2 = identity('org2', 'admin');
    const propose = (who: ReturnType<typeof identity>, change: GovChange) => sign(who, GOV_PROPOSE_TYPE, encodeGovPropose({ change }));
    const vote = (who: ReturnType<typeof identity>, id: string, approve: boolean) => sign(who, GOV_VOTE_TYPE, encodeGovVote({ proposalId: Buffer.from(id, 'hex'), approve }));

    // 1. node4 (an observer of org1) becomes a validator: org1 proposes, org2 agrees (two thirds of two).
    const observerCert = pemDecode(readFileSync(join(observerHomes[0]!, 'node.cert.pem'), 'utf8'), 'CERTIFICATE');
    const add = propose(admin1, { kind: 'addValidator', name: 'node4', org: 'org1', certDer: observerCert, power: 1 });
    assert.equal((await send(1, add)).code, 'OK');
    assert.equal((await proposal(add.txId))?.status, 'open', 'one organisation of two is not two thirds');
    const passed = await send(2, vote(admin2, add.txId, true));
    assert.equal(passed.code, 'OK');
    const record = (await proposal(add.txId))!;
    assert.equal(record.status, 'passed');
    assert.equal(record.effectiveHeight, passed.height + 2);

    // From the effective height the header names five validators and node4's precommits count.
    const effective = record.effectiveHeight;
    await waitFor(async () => ((await height(4)) >= effective + 3 ? true : undefined), 'node4 follows past the effective height');
    const commits = await Promise.all([0, 1, 2].map((k) => json<{ commit: { signatures: Array<{ validatorIndex: number }> } }>(`${nodes[0]!.url}/v1/blocks/${effective + k}`)));
    const signers = commits.flatMap((c) => c.body.commit.signatures.map((s) => s.validatorIndex));
    assert.ok(signers.includes(4), `node4 signed one of blocks ${effective}..${effective + 2} (signers ${signers.join(',')})`);
    assert.ok(commits.every((c) => c.body.commit.signatures.length >= 4), 'a quorum of five is four signatures');

    // A deposit after the change: its bundle verifies offline from genesis through the handoff.
    const deposit = sign(identity('org2', 'client'), EVIDENCE_DEPOSIT_TYPE, encodeEvidenceDeposit({ hash: suite.hash(Uint8Array.of(7)), title: 'after the change' }));
    assert.equal((await send(4, deposit)).code, 'OK', 'the new validator takes txs like any node');
    const bundle = (await json<ProofBundle>(`${nodes[3]!.url}/v1/proofs/tx/${deposit.txId}`)).body;
    assert.equal(bundle.consortium?.handoffs.length, 1);
    const verified = verifyProofBundle(bundle, genesis, suite);
    assert.equal(verified.totalPower, 5);
    assert.ok(verified.checks.some((c) => /validator set change: block \d+, signed by the set in force, announces 5 validators/.test(c)), verified.checks.join('\n'));
    // As a file, through the parser every offline verifier (CLI, SDK, browser) uses: the handoff survives.
    assert.equal(verifyProofBundle(parseProofBundle(JSON.parse(JSON.stringify(bundle))), genesis, suite).totalPower, 5);
    // Tampering with the handoff is caught.
    const forged = structuredClone(bundle);
    forged.consortium!.handoffs[0]!.next = forged.consortium!.handoffs[0]!.next.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    assert.throws(() => verifyProofBundle(forged, genesis, suite), /PROOF_INVALID|handoff|decode/);

    // 2. A proposal short of its policy stays open: setPolicy needs all organisations.
    const lonely = propose(admin1, { kind: 'setPolicy', target: 'revokeCertificate', policy: 'all' });
    assert.equal((await send(0, lonely)).code, 'OK');
    await waitFor(async () => ((await height(0)) >= (await proposal(lonely.txId))!.createdHeight + 3 ? true : undefined), 'three more blocks');
    assert.equal((await proposal(lonely.txId))?.status, 'open');

    // 3. org2's client is revoked (majority: both organisations here); its next tx is refused.
    const client2 = identity('org2', 'client');
    const revoke = propose(admin1, { kind: 'revokeCertificate', certHash: suite.hash(client2.cert), org: 'org2', reason: 'key leaked' });
    assert.equal((await send(0, revoke)).code, 'OK');
    assert.equal((await send(0, vote(admin2, revoke.txId, true))).code, 'OK');
    const refused = await send(3, sign(client2, EVIDENCE_DEPOSIT_TYPE, encodeEvidenceDeposit({ hash: suite.hash(Uint8Array.of(8)), title: 'too late' })));
    assert.equal(refused.code, 'CERT_REVOKED');
    assert.equal(refused.status, 403);
    const otherClient = sign(identity('org1', 'client'), EVIDENCE_DEPOSIT_TYPE, encodeEvidenceDeposit({ hash: suite.hash(Uint8Array.of(9)), title: 'still fine' }));
    assert.equal((await send(3, otherClient)).code, 'OK', 'only the revoked certificate is refused');

    // 4. node3 is removed again; the network goes on with four.
    const remove = propose(admin2, { kind: 'removeValidator', name: 'node3' });
    assert.equal((await send(1, remove)).code, 'OK');
    const removed = await send(1, vote(admin1, remove.txId, true));
    assert.equal(removed.code, 'OK');
    const removedAt = (await proposal(remove.txId))!.effectiveHeight;
    await waitFor(async () => ((await height(0)) >= removedAt + 2 ? true : undefined), 'commits after the removal');
    const late = await json<{ commit: { signatures: Array<{ validatorIndex: number }> } }>(`${nodes[0]!.url}/v1/blocks/${removedAt + 1}`);
    assert.ok(late.body.commit.signatures.length >= 3 && late.body.commit.signatures.every((s) => s.validatorIndex < 4), 'four validators (indexes 0..3) sign after the removal');
    const status = await json<{ validators: number }>(`${nodes[0]!.url}/v1/status`);
    assert.equal(status.body.validators, 4);
  } finally {
    for (const node of nodes) await node.close();
    setup.remove();
  }
});

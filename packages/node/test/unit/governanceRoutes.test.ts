import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  encodeChainParameters, encodeOpenProposals, encodeOrganisationIndex, encodeOrganisationRecord, encodePolicies,
  encodeProposalRecord, encodeRevocationRecord, encodeValidatorsNextRecord, encodeValidatorsRecord, fromHex, governanceOf,
  pemDecode, sysKey, toHex,
  type Genesis, type GovChange, type OpenProposal, type ProposalRecord, type ProposalStatus, type ValidatorEntry,
} from '@xinlian/protocol';
import { nodeSuite } from '@xinlian/crypto-node';
import { initChain } from '../../src/init/initChain.js';
import { issueIdentity } from '../../src/init/issueIdentity.js';
import { StateTree, type StateWrite } from '../../src/state/stateTree.js';
import type { Store } from '../../src/storage/store.js';
import type { MembersView, ProposalView } from '@xinlian/protocol';
import { ConsortiumReader, ProposalLog } from '../../src/api/governanceViews.js';
import { apiRoutes } from '../../src/api/routes.js';
import { createHttpServer } from '../../src/api/httpServer.js';
import { openApiDocument } from '../../src/api/routeSpec.js';
import type { NodeServices } from '../../src/api/nodeServices.js';
import { createLogger } from '../../src/log/logger.js';
import { withStateStore } from '../helpers/tempStore.js';

// The consortium views and the governance routes over a real state tree holding the sys/ records
// that governance execution writes (docs/adr/008-governance.md), block by block: proposals made,
// voted on, passed, rejected and left to expire. The records are written here with the protocol's
// encoders, so these tests do not depend on the execution handlers.

const suite = nodeSuite('intl');

/** A chain's history as this test writes it: one block at a time, txs identified by their ids. */
class Chain {
  height = 0;
  private readonly open: OpenProposal[] = [];
  private readonly records = new Map<string, ProposalRecord>();
  readonly memberIds: string[];

  constructor(readonly store: Store, readonly tree: StateTree, readonly genesis: Genesis) {
    this.memberIds = genesis.organisations.map((o) => o.id);
  }

  /** Applies one block; each tx is a list of writes, made by the tx of that id. */
  block(txs: Array<{ txId: Uint8Array; writes: Array<[Uint8Array, Uint8Array | null]> }>): void {
    this.height++;
    const writes: StateWrite[] = [];
    txs.forEach((tx, txIndex) => {
      for (const [key, value] of tx.writes) writes.push({ key, value, txIndex, txId: tx.txId });
    });
    this.store.commit(this.tree.apply(this.height, writes).ops);
  }

  genesisBlock(): void {
    const validators: ValidatorEntry[] = this.genesis.validators.map((v) => ({
      name: v.name, org: v.org, certDer: pemDecode(v.certPem, 'CERTIFICATE'), publicKey: fromHex(v.publicKey), power: v.power,
    }));
    this.block([{
      txId: new Uint8Array(0),
      writes: [
        ...this.genesis.organisations.map((o): [Uint8Array, Uint8Array] => [
          sysKey.org(o.id), encodeOrganisationRecord({ id: o.id, name: o.name, caCertDer: pemDecode(o.caCertPem, 'CERTIFICATE'), joinedHeight: 0, removedHeight: 0 }),
        ]),
        [sysKey.orgIndex(), encodeOrganisationIndex(this.memberIds)],
        [sysKey.validators(), encodeValidatorsRecord({ validators, sinceHeight: 1 })],
        [sysKey.params(), encodeChainParameters(this.genesis.parameters)],
        [sysKey.policies(), encodePolicies(governanceOf(this.genesis))],
      ],
    }]);
  }

  /** The writes of a propose tx made in the next block by `org`. */
  propose(id: Uint8Array, org: string, change: GovChange, deadlineHeights = 100): { txId: Uint8Array; writes: Array<[Uint8Array, Uint8Array]> } {
    const height = this.height + 1;
    const record: ProposalRecord = {
      id, change, proposer: { org, name: `admin.${org}` }, createdHeight: height, deadlineHeight: height + deadlineHeights,
      votes: [{ org, name: `admin.${org}`, approve: true, height, txId: id }], status: 'open', decidedHeight: 0, effectiveHeight: 0,
    };
    this.records.set(toHex(id), record);
    this.open.push({ id, org, deadlineHeight: record.deadlineHeight });
    return { txId: id, writes: [[sysKey.proposal(id), encodeProposalRecord(record)], [sysKey.proposalIndex(), encodeOpenProposals(this.open)]] };
  }

  /** The writes of a vote in the next block, with the decision it makes and what it changes. */
  vote(
    txId: Uint8Array, proposalId: Uint8Array, org: string, approve: boolean,
    decision?: { status: Exclude<ProposalStatus, 'open' | 'expired'>; effectiveHeight?: number; applies?: Array<[Uint8Array, Uint8Array]> },
  ): { txId: Uint8Array; writes: Array<[Uint8Array, Uint8Array]> } {
    const height = this.height + 1;
    const record = this.records.get(toHex(proposalId))!;
    record.votes.push({ org, name: `admin.${org}`, approve, height, txId });
    const writes: Array<[Uint8Array, Uint8Array]> = [];
    if (decision !== undefined) {
      record.status = decision.status;
      record.decidedHeight = height;
      record.effectiveHeight = decision.effectiveHeight ?? 0;
      this.open.splice(this.open.findIndex((p) => toHex(p.id) === toHex(proposalId)), 1);
      writes.push([sysKey.proposalIndex(), encodeOpenProposals(this.open)], ...(decision.applies ?? []));
    }
    writes.push([sysKey.proposal(proposalId), encodeProposalRecord(record)]);
    return { txId, writes };
  }
}

const id = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const hex = (n: number): string => toHex(id(n));

async function withChain(body: (chain: Chain, reader: ConsortiumReader, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'xinlian-gov-views-'));
  try {
    const { genesis } = await initChain({ dir, suite: 'intl', orgs: 3, validators: 1, genesisTimeMs: Date.now() });
    await withStateStore(async (store) => {
      const tree = new StateTree(store, suite.hash);
      const chain = new Chain(store, tree, genesis);
      await body(chain, new ConsortiumReader(genesis, tree, new ProposalLog(tree), suite.hash), dir);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Blocks 1–9: genesis; org1 proposes org4 (P1), org2's yes passes it (twoThirds of 3); a revocation
 * (P2, majority of 4) passes on the third yes; a policy change (P3, all) is rejected by the first no;
 * a parameter change (P4) is left to expire; a validator power change (P5) passes and announces a set.
 */
async function governedChain(chain: Chain): Promise<{ caCertDer: Uint8Array; revokedHash: Uint8Array }> {
  const now = Date.now();
  const ca = await issueIdentity({ suite: 'intl', subject: { commonName: 'Organisation 4 CA', organisation: 'org4' }, notBeforeMs: now - 86_400_000, notAfterMs: now + 86_400_000 });
  const revokedHash = suite.hash(pemDecode(chain.genesis.validators[0]!.certPem, 'CERTIFICATE'));
  chain.genesisBlock();
  chain.block([chain.propose(id(1), 'org1', { kind: 'addOrganisation', id: 'org4', name: 'Organisation 4', caCertDer: ca.certDer })]);
  chain.block([chain.vote(id(101), id(1), 'org2', true, {
    status: 'passed', effectiveHeight: 3,
    applies: [
      [sysKey.org('org4'), encodeOrganisationRecord({ id: 'org4', name: 'Organisation 4', caCertDer: ca.certDer, joinedHeight: 3, removedHeight: 0 })],
      [sysKey.orgIndex(), encodeOrganisationIndex(['org1', 'org2', 'org3', 'org4'])],
    ],
  })]);
  chain.block([
    chain.propose(id(2), 'org1', { kind: 'revokeCertificate', certHash: revokedHash, org: 'org1', reason: 'key leaked' }),
    chain.propose(id(3), 'org2', { kind: 'setPolicy', target: 'revokeCertificate', policy: 'all' }),
  ]);
  chain.block([
    chain.vote(id(102), id(2), 'org2', true),
    chain.vote(id(103), id(2), 'org4', true, {
      status: 'passed', effectiveHeight: 5,
      applies: [[sysKey.revoked(revokedHash), encodeRevocationRecord({ certHash: revokedHash, org: 'org1', reason: 'key leaked', height: 5, proposalId: id(2) })]],
    }),
  ]);
  chain.block([chain.propose(id(4), 'org3', { kind: 'setParameter', name: 'blockTxsMax', value: 1000 }, 1)]);
  chain.block([chain.vote(id(104), id(3), 'org3', false, { status: 'rejected' })]);
  const validator = chain.genesis.validators[0]!;
  const entry: ValidatorEntry = { name: validator.name, org: validator.org, certDer: pemDecode(validator.certPem, 'CERTIFICATE'), publicKey: fromHex(validator.publicKey), power: 2 };
  chain.block([chain.propose(id(5), 'org1', { kind: 'setValidatorPower', name: validator.name, power: 2 })]);
  chain.block([
    chain.vote(id(105), id(5), 'org2', true),
    chain.vote(id(106), id(5), 'org3', true, {
      status: 'passed', effectiveHeight: 11,
      applies: [[sysKey.validatorsNext(), encodeValidatorsNextRecord({ validators: [entry], effectiveHeight: 11, proposalId: id(5) })]],
    }),
  ]);
  return { caCertDer: ca.certDer, revokedHash };
}

test('members: genesis before block 1, then organisations joined, revocations and an announced validator set', async () => {
  await withChain(async (chain, reader) => {
    const before = reader.members(0);
    assert.equal(before.height, 0);
    assert.deepEqual(before.organisations.map((o) => [o.id, o.joinedHeight, o.removedHeight]), [['org1', 0, null], ['org2', 0, null], ['org3', 0, null]]);
    assert.equal(before.organisations[0]!.caCertPem, chain.genesis.organisations[0]!.caCertPem);
    assert.deepEqual(before.validators, chain.genesis.validators.map((v, index) => ({ index, name: v.name, org: v.org, publicKey: v.publicKey, power: v.power })));
    assert.equal(before.nextValidators, null);
    assert.deepEqual(before.revoked, []);

    const { caCertDer, revokedHash } = await governedChain(chain);
    const after = reader.members(chain.height);
    assert.equal(after.height, 9);
    assert.deepEqual(after.organisations.map((o) => [o.id, o.joinedHeight, o.removedHeight]), [['org1', 0, null], ['org2', 0, null], ['org3', 0, null], ['org4', 3, null]]);
    assert.deepEqual(pemDecode(after.organisations[3]!.caCertPem, 'CERTIFICATE'), caCertDer);
    // The genesis fields are read back from sys/ with the same shape as from genesis.
    assert.deepEqual(after.validators, before.validators);
    assert.deepEqual(after.nextValidators, { effectiveHeight: 11, proposalId: hex(5), validators: [{ ...before.validators[0]!, power: 2 }] });
    assert.deepEqual(after.revoked, [{ certHash: toHex(revokedHash), org: 'org1', reason: 'key leaked', height: 5, proposalId: hex(2) }]);
    // A past height shows the consortium as it was then.
    assert.deepEqual(reader.members(2).organisations.map((o) => o.id), ['org1', 'org2', 'org3']);
    assert.deepEqual(reader.members(4).revoked, []);

    // A removed organisation stays listed, after the members, with the height it left.
    chain.block([{ txId: id(107), writes: [
      [sysKey.org('org3'), encodeOrganisationRecord({ id: 'org3', name: 'Organisation 3', caCertDer: pemDecode(chain.genesis.organisations[2]!.caCertPem, 'CERTIFICATE'), joinedHeight: 0, removedHeight: 10 })],
      [sysKey.orgIndex(), encodeOrganisationIndex(['org1', 'org2', 'org4'])],
    ] }]);
    assert.deepEqual(reader.members(10).organisations.map((o) => [o.id, o.removedHeight]), [['org1', null], ['org2', null], ['org4', null], ['org3', 10]]);
  });
});

test('proposals: newest first, filtered by status, with votes counted among the members of the last tally', async () => {
  await withChain(async (chain, reader) => {
    chain.genesisBlock();
    assert.deepEqual(reader.proposals('all', 100, 1), [], 'no proposals yet');
  });
  await withChain(async (chain, reader) => {
    const { revokedHash } = await governedChain(chain);
    const ids = (views: ProposalView[]): string[] => views.map((p) => p.id);
    // Height 4 first, so that the read at the latest height extends the proposal log.
    assert.deepEqual(ids(reader.proposals('all', 100, 4)), [hex(3), hex(2), hex(1)]);
    assert.deepEqual(ids(reader.proposals('all', 100, chain.height)), [hex(5), hex(4), hex(3), hex(2), hex(1)]);
    assert.deepEqual(ids(reader.proposals('all', 2, chain.height)), [hex(5), hex(4)]);
    assert.deepEqual(ids(reader.proposals('passed', 100, chain.height)), [hex(5), hex(2), hex(1)]);
    assert.deepEqual(ids(reader.proposals('rejected', 100, chain.height)), [hex(3)]);
    // P4's deadline was height 7: expired from height 8 on, though no tx has written that down.
    assert.deepEqual(ids(reader.proposals('expired', 100, chain.height)), [hex(4)]);
    assert.deepEqual(ids(reader.proposals('open', 100, chain.height)), []);
    assert.deepEqual(ids(reader.proposals('open', 100, 6)), [hex(4), hex(3)]);

    const p1 = reader.proposal(id(1), chain.height);
    assert.match(String(p1.change.caCertPem), /^-----BEGIN CERTIFICATE-----/);
    assert.deepEqual({ ...p1, change: { ...p1.change, caCertPem: 'PEM' } }, {
      id: hex(1), kind: 'addOrganisation', change: { kind: 'addOrganisation', id: 'org4', name: 'Organisation 4', caCertPem: 'PEM' },
      policy: 'twoThirds', proposer: { org: 'org1', name: 'admin.org1' }, createdHeight: 2, deadlineHeight: 102,
      status: 'passed', decidedHeight: 3, effectiveHeight: 3,
      votes: [
        { org: 'org1', name: 'admin.org1', approve: true, height: 2, txId: hex(1) },
        { org: 'org2', name: 'admin.org2', approve: true, height: 3, txId: hex(101) },
      ],
      // Counted among the 3 organisations before org4 joined: 2 of 3 meet two thirds.
      yes: 2, no: 0, organisations: 3, required: 2,
    } satisfies ProposalView);

    const p2 = reader.proposal(id(2), chain.height);
    assert.deepEqual(p2.change, { kind: 'revokeCertificate', certHash: toHex(revokedHash), org: 'org1', reason: 'key leaked' });
    assert.deepEqual([p2.policy, p2.status, p2.yes, p2.no, p2.organisations, p2.required, p2.decidedHeight], ['majority', 'passed', 3, 0, 4, 3, 5]);
    const p3 = reader.proposal(id(3), chain.height);
    assert.deepEqual([p3.policy, p3.status, p3.yes, p3.no, p3.decidedHeight, p3.effectiveHeight], ['all', 'rejected', 1, 1, 7, null]);
    assert.deepEqual(p3.change, { kind: 'setPolicy', target: 'revokeCertificate', policy: 'all' });
    const p4 = reader.proposal(id(4), chain.height);
    assert.deepEqual([p4.status, p4.decidedHeight, p4.deadlineHeight, p4.yes, p4.organisations], ['expired', 8, 7, 1, 4]);
    const p4Then = reader.proposal(id(4), 6);
    assert.deepEqual([p4Then.status, p4Then.decidedHeight, p4Then.effectiveHeight, p4Then.required], ['open', null, null, 3]);
    const p5 = reader.proposal(id(5), chain.height);
    assert.deepEqual([p5.status, p5.effectiveHeight], ['passed', 11]);
    assert.deepEqual(p5.change, { kind: 'setValidatorPower', name: 'node0', power: 2 });
    assert.throws(() => reader.proposal(id(9), chain.height), { code: 'NOT_FOUND' });
    assert.throws(() => reader.proposal(id(5), 7), { code: 'NOT_FOUND' }, 'not yet proposed at height 7');

    // More proposals in one block than one read of the index's history returns: all are found.
    const many = Array.from({ length: 150 }, (_, i) => Uint8Array.of(0xee, i, ...new Uint8Array(30)));
    chain.block(many.map((manyId, i) => chain.propose(manyId, 'org1', { kind: 'setParameter', name: 'blockIntervalMs', value: i + 1 })));
    assert.deepEqual(ids(reader.proposals('all', 1000, chain.height)), [...many.map(toHex).reverse(), hex(5), hex(4), hex(3), hex(2), hex(1)]);
    assert.deepEqual(ids(reader.proposals('open', 3, chain.height)), many.slice(-3).map(toHex).reverse());
  });
});

/** Serves apiRoutes with the governance services over `reader` (the other services are not used here). */
async function serve(reader: ConsortiumReader, height: () => number): Promise<{ url: string; close(): Promise<void> }> {
  const services = {
    height,
    members: (): MembersView => reader.members(height()),
    proposals: (status, limit) => reader.proposals(status, limit, height()),
    proposal: (proposalId) => reader.proposal(proposalId, height()),
  } satisfies Partial<NodeServices>;
  const routes = apiRoutes(services as NodeServices);
  const server = createHttpServer({ routes, bodyBytesMax: 1024, logger: createLogger({ level: 'error', write: () => {}, nowMs: () => 0 }) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test('routes: GET /v1/members and /v1/governance/proposals[/:id], typed errors, and the OpenAPI document', async () => {
  await withChain(async (chain, reader) => {
    await governedChain(chain);
    const api = await serve(reader, () => chain.height);
    try {
      const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
        const response = await fetch(`${api.url}${path}`);
        return { status: response.status, body: await response.json() as Record<string, unknown> };
      };
      const members = await get('/v1/members');
      assert.equal(members.status, 200);
      assert.deepEqual(members.body, JSON.parse(JSON.stringify(reader.members(chain.height))));
      assert.deepEqual(Object.keys(members.body).sort(), ['height', 'nextValidators', 'organisations', 'revoked', 'validators']);

      const all = await get('/v1/governance/proposals');
      assert.equal(all.status, 200);
      assert.deepEqual((all.body.proposals as ProposalView[]).map((p) => p.id), [hex(5), hex(4), hex(3), hex(2), hex(1)]);
      const passed = await get('/v1/governance/proposals?status=passed&limit=2');
      assert.deepEqual((passed.body.proposals as ProposalView[]).map((p) => p.id), [hex(5), hex(2)]);
      const one = await get(`/v1/governance/proposals/${hex(2)}`);
      assert.equal(one.status, 200);
      assert.deepEqual(one.body, JSON.parse(JSON.stringify(reader.proposal(id(2), chain.height))));

      const errors: Array<[string, number, string]> = [
        ['/v1/governance/proposals?status=maybe', 400, 'BAD_REQUEST'],
        ['/v1/governance/proposals?limit=0', 400, 'BAD_REQUEST'],
        ['/v1/governance/proposals?limit=1001', 400, 'BAD_REQUEST'],
        ['/v1/governance/proposals/xyz', 400, 'BAD_REQUEST'],
        [`/v1/governance/proposals/${hex(2).slice(2)}`, 400, 'BAD_REQUEST'],
        [`/v1/governance/proposals/${hex(9)}`, 404, 'NOT_FOUND'],
      ];
      for (const [path, status, code] of errors) {
        const answer = await get(path);
        assert.equal(answer.status, status, path);
        assert.equal((answer.body.error as { code: string }).code, code, path);
      }
    } finally {
      await api.close();
    }
    const document = openApiDocument(apiRoutes({} as NodeServices), { title: 't', version: '0' }) as { paths: Record<string, Record<string, { tags: string[]; parameters: Array<{ name: string }> }>> };
    assert.ok(document.paths['/v1/members']?.get);
    assert.deepEqual(document.paths['/v1/governance/proposals']?.get?.parameters.map((p) => p.name), ['status', 'limit']);
    assert.deepEqual(document.paths['/v1/governance/proposals/{id}']?.get?.parameters.map((p) => p.name), ['id']);
    assert.deepEqual(document.paths['/v1/governance/proposals/{id}']?.get?.tags, ['governance']);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contractTxType, fromUtf8, sysKey, toHex, utf8, type GovChange } from '@xinlian/protocol';
import { ContractSandbox } from '@xinlian/contracts/sandbox';
import { ContractRunner } from '../../src/execution/contracts/contractHandler.js';
import { builtInHandlers } from '../../src/execution/handlers.js';
import { StateTree } from '../../src/state/stateTree.js';
import { makeConsortium, TestChain } from '../helpers/consortium.js';
import { withStateStore } from '../helpers/tempStore.js';

// Contracts run as txs (ADR 010): deployed by governance, namespaced state with range scans and
// history on the real state tree, typed failures without writes, per-operation ACLs, upgrades.

const REGISTRY_V1 = `
module.exports = {
  register(api, args, ctx) {
    if (api.get('item/' + args.id) !== undefined) { const e = new Error('item ' + args.id + ' exists'); e.name = 'ContractError'; e.code = 'ITEM_EXISTS'; throw e; }
    api.put('item/' + args.id, { owner: ctx.caller.org, height: ctx.height });
    api.emit('registered', { id: args.id, org: ctx.caller.org });
    return { id: args.id, version: 1 };
  },
  move(api, args) { const item = api.get('item/' + args.id); item.at = args.at; api.put('item/' + args.id, item); return item; },
  list(api, args) { return api.range({ prefix: 'item/', limit: args.limit }).map((e) => e.key); },
  trail(api, args) { return api.history('item/' + args.id, 10).map((c) => ({ height: c.height, at: c.value === null ? null : c.value.at ?? null })); },
  spin() { for (;;) {} },
  fingerprint(api, args) { return api.hash(args.text); },
};
`;
const REGISTRY_V2 = REGISTRY_V1.replace('version: 1', 'version: 2');
const SHOP = `
module.exports = {
  sell(api, args) { api.put('sold/' + args.id, true); return api.call('registry', 'register', { id: args.id }); },
};
`;

async function withContractChain(body: (chain: TestChain, deploy: (change: GovChange) => Uint8Array) => Promise<void> | void, blockStepsMax?: number): Promise<void> {
  const consortium = await makeConsortium(3);
  const runner = new ContractRunner(await ContractSandbox.create({ stepsMax: 2_000_000 }), blockStepsMax);
  try {
    await withStateStore(async (store) => {
      const chain = new TestChain(consortium, consortium.genesis, builtInHandlers({ suite: consortium.suite, contracts: runner }), { store, state: new StateTree(store, consortium.suite.hash) });
      chain.block();
      // Two of three organisations pass a contract change (twoThirds).
      const deploy = (change: GovChange): Uint8Array => {
        const proposal = chain.propose('org1/admin', change);
        assert.equal(chain.one(proposal).code, 'OK');
        const passed = chain.one(chain.vote('org2/admin', proposal.txId));
        assert.equal(passed.code, 'OK', passed.message);
        assert.ok(passed.events.some((e) => e.type === 'gov.passed'));
        return proposal.txId;
      };
      await body(chain, deploy);
    });
  } finally {
    consortium.cleanup();
  }
}

const call = (chain: TestChain, who: string, op: string, args: unknown) => chain.tx(who, contractTxType('registry', op), utf8(JSON.stringify(args)));

test('a contract deployed by governance runs as txs: its code and approvals are on chain, its result is in the tx result', async () => {
  await withContractChain((chain, deploy) => {
    const early = chain.one(call(chain, 'org1/client', 'register', { id: 'a' }));
    assert.equal(early.code, 'CONTRACT_NOT_FOUND');
    const proposalId = deploy({ kind: 'deployContract', name: 'registry', code: utf8(REGISTRY_V1) });
    const record = chain.view.contract('registry')!;
    assert.equal(record.version, 1);
    assert.equal(toHex(record.codeHash), toHex(chain.consortium.suite.hash(utf8(REGISTRY_V1))));
    assert.deepEqual(record.approvedBy, ['org1', 'org2']);
    assert.equal(toHex(record.proposalId), toHex(proposalId));
    assert.equal(fromUtf8(chain.view.code(record.codeHash)!), REGISTRY_V1);
    assert.deepEqual(chain.view.contractNames(), ['registry']);

    const registered = chain.one(call(chain, 'org1/client', 'register', { id: 'a' }));
    assert.equal(registered.code, 'OK', registered.message);
    assert.deepEqual(registered.events[0], { type: 'registered', attributes: [['contract', 'registry'], ['id', 'a'], ['org', 'org1']] });
    const result = registered.events.find((e) => e.type === 'contract.result')!;
    assert.equal(result.attributes[0]![1], '{"id":"a","version":1}');
    const stored = chain.reader.get(utf8('c/registry/item/a'));
    assert.deepEqual(JSON.parse(fromUtf8(stored!)), { owner: 'org1', height: chain.height });
    const again = chain.one(call(chain, 'org2/client', 'register', { id: 'a' }));
    assert.equal(again.code, 'CONTRACT_REJECTED');
    assert.match(again.message, /^ITEM_EXISTS: item a exists/);
  });
});

test('range scans see committed entries and the block\'s earlier writes in key order; history lists committed changes', async () => {
  await withContractChain((chain, deploy) => {
    deploy({ kind: 'deployContract', name: 'registry', code: utf8(REGISTRY_V1) });
    chain.block([call(chain, 'org1/client', 'register', { id: 'c' }), call(chain, 'org1/client', 'register', { id: 'a' })]);
    const block = chain.block([call(chain, 'org2/client', 'register', { id: 'b' }), call(chain, 'org2/client', 'list', { limit: 10 }), call(chain, 'org2/client', 'list', { limit: 2 })]);
    const listed = block.results.slice(1).map((r) => JSON.parse(r.events.find((e) => e.type === 'contract.result')!.attributes[0]![1]));
    assert.deepEqual(listed, [['item/a', 'item/b', 'item/c'], ['item/a', 'item/b']]);
    const movedAt = chain.height + 1;
    chain.one(call(chain, 'org1/client', 'move', { id: 'a', at: 'warehouse' }));
    chain.one(call(chain, 'org1/client', 'move', { id: 'a', at: 'shop' }));
    const trail = chain.one(call(chain, 'org1/client', 'trail', { id: 'a' }));
    const changes = JSON.parse(trail.events.find((e) => e.type === 'contract.result')!.attributes[0]![1]);
    assert.deepEqual(changes.slice(0, 2), [{ height: movedAt + 1, at: 'shop' }, { height: movedAt, at: 'warehouse' }]);
    assert.equal(changes.length, 3);
  });
});

test('an endless loop fails its tx at the same step on every run, writes nothing, and the block goes on', async () => {
  await withContractChain((chain, deploy) => {
    deploy({ kind: 'deployContract', name: 'registry', code: utf8(REGISTRY_V1) });
    const txs = [call(chain, 'org1/client', 'spin', {}), call(chain, 'org1/client', 'register', { id: 'z' })];
    const block = chain.block(txs);
    assert.deepEqual(block.results.map((r) => r.code), ['CONTRACT_OUT_OF_STEPS', 'OK']);
    assert.ok(block.changes.every((c) => c.txIndex === 1), 'only the second tx wrote');
    const bad = chain.one(chain.tx('org1/client', contractTxType('registry', 'register'), utf8('{not json')));
    assert.equal(bad.code, 'TX_INVALID_PAYLOAD');
    const hashed = chain.one(call(chain, 'org1/client', 'fingerprint', { text: 'abc' }));
    // SHA-256("abc") (FIPS 180-2 B.1): api.hash is the chain's suite hash (intl here).
    assert.equal(hashed.events.at(-1)!.attributes[0]![1], '"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"');
  });
});

test('an operation\'s own ACL restricts it; an upgrade runs new code as version 2 and keeps version 1 in the history', async () => {
  await withContractChain((chain, deploy) => {
    deploy({ kind: 'deployContract', name: 'registry', code: utf8(REGISTRY_V1) });
    deploy({ kind: 'setTxAcl', txType: contractTxType('registry', 'register'), rule: { orgs: ['org1'], roles: ['client'] } });
    assert.equal(chain.one(call(chain, 'org2/client', 'register', { id: 'x' })).code, 'TX_FORBIDDEN');
    assert.equal(chain.one(call(chain, 'org1/client', 'register', { id: 'x' })).code, 'OK');
    assert.equal(chain.one(call(chain, 'org2/client', 'list', { limit: 1 })).code, 'OK', 'other operations are open');
    // The rule holds when the operation is reached through another contract, for the tx's signer.
    deploy({ kind: 'deployContract', name: 'shop', code: utf8(SHOP) });
    const sell = (who: string, id: string) => chain.one(chain.tx(who, contractTxType('shop', 'sell'), utf8(JSON.stringify({ id }))));
    const lent = sell('org2/client', 'via-shop');
    assert.equal(lent.code, 'CONTRACT_FAILED');
    assert.match(lent.message, /TX_FORBIDDEN: the ACL of c\/registry\/register does not admit role "client" of org2/);
    assert.equal(chain.reader.get(utf8('c/shop/sold/via-shop')), undefined, 'the failed tx wrote nothing');
    assert.equal(sell('org1/client', 'via-shop').code, 'OK');
    const proposal = chain.propose('org1/admin', { kind: 'upgradeContract', name: 'registry', code: utf8(REGISTRY_V1) });
    const same = chain.one(proposal);
    assert.equal(same.code, 'GOV_INVALID');
    assert.match(same.message, /already runs this code/);
    deploy({ kind: 'upgradeContract', name: 'registry', code: utf8(REGISTRY_V2) });
    const record = chain.view.contract('registry')!;
    assert.equal(record.version, 2);
    const registered = chain.one(call(chain, 'org1/client', 'register', { id: 'y' }));
    assert.equal(registered.events.at(-1)!.attributes[0]![1], '{"id":"y","version":2}');
    const versions = chain.tree!.state.history(sysKey.contract('registry')).length;
    assert.equal(versions, 2);
    const redeploy = chain.one(chain.propose('org1/admin', { kind: 'deployContract', name: 'registry', code: utf8(REGISTRY_V2) }));
    assert.equal(redeploy.code, 'GOV_INVALID');
  });
});

test('a block\'s contract steps are bounded: once spent, calls fail with CONTRACT_BLOCK_FULL, the same on every run', async () => {
  await withContractChain((chain, deploy) => {
    deploy({ kind: 'deployContract', name: 'registry', code: utf8(REGISTRY_V1) });
    const txs = [call(chain, 'org1/client', 'spin', {}), call(chain, 'org1/client', 'spin', {}), call(chain, 'org1/client', 'spin', {}), call(chain, 'org1/client', 'register', { id: 'late' })];
    const block = chain.block(txs);
    // 2,000,000 steps per tx and 5,000,000 per block: two loops run out of their own steps, the
    // third finds too little left, and the block has nothing left for the fourth.
    assert.deepEqual(block.results.map((r) => r.code), ['CONTRACT_OUT_OF_STEPS', 'CONTRACT_OUT_OF_STEPS', 'CONTRACT_BLOCK_FULL', 'CONTRACT_BLOCK_FULL']);
    assert.match(block.results[3]!.message, /waits for a later block/);
    assert.equal(chain.one(call(chain, 'org1/client', 'register', { id: 'next' })).code, 'OK', 'a new block has a new budget');
  }, 5_000_000);
});

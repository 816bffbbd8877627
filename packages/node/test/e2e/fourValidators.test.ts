import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  encodeEvidenceDeposit, encodeSignedTx, encodeTxBody, EVIDENCE_DEPOSIT_TYPE, parseGenesis, pemDecode, TX_VERSION, txIdOf,
  verifyProofBundle, voteDigest, VOTE_TYPE, encodeConsensusMessage, type ProofBundle,
} from '@xinlian/protocol';
import { encodePeerMessage } from '../../src/consensus/peerMessage.js';
import { loadSigningKey, nodeSuite } from '@xinlian/crypto-node';
import { startNode, type RunningNode } from '../../src/xinlianNode.js';
import { MemoryHub } from '../helpers/memoryHub.js';
import { inProcessChain } from '../helpers/inProcessChain.js';

async function waitFor<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not met');
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const body = await response.json() as T;
  assert.ok(response.ok, `${url}: ${JSON.stringify(body)}`);
  return body;
}

test('four validators in one process: a tx sent to any node commits on all, the same block everywhere, with a >2/3 commit; one validator down, the rest go on', async () => {
  const setup = await inProcessChain('bft');
  const nodes: RunningNode[] = [];
  try {
    const { chain, nodeHomes } = setup;
    const hub = new MemoryHub();
    for (const [i, home] of nodeHomes.entries()) nodes.push(await startNode({ home, transport: hub.transport(`node${i}`), apiPort: 0 }));

    const genesis = parseGenesis(JSON.parse(readFileSync(join(chain, 'genesis.json'), 'utf8')));
    const suite = nodeSuite('intl');
    const key = loadSigningKey(readFileSync(join(chain, 'orgs', 'org2', 'client.key.pem'), 'utf8'));
    const cert = pemDecode(readFileSync(join(chain, 'orgs', 'org2', 'client.cert.pem'), 'utf8'), 'CERTIFICATE');
    const deposit = (n: number) => {
      const bodyBytes = encodeTxBody({
        version: TX_VERSION, chainId: genesis.chainId, signerCert: cert, nonce: new Uint8Array(16).fill(n), expiryHeight: 500,
        type: EVIDENCE_DEPOSIT_TYPE, payload: encodeEvidenceDeposit({ hash: suite.hash(Uint8Array.of(n)), title: `doc ${n}` }),
      });
      const txId = Buffer.from(txIdOf(suite.hash, genesis.chainId, bodyBytes)).toString('hex');
      return { txId, hex: Buffer.from(encodeSignedTx({ bodyBytes, signature: key.sign(txIdOf(suite.hash, genesis.chainId, bodyBytes)) })).toString('hex') };
    };
    const submit = (node: RunningNode, n: number) => json<{ txId: string }>(`${node.url}/v1/txs`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tx: deposit(n).hex }),
    });

    const first = deposit(1);
    await submit(nodes[2]!, 1);
    const heights = await Promise.all(nodes.map((node) => json<{ height: number }>(`${node.url}/v1/txs/${first.txId}/wait?timeoutMs=30000`)));
    const height = heights[0]!.height;
    assert.ok(heights.every((h) => h.height === height), 'every node committed the tx at the same height');
    const blocks = await Promise.all(nodes.map((node) => json<{ header: { hash: string }; commit: { signatures: unknown[] } }>(`${node.url}/v1/blocks/${height}`)));
    assert.ok(blocks.every((b) => b.header.hash === blocks[0]!.header.hash), 'the same block on every node');
    assert.ok(blocks[0]!.commit.signatures.length >= 3, 'the commit carries at least 3 of 4 precommits');

    const bundle = await json<ProofBundle>(`${nodes[0]!.url}/v1/proofs/tx/${first.txId}`);
    const verified = verifyProofBundle(bundle, genesis, suite);
    assert.ok(verified.signers.length >= 3);
    assert.equal(verified.totalPower, 4);

    // An equivocating validator (two different signed prevotes at one position) is caught and kept.
    const byzantine = loadSigningKey(readFileSync(join(nodeHomes[3]!, 'node.key.pem'), 'utf8'));
    // At the height being decided, a few rounds ahead (kept, within roundsAheadMax), so it is judged.
    const at = (await json<{ height: number }>(`${nodes[0]!.url}/v1/status`)).height + 1;
    for (const fill of [1, 2]) {
      const vote = { type: VOTE_TYPE.prevote, height: at, round: 3, blockHash: new Uint8Array(32).fill(fill) };
      const signed = { vote, validatorIndex: 3, signature: byzantine.sign(voteDigest(suite.hash, genesis.chainId, vote)) };
      hub.transport('node3').send('node0', encodePeerMessage({ type: 'consensus', bytes: encodeConsensusMessage({ type: 'vote', vote: signed }) }));
    }
    const seen = await waitFor(async () => {
      const list = (await json<{ misbehaviour: Array<{ type: string; validator: string; height: number }> }>(`${nodes[0]!.url}/v1/misbehaviour`)).misbehaviour;
      return list.length > 0 ? list : undefined;
    });
    assert.equal(seen[0]!.type, 'duplicateVote');
    assert.equal(seen[0]!.validator, 'node3');

    // f = 1: one validator stops, the other three still commit.
    hub.leave('node3');
    await nodes[3]!.close();
    const second = deposit(2);
    await submit(nodes[0]!, 2);
    const after = await Promise.all(nodes.slice(0, 3).map((node) => json<{ height: number; result: { code: string } }>(`${node.url}/v1/txs/${second.txId}/wait?timeoutMs=30000`)));
    assert.ok(after.every((s) => s.result.code === 'OK' && s.height === after[0]!.height));
  } finally {
    for (const node of nodes) await node.close();
    setup.remove();
  }
});

test('a validator exactly one block behind a network that then halts catches up by sync, and the network resumes with it', async () => {
  const setup = await inProcessChain('bft-behind');
  const nodes: RunningNode[] = [];
  try {
    const { nodeHomes } = setup;
    const hub = new MemoryHub();
    for (const [i, home] of nodeHomes.entries()) nodes.push(await startNode({ home, transport: hub.transport(`node${i}`), apiPort: 0 }));
    const height = async (i: number) => (await json<{ height: number }>(`${nodes[i]!.url}/v1/status`)).height;
    await waitFor(async () => ((await height(3)) >= 2 ? true : undefined));

    // node3 is cut off; the moment the other three commit one more block, node2 is cut off too:
    // the three that are left (0, 1, 3) hold a quorum only if node3 gets that block, and nobody
    // will send it its precommits again (they are deciding the next height).
    hub.isolate('node3');
    const behindAt = await height(3);
    await waitFor(async () => ((await height(0)) > behindAt ? true : undefined));
    hub.isolate('node2');
    const haltedAt = await height(0);
    assert.equal(haltedAt, behindAt + 1, 'node3 is exactly one block behind (blocks are at least emptyBlockWaitMs apart)');

    hub.rejoin('node3');
    await waitFor(async () => ((await height(3)) >= haltedAt + 2 && (await height(0)) >= haltedAt + 2 ? true : undefined));
    const hashes = await Promise.all([0, 1, 3].map((i) => json<{ header: { hash: string } }>(`${nodes[i]!.url}/v1/blocks/${haltedAt + 1}`)));
    assert.equal(new Set(hashes.map((b) => b.header.hash)).size, 1, 'the same block after the resume');
  } finally {
    for (const node of nodes) await node.close();
    setup.remove();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  encodeEvidenceDeposit, encodeSignedTx, encodeTxBody, EVIDENCE_DEPOSIT_TYPE, parseGenesis, pemDecode, toHex, TX_VERSION, txIdOf,
} from '@xinlian/protocol';
import { loadSigningKey, nodeSuite } from '@xinlian/crypto-node';
import { startNode, type RunningNode } from '../../src/xinlianNode.js';
import { MemoryHub } from '../helpers/memoryHub.js';
import { inProcessChain } from '../helpers/inProcessChain.js';

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 1500; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${what}: condition not met`);
}

/**
 * A tx acknowledged by a node that could not gossip it (cut off), then restarted, reaches the
 * others when it reconnects: it commits even though that node stops again before it proposes.
 */
test('acknowledged txs restored after a restart go to peers on reconnect and commit without their node', { timeout: 90_000 }, async () => {
  const setup = await inProcessChain('regossip');
  const nodes: Array<RunningNode | undefined> = [];
  try {
    const { chain, nodeHomes } = setup;
    const hub = new MemoryHub();
    for (const [i, home] of nodeHomes.entries()) nodes.push(await startNode({ home, transport: hub.transport(`node${i}`), apiPort: 0 }));
    const status = async (i: number, path: string) => (await fetch(`${nodes[i]!.url}${path}`)).json() as Promise<Record<string, unknown>>;
    await waitFor(async () => (((await status(0, '/v1/status')).height as number) >= 2 ? true : undefined), 'first blocks');

    const genesis = parseGenesis(JSON.parse(readFileSync(join(chain, 'genesis.json'), 'utf8')));
    const suite = nodeSuite('intl');
    const key = loadSigningKey(readFileSync(join(chain, 'orgs', 'org2', 'client.key.pem'), 'utf8'));
    const cert = pemDecode(readFileSync(join(chain, 'orgs', 'org2', 'client.cert.pem'), 'utf8'), 'CERTIFICATE');
    const bodyBytes = encodeTxBody({
      version: TX_VERSION, chainId: genesis.chainId, signerCert: cert, nonce: new Uint8Array(16).fill(42), expiryHeight: 1000,
      type: EVIDENCE_DEPOSIT_TYPE, payload: encodeEvidenceDeposit({ hash: suite.hash(Uint8Array.of(42)), title: 'kept by node3 alone' }),
    });
    const txId = txIdOf(suite.hash, genesis.chainId, bodyBytes);
    const tx = toHex(encodeSignedTx({ bodyBytes, signature: key.sign(txId) }));

    // node3 is cut off when it acknowledges the tx: nobody else hears of it.
    hub.isolate('node3');
    const accepted = await fetch(`${nodes[3]!.url}/v1/txs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tx }) });
    assert.equal(accepted.status, 202);
    assert.equal((await fetch(`${nodes[0]!.url}/v1/txs/${toHex(txId)}`)).status, 404, 'node0 does not know the tx');
    // The others move on without node3, so that when it comes back it is behind and cannot propose
    // the tx itself before it has synced: only its reconnect can tell them.
    const behindAt = (await status(3, '/v1/status')).height as number;
    await waitFor(async () => (((await status(0, '/v1/status')).height as number) >= behindAt + 3 ? true : undefined), 'the others move on');

    // node3 restarts (its pending txs restored from disk), reconnects, and stops again at once.
    await nodes[3]!.close();
    hub.leave('node3');
    nodes[3] = await startNode({ home: nodeHomes[3]!, transport: hub.transport('node3'), apiPort: 0 });
    hub.rejoin('node3');
    const heard = await waitFor(async () => {
      const response = await fetch(`${nodes[0]!.url}/v1/txs/${toHex(txId)}`);
      return response.status === 200 ? await response.json() as { status: string; height?: number } : undefined;
    }, 'node0 hears of the tx');
    // node0 got the tx itself, not in a block node3 proposed (it may already be in a block by the
    // time it is asked: then that block's proposer is another validator).
    if (heard.status !== 'pending') {
      assert.equal(heard.status, 'committed');
      const block = await status(0, `/v1/blocks/${heard.height}`);
      assert.notEqual((block.header as { proposer: string }).proposer, genesis.validators[3]!.publicKey, 'not proposed by node3');
    }
    await nodes[3]!.close();
    hub.leave('node3');
    nodes[3] = undefined;

    const committed = await waitFor(async () => {
      const s = await status(0, `/v1/txs/${toHex(txId)}`);
      return s.status === 'committed' ? s : undefined;
    }, 'the tx commits on the three others');
    assert.equal((committed.result as { code: string }).code, 'OK');
  } finally {
    for (const node of nodes) await node?.close();
    setup.remove();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeEvidenceDeposit, EVIDENCE_DEPOSIT_TYPE, parseGenesis } from '@xinlian/protocol';
import { nodeSuite } from '@xinlian/crypto-node';
import { identityFromFiles, signTx, XinlianClient } from '@xinlian/sdk';
import { runCli, startNodeProcess, tempDir } from '../helpers/processes.js';
import { seededRandom, testSeed } from '../helpers/seededRandom.js';

const ROUNDS = 3;

test('kill -9 under load, restart: same state roots, every acknowledged tx committed, the chain continues', async () => {
  const seed = testSeed('crash');
  const random = seededRandom(seed);
  const dir = tempDir('crash');
  try {
    const chain = join(dir.path, 'chain');
    assert.equal((await runCli(['init', chain, '--suite', 'intl'])).code, 0);
    const home = join(chain, 'nodes', 'node0');
    const genesis = parseGenesis(JSON.parse(readFileSync(join(chain, 'genesis.json'), 'utf8')));
    const suite = nodeSuite('intl');
    const identity = identityFromFiles(join(chain, 'orgs', 'org1', 'client.key.pem'));
    const acknowledged = new Set<string>();
    let documents = 0;
    const rootsSeen = new Map<number, string>();

    for (let round = 0; round < ROUNDS; round++) {
      const node = await startNodeProcess(home);
      const client = new XinlianClient(node.url, { requestTimeoutMs: 5000 });
      // Everything acknowledged before the crash must be committed after the restart.
      for (const txId of acknowledged) assert.equal((await client.waitForTx(txId, 20_000)).status, 'committed', `round ${round}: tx ${txId} lost (seed ${seed})`);
      for (const [height, root] of rootsSeen) {
        const block = await client.block(height) as { header: { stateRoot: string } };
        assert.equal(block.header.stateRoot, root, `round ${round}: state root of block ${height} changed (seed ${seed})`);
      }
      const killAfterMs = 150 + Math.floor(random() * 600);
      let killed = false;
      const load = (async () => {
        while (!killed) {
          const txs = [];
          for (let i = 0; i < 50; i++) {
            documents += 1;
            const payload = encodeEvidenceDeposit({ hash: suite.hash(new TextEncoder().encode(`crash doc ${seed} ${documents}`)), title: '' });
            txs.push(await signTx(suite, identity, { chainId: genesis.chainId, type: EVIDENCE_DEPOSIT_TYPE, payload, expiryHeight: 5_000 }));
          }
          try {
            const outcomes = await client.submitBatch(txs.map((t) => t.encoded));
            outcomes.forEach((o) => { if (!('error' in o) && o.txId) acknowledged.add(o.txId); });
            const status = await client.status();
            const block = await client.block(status.height) as { header: { stateRoot: string; height: number } };
            rootsSeen.set(block.header.height, block.header.stateRoot);
          } catch {
            return; // the node died mid-request: nothing from this batch was acknowledged
          }
        }
      })();
      // Fault injection at a seeded moment under load (timing of the fault, not synchronisation).
      await new Promise((r) => setTimeout(r, killAfterMs));
      node.child.kill('SIGKILL');
      killed = true;
      await node.exited;
      await load;
    }
    const node = await startNodeProcess(home);
    try {
      const client = new XinlianClient(node.url);
      for (const txId of acknowledged) assert.equal((await client.waitForTx(txId, 20_000)).status, 'committed', `tx ${txId} lost (seed ${seed})`);
      const payload = encodeEvidenceDeposit({ hash: suite.hash(new TextEncoder().encode(`after crashes ${seed}`)), title: '' });
      const tx = await signTx(suite, identity, { chainId: genesis.chainId, type: EVIDENCE_DEPOSIT_TYPE, payload, expiryHeight: 5_000 });
      const after = await client.submitAndWait(tx.encoded);
      assert.equal(after.result?.code, 'OK');
      assert.ok(acknowledged.size > 0, 'the load acknowledged some txs');
    } finally {
      await node.stop();
    }
  } finally {
    dir.remove();
  }
});

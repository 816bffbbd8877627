import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeEvidenceDeposit, EVIDENCE_DEPOSIT_TYPE, parseGenesis } from '@xinlian/protocol';
import { nodeSuite } from '@xinlian/crypto-node';
import { identityFromFiles, signTx, XinlianClient } from '@xinlian/sdk';
import { runCli, startNodeProcess, tempDir } from '../helpers/processes.js';

test('blocks respect the chain parameters set at init (blockTxsMax)', async () => {
  const dir = tempDir('limits');
  const chain = join(dir.path, 'chain');
  try {
    assert.equal((await runCli(['init', chain, '--suite', 'intl', '--block-txs-max', '3', '--block-interval-ms', '20'])).code, 0);
    const genesis = parseGenesis(JSON.parse(readFileSync(join(chain, 'genesis.json'), 'utf8')));
    assert.equal(genesis.parameters.blockTxsMax, 3);
    const node = await startNodeProcess(join(chain, 'nodes', 'node0'));
    try {
      const client = new XinlianClient(node.url);
      const suite = nodeSuite('intl');
      const identity = identityFromFiles(join(chain, 'orgs', 'org1', 'client.key.pem'));
      const txs = await Promise.all(Array.from({ length: 10 }, (_, i) => signTx(suite, identity, {
        chainId: genesis.chainId, type: EVIDENCE_DEPOSIT_TYPE, expiryHeight: 100,
        payload: encodeEvidenceDeposit({ hash: suite.hash(new TextEncoder().encode(`limit ${i}`)), title: '' }),
      })));
      const outcomes = await client.submitBatch(txs.map((t) => t.encoded));
      assert.ok(outcomes.every((o) => !('error' in o)));
      const heights = new Set<number>();
      for (const tx of txs) heights.add((await client.waitForTx(Buffer.from(tx.txId).toString('hex'))).height!);
      assert.ok(heights.size >= 4, `10 txs at most 3 a block need at least 4 blocks, got ${heights.size}`);
      for (const height of heights) {
        const block = await client.block(height) as { header: { txCount: number } };
        assert.ok(block.header.txCount <= 3, `block ${height} holds ${block.header.txCount} txs`);
      }
    } finally {
      await node.stop();
    }
  } finally {
    dir.remove();
  }
});

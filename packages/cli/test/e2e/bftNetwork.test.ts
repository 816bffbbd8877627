import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/processes.js';
import { client, initNetwork, nodeUrl, waitForHeight } from '../helpers/network.js';

function pidOf(chain: string, index: number): number {
  return Number(readFileSync(join(chain, 'nodes', `node${index}`, 'node.pid'), 'utf8'));
}

async function killNode(chain: string, index: number): Promise<void> {
  const pid = pidOf(chain, index);
  process.kill(pid, 'SIGKILL');
  while ((() => { try { process.kill(pid, 0); return true; } catch { return false; } })()) await new Promise((r) => setTimeout(r, 20));
}

test('four validator processes over mutual TLS: commit, survive f crashes, halt at f+1 and resume, re-sync a wiped node', { timeout: 240_000 }, async () => {
  const dir = tempDir('bft');
  const chain = join(dir.path, 'chain');
  try {
    await initNetwork(chain, 4);
    const up = await runCli(['net', 'up', chain, '--json']);
    assert.equal(up.code, 0, up.stderr);
    const status = JSON.parse((await runCli(['net', 'status', chain, '--json'])).stdout) as { nodes: Array<{ height: number; peers: number }> };
    assert.ok(status.nodes.every((n) => n.height >= 1), 'net up waited for the first block');
    const peers = await (await fetch(`${nodeUrl(chain, 0)}/v1/peers`)).json() as { peers: Array<{ name: string; org: string; direction: string }> };
    assert.deepEqual(peers.peers.map((p) => p.name).sort(), ['node1.org2', 'node2.org1', 'node3.org2'], 'node0 names the three peers it is connected to');

    // A deposit through one node is final on all of them, with a quorum certificate.
    writeFileSync(join(dir.path, 'doc.txt'), 'four validators');
    const deposit = await runCli(['evidence', 'deposit', join(dir.path, 'doc.txt'), '--node', nodeUrl(chain, 2), '--key', join(chain, 'orgs', 'org2', 'client.key.pem'), '--json']);
    assert.equal(deposit.code, 0, deposit.stderr);
    const receipt = JSON.parse(deposit.stdout) as { txId: string; height: number };
    for (let i = 0; i < 4; i++) assert.equal((await client(chain, i).waitForTx(receipt.txId)).height, receipt.height);
    const verified = await runCli(['evidence', 'verify', join(dir.path, 'doc.txt'), '--proof', join(dir.path, 'doc.txt.proof.json'), '--genesis', join(chain, 'genesis.json'), '--json']);
    assert.equal(JSON.parse(verified.stdout).certificate.validators.length >= 3, true);

    // kill -9 one validator (f = 1): the others keep committing.
    await killNode(chain, 3);
    const atKill = (await client(chain, 0).status()).height;
    await waitForHeight(chain, 0, atKill + 3);

    // kill a second (f + 1): no quorum, the height stops; a restarted one brings it back.
    await killNode(chain, 2);
    const halted = (await client(chain, 0).status()).height;
    // Liveness is lost: wait for the time of several rounds and see no new block (safety over liveness).
    await new Promise((r) => setTimeout(r, 3000));
    assert.ok((await client(chain, 0).status()).height <= halted + 1, 'no progress without a quorum');
    assert.equal((await runCli(['net', 'up', chain])).code, 0, 'restarts the stopped nodes');
    const resumed = await waitForHeight(chain, 0, halted + 3);
    assert.ok(resumed >= halted + 3);

    // Wipe a node's data: it re-syncs from its peers and verifies what it receives.
    await killNode(chain, 1);
    rmSync(join(chain, 'nodes', 'node1', 'data'), { recursive: true, force: true });
    assert.equal((await runCli(['net', 'up', chain])).code, 0);
    const target = (await client(chain, 0).status()).height;
    await waitForHeight(chain, 1, target);
    const [a, b] = await Promise.all([client(chain, 0).block(target), client(chain, 1).block(target)]) as Array<{ header: { hash: string } }>;
    assert.equal(a!.header.hash, b!.header.hash, 'the wiped node has the same chain');
    assert.match(readFileSync(join(chain, 'nodes', 'node1', 'node.log'), 'utf8'), /synced block/);
  } finally {
    await runCli(['net', 'down', chain, '--timeout-ms', '3000']);
    dir.remove();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/processes.js';

test('net up starts each node as its own process with pid and log files; status reports it; down stops it', async () => {
  const dir = tempDir('net');
  const chain = join(dir.path, 'chain');
  try {
    assert.equal((await runCli(['init', chain, '--suite', 'intl', '--api-port-base', '0'])).code, 0);
    const upResult = await runCli(['net', 'up', chain, '--json']);
    assert.equal(upResult.code, 0, upResult.stderr);
    const home = join(chain, 'nodes', 'node0');
    const pid = Number(readFileSync(join(home, 'node.pid'), 'utf8'));
    assert.ok(pid > 0);
    assert.match(readFileSync(join(home, 'node.log'), 'utf8'), /"msg":"node started"/);
    const up = JSON.parse(upResult.stdout) as { nodes: Array<{ url: string; running: boolean }> };
    assert.equal(up.nodes.length, 1);
    assert.equal(up.nodes[0]!.running, true);

    const statusResult = await runCli(['net', 'status', chain, '--json']);
    const status = JSON.parse(statusResult.stdout) as { nodes: Array<Record<string, unknown>> };
    for (const field of ['node', 'height', 'peers', 'lastBlockTimeMs', 'url', 'pid']) assert.ok(field in status.nodes[0]!, `status has ${field}`);
    assert.equal(status.nodes[0]!.height, 0);

    const again = await runCli(['net', 'up', chain, '--json']);
    assert.equal(again.code, 0, 'up on a running network leaves it running');
    assert.equal(Number(readFileSync(join(home, 'node.pid'), 'utf8')), pid, 'the same process');

    const downResult = await runCli(['net', 'down', chain]);
    assert.equal(downResult.code, 0, downResult.stderr);
    assert.match(downResult.stdout, /stopped 1 node/);
    assert.equal(existsSync(join(home, 'node.pid')), false, 'a graceful stop removes the pid file');
    const after = JSON.parse((await runCli(['net', 'status', chain, '--json'])).stdout) as { nodes: Array<{ running: boolean }> };
    assert.equal(after.nodes[0]!.running, false);
    assert.equal((await runCli(['net', 'up', join(dir.path, 'nowhere')])).code, 2);
  } finally {
    await runCli(['net', 'down', chain]);
    dir.remove();
  }
});

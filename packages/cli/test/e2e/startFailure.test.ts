import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CLI, runCli, tempDir } from '../helpers/processes.js';
import { freePortBase } from '../helpers/network.js';

// A node that fails late in its start (its API already listening, worker threads running) must
// still exit with its error, not report it and keep running.

test('xinlian start with its p2p port in use exits 3 with EADDRINUSE and leaves no node.json or node.pid', { timeout: 60_000 }, async () => {
  const dir = tempDir('startfail');
  const blocker = createServer();
  try {
    const p2pBase = await freePortBase(2);
    const chain = join(dir.path, 'chain');
    const init = await runCli(['init', chain, '--suite', 'intl', '--validators', '2', '--api-port-base', '0', '--p2p-port-base', String(p2pBase)]);
    assert.equal(init.code, 0, init.stderr);
    await new Promise<void>((resolve, reject) => {
      blocker.once('error', reject);
      blocker.listen(p2pBase, '127.0.0.1', () => resolve());
    });
    const home = join(chain, 'nodes', 'node0');
    // verifyThreads defaults to 2: worker threads are running when the p2p listener fails.
    const child = spawn(process.execPath, [CLI, 'start', home], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const deadlineMs = 20_000;
    const code = await new Promise<number | null | 'hung'>((resolve) => {
      const timer = setTimeout(() => resolve('hung'), deadlineMs);
      child.once('exit', (exitCode) => { clearTimeout(timer); resolve(exitCode); });
    });
    if (code === 'hung') child.kill('SIGKILL');
    assert.equal(code, 3, `exit within ${deadlineMs} ms with 3, got ${code}: ${stderr}`);
    assert.match(stderr, /EADDRINUSE/);
    assert.equal(existsSync(join(home, 'node.json')), false, 'node.json is removed');
    assert.equal(existsSync(join(home, 'node.pid')), false, 'the home is free again');
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
    dir.remove();
  }
});

test('net up reports a node that exits at start at once, with its error, instead of waiting for --timeout-ms', { timeout: 60_000 }, async () => {
  const dir = tempDir('netupfail');
  try {
    const chain = join(dir.path, 'chain');
    const passphraseFile = join(dir.path, 'passphrase');
    writeFileSync(passphraseFile, 'correct horse\n');
    const init = await runCli(['init', chain, '--suite', 'intl', '--api-port-base', '0', '--passphrase-file', passphraseFile]);
    assert.equal(init.code, 0, init.stderr);
    const started = Date.now();
    // No passphrase: the node exits with PASSPHRASE_REQUIRED.
    const up = await runCli(['net', 'up', chain, '--timeout-ms', '60000'], { env: { XINLIAN_PASSPHRASE: '' } });
    assert.equal(up.code, 3, up.stderr);
    assert.match(up.stderr, /UNAVAILABLE: node \S+node0 exited with code 3 before it answered: xinlian start: PASSPHRASE_REQUIRED/);
    assert.ok(Date.now() - started < 30_000, `net up gave up after ${Date.now() - started} ms, not after --timeout-ms`);
  } finally {
    await runCli(['net', 'down', join(dir.path, 'chain'), '--timeout-ms', '3000']);
    dir.remove();
  }
});

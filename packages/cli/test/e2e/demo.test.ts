import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/processes.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `npm run demo -- --exit` as the README gives it: a 4-validator network, a deposit, its proof. */
test('the demo runs a 4-validator network, deposits through one node, verifies offline and stops every process', { timeout: 120_000 }, async (t) => {
  const dir = tempDir('demo');
  t.after(() => dir.remove());
  const run = await runCli(['demo', '--exit', '--suite', 'intl', '--dir', dir.path, '--port', '0']);
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /4 validator processes over mutual TLS/);
  assert.match(run.stdout, /✓ 3 precommit signatures carry 3 of 4 voting power|✓ 4 precommit signatures carry 4 of 4 voting power/);
  assert.match(run.stdout, /rejected: document hash .* does not match the deposited hash/);
  assert.match(run.stdout, /org1's admin proposes deploying traceability .*: open\n  org2 approves: open\n  org3 approves: passed/);
  assert.match(run.stdout, /it came from urn:epc:class:lgtin:4012345\.011111\.LEAF/);
  assert.match(run.stdout, /each verified offline against the validators' signatures/);
  assert.match(run.stdout, /the retailer's pallet .* is affected by urn:epc:class:lgtin/);
  assert.match(run.stdout, /demo finished \(network stopped\)/);
  const pids = [...run.stdout.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
  assert.equal(new Set(pids).size, 4, 'four node processes were listed');
  for (const pid of pids) assert.ok(!alive(pid), `node process ${pid} was stopped`);
  const proof = JSON.parse(readFileSync(join(dir.path, 'sample-contract.txt.proof.json'), 'utf8')) as { version: number };
  assert.equal(typeof proof.version, 'number');
  // The same bundle verifies from the shell, offline.
  const verify = await runCli(['evidence', 'verify', join(dir.path, 'sample-contract.txt'), '--proof', join(dir.path, 'sample-contract.txt.proof.json'), '--genesis', join(dir.path, 'intl', 'genesis.json')]);
  assert.equal(verify.code, 0, verify.stderr);
});

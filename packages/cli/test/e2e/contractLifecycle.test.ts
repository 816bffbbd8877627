import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseGenesis } from '@xinlian/protocol';
import { ContractCallError, identityFromFiles, XinlianClient, XinlianSession } from '@xinlian/sdk';
import { runCli, startNodeProcess, tempDir, type CliResult, type NodeProcess } from '../helpers/processes.js';

// The contract lifecycle against a real node process (ADR 010): scaffold, deploy by proposal,
// approval by a second organisation's vote, calls as txs, queries, upgrade, per-operation ACL.

const dir = tempDir('contract-life');
const chain = join(dir.path, 'chain');
let node: NodeProcess;

before(async () => {
  const init = await runCli(['init', chain, '--suite', 'gm', '--orgs', '3', '--validators', '1']);
  assert.equal(init.code, 0, init.stderr);
  node = await startNodeProcess(join(chain, 'nodes', 'node0'));
  assert.equal((await runCli(['contract', 'new', 'counter', '--dir', dir.path])).code, 0);
});

after(async () => {
  await node?.stop();
  dir.remove();
});

const key = (org: string, role: 'admin' | 'client'): string => join(chain, 'orgs', org, `${role}.key.pem`);

function json<T>(result: CliResult, what: string): T {
  assert.equal(result.code, 0, `${what}: exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

interface Receipt { proposalId: string; status: string; codeHash: string; codeBytes: number }

test('deploy needs the approvals of the policy: proposed by org1, live once org2 votes yes; code and approvals are queryable', async () => {
  const entry = join(dir.path, 'counter', 'contract.ts');
  const proposed = json<Receipt>(await runCli(['contract', 'deploy', entry, '--name', 'counter', '--key', key('org1', 'admin'), '--node', node.url, '--json']), 'deploy');
  assert.equal(proposed.status, 'open', 'two thirds of three organisations are two');
  const before = await runCli(['contract', 'call', 'counter', 'increment', '--args', '{"name":"a","by":1}', '--key', key('org1', 'client'), '--node', node.url]);
  assert.equal(before.code, 3, 'an operating error');
  assert.match(before.stderr, /CONTRACT_NOT_FOUND/);
  const voted = json<Receipt>(await runCli(['gov', 'vote', proposed.proposalId, '--yes', '--key', key('org2', 'admin'), '--node', node.url, '--json']), 'vote');
  assert.equal(voted.status, 'passed');

  const listed = json<{ contracts: Array<{ name: string; version: number; codeHash: string; approvedBy: string[]; proposalId: string }> }>(
    await runCli(['contract', 'list', '--node', node.url, '--json']), 'list');
  assert.deepEqual(listed.contracts.map((c) => [c.name, c.version, c.codeHash, c.approvedBy, c.proposalId]), [['counter', 1, proposed.codeHash, ['org1', 'org2'], proposed.proposalId]]);
  // The hash the organisations approved is the gm suite's (SM3) hash of the code the node runs.
  const code = await runCli(['contract', 'show', 'counter', '--code', '--node', node.url]);
  assert.equal(Buffer.byteLength(code.stdout), proposed.codeBytes);
  const client = new XinlianClient(node.url);
  const proposal = await client.proposal(proposed.proposalId);
  assert.deepEqual(proposal.votes.map((v) => [v.org, v.approve]), [['org1', true], ['org2', true]]);
  assert.equal(proposal.change.codeHash, proposed.codeHash);
});

test('calls are txs with typed results and errors; queries read the latest state as their signer', async () => {
  const called = json<{ result: { value: number }; height: number; steps: number }>(
    await runCli(['contract', 'call', 'counter', 'increment', '--args', '{"name":"a","by":2}', '--key', key('org1', 'client'), '--node', node.url, '--json']), 'call');
  assert.deepEqual(called.result, { value: 2 });
  assert.ok(called.steps > 0);
  const genesis = parseGenesis(JSON.parse(readFileSync(join(chain, 'genesis.json'), 'utf8')));
  const session = await XinlianSession.connect(node.url, identityFromFiles(key('org3', 'client')), genesis);
  const counter = session.contract<{ increment: (api: unknown, args: { name: string; by: number }) => { value: number } }>('counter');
  const receipt = await counter.submit('increment', { name: 'a', by: 3 });
  assert.equal(receipt.result.value, 5);
  assert.deepEqual(receipt.events.map((e) => [e.type, e.attributes.contract, e.attributes.org]), [['counter.incremented', 'counter', 'org3']]);
  await assert.rejects(counter.submit('increment', { name: 'a', by: -1 }), (error: unknown) =>
    error instanceof ContractCallError && error.code === 'CONTRACT_REJECTED' && error.reason === 'BAD_AMOUNT');
  const evaluated = await counter.evaluateWithReads('increment', { name: 'a', by: 10 });
  assert.deepEqual(evaluated.result, { value: 15 });
  assert.deepEqual(evaluated.reads, ['c/counter/counter/a']);
  assert.equal((await counter.submit('increment', { name: 'a', by: 1 })).result.value, 6, 'the query wrote nothing');
  // The entries behind an answer, each proven against the block's signatures, checked offline.
  const proven = await counter.evaluateProven('increment', { name: 'a', by: 1 });
  assert.deepEqual(proven.result, { value: 7 });
  assert.deepEqual(proven.entries.map((e) => [e.key, e.value]), [['c/counter/counter/a', '6']]);
  assert.equal(proven.entries[0]!.proof.height, proven.height);
  const queried = json<{ result: { value: number } }>(await runCli(['contract', 'query', 'counter', 'increment', '--args', '{"name":"a","by":1}', '--key', key('org1', 'client'), '--node', node.url, '--json']), 'query');
  assert.deepEqual(queried.result, { value: 7 });
  const unknown = await runCli(['contract', 'query', 'counter', 'nope', '--node', node.url]);
  assert.equal(unknown.code, 3);
  assert.match(unknown.stderr, /CONTRACT_FAILED/);
  for (const args of [['contract', 'call', 'Bad', 'x'], ['contract', 'call', 'counter', 'x', '--args', '{oops']]) {
    assert.equal((await runCli([...args, '--key', key('org1', 'client'), '--node', node.url])).code, 2, args.join(' '));
  }
});

test('an operation ACL and an upgrade go through governance too', async () => {
  const acl = json<Receipt>(await runCli(['gov', 'propose', 'set-tx-acl', '--tx-type', 'c/counter/increment', '--orgs', 'org1', '--roles', 'client', '--key', key('org1', 'admin'), '--node', node.url, '--json']), 'acl');
  json(await runCli(['gov', 'vote', acl.proposalId, '--yes', '--key', key('org3', 'admin'), '--node', node.url, '--json']), 'acl vote');
  const refused = await runCli(['contract', 'call', 'counter', 'increment', '--args', '{"name":"a","by":1}', '--key', key('org2', 'client'), '--node', node.url]);
  assert.equal(refused.code, 3);
  assert.match(refused.stderr, /TX_FORBIDDEN/);

  const entry = join(dir.path, 'counter', 'contract.ts');
  const source = readFileSync(entry, 'utf8');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(entry, source.replace('return { value };', 'return { value, version: 2 };'));
  const upgrade = json<Receipt>(await runCli(['contract', 'deploy', entry, '--name', 'counter', '--upgrade', '--key', key('org2', 'admin'), '--node', node.url, '--json']), 'upgrade');
  json(await runCli(['gov', 'vote', upgrade.proposalId, '--yes', '--key', key('org3', 'admin'), '--node', node.url, '--json']), 'upgrade vote');
  const called = json<{ result: { value: number; version: number } }>(
    await runCli(['contract', 'call', 'counter', 'increment', '--args', '{"name":"a","by":1}', '--key', key('org1', 'client'), '--node', node.url, '--json']), 'call v2');
  assert.deepEqual(called.result, { value: 7, version: 2 }, 'new code, same state');
  const shown = json<{ version: number; approvedBy: string[]; versions: Array<{ version: number; codeHash: string }> }>(await runCli(['contract', 'show', 'counter', '--node', node.url, '--json']), 'show');
  assert.equal(shown.version, 2);
  assert.deepEqual(shown.approvedBy, ['org2', 'org3']);
  assert.deepEqual(shown.versions.map((v) => v.version), [2, 1]);
  assert.equal(shown.versions[0]!.codeHash, upgrade.codeHash);
});

test('a block holds at most its contract step budget: endless loops spread over blocks, nothing is refused for it', { timeout: 120_000 }, async () => {
  const genesis = parseGenesis(JSON.parse(readFileSync(join(chain, 'genesis.json'), 'utf8')));
  const admin = await XinlianSession.connect(node.url, identityFromFiles(key('org1', 'admin')), genesis);
  const proposed = await admin.proposeContract('spinner', 'module.exports = { spin() { for (;;) {} }, ok() { return 1; } };');
  await (await XinlianSession.connect(node.url, identityFromFiles(key('org2', 'admin')), genesis)).vote(proposed.proposalId, true);
  const client = await XinlianSession.connect(node.url, identityFromFiles(key('org1', 'client')), genesis);
  // Six loops of 50,000,000 steps each and one quick call, in one batch: 250,000,000 steps per
  // block hold four loops and part of a fifth, so the fifth and later wait for the next block.
  const txs = [];
  for (let i = 0; i < 6; i++) txs.push(await client.sign('c/spinner/spin', new TextEncoder().encode('{}')));
  txs.push(await client.sign('c/spinner/ok', new TextEncoder().encode('{}')));
  const submitted = await client.client.submitBatch(txs.map((t) => t.encoded));
  assert.ok(submitted.every((s) => 'txId' in s && s.txId !== undefined && !('error' in s)), JSON.stringify(submitted));
  const statuses = await Promise.all(txs.map((t) => client.client.waitForTx(Buffer.from(t.txId).toString('hex'), 60_000)));
  assert.deepEqual(statuses.map((s) => s.result?.code), [...Array(6).fill('CONTRACT_OUT_OF_STEPS'), 'OK']);
  assert.ok(new Set(statuses.map((s) => s.height)).size >= 2, `spread over blocks: ${statuses.map((s) => s.height).join(', ')}`);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, type CliResult } from '../helpers/processes.js';
import { freePortBase, nodeUrl } from '../helpers/network.js';

// Governance on a live network of real processes, driven only through the CLI (and the node's
// HTTP API to read commits): `xinlian init --validators 4 --observers 1`, `xinlian net up`, then
// proposals and votes signed with the organisations' admin keys. The same scenario runs in one
// process in packages/node/test/e2e/governanceNetwork.test.ts.

interface NodeStatus { node: string; running: boolean; url: string | null; height: number | null; peers: number | null }
interface Proposal { id: string; kind: string; status: string; decidedHeight: number | null; effectiveHeight: number | null; yes: number; required: number; organisations: number }
interface Receipt { txId: string; height: number; code: string; proposalId: string; status: string; effectiveHeight: number | null; proposal: Proposal }
interface Commit { header: { height: number }; commit: { signatures: Array<{ validatorIndex: number }> } }
interface Members { validators: Array<{ index: number; name: string; org: string; power: number }>; revoked: Array<{ certHash: string; org: string }> }
interface Verified { valid: boolean; certificate?: { checks: string[]; height: number; validators: Array<{ name: string }> }; error?: { code: string; message: string } }

/** Polls `probe` until it returns a value, or fails after `deadlineMs` with what it waited for and the last value seen. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, deadlineMs = 30_000, pauseMs = 200): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

function json<T>(result: CliResult, what: string): T {
  assert.equal(result.code, 0, `${what}: exit ${result.code}\n${result.stdout}${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

test('governance on a live 5-process network through the CLI: an observer becomes a validator and signs, a short proposal stays open, a revoked client is refused, a validator is removed and its node certificate revoked, proofs verify offline through the handoffs', { timeout: 120_000 }, async (t) => {
  const started = Date.now();
  const dir = tempDir('govnet');
  const chain = join(dir.path, 'chain');
  let failed = true;
  try {
    const p2pBase = await freePortBase(5);
    const init = await runCli([
      'init', chain, '--suite', 'intl', '--orgs', '2', '--validators', '4', '--observers', '1', '--api-port-base', '0', '--p2p-port-base', String(p2pBase),
      // Small timeouts, and an empty block every 300 ms so that heights move without txs.
      '--timeout-propose-ms', '1000', '--timeout-propose-delta-ms', '200', '--timeout-prevote-ms', '300', '--timeout-prevote-delta-ms', '100',
      '--timeout-precommit-ms', '300', '--timeout-precommit-delta-ms', '100', '--empty-block-wait-ms', '300',
    ]);
    assert.equal(init.code, 0, init.stderr);
    const chainId = (JSON.parse(readFileSync(join(chain, 'genesis.json'), 'utf8')) as { chainId: string }).chainId;
    t.diagnostic(`chain ${chainId} in ${chain}, p2p ports ${p2pBase}..${p2pBase + 4}`);
    json<unknown>(await runCli(['net', 'up', chain, '--json']), 'net up');
    const url0 = nodeUrl(chain, 0);
    const cli = (args: string[]) => runCli(args, { env: { XINLIAN_NODE: url0 } });
    const admin = (org: string) => join(chain, 'orgs', org, 'admin.key.pem');
    const netStatus = async () => json<{ nodes: NodeStatus[] }>(await runCli(['net', 'status', chain, '--json']), 'net status').nodes;
    const nodeStatus = async (name: string) => (await netStatus()).find((n) => n.node === name)!;
    const commit = async (height: number) => (await fetch(`${url0}/v1/blocks/${height}`)).json() as Promise<Commit>;
    const signers = (block: Commit) => block.commit.signatures.map((s) => s.validatorIndex);
    /** Proposes with one admin and votes yes with the other; returns the vote's receipt, which passes it. */
    const decide = async (proposeArgs: string[], proposer: string, voter: string): Promise<Receipt> => {
      const proposed = json<Receipt>(await cli(['gov', 'propose', ...proposeArgs, '--key', admin(proposer), '--json']), `gov propose ${proposeArgs[0]}`);
      assert.equal(proposed.status, 'open', `${proposeArgs[0]}: one organisation of two is not enough`);
      const voted = json<Receipt>(await cli(['gov', 'vote', proposed.proposalId, '--yes', '--key', admin(voter), '--json']), `gov vote on ${proposeArgs[0]}`);
      assert.equal(voted.status, 'passed', `${proposeArgs[0]} passes with the second organisation's yes`);
      t.diagnostic(`${proposeArgs[0]}: proposal ${proposed.proposalId} passed at ${voted.height}, effective ${voted.effectiveHeight}`);
      return voted;
    };
    const deposit = async (name: string, org: string, via = url0) => {
      const file = join(dir.path, name);
      writeFileSync(file, `${name} ${chainId}\n`);
      return runCli(['evidence', 'deposit', file, '--title', name, '--key', join(chain, 'orgs', org, 'client.key.pem'), '--node', via, '--json']);
    };

    // 1. node4, an observer of org1 that follows the chain, becomes the fifth validator.
    const node4Before = await nodeStatus('node4');
    assert.ok(node4Before.running && (node4Before.height ?? 0) >= 1, 'the observer runs and syncs before any governance');
    const added = await decide(['add-validator', '--name', 'node4', '--org', 'org1', '--cert', join(chain, 'nodes', 'node4', 'node.cert.pem'), '--power', '1'], 'org1', 'org2');
    const shown = json<Proposal>(await cli(['gov', 'show', added.proposalId, '--json']), 'gov show');
    assert.deepEqual([shown.kind, shown.status, shown.decidedHeight, shown.effectiveHeight], ['addValidator', 'passed', added.height, added.height + 2]);
    const effective = shown.effectiveHeight!;
    await waitFor(`node4 at height ${effective + 3}`, async () => ((await nodeStatus('node4')).height! >= effective + 3 ? true : undefined));
    assert.ok(signers(await commit(effective - 1)).every((i) => i < 4), 'the block before the effective height is signed by the four genesis validators');
    // A commit carries a quorum (4 of 5), not always every precommit: look for node4's in the blocks from the effective height on.
    const signedBy4 = await waitFor('a commit with node4\'s precommit', async () => {
      const latest = (await nodeStatus('node0')).height!;
      for (let h = effective; h <= latest; h++) if (signers(await commit(h)).includes(4)) return h;
      return undefined;
    });
    assert.ok(signedBy4 >= effective);
    t.diagnostic(`node4 signed block ${signedBy4} (effective height ${effective})`);

    // 2. A proposal short of its policy stays open: set-policy needs every organisation.
    const lonely = json<Receipt>(await cli(['gov', 'propose', 'set-policy', '--target', 'revoke-cert', '--policy', 'all', '--key', admin('org1'), '--json']), 'gov propose set-policy');
    assert.deepEqual([lonely.status, lonely.proposal.yes, lonely.proposal.required], ['open', 1, 2]);

    // 3. org2's client is revoked (majority of two: both); its next deposit is refused, org1's client still deposits.
    const client2Before = await deposit('before-revocation.txt', 'org2');
    assert.equal(client2Before.code, 0, client2Before.stderr);
    await decide(['revoke-cert', '--cert', join(chain, 'orgs', 'org2', 'client.cert.pem'), '--org', 'org2', '--reason', 'test'], 'org1', 'org2');
    const refused = await deposit('after-revocation.txt', 'org2');
    assert.equal(refused.code, 3, `a revoked client's deposit fails: ${refused.stdout}${refused.stderr}`);
    assert.match(refused.stderr, /CERT_REVOKED/);
    const afterAdd = await deposit('after-add.txt', 'org1', nodeUrl(chain, 4));
    assert.equal(afterAdd.code, 0, `org1's client deposits, through the new validator: ${afterAdd.stderr}`);

    // 4. node3 (org2) is removed: the four others go on committing.
    const removed = await decide(['remove-validator', '--name', 'node3'], 'org2', 'org1');
    const removedAt = removed.effectiveHeight!;
    await waitFor(`node0 at height ${removedAt + 3}`, async () => ((await nodeStatus('node0')).height! >= removedAt + 3 ? true : undefined));
    for (const h of [removedAt, removedAt + 1, removedAt + 2]) {
      const indexes = signers(await commit(h));
      assert.ok(indexes.length >= 3 && indexes.every((i) => i < 4), `block ${h} is signed by a quorum of the four validators left (indexes ${indexes.join(',')})`);
    }
    const members = json<Members>(await cli(['members', '--json']), 'members');
    assert.deepEqual(members.validators.map((v) => [v.index, v.name, v.org]), [[0, 'node0', 'org1'], [1, 'node1', 'org2'], [2, 'node2', 'org1'], [3, 'node4', 'org1']]);
    assert.deepEqual(members.revoked.map((r) => r.org), ['org2']);
    const heights = (await netStatus()).filter((n) => n.node !== 'node3').map((n) => n.height!);
    assert.ok(Math.min(...heights) >= removedAt + 2, `every remaining node keeps up (${heights.join(', ')})`);

    // 5. node3's certificate is revoked too: node0 drops its connection and refuses it from then on.
    const node0Log = join(chain, 'nodes', 'node0', 'node.log');
    assert.equal((await nodeStatus('node0')).peers, 4, 'node0 is connected to the four other nodes');
    await decide(['revoke-cert', '--cert', join(chain, 'nodes', 'node3', 'node.cert.pem'), '--org', 'org2', '--reason', 'retired'], 'org2', 'org1');
    const revokedAt = Date.now();
    const logLines = () => readFileSync(node0Log, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    await waitFor('node0 drops node3 and refuses it again', async () => {
      const lines = logLines();
      const dropped = lines.some((l) => l.msg === 'peer disconnected' && l.name === 'node3.org2' && l.reason === 'revoked');
      const refusedAgain = lines.some((l) => l.msg === 'peer refused' && l.reason === 'revoked' && /node3\.org2/.test(String(l.message)));
      return dropped && refusedAgain && (await nodeStatus('node0')).peers === 3 ? true : undefined;
    });

    // 6. A deposit after both validator changes; the set-policy proposal is still open.
    const late = await deposit('after-remove.txt', 'org1');
    assert.equal(late.code, 0, late.stderr);
    const open = json<{ proposals: Proposal[] }>(await cli(['gov', 'list', '--status', 'open', '--json']), 'gov list --status open');
    assert.deepEqual(open.proposals.map((p) => [p.id, p.kind]), [[lonely.proposalId, 'setPolicy']]);

    // node3 keeps trying, but each refusal doubles its redial delay (10 attempts a second without the backoff).
    const refusals = logLines().filter((l) => l.msg === 'peer refused' && l.reason === 'revoked').length;
    const revokedForMs = Date.now() - revokedAt;
    t.diagnostic(`node0 refused node3 ${refusals} times in ${revokedForMs} ms`);
    // Two dialers (node0's to node3, node3's to node0), each waiting 200, 400, … up to 10,000 ms between attempts.
    const attemptsWithBackoff = (ms: number) => {
      let attempts = 0;
      for (let at = 0, delay = 200; at <= ms; at += delay, delay = Math.min(2 * delay, 10_000)) attempts++;
      return attempts;
    };
    assert.ok(refusals <= 2 * attemptsWithBackoff(revokedForMs + 500) + 2, `node0 refused node3 ${refusals} times in ${revokedForMs} ms: redials must back off`);

    // 7. With the network down, the proofs verify offline from genesis.json alone: the bundles carry the handoffs.
    assert.equal((await runCli(['net', 'down', chain, '--timeout-ms', '5000'])).code, 0);
    const auditor = join(dir.path, 'auditor');
    mkdirSync(auditor);
    copyFileSync(join(chain, 'genesis.json'), join(auditor, 'genesis.json'));
    for (const [name, handoffs] of [['after-add.txt', 1], ['after-remove.txt', 2]] as const) {
      const file = join(dir.path, name);
      const bundle = JSON.parse(readFileSync(`${file}.proof.json`, 'utf8')) as { consortium?: { handoffs: unknown[] } };
      assert.equal(bundle.consortium?.handoffs.length, handoffs, `${name}'s bundle carries ${handoffs} handoff(s)`);
      const verified = await runCli(['evidence', 'verify', file, '--proof', `${file}.proof.json`, '--genesis', join(auditor, 'genesis.json'), '--json']);
      const view = json<Verified>(verified, `evidence verify ${name}`);
      assert.equal(view.valid, true);
      assert.equal(view.certificate!.checks.filter((c) => c.startsWith('validator set change')).length, handoffs, view.certificate!.checks.join('\n'));
    }
    // Tampering with the handoff is caught.
    const tampered = join(dir.path, 'tampered.proof.json');
    const bundle = JSON.parse(readFileSync(join(dir.path, 'after-remove.txt.proof.json'), 'utf8')) as { consortium: { handoffs: Array<{ next: string }> } };
    bundle.consortium.handoffs[1]!.next = bundle.consortium.handoffs[1]!.next.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    writeFileSync(tampered, JSON.stringify(bundle));
    const forged = await runCli(['evidence', 'verify', join(dir.path, 'after-remove.txt'), '--proof', tampered, '--genesis', join(auditor, 'genesis.json'), '--json']);
    assert.equal(forged.code, 1, forged.stderr);
    assert.equal(json<Verified>({ ...forged, code: 0 }, 'evidence verify (tampered)').valid, false);
    failed = false;
    t.diagnostic(`done in ${Date.now() - started} ms`);
  } finally {
    if (failed && existsSync(join(chain, 'nodes'))) {
      // Keep what explains a failure: the warnings and errors of every node.
      for (const name of ['node0', 'node1', 'node2', 'node3', 'node4']) {
        const log = join(chain, 'nodes', name, 'node.log');
        if (!existsSync(log)) continue;
        const lines = readFileSync(log, 'utf8').split('\n').filter((l) => !/"level":"(debug|info)"/.test(l) && l !== '');
        t.diagnostic(`${name}.log (warn/error, last 15):\n${lines.slice(-15).join('\n')}`);
      }
    }
    await runCli(['net', 'down', chain, '--timeout-ms', '3000']).catch(() => undefined);
    dir.remove();
  }
});

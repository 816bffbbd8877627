import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, startNodeProcess, tempDir, type NodeProcess } from '../helpers/processes.js';

// One real chain per suite: init and start through the CLI, deposit and verify through the CLI.
for (const suite of ['gm', 'intl'] as const) {
  const dir = tempDir(`evidence-${suite}`);
  const chain = join(dir.path, 'chain');
  let node: NodeProcess;

  before(async () => {
    const init = await runCli(['init', chain, '--suite', suite, '--orgs', '2']);
    assert.equal(init.code, 0, init.stderr);
    node = await startNodeProcess(join(chain, 'nodes', 'node0'));
  });

  after(async () => {
    await node?.stop();
    dir.remove();
  });

  test(`${suite}: deposit, then verify offline; a tampered file, bundle or genesis is refused with the reason`, async () => {
    const document = join(dir.path, 'contract.txt');
    writeFileSync(document, `contract for ${suite}\n`);
    const key = join(chain, 'orgs', 'org2', 'client.key.pem');
    const deposit = await runCli(['evidence', 'deposit', document, '--title', 'Contract', '--node', node.url, '--key', key, '--json']);
    assert.equal(deposit.code, 0, deposit.stderr);
    const receipt = JSON.parse(deposit.stdout) as Record<string, unknown>;
    for (const field of ['txId', 'height', 'blockTime', 'hash', 'proof']) assert.ok(field in receipt, `receipt has ${field}`);
    assert.match(String(receipt.txId), /^[0-9a-f]{64}$/);
    assert.ok(Number(receipt.height) >= 1);
    const hashCli = await runCli(['hash', '--suite', suite, document]);
    assert.equal(hashCli.stdout.trim(), receipt.hash, 'the deposit hashes locally with the chain suite');

    const genesis = join(chain, 'genesis.json');
    const proof = String(receipt.proof);
    const ok = await runCli(['evidence', 'verify', document, '--proof', proof, '--genesis', genesis]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /EVIDENCE CERTIFICATE/);
    assert.match(ok.stdout, /org2/);
    assert.match(ok.stdout, /node0/);
    const okJson = await runCli(['evidence', 'verify', document, '--proof', proof, '--genesis', genesis, '--json']);
    assert.equal(JSON.parse(okJson.stdout).valid, true);

    writeFileSync(document, `contract for ${suite}!\n`);
    const tampered = await runCli(['evidence', 'verify', document, '--proof', proof, '--genesis', genesis]);
    assert.equal(tampered.code, 1);
    assert.match(tampered.stderr, /does not match the deposited hash/);

    writeFileSync(document, `contract for ${suite}\n`);
    const bundle = JSON.parse(readFileSync(proof, 'utf8'));
    const badSig = { ...bundle, commit: bundle.commit.slice(0, -4) + (bundle.commit.endsWith('00') ? '0101' : '0000') };
    writeFileSync(join(dir.path, 'bad.json'), JSON.stringify(badSig));
    const forged = await runCli(['evidence', 'verify', document, '--proof', join(dir.path, 'bad.json'), '--genesis', genesis]);
    assert.equal(forged.code, 1);
    assert.match(forged.stderr, /signature/);

    const badPath = { ...bundle, tx: { ...bundle.tx, txPath: [...bundle.tx.txPath, '00'.repeat(32)] } };
    writeFileSync(join(dir.path, 'badpath.json'), JSON.stringify(badPath));
    const wrongPath = await runCli(['proof', 'verify', join(dir.path, 'badpath.json'), '--genesis', genesis]);
    assert.equal(wrongPath.code, 1);
    assert.match(wrongPath.stderr, /txRoot/);

    const other = join(dir.path, 'other');
    assert.equal((await runCli(['init', other, '--suite', suite])).code, 0);
    const foreign = await runCli(['evidence', 'verify', document, '--proof', proof, '--genesis', join(other, 'genesis.json')]);
    assert.equal(foreign.code, 1);
    assert.match(foreign.stderr, /chain/);

    const proofOk = await runCli(['proof', 'verify', proof, '--genesis', genesis, '--json']);
    assert.equal(proofOk.code, 0, proofOk.stderr);
    assert.equal(JSON.parse(proofOk.stdout).tx.result.code, 'OK');

    const again = await runCli(['evidence', 'deposit', document, '--node', node.url, '--key', key, '--json']);
    assert.equal(again.code, 3);
    assert.match(again.stderr, /EVIDENCE_ALREADY_DEPOSITED/);
  });
}

test('bad CLI arguments give a usage error and exit 2', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['keygen', '--suite', 'rsa', '--out', 'x.pem'], /--suite must be gm or intl/],
    [['hash', '--suite', 'gm'], /missing FILE/],
    [['init'], /missing DIR/],
    [['nosuchcommand'], /unknown command/],
    [['evidence', 'verify', 'f', '--proof'], /argument missing|--proof/],
    [['init', 'x', '--suite', 'gm', '--validators', 'many'], /--validators must be an integer/],
    [['keygen', '--bogus'], /Unknown option/],
  ];
  for (const [args, pattern] of cases) {
    const result = await runCli(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, pattern);
  }
});

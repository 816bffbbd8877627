import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesEqual, parseCertificate, pemDecode, verifyCertificateSignature } from '@xinlian/protocol';
import { nodeSuite } from '@xinlian/crypto-node';
import { runCli, tempDir, type CliResult } from '../helpers/processes.js';
import { freePortBase, nodeUrl } from '../helpers/network.js';

// `xinlian org init`: a new organisation's identities and node homes, and the whole join of
// docs/operations.md ("Joining a consortium") with real processes: add-org, the new node syncs as
// an observer, add-validator, it signs, and its organisation's deposits verify offline.

interface OrgInitView {
  id: string; name: string; suite: string; chainId: string | null; dir: string; orgDir: string; caCert: string; caKey: string;
  adminKey: string; adminCert: string; clientKey: string; clientCert: string; genesis: string | null;
  nodes: Array<{ name: string; dir: string; key: string; cert: string; home: boolean; apiPort: number | null; p2pPort: number | null; peers: string[] | null }>;
}
interface Receipt { proposalId: string; status: string; height: number; effectiveHeight: number | null }
interface NodeStatus { node: string; running: boolean; height: number | null; peers: number | null }

function json<T>(result: CliResult, what: string): T {
  assert.equal(result.code, 0, `${what}: exit ${result.code}\n${result.stdout}${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, deadlineMs = 30_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('org init: identities that chain to the new CA, text and --json output, usage errors exit 2 and write nothing', async () => {
  const dir = tempDir('orginit');
  try {
    const out = join(dir.path, 'org9');
    const made = json<OrgInitView>(await runCli(['org', 'init', out, '--id', 'org9', '--name', 'Organisation 9', '--suite', 'gm', '--nodes', '2', '--json']), 'org init');
    assert.deepEqual([made.id, made.name, made.suite, made.chainId, made.genesis], ['org9', 'Organisation 9', 'gm', null, null]);
    assert.deepEqual(made.nodes.map((n) => [n.name, n.home, n.peers]), [['org9-node0', false, null], ['org9-node1', false, null]]);
    const suite = nodeSuite('gm');
    const ca = parseCertificate(pemDecode(readFileSync(made.caCert, 'utf8'), 'CERTIFICATE'));
    assert.ok(ca.isCa && ca.subject.organisation === 'org9' && verifyCertificateSignature(ca, ca.publicKey, suite), 'a self-signed CA with O = org9');
    for (const [file, role] of [[made.adminCert, 'admin'], [made.clientCert, 'client'], [made.nodes[0]!.cert, 'node'], [made.nodes[1]!.cert, 'node']] as const) {
      const cert = parseCertificate(pemDecode(readFileSync(file, 'utf8'), 'CERTIFICATE'));
      assert.equal(cert.subject.role, role);
      assert.equal(cert.subject.organisation, 'org9');
      assert.ok(bytesEqual(cert.issuerNameBytes, ca.subjectNameBytes) && verifyCertificateSignature(cert, ca.publicKey, suite), `${file} chains to the org9 CA`);
    }
    for (const file of [made.caKey, made.adminKey, made.clientKey, made.nodes[0]!.key]) assert.ok(existsSync(file), file);

    const again = await runCli(['org', 'init', out, '--id', 'org9', '--name', 'Organisation 9', '--suite', 'gm']);
    assert.equal(again.code, 3);
    assert.match(again.stderr, /ALREADY_EXISTS/);

    const text = await runCli(['org', 'init', join(dir.path, 'text'), '--id', 'acme', '--name', 'Acme Ltd', '--suite', 'intl', '--nodes', '0']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /initialised organisation acme \(Acme Ltd, intl\)/);
    assert.match(text.stdout, /gov propose add-org --id acme --name "Acme Ltd" --ca-cert \S+ca\.cert\.pem/);

    const chain = join(dir.path, 'chain');
    assert.equal((await runCli(['init', chain, '--suite', 'intl'])).code, 0);
    const bad = join(dir.path, 'bad');
    const cases: Array<[string[], RegExp]> = [
      [['org', 'init', '--id', 'org5', '--name', 'N', '--suite', 'gm'], /missing DIR/],
      [['org', 'init', bad, '--name', 'N', '--suite', 'gm'], /missing --id/],
      [['org', 'init', bad, '--id', 'Org_5', '--name', 'N', '--suite', 'gm'], /--id must be an organisation id/],
      [['org', 'init', bad, '--id', 'org5', '--suite', 'gm'], /missing --name/],
      [['org', 'init', bad, '--id', 'org5', '--name', 'x'.repeat(129), '--suite', 'gm'], /--name must have at most 128 characters/],
      [['org', 'init', bad, '--id', 'org5', '--name', 'N'], /missing --suite/],
      [['org', 'init', bad, '--id', 'org5', '--name', 'N', '--suite', 'rsa'], /--suite must be gm or intl/],
      [['org', 'init', bad, '--id', 'org5', '--name', 'N', '--suite', 'gm', '--nodes', '101'], /--nodes must be an integer from 0 to 100/],
      [['org', 'init', bad, '--id', 'org5', '--name', 'N', '--suite', 'gm', '--peers', '127.0.0.1:1'], /--peers is for node homes/],
      [['org', 'init', bad, '--id', 'org5', '--name', 'N', '--suite', 'gm', '--p2p-port-base', '27000'], /--p2p-port-base is for node homes/],
      [['org', 'init', bad, '--id', 'org5', '--name', 'N', '--genesis', join(chain, 'genesis.json'), '--peers', 'host-without-port'], /--peers: "host-without-port" is not host:port/],
      [['org', 'init', bad, '--id', 'org5', '--name', 'N', '--genesis', join(chain, 'genesis.json'), '--chain', chain], /one of the two/],
      [['org', 'init', bad, '--id', 'org5', '--name', 'N', '--suite', 'gm', '--chain', chain], /--suite gm does not match the chain's suite intl/],
      [['org', 'init', bad, '--id', 'org5', '--name', 'N', '--chain', join(dir.path, 'nowhere')], /is not a chain directory/],
      [['org', 'init', bad, '--id', 'org5', '--name', 'N', '--suite', 'gm', '--bogus'], /Unknown option '--bogus'/],
      [['org', 'init', bad, 'extra', '--id', 'org5', '--name', 'N', '--suite', 'gm'], /unexpected argument: extra/],
      [['org'], /org needs a subcommand: init/],
      [['org', 'create'], /unknown subcommand "create"/],
    ];
    for (const [args, pattern] of cases) {
      const result = await runCli(args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, pattern, args.join(' '));
      assert.match(result.stderr, /\nusage: xinlian org/, `${args.join(' ')} prints the usage`);
    }
    assert.equal(existsSync(bad), false, 'a usage error writes nothing');
    const inGenesis = await runCli(['org', 'init', bad, '--id', 'org1', '--name', 'N', '--chain', chain]);
    assert.equal(inGenesis.code, 3);
    assert.match(inGenesis.stderr, /BAD_REQUEST: organisation org1 is in genesis already/);
    const help = await runCli(['org', 'init', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /usage: xinlian org init DIR --id ORG_ID --name NAME/);
  } finally {
    dir.remove();
  }
});

test('joining a consortium: org init, add-org, the new node syncs as an observer, add-validator, it signs; its client\'s deposit verifies offline', { timeout: 120_000 }, async (t) => {
  const started = Date.now();
  const dir = tempDir('orgjoin');
  const chain = join(dir.path, 'chain');
  const org3 = join(dir.path, 'org3');
  let failed = true;
  try {
    // Four free p2p ports: three for the chain, the next for org3-node0 (org init --chain takes the port after the chain's).
    const p2pBase = await freePortBase(4);
    const init = await runCli([
      'init', chain, '--suite', 'intl', '--orgs', '2', '--validators', '3', '--api-port-base', '0', '--p2p-port-base', String(p2pBase),
      '--timeout-propose-ms', '1000', '--timeout-prevote-ms', '300', '--timeout-precommit-ms', '300', '--empty-block-wait-ms', '300',
    ]);
    assert.equal(init.code, 0, init.stderr);
    t.diagnostic(`chain in ${chain}, p2p ports ${p2pBase}..${p2pBase + 3}`);
    json<unknown>(await runCli(['net', 'up', chain, '--json']), 'net up chain');
    const url0 = nodeUrl(chain, 0);
    const cli = (args: string[]) => runCli(args, { env: { XINLIAN_NODE: url0 } });
    const admin = (org: string) => join(chain, 'orgs', org, 'admin.key.pem');

    // 1. The new organisation makes its keys and a node home that knows the chain's peers.
    const made = json<OrgInitView>(await runCli(['org', 'init', org3, '--id', 'org3', '--name', 'Organisation 3', '--chain', chain, '--json']), 'org init');
    assert.equal(made.suite, 'intl', 'the suite comes from the chain');
    assert.deepEqual(made.nodes.map((n) => [n.name, n.home, n.apiPort, n.p2pPort, n.peers]), [
      ['org3-node0', true, 0, p2pBase + 3, [0, 1, 2].map((i) => `127.0.0.1:${p2pBase + i}`)],
    ]);

    // 2. The existing members admit it (two thirds of two organisations: both).
    const proposed = json<Receipt>(await cli(['gov', 'propose', 'add-org', '--id', 'org3', '--name', 'Organisation 3', '--ca-cert', made.caCert, '--key', admin('org1'), '--json']), 'propose add-org');
    const admitted = json<Receipt>(await cli(['gov', 'vote', proposed.proposalId, '--yes', '--key', admin('org2'), '--json']), 'vote add-org');
    assert.equal(admitted.status, 'passed');
    t.diagnostic(`org3 joined at height ${admitted.height}`);

    // 3. Its node starts from nothing, is accepted by the chain's nodes and syncs as an observer.
    json<unknown>(await runCli(['net', 'up', org3, '--json']), 'net up org3');
    const status = async (home: string) => json<{ nodes: NodeStatus[] }>(await runCli(['net', 'status', home, '--json']), 'net status').nodes;
    const synced = await waitFor('org3-node0 synced past the admission', async () => {
      const [node] = await status(org3);
      return (node!.height ?? 0) > admitted.height && node!.peers === 3 ? node : undefined;
    });
    t.diagnostic(`org3-node0 at height ${synced.height} with ${synced.peers} peers`);

    // 4. It becomes a validator (a change may move a third of the power: 3 × 1 ≤ 3) and signs from the effective height.
    const proposedValidator = json<Receipt>(await cli(['gov', 'propose', 'add-validator', '--name', 'org3-node0', '--cert', made.nodes[0]!.cert, '--key', admin('org1'), '--json']), 'propose add-validator');
    const added = json<Receipt>(await cli(['gov', 'vote', proposedValidator.proposalId, '--yes', '--key', admin('org2'), '--json']), 'vote add-validator');
    assert.equal(added.status, 'passed');
    const effective = added.effectiveHeight!;
    const signedAt = await waitFor('a commit with org3-node0\'s precommit', async () => {
      const height = (await status(chain))[0]!.height!;
      for (let h = effective; h <= height; h++) {
        const block = await (await fetch(`${url0}/v1/blocks/${h}`)).json() as { commit: { signatures: Array<{ validatorIndex: number }> } };
        if (block.commit.signatures.some((s) => s.validatorIndex === 3)) return h;
      }
      return undefined;
    });
    t.diagnostic(`org3-node0 (validator 3) signed block ${signedAt}; effective height ${effective}`);

    // 5. org3's client deposits through its own node; the proof verifies offline with the genesis
    //    alone, although neither org3 nor its validator is in genesis.
    const org3Url = (JSON.parse(readFileSync(join(made.nodes[0]!.dir, 'node.json'), 'utf8')) as { apiUrl: string }).apiUrl;
    const doc = join(dir.path, 'org3-doc.txt');
    writeFileSync(doc, 'from the new member\n');
    const deposited = await runCli(['evidence', 'deposit', doc, '--key', made.clientKey, '--node', org3Url, '--json']);
    assert.equal(deposited.code, 0, deposited.stderr);
    assert.equal(JSON.parse(deposited.stdout).depositor.org, 'org3');
    const verified = json<{ valid: boolean; certificate: { checks: string[] } }>(
      await runCli(['evidence', 'verify', doc, '--proof', `${doc}.proof.json`, '--genesis', join(chain, 'genesis.json'), '--json']), 'evidence verify');
    assert.equal(verified.valid, true);
    assert.ok(verified.certificate.checks.some((c) => c.startsWith('validator set change')), verified.certificate.checks.join('\n'));
    failed = false;
    t.diagnostic(`done in ${Date.now() - started} ms`);
  } finally {
    if (failed) {
      for (const home of [...['node0', 'node1', 'node2'].map((n) => join(chain, 'nodes', n)), join(org3, 'nodes', 'org3-node0')]) {
        const log = join(home, 'node.log');
        if (!existsSync(log)) continue;
        const lines = readFileSync(log, 'utf8').split('\n').filter((l) => !/"level":"(debug|info)"/.test(l) && l !== '');
        t.diagnostic(`${log} (warn/error, last 15):\n${lines.slice(-15).join('\n')}`);
      }
    }
    for (const net of [org3, chain]) if (existsSync(join(net, 'nodes')) && readdirSync(join(net, 'nodes')).length > 0) await runCli(['net', 'down', net, '--timeout-ms', '3000']);
    dir.remove();
  }
});

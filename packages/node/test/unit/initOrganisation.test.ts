import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesEqual, MembershipVerifier, parseCertificate, pemDecode, verifyCertificateSignature, XinlianError } from '@xinlian/protocol';
import { loadSigningKey, nodeSuite } from '@xinlian/crypto-node';
import { initChain } from '../../src/init/initChain.js';
import { initOrganisation } from '../../src/init/initOrganisation.js';

const certOf = (file: string) => pemDecode(readFileSync(file, 'utf8'), 'CERTIFICATE');
const isCode = (code: string) => (e: unknown) => e instanceof XinlianError && e.code === code;

for (const suite of ['intl', 'gm'] as const) {
  test(`${suite}: initOrganisation writes a self-signed CA and admin, client and node identities that chain to it`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), `xinlian-org-${suite}-`));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const passphrase = suite === 'gm' ? 'correct horse' : undefined;
    const nowMs = Date.now();
    const result = await initOrganisation({ dir, id: 'org7', name: 'Organisation 7', suite, nodes: 2, passphrase, nowMs });

    assert.equal(result.chainId, undefined);
    assert.equal(result.genesisFile, undefined);
    assert.deepEqual(readdirSync(join(dir, 'orgs', 'org7')).sort(), ['admin.cert.pem', 'admin.key.pem', 'ca.cert.pem', 'ca.key.pem', 'client.cert.pem', 'client.key.pem']);
    assert.deepEqual(result.nodes.map((n) => [n.name, n.dir, n.config]), [['org7-node0', join(dir, 'nodes', 'org7-node0'), undefined], ['org7-node1', join(dir, 'nodes', 'org7-node1'), undefined]]);
    for (const node of result.nodes) assert.deepEqual(readdirSync(node.dir).sort(), ['node.cert.pem', 'node.key.pem'], 'without a genesis, keys and certificates only');

    // The CA: self-signed, a CA, O = the id, as governance's addOrganisation requires.
    const caDer = certOf(result.caCertFile);
    const ca = parseCertificate(caDer);
    assert.equal(ca.isCa, true);
    assert.equal(ca.suite, suite);
    assert.deepEqual([ca.subject.organisation, ca.subject.commonName], ['org7', 'Organisation 7 CA']);
    assert.ok(bytesEqual(ca.subjectNameBytes, ca.issuerNameBytes), 'self-issued');
    assert.ok(verifyCertificateSignature(ca, ca.publicKey, nodeSuite(suite)), 'self-signed');
    assert.ok(ca.notBeforeMs <= nowMs - 86_400_000 + 1000 && ca.notAfterMs > nowMs + 9 * 365 * 86_400_000);
    assert.equal(statSync(result.caKeyFile).mode & 0o777, 0o600);
    assert.deepEqual(loadSigningKey(readFileSync(result.caKeyFile, 'utf8'), passphrase).publicKey, ca.publicKey);

    // Every other certificate is issued by that CA for its key: membership accepts it once the organisation is known.
    const membership = new MembershipVerifier({
      chainId: 'x', suite, genesisTimeMs: nowMs, validators: [], parameters: {} as never,
      organisations: [{ id: 'org7', name: 'Organisation 7', caCertPem: readFileSync(result.caCertFile, 'utf8') }],
    }, nodeSuite(suite));
    const identities: Array<[string, string, string, string]> = [
      [result.adminKeyFile, result.adminCertFile, 'admin', 'admin.org7'],
      [result.clientKeyFile, result.clientCertFile, 'client', 'client.org7'],
      ...result.nodes.map((n): [string, string, string, string] => [n.keyFile, n.certFile, 'node', `${n.name}.org7`]),
    ];
    for (const [keyFile, certFile, role, commonName] of identities) {
      const der = certOf(certFile);
      const cert = parseCertificate(der);
      assert.ok(verifyCertificateSignature(cert, ca.publicKey, nodeSuite(suite)), `${certFile} carries the CA's signature`);
      assert.ok(bytesEqual(cert.issuerNameBytes, ca.subjectNameBytes));
      const member = membership.verifyMember(der, nowMs);
      assert.deepEqual([member.org, member.role, member.commonName], ['org7', role, commonName]);
      const keyPem = readFileSync(keyFile, 'utf8');
      assert.equal(keyPem.includes('ENCRYPTED PRIVATE KEY'), passphrase !== undefined);
      assert.deepEqual(loadSigningKey(keyPem, passphrase).publicKey, member.publicKey);
    }
    // ... and no other organisation's CA vouches for them.
    const stranger = await initOrganisation({ dir: join(dir, 'other'), id: 'org8', name: 'Other', suite, nodes: 0, nowMs });
    const otherMembership = new MembershipVerifier({
      chainId: 'x', suite, genesisTimeMs: nowMs, validators: [], parameters: {} as never,
      organisations: [{ id: 'org8', name: 'Other', caCertPem: readFileSync(stranger.caCertFile, 'utf8') }],
    }, nodeSuite(suite));
    assert.throws(() => otherMembership.verifyMember(certOf(result.clientCertFile), nowMs), isCode('TX_UNKNOWN_MEMBER'));
  });
}

test('with the chain\'s genesis, initOrganisation makes node homes that peer with the chain and with each other', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'xinlian-org-homes-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const chain = await initChain({ dir: join(dir, 'chain'), suite: 'intl', orgs: 2, genesisTimeMs: Date.now() });
  const genesisText = readFileSync(chain.genesisFile, 'utf8');
  const peers = ['127.0.0.1:26650', 'node1.example:26651'];
  const result = await initOrganisation({ dir: join(dir, 'org3'), id: 'org3', name: 'Organisation 3', suite: 'intl', nodes: 2, genesisText, peers, apiPortBase: 9000, p2pPortBase: 27000, nowMs: Date.now() });
  assert.equal(result.chainId, chain.chainId);
  assert.equal(readFileSync(result.genesisFile!, 'utf8'), genesisText, 'DIR/genesis.json: `xinlian net up DIR` runs the new nodes');
  for (const [i, node] of result.nodes.entries()) {
    assert.equal(readFileSync(join(node.dir, 'genesis.json'), 'utf8'), genesisText);
    const config = JSON.parse(readFileSync(join(node.dir, 'config.json'), 'utf8'));
    assert.deepEqual(config, {
      nodeName: `org3-node${i}`, org: 'org3', apiHost: '127.0.0.1', apiPort: 9000 + i, p2pHost: '127.0.0.1', p2pPort: 27000 + i,
      peers: [...peers, `127.0.0.1:${27000 + 1 - i}`], keyFile: 'node.key.pem', certFile: 'node.cert.pem', dataDir: 'data',
    });
    assert.deepEqual(node.config, config);
  }
  // Into the chain directory itself: its genesis.json is the same file and stays.
  const inChain = await initOrganisation({ dir: join(dir, 'chain'), id: 'org4', name: 'Organisation 4', suite: 'intl', genesisText, apiPortBase: 0, nowMs: Date.now() });
  assert.equal(inChain.nodes[0]!.config!.apiPort, 0);
  assert.equal(readFileSync(join(dir, 'chain', 'genesis.json'), 'utf8'), genesisText);
  assert.deepEqual(readdirSync(join(dir, 'chain', 'nodes')).sort(), ['node0', 'org4-node0']);
});

test('initOrganisation checks its options, never overwrites, and a refused set-up writes nothing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'xinlian-org-bad-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const chain = await initChain({ dir: join(dir, 'chain'), suite: 'intl', genesisTimeMs: Date.now() });
  const genesisText = readFileSync(chain.genesisFile, 'utf8');
  const target = join(dir, 'new');
  const nowMs = Date.now();
  const good = { dir: target, id: 'org2', name: 'Organisation 2', suite: 'intl' as const, nowMs };
  await assert.rejects(initOrganisation({ ...good, id: 'Org 2' }), isCode('BAD_REQUEST'));
  await assert.rejects(initOrganisation({ ...good, name: '' }), isCode('BAD_REQUEST'));
  await assert.rejects(initOrganisation({ ...good, name: 'x'.repeat(129) }), isCode('BAD_REQUEST'));
  await assert.rejects(initOrganisation({ ...good, nodes: 101 }), isCode('BAD_REQUEST'));
  await assert.rejects(initOrganisation({ ...good, nodes: 2, apiPortBase: 65535, genesisText }), isCode('BAD_REQUEST'));
  await assert.rejects(initOrganisation({ ...good, genesisText, peers: ['no-port'] }), isCode('BAD_REQUEST'));
  await assert.rejects(initOrganisation({ ...good, id: 'org1', genesisText }), (e: unknown) => isCode('BAD_REQUEST')(e) && /org1 is in genesis already/.test((e as Error).message));
  await assert.rejects(initOrganisation({ ...good, suite: 'gm', genesisText }), (e: unknown) => isCode('BAD_REQUEST')(e) && /intl suite/.test((e as Error).message));
  await assert.rejects(initOrganisation({ ...good, genesisText: '{"not": "a genesis"}' }), isCode('GENESIS_INVALID'));
  await assert.rejects(initOrganisation({ ...good, genesisText: 'not json' }), isCode('GENESIS_INVALID'));
  assert.throws(() => statSync(target), /ENOENT/, 'nothing written');

  await initOrganisation({ ...good, genesisText });
  await assert.rejects(initOrganisation({ ...good, genesisText }), isCode('ALREADY_EXISTS'));
  await assert.rejects(initOrganisation({ ...good, id: 'org3', nodes: 0, genesisText: genesisText.replace(chain.chainId, 'another-chain') }), (e: unknown) => isCode('ALREADY_EXISTS')(e) && /another genesis/.test((e as Error).message));
  assert.deepEqual(readdirSync(join(target, 'orgs')), ['org2'], 'the refused org3 left nothing');
});

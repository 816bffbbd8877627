import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MembershipVerifier, parseGenesis, pemDecode, XinlianError } from '@xinlian/protocol';
import { loadSigningKey, nodeSuite } from '@xinlian/crypto-node';
import { initChain } from '../../src/init/initChain.js';

function openssl(args: string[]): { status: number | null; out: string } | undefined {
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  if (run.error !== undefined) return undefined; // no openssl on this machine
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

for (const suite of ['intl', 'gm'] as const) {
  test(`${suite}: initChain writes a network that verifies, and OpenSSL reads its certificates`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), `xinlian-init-${suite}-`));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const passphrase = suite === 'gm' ? 'correct horse' : undefined;
    const genesisTimeMs = Date.now();
    const result = await initChain({ dir, suite, orgs: 2, validators: 3, passphrase, chainId: `test-${suite}`, genesisTimeMs });

    const text = readFileSync(join(dir, 'genesis.json'), 'utf8');
    const genesis = parseGenesis(JSON.parse(text), nodeSuite(suite));
    assert.deepEqual(genesis, result.genesis);
    assert.deepEqual(parseGenesis(JSON.parse(text)), genesis); // the pure (browser) suite agrees with OpenSSL
    assert.equal(genesis.chainId, `test-${suite}`);
    assert.equal(result.chainId, `test-${suite}`);
    assert.deepEqual(genesis.organisations.map((o) => [o.id, o.name]), [['org1', 'Organisation 1'], ['org2', 'Organisation 2']]);
    assert.deepEqual(genesis.validators.map((v) => [v.name, v.org]), [['node0', 'org1'], ['node1', 'org2'], ['node2', 'org1']]);

    for (const [i, nodeDir] of result.nodeHomes.entries()) {
      assert.equal(readFileSync(join(nodeDir, 'genesis.json'), 'utf8'), text);
      const config = JSON.parse(readFileSync(join(nodeDir, 'config.json'), 'utf8'));
      assert.deepEqual(config, {
        nodeName: `node${i}`, org: genesis.validators[i]!.org, apiHost: '127.0.0.1', apiPort: 8700 + i,
        p2pHost: '127.0.0.1', p2pPort: 26650 + i,
        peers: genesis.validators.map((_, j) => j).filter((j) => j !== i).map((j) => `127.0.0.1:${26650 + j}`),
        keyFile: 'node.key.pem', certFile: 'node.cert.pem', dataDir: 'data',
      });
      const key = loadSigningKey(readFileSync(join(nodeDir, 'node.key.pem'), 'utf8'), passphrase);
      assert.equal(Buffer.from(key.publicKey).toString('hex'), genesis.validators[i]!.publicKey);
    }

    const membership = new MembershipVerifier(genesis, nodeSuite(suite));
    const orgDir = join(dir, 'orgs', 'org2');
    for (const role of ['admin', 'client'] as const) {
      const keyPem = readFileSync(join(orgDir, `${role}.key.pem`), 'utf8');
      assert.equal(keyPem.includes('ENCRYPTED PRIVATE KEY'), passphrase !== undefined);
      assert.equal(statSync(join(orgDir, `${role}.key.pem`)).mode & 0o777, 0o600);
      const member = membership.verifyMember(pemDecode(readFileSync(join(orgDir, `${role}.cert.pem`), 'utf8'), 'CERTIFICATE'), genesisTimeMs);
      assert.deepEqual([member.org, member.role, member.commonName], ['org2', role, `${role}.org2`]);
      assert.deepEqual(member.publicKey, loadSigningKey(keyPem, passphrase).publicKey);
    }
    const caCert = pemDecode(readFileSync(join(orgDir, 'ca.cert.pem'), 'utf8'), 'CERTIFICATE');
    assert.throws(() => membership.verifyMember(caCert, genesisTimeMs), (e: unknown) => e instanceof XinlianError && e.code === 'CERT_INVALID');

    const shown = openssl(['x509', '-in', join(orgDir, 'ca.cert.pem'), '-text', '-noout']);
    if (shown === undefined) return t.skip('openssl is not installed');
    assert.equal(shown.status, 0, shown.out);
    assert.match(shown.out, suite === 'gm' ? /Signature Algorithm: SM2-with-SM3/ : /Signature Algorithm: ED25519/);
    assert.match(shown.out, /CA:TRUE, pathlen:0/);
    assert.match(shown.out, /Subject: O = org2, CN = Organisation 2 CA/);
    const client = openssl(['x509', '-in', join(orgDir, 'client.cert.pem'), '-text', '-noout']);
    assert.match(client?.out ?? '', /Subject: O = org2, OU = client, CN = client.org2/);
    if (suite === 'gm') assert.match(client?.out ?? '', /ASN1 OID: SM2/);

    const verifyArgs = ['verify', '-CAfile', join(orgDir, 'ca.cert.pem'), join(orgDir, 'client.cert.pem')];
    if (suite === 'intl') {
      assert.match(openssl(verifyArgs)?.out ?? '', /client\.cert\.pem: OK/);
    } else {
      // OpenSSL 3 verifies SM2 certificate signatures with an empty ID unless told the GM/T 0009 default.
      assert.notEqual(openssl(verifyArgs)?.status, 0);
      assert.match(openssl(['verify', '-vfyopt', 'distid:1234567812345678', ...verifyArgs.slice(1)])?.out ?? '', /client\.cert\.pem: OK/);
    }
  });
}

test('initChain refuses to overwrite an existing chain and checks its options', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'xinlian-init-again-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await initChain({ dir, suite: 'intl', genesisTimeMs: Date.now() });
  const isCode = (code: string) => (e: unknown) => e instanceof XinlianError && e.code === code;
  await assert.rejects(initChain({ dir, suite: 'intl', genesisTimeMs: Date.now() }), isCode('ALREADY_EXISTS'));
  const other = mkdtempSync(join(tmpdir(), 'xinlian-init-bad-'));
  t.after(() => rmSync(other, { recursive: true, force: true }));
  await assert.rejects(initChain({ dir: other, suite: 'intl', orgs: 0, genesisTimeMs: Date.now() }), isCode('BAD_REQUEST'));
  await assert.rejects(initChain({ dir: other, suite: 'intl', validators: 2, apiPortBase: 65535, genesisTimeMs: Date.now() }), isCode('BAD_REQUEST'));
  await assert.rejects(initChain({ dir: other, suite: 'intl', chainId: 'bad id', genesisTimeMs: Date.now() }), isCode('GENESIS_INVALID'));
  assert.deepEqual(readdirSync(other), []); // a refused set-up leaves nothing behind
  const anyPort = await initChain({ dir: other, suite: 'intl', validators: 2, apiPortBase: 0, genesisTimeMs: Date.now() });
  for (const home of anyPort.nodeHomes) assert.equal(JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')).apiPort, 0);
});

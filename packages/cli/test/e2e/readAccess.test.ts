import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evidenceKey, parseGenesis, pemDecode, READ_HEADERS, readRequestDigest, toHex, XinlianError, type ErrorCode } from '@xinlian/protocol';
import { initChain, issueIdentity, startNode } from '@xinlian/node';
import { identityFromFiles, identityFromPem, XinlianClient, XinlianSession } from '@xinlian/sdk';
import { loadSigningKey, nodeSuite } from '@xinlian/crypto-node';
import { tempDir } from '../helpers/processes.js';

const rejects = (code: ErrorCode) => (error: unknown) => error instanceof XinlianError && error.code === code;

/**
 * Read rules (ADR 008): once the consortium puts `evidence/` under a rule, a node serves those keys
 * only to signed requests of members the rule allows, or of auditors; other keys stay open.
 */
test('read rules: unsigned, wrongly signed, stale and disallowed readers are refused with READ_FORBIDDEN; allowed members and auditors read', { timeout: 60_000 }, async (t) => {
  const dir = tempDir('read-access');
  t.after(() => dir.remove());
  const chain = join(dir.path, 'chain');
  const { nodeHomes } = await initChain({ dir: chain, suite: 'intl', orgs: 1, validators: 1, apiPortBase: 0, genesisTimeMs: Date.now() - 60_000 });
  const config = JSON.parse(readFileSync(join(nodeHomes[0]!, 'config.json'), 'utf8'));
  writeFileSync(join(nodeHomes[0]!, 'config.json'), JSON.stringify({ ...config, verifyThreads: 0, logLevel: 'warn' }));
  const node = await startNode({ home: nodeHomes[0]!, apiPort: 0 });
  t.after(() => node.close());
  const genesis = parseGenesis(JSON.parse(readFileSync(join(chain, 'genesis.json'), 'utf8')));
  const org = join(chain, 'orgs', 'org1');
  const admin = identityFromFiles(join(org, 'admin.key.pem'));
  const client = identityFromFiles(join(org, 'client.key.pem'));

  // A document deposited while evidence is still open to all.
  const clientSession = await XinlianSession.connect(node.url, client, genesis);
  const receipt = await clientSession.depositEvidence(new TextEncoder().encode('read rules'), 'sealed');
  const key = toHex(evidenceKey(Buffer.from(receipt.hash, 'hex')));
  const open = new XinlianClient(node.url);
  assert.notEqual((await open.request<{ value: string | null }>('GET', `/v1/state?keyHex=${key}`)).value, null);

  // One organisation: the admin's proposal passes at once (two thirds of one).
  const adminSession = await XinlianSession.connect(node.url, admin, genesis);
  const passed = await adminSession.propose({ kind: 'setReadAcl', prefix: 'evidence/', rule: { orgs: ['org1'], roles: ['admin'] } });
  assert.equal(passed.status, 'passed');

  const stateOf = (c: XinlianClient) => c.request<{ value: string | null }>('GET', `/v1/state?keyHex=${key}`);
  await assert.rejects(stateOf(open), rejects('READ_FORBIDDEN'), 'an unsigned read');
  await assert.rejects(open.request('GET', `/v1/evidence/${receipt.hash}`), rejects('READ_FORBIDDEN'), 'the evidence endpoint reads the same key');
  await assert.rejects(open.request('GET', `/v1/proofs/state?keyHex=${key}`), rejects('READ_FORBIDDEN'));
  await assert.rejects(open.request('GET', `/v1/state/history?keyHex=${key}`), rejects('READ_FORBIDDEN'));
  const asClient = new XinlianClient(node.url, { reader: { identity: client, chainId: genesis.chainId } });
  await assert.rejects(stateOf(asClient), rejects('READ_FORBIDDEN'), 'role client is not in the rule');
  const asAdmin = new XinlianClient(node.url, { reader: { identity: admin, chainId: genesis.chainId } });
  assert.notEqual((await stateOf(asAdmin)).value, null, 'the admin of org1 reads');
  assert.equal((await asAdmin.request<{ title: string }>('GET', `/v1/evidence/${receipt.hash}`)).title, 'sealed');

  // An auditor reads everything, whatever the rule says.
  const caKeyPem = readFileSync(join(org, 'ca.key.pem'), 'utf8');
  const caCertPem = readFileSync(join(org, 'ca.cert.pem'), 'utf8');
  const issuer = {
    keyPem: caKeyPem, certPem: caCertPem, certDer: pemDecode(caCertPem, 'CERTIFICATE'), key: loadSigningKey(caKeyPem),
    name: { commonName: 'Organisation 1 CA', organisation: 'org1' },
  };
  const auditor = await issueIdentity({
    suite: 'intl', issuer, subject: { commonName: 'auditor.org1', organisation: 'org1', role: 'auditor' },
    notBeforeMs: Date.now() - 60_000, notAfterMs: Date.now() + 86_400_000,
  });
  const asAuditor = new XinlianClient(node.url, { reader: { identity: identityFromPem(auditor.keyPem, auditor.certPem), chainId: genesis.chainId } });
  assert.notEqual((await stateOf(asAuditor)).value, null, 'an auditor reads');

  // Signed for another request, or too long ago: refused.
  const signed = async (path: string, timeMs: number, signPath = path) => {
    const response = await fetch(`${node.url}${path}`, {
      headers: {
        [READ_HEADERS.cert]: Buffer.from(admin.certDer).toString('base64'),
        [READ_HEADERS.time]: String(timeMs),
        [READ_HEADERS.signature]: toHex(await admin.signer(readRequestDigest(nodeSuite('intl').hash, genesis.chainId, 'GET', signPath, timeMs))),
      },
    });
    return { status: response.status, body: await response.json() as { error?: { code: string; message: string } } };
  };
  const path = `/v1/state?keyHex=${key}`;
  assert.equal((await signed(path, Date.now())).status, 200, 'a correctly signed request');
  const replayedElsewhere = await signed(path, Date.now(), `/v1/state?keyHex=${key}&height=1`);
  assert.equal(replayedElsewhere.status, 403);
  assert.match(replayedElsewhere.body.error!.message, /signature does not verify/);
  const stale = await signed(path, Date.now() - 3_600_000);
  assert.equal(stale.status, 403);
  assert.match(stale.body.error!.message, /clock/);

  // Keys under no rule stay open.
  assert.equal((await open.request<{ key: string }>('GET', '/v1/state?key=sys/params')).key, toHex(new TextEncoder().encode('sys/params')));
});

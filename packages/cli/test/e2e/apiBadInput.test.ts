import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  encodeEvidenceDeposit, encodeSignedTx, decodeSignedTx, EVIDENCE_DEPOSIT_TYPE, parseGenesis, XinlianError,
} from '@xinlian/protocol';
import { nodeSuite } from '@xinlian/crypto-node';
import { identityFromFiles, signTx, XinlianClient, XinlianSession, type Identity } from '@xinlian/sdk';
import { readFileSync } from 'node:fs';
import { runCli, startNodeProcess, tempDir, type NodeProcess } from '../helpers/processes.js';

const dir = tempDir('api');
const chain = join(dir.path, 'chain');
let node: NodeProcess;
let client: XinlianClient;
let identity: Identity;
let chainId: string;
const suite = nodeSuite('intl');

before(async () => {
  assert.equal((await runCli(['init', chain, '--suite', 'intl', '--orgs', '2'])).code, 0);
  assert.equal((await runCli(['init', join(dir.path, 'foreign'), '--suite', 'intl'])).code, 0);
  node = await startNodeProcess(join(chain, 'nodes', 'node0'));
  client = new XinlianClient(node.url);
  identity = identityFromFiles(join(chain, 'orgs', 'org1', 'client.key.pem'));
  chainId = parseGenesis(JSON.parse(readFileSync(join(chain, 'genesis.json'), 'utf8'))).chainId;
});

after(async () => {
  await node?.stop();
  dir.remove();
});

function deposit(n: number, overrides: { chainId?: string; expiryHeight?: number; identity?: Identity; title?: string } = {}) {
  const payload = encodeEvidenceDeposit({ hash: suite.hash(new TextEncoder().encode(`doc ${n}`)), title: overrides.title ?? `doc ${n}` });
  return signTx(suite, overrides.identity ?? identity, {
    chainId: overrides.chainId ?? chainId, type: EVIDENCE_DEPOSIT_TYPE, payload, expiryHeight: overrides.expiryHeight ?? 1000,
  });
}

async function rejects(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof XinlianError, String(error));
    assert.equal(error.code, code, error.message);
    return true;
  });
}

test('each kind of bad tx gets its typed error and the node keeps going', async () => {
  await rejects(client.submit(new Uint8Array([1, 2, 3])), 'DECODE_ERROR');

  const good = await deposit(1);
  const signed = decodeSignedTx(good.encoded);
  const badSignature = signed.signature.slice();
  badSignature[0]! ^= 1;
  await rejects(client.submit(encodeSignedTx({ bodyBytes: signed.bodyBytes, signature: badSignature })), 'TX_INVALID_SIGNATURE');

  const outsider = identityFromFiles(join(dir.path, 'foreign', 'orgs', 'org1', 'client.key.pem'));
  await rejects(client.submit((await deposit(2, { identity: outsider })).encoded), 'TX_UNKNOWN_MEMBER');
  await rejects(client.submit((await deposit(3, { chainId: 'another-chain' })).encoded), 'TX_WRONG_CHAIN');
  await rejects(client.submit((await deposit(4, { expiryHeight: 0 })).encoded), 'TX_EXPIRED');
  await rejects(client.submit((await deposit(5, { expiryHeight: 10_000_000 })).encoded), 'TX_EXPIRY_TOO_FAR');
  await rejects(client.submit((await deposit(6, { title: 'x'.repeat(330_000) })).encoded), 'TX_TOO_LARGE');
  const nodeIdentity = identityFromFiles(join(chain, 'nodes', 'node0', 'node.key.pem'), join(chain, 'nodes', 'node0', 'node.cert.pem'));
  await rejects(client.submit((await deposit(7, { identity: nodeIdentity })).encoded), 'TX_FORBIDDEN');

  const committed = await client.submitAndWait(good.encoded);
  assert.equal(committed.status, 'committed');
  assert.equal(committed.result?.code, 'OK');
  await rejects(client.submit(good.encoded), 'TX_REPLAYED');

  for (const [body, code] of [['{not json', 'BAD_REQUEST'], ['{"tx": 5}', 'BAD_REQUEST'], ['{"tx": "zz"}', 'BAD_REQUEST']] as const) {
    const response = await fetch(`${node.url}/v1/txs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, code);
  }
  const huge = await fetch(`${node.url}/v1/txs`, { method: 'POST', body: 'x'.repeat(17 * 1024 * 1024) }).catch((e: Error) => e);
  if (!(huge instanceof Error)) assert.equal(huge.status, 413);
  await rejects(client.tx('00'.repeat(32)), 'NOT_FOUND');
  await rejects(client.request('GET', '/v1/blocks/abc'), 'BAD_REQUEST');
  await rejects(client.request('GET', '/v1/nowhere'), 'NOT_FOUND');
  await rejects(client.request('POST', '/v1/status', {}), 'METHOD_NOT_ALLOWED');
  // A bad wait parameter is refused before admission: the tx must not be accepted behind the error.
  const unwaited = await deposit(10);
  await rejects(client.request('POST', '/v1/txs?wait=true&timeoutMs=999999', { tx: Buffer.from(unwaited.encoded).toString('hex') }), 'BAD_REQUEST');
  await rejects(client.tx(Buffer.from(unwaited.txId).toString('hex')), 'NOT_FOUND');

  const batch = await client.submitBatch([(await deposit(8)).encoded, new Uint8Array([9]), (await deposit(9)).encoded]);
  assert.ok('txId' in batch[0]! && !('error' in batch[0]!));
  assert.equal((batch[1] as { error: { code: string } }).error.code, 'DECODE_ERROR');
  assert.ok(!('error' in batch[2]!));

  const replayed = await client.submitBatch([good.encoded]);
  assert.equal((replayed[0] as { error: { code: string } }).error.code, 'TX_REPLAYED');
  assert.equal(replayed[0]!.txId, Buffer.from(good.txId).toString('hex'), 'a replayed tx is named in its outcome');

  const status = await client.status();
  assert.equal(status.chainId, chainId);
  const session = await XinlianSession.connect(node.url, identity);
  const receipt = await session.depositEvidence(new TextEncoder().encode('after the storm'), 'still alive');
  assert.ok(receipt.height >= 2);
});

test('state, key history, state proofs, blocks and the event stream', async () => {
  const session = await XinlianSession.connect(node.url, identity);
  const document = new TextEncoder().encode('state test document');
  const receipt = await session.depositEvidence(document, 'state');
  const key = `evidence/${receipt.hash}`;
  const value = await client.state(key);
  assert.notEqual(value.value, null);
  const history = await client.history(key);
  assert.equal(history.changes.length, 1);
  assert.equal(history.changes[0]!.txId, receipt.txId);
  const before = await client.state(key, receipt.height - 1);
  assert.equal(before.value, null, 'absent before the deposit');

  const { verifyProofBundle } = await import('@xinlian/protocol');
  const genesis = await client.genesis();
  const present = verifyProofBundle(await client.stateProof(key), parseGenesis(genesis), suite);
  assert.ok(present.state?.value);
  const absent = verifyProofBundle(await client.stateProof(key, receipt.height - 1), parseGenesis(genesis), suite);
  assert.equal(absent.state?.value, null);

  const block = await client.block(receipt.height) as { header: { hash: string; height: number } };
  assert.equal(block.header.height, receipt.height);
  const byHash = await client.blockByHash(block.header.hash) as { header: { height: number } };
  assert.equal(byHash.header.height, receipt.height);

  // Resume the stream after the block before the deposit: the first event is the deposit's block.
  const controller = new AbortController();
  const response = await fetch(`${node.url}/v1/events`, { headers: { 'last-event-id': String(receipt.height - 1) }, signal: controller.signal });
  const reader = response.body!.getReader();
  let text = '';
  while (!/\n\n(id: \d+\nevent: block\ndata: .*\n\n)/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
  controller.abort();
  const first = /id: (\d+)\nevent: block\ndata: (.*)\n\n/.exec(text)!;
  assert.equal(Number(first[1]), receipt.height);
  assert.ok((JSON.parse(first[2]!) as { txs: Array<{ txId: string }> }).txs.some((t) => t.txId === receipt.txId));

  const openapi = await (await fetch(`${node.url}/openapi.json`)).json() as { openapi: string; paths: Record<string, unknown> };
  assert.equal(openapi.openapi, '3.0.3');
  for (const path of ['/v1/txs', '/v1/txs/batch', '/v1/txs/{txId}/wait', '/v1/blocks/{height}', '/v1/proofs/tx/{txId}', '/v1/state/history', '/v1/events', '/v1/members', '/v1/governance/proposals', '/v1/governance/proposals/{id}']) {
    assert.ok(path in openapi.paths, `OpenAPI documents ${path}`);
  }
  const metrics = await (await fetch(`${node.url}/metrics`)).text();
  assert.match(metrics, /^xinlian_chain_height \d+$/m);
  assert.match(metrics, /xinlian_committed_txs_total \d+/);
});

test('one node per home; a busy port is an operating error, not a crash', async () => {
  const second = await runCli(['start', join(chain, 'nodes', 'node0'), '--api-port', '0']);
  assert.equal(second.code, 3);
  assert.match(second.stderr, /UNAVAILABLE: node home .* in use by the running process/);
  const other = join(dir.path, 'foreign', 'nodes', 'node0');
  const port = new URL(node.url).port;
  const busy = await runCli(['start', other, '--api-port', port]);
  assert.equal(busy.code, 3, busy.stderr);
  assert.match(busy.stderr, /EADDRINUSE/);
  const afterwards = await startNodeProcess(other);
  await afterwards.stop();
  assert.equal((await client.status()).chainId, chainId, 'the first node is unaffected');
});

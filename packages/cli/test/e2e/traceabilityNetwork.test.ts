import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseGenesis, verifyProofBundle, type Genesis } from '@xinlian/protocol';
import { nodeSuite } from '@xinlian/crypto-node';
import { ContractCallError, identityFromFiles, XinlianClient, XinlianSession } from '@xinlian/sdk';
import { runCli, startNodeProcess, tempDir, type NodeProcess } from '../helpers/processes.js';

// The traceability contract (contracts/traceability) on a real node of a five-organisation
// consortium: deployed by vote, events recorded by each organisation in EPCIS 2.0 JSON, provenance
// answered with proofs a consumer checks offline, a recall that finds the affected goods.

const ENTRY = fileURLToPath(new URL('../../../../../contracts/traceability/contract.ts', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../../../../contracts/traceability/vectors/examples/', import.meta.url));
const dir = tempDir('trace-net');
const chain = join(dir.path, 'chain');
let node: NodeProcess;
let genesis: Genesis;
const sessions = new Map<string, XinlianSession>();
// org1 farm, org2 factory, org3 lab, org4 distributor, org5 retailer.
const ROLE_OF = { farm: 'org1', factory: 'org2', lab: 'org3', distributor: 'org4', retailer: 'org5' } as const;

const COCOA = 'urn:epc:class:lgtin:4012345.011111.C24A';
const BARS = ['urn:epc:id:sgtin:0614141.107346.1001', 'urn:epc:id:sgtin:0614141.107346.1002'];
const PALLET = 'urn:epc:id:sscc:0012345.0000000001';
const time = (day: number) => ({ eventTime: `2024-07-0${day}T08:00:00.000+02:00`, eventTimeZoneOffset: '+02:00' });
const site = (sgln: string) => ({ readPoint: { id: sgln }, bizLocation: { id: sgln } });

before(async () => {
  const init = await runCli(['init', chain, '--suite', 'gm', '--orgs', '5', '--validators', '1']);
  assert.equal(init.code, 0, init.stderr);
  node = await startNodeProcess(join(chain, 'nodes', 'node0'));
  genesis = parseGenesis(JSON.parse(readFileSync(join(chain, 'genesis.json'), 'utf8')));
  for (let i = 1; i <= 5; i++) {
    for (const role of ['admin', 'client']) {
      sessions.set(`org${i}/${role}`, await XinlianSession.connect(node.url, identityFromFiles(join(chain, 'orgs', `org${i}`, `${role}.key.pem`)), genesis));
    }
  }
});

after(async () => {
  await node?.stop();
  dir.remove();
});

const trace = (who: keyof typeof ROLE_OF) => sessions.get(`${ROLE_OF[who]}/client`)!.contract('traceability');

test('the consortium approves the traceability contract: four of five organisations vote yes', async () => {
  const deployed = await runCli(['contract', 'deploy', ENTRY, '--name', 'traceability', '--key', join(chain, 'orgs', 'org1', 'admin.key.pem'), '--node', node.url, '--json']);
  assert.equal(deployed.code, 0, deployed.stderr);
  const { proposalId, status, codeBytes } = JSON.parse(deployed.stdout) as { proposalId: string; status: string; codeBytes: number };
  assert.equal(status, 'open');
  assert.ok(codeBytes > 20_000, `the schema and validator travel with the contract (${codeBytes} bytes)`);
  const votes = [];
  for (const org of ['org2', 'org3', 'org4']) votes.push(await sessions.get(`${org}/admin`)!.vote(proposalId, true));
  assert.deepEqual(votes.map((v) => v.status), ['open', 'open', 'passed']);
  const info = await new XinlianClient(node.url).contractInfo('traceability');
  assert.deepEqual(info.approvedBy, ['org1', 'org2', 'org3', 'org4']);
});

test('each organisation records its EPCIS events; the official examples validate and are stored', async () => {
  const steps: Array<[keyof typeof ROLE_OF, Record<string, unknown>]> = [
    ['farm', { type: 'ObjectEvent', ...time(1), action: 'ADD', bizStep: 'commissioning', quantityList: [{ epcClass: COCOA, quantity: 500, uom: 'KGM' }], ...site('urn:epc:id:sgln:4012345.00001.0') }],
    ['factory', { type: 'TransformationEvent', ...time(2), inputQuantityList: [{ epcClass: COCOA, quantity: 200, uom: 'KGM' }], outputEPCList: BARS, ...site('urn:epc:id:sgln:0614141.00001.0') }],
    ['lab', { type: 'ObjectEvent', ...time(3), action: 'OBSERVE', bizStep: 'inspecting', epcList: [BARS[0]], ...site('urn:epc:id:sgln:0614142.00001.0') }],
    ['distributor', { type: 'AggregationEvent', ...time(4), action: 'ADD', bizStep: 'packing', parentID: PALLET, childEPCs: BARS, ...site('urn:epc:id:sgln:0012345.00001.0') }],
    ['retailer', { type: 'ObjectEvent', ...time(5), action: 'OBSERVE', bizStep: 'receiving', epcList: [PALLET], ...site('urn:epc:id:sgln:0098765.00001.0') }],
  ];
  for (const [who, event] of steps) {
    const receipt = await trace(who).submit('recordEvents', { events: [event] });
    assert.equal((receipt.result as { recorded: number }).recorded, 1, `${who} recorded its ${event.type}`);
    assert.deepEqual(receipt.events.filter((e) => e.type === 'trace.eventRecorded').map((e) => [e.attributes.type, e.attributes.org]), [[event.type, ROLE_OF[who]]]);
  }
  const example = JSON.parse(readFileSync(join(EXAMPLES, 'Example_9.6.3-AggregationEvent.jsonld'), 'utf8'));
  const stored = await trace('distributor').submit('recordEvents', { document: example });
  assert.ok((stored.result as { recorded: number }).recorded >= 1);
  await assert.rejects(trace('distributor').submit('recordEvents', { document: example }), (e: unknown) => e instanceof ContractCallError && e.reason === 'EVENT_DUPLICATE');
  const broken = { ...steps[2]![1] } as Record<string, unknown>;
  delete broken.eventTime;
  await assert.rejects(trace('lab').submit('recordEvents', { events: [broken] }), (e: unknown) =>
    e instanceof ContractCallError && e.code === 'CONTRACT_REJECTED' && e.reason === 'SCHEMA_INVALID' && /eventTime/.test(e.message));
});

test('a consumer traces a bar to the cocoa lot and checks every event behind the answer offline', async () => {
  // Queries go unsigned (an anonymous consumer); each proof is checked against genesis alone.
  const proven = await trace('retailer').evaluateProven('provenance', { epc: BARS[0] });
  const answer = proven.result as { upstream: { nodes: Array<{ id: string }> }; downstream: { nodes: Array<{ id: string }> }; proofKeys: string[] };
  assert.ok(answer.upstream.nodes.some((n) => n.id === COCOA), 'upstream reaches the cocoa lot');
  assert.ok(answer.downstream.nodes.some((n) => n.id === PALLET), 'downstream reaches the pallet');
  const eventKeys = proven.entries.filter((e) => e.key.startsWith('c/traceability/e/'));
  assert.ok(eventKeys.length >= 4, `the answer rests on the recorded events (${eventKeys.length})`);
  const suite = nodeSuite('gm');
  for (const entry of eventKeys) {
    assert.notEqual(entry.value, null);
    const verified = verifyProofBundle(entry.proof, genesis, suite);
    assert.equal(verified.height, proven.height);
    const record = JSON.parse(new TextDecoder().decode(verified.state!.value!)) as { org: string; event: { type: string } };
    assert.ok(['org1', 'org2', 'org3', 'org4', 'org5'].includes(record.org));
  }
  for (const key of answer.proofKeys) assert.ok(proven.entries.some((e) => e.key === `c/traceability/${key}`), `${key} was read and proven`);
});

test('the farm recalls the cocoa lot: every bar and the pallet are affected; a later move is flagged', async () => {
  await assert.rejects(trace('retailer').submit('recall', { lot: COCOA, reason: 'salmonella' }), (e: unknown) => e instanceof ContractCallError && e.reason === 'RECALL_FORBIDDEN');
  const recall = await trace('farm').submit('recall', { lot: COCOA, reason: 'salmonella found in a retained sample' });
  assert.ok(recall.events.some((e) => e.type === 'trace.recalled'));
  const status = await trace('retailer').evaluate('recallStatus', { id: PALLET }) as { affectedBy: Array<{ recalled: string }> };
  assert.deepEqual(status.affectedBy.map((a) => a.recalled), [COCOA]);
  for (const bar of BARS) {
    const barStatus = await trace('retailer').evaluate('recallStatus', { id: bar }) as { affectedBy: Array<{ recalled: string }> };
    assert.equal(barStatus.affectedBy.length, 1, `${bar} is affected`);
  }
  const moved = await trace('retailer').submit('recordEvents', { events: [{ type: 'ObjectEvent', ...time(6), action: 'OBSERVE', bizStep: 'shipping', epcList: [PALLET], ...site('urn:epc:id:sgln:0098765.00001.0') }] });
  assert.ok(moved.events.some((e) => e.type === 'trace.recalledItemMoved'), 'moving recalled goods is recorded and flagged');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { contractLedger, type ContractLedger, type ContractOutcome } from '@xinlian/contracts/testing';
import { canonicalJson } from '@xinlian/contracts/natives';
import { epcisDocument, IDS, ORGS, supplyChain } from './supplyChainScenario.js';
import { withNodeLimits } from './withNodeLimits.js';

const CONTRACT = new URL('./contract.ts', import.meta.url);

type Walk = { nodes: Array<{ id: string; kind: string; depth: number; via: string | null }>; events: string[]; truncated: boolean };
type Provenance = { id: string; recalls: string[]; upstream: Walk; downstream: Walk; summaries: Record<string, { bizStep?: string; movement: boolean; destinations?: string[][] }>; proofKeys: string[] };

function ok(outcome: ContractOutcome): any {
  assert.ok(outcome.ok, JSON.stringify(outcome));
  return outcome.result;
}

function refused(outcome: ContractOutcome, reason: string, message?: RegExp): void {
  assert.ok(!outcome.ok && outcome.code === 'CONTRACT_REJECTED' && outcome.reason === reason, JSON.stringify(outcome));
  if (message !== undefined) assert.match(outcome.message, message);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const ids = (walk: Walk) => walk.nodes.map((n) => n.id).sort();

/** The scenario recorded step by step, each organisation recording its own events. */
async function recordedChain(): Promise<{ ledger: ContractLedger; hash: Record<string, string> }> {
  const ledger = withNodeLimits(await contractLedger(CONTRACT, { name: 'traceability' }));
  const hash: Record<string, string> = {};
  for (const step of supplyChain()) {
    // Half the steps as documents, half as bare events: both paths are in use.
    const args = step.name.length % 2 === 0 ? { document: epcisDocument([step.event]) } : { events: [step.event] };
    const result = ok(await ledger.call('recordEvents', args, ORGS[step.by]));
    hash[step.name] = result.hashes[0];
  }
  return { ledger, hash };
}

test('each organisation records its events; each is stored under the hash of its canonical JSON with who recorded it, and indexed', async () => {
  const { ledger, hash } = await recordedChain();
  const steps = supplyChain();
  for (const step of steps) assert.equal(hash[step.name], sha256(canonicalJson(step.event)), step.name);
  const makeBars = ledger.get(`e/${hash.makeBars}`) as any;
  assert.deepEqual(makeBars.event, steps.find((s) => s.name === 'makeBars')!.event);
  assert.equal(makeBars.org, 'factory');
  assert.equal(typeof makeBars.height, 'number');
  const entry = ledger.get(`i/${IDS.cocoaLot}|${String(makeBars.height).padStart(10, '0')}/${hash.makeBars}`);
  assert.deepEqual(entry, { e: hash.makeBars, r: ['inQty'], o: 'factory' });
  const recorded = ledger.events.filter((e) => e.type === 'trace.eventRecorded');
  assert.equal(recorded.length, steps.length);
  assert.deepEqual(recorded.find((e) => e.attributes.key === hash.shipPallets)!.attributes, { key: hash.shipPallets, type: 'ObjectEvent', org: 'distributor', ids: '3', action: 'OBSERVE', bizStep: 'shipping' });
  const queried = ok(await ledger.evaluate('event', { key: `e/${hash.sellBar}` }, ORGS.retailer));
  assert.equal(queried.org, 'retailer');
  assert.equal(queried.summary.bizStep, 'retail_selling');
});

test('provenance of a sold bar: upstream its ingredient lots, downstream the pallet it travelled on and that pallet\'s shipments', async () => {
  const { ledger, hash } = await recordedChain();
  const [bar1] = IDS.bars;
  const answer = ok(await ledger.evaluate('provenance', { epc: bar1 }, ORGS.retailer)) as Provenance;
  assert.deepEqual(ids(answer.upstream), [IDS.cocoaLot, IDS.sugarLot, bar1].sort());
  assert.deepEqual(answer.upstream.nodes.find((n) => n.id === IDS.cocoaLot), { id: IDS.cocoaLot, kind: 'class', depth: 1, via: hash.makeBars });
  assert.deepEqual(ids(answer.downstream), [IDS.pallet1, bar1].sort());
  // Every event touching a node of the walk, and nothing else.
  const upstreamEvents = ['commissionRaw', 'shipRaw', 'receiveRaw', 'makeBars', 'candyIn', 'inspect', 'packPallet1', 'unpackPallet1', 'sellBar'];
  assert.deepEqual([...answer.upstream.events].sort(), upstreamEvents.map((n) => hash[n]).sort());
  const downstreamEvents = ['makeBars', 'inspect', 'packPallet1', 'shipPallets', 'receivePallets', 'unpackPallet1', 'sellBar'];
  assert.deepEqual([...answer.downstream.events].sort(), downstreamEvents.map((n) => hash[n]).sort());
  const movements = Object.entries(answer.summaries).filter(([, s]) => s.movement).map(([h]) => h).sort();
  assert.deepEqual(movements, ['shipRaw', 'receiveRaw', 'shipPallets', 'receivePallets', 'sellBar'].map((n) => hash[n]).sort());
  assert.deepEqual(answer.summaries[hash.shipPallets!]!.destinations, [['possessing_party', IDS.retailerParty]]);
  assert.deepEqual([...answer.proofKeys].sort(), [...new Set([...upstreamEvents, ...downstreamEvents])].map((n) => `e/${hash[n]}`).sort());
  for (const key of answer.proofKeys) assert.ok(ledger.get(key) !== undefined, `${key} is a state key a proof can be asked for`);
});

test('provenance follows a transformationID across its events, and a pallet upstream to its contents', async () => {
  const { ledger } = await recordedChain();
  const candy = ok(await ledger.evaluate('provenance', { epc: IDS.candy[0], direction: 'upstream' }, ORGS.retailer)) as Provenance;
  assert.deepEqual(ids(candy.upstream), [IDS.candy[0], IDS.candyRun, IDS.sugarLot].sort());
  assert.equal(candy.downstream, undefined);
  const sugar = ok(await ledger.evaluate('provenance', { epcClass: IDS.sugarLot, direction: 'downstream' }, ORGS.farm)) as Provenance;
  assert.deepEqual(ids(sugar.downstream), [IDS.sugarLot, IDS.barLot, ...IDS.bars, IDS.candyRun, ...IDS.candy, IDS.pallet1, IDS.pallet2].sort());
  const pallet = ok(await ledger.evaluate('provenance', { epc: IDS.pallet2, direction: 'upstream' }, ORGS.retailer)) as Provenance;
  assert.deepEqual(ids(pallet.upstream), [IDS.pallet2, IDS.bars[2], ...IDS.candy, IDS.cocoaLot, IDS.sugarLot, IDS.candyRun].sort());
});

test('provenance is bounded: too many nodes is a typed refusal, a depth limit truncates, an unknown identifier is refused', async () => {
  const { ledger } = await recordedChain();
  refused(await ledger.evaluate('provenance', { epcClass: IDS.sugarLot, nodesMax: 3 }, ORGS.farm), 'PROVENANCE_TOO_LARGE');
  const shallow = ok(await ledger.evaluate('provenance', { epcClass: IDS.sugarLot, direction: 'downstream', depthMax: 1 }, ORGS.farm)) as Provenance;
  assert.deepEqual(ids(shallow.downstream), [IDS.sugarLot, IDS.barLot, ...IDS.bars, IDS.candyRun].sort());
  assert.equal(shallow.downstream.truncated, true);
  refused(await ledger.evaluate('provenance', { epc: 'urn:epc:id:sgtin:0614141.107346.9999' }, ORGS.farm), 'ID_UNKNOWN');
  refused(await ledger.evaluate('provenance', { epc: 'not a uri' }, ORGS.farm), 'ARGS_INVALID');
  refused(await ledger.evaluate('provenance', { epc: IDS.bars[0], epcClass: IDS.barLot }, ORGS.farm), 'ARGS_INVALID');
});

test('recall of the cocoa lot finds every bar made from it, the bar lot and both pallets, and where they went; candy is unaffected', async () => {
  const { ledger, hash } = await recordedChain();
  refused(await ledger.call('recall', { lot: IDS.cocoaLot, reason: 'salmonella' }, ORGS.retailer), 'RECALL_FORBIDDEN');
  // Evaluated, a recall is a preview: the whole answer, and nothing written.
  const preview = ok(await ledger.evaluate('recall', { lot: IDS.cocoaLot, reason: 'salmonella found in retained sample' }, ORGS.farm));
  assert.deepEqual([...preview.affected.epcs].sort(), [...IDS.bars, IDS.pallet1, IDS.pallet2].sort());
  assert.deepEqual(preview.affected.classes, [IDS.barLot]);
  assert.deepEqual(preview.affected.transformations, []);
  assert.deepEqual(Object.keys(preview.movements).sort(), ['shipRaw', 'receiveRaw', 'shipPallets', 'receivePallets', 'sellBar'].map((n) => hash[n]).sort());
  assert.deepEqual(preview.movements[hash.sellBar!].bizLocation, 'urn:epc:id:sgln:0098765.00001.0');
  assert.equal(ok(await ledger.evaluate('recallStatus', { id: IDS.cocoaLot }, ORGS.farm)).recall, null);
  // Submitted, the answer must fit in a tx result (1,024 bytes): here the movements do not.
  const answer = ok(await ledger.call('recall', { lot: IDS.cocoaLot, reason: 'salmonella found in retained sample' }, ORGS.farm));
  assert.deepEqual([answer.affectedCount, answer.events, answer.affected, answer.omitted], [7, preview.events, preview.affected, ['movements']]);
  const downstream = ok(await ledger.evaluate('provenance', { epcClass: IDS.cocoaLot, direction: 'downstream' }, ORGS.farm)) as Provenance;
  assert.deepEqual(ids(downstream.downstream), [IDS.cocoaLot, ...preview.affected.epcs, ...preview.affected.classes].sort(), 'provenance downstream lists what the recall reached');
  for (const candy of IDS.candy) assert.deepEqual(ok(await ledger.evaluate('recallStatus', { id: candy }, ORGS.retailer)).affectedBy, []);
  const bar = ok(await ledger.evaluate('recallStatus', { id: IDS.bars[3] }, ORGS.retailer));
  assert.deepEqual(bar.affectedBy.map((a: { recalled: string; via: string }) => [a.recalled, a.via]), [[IDS.cocoaLot, hash.makeBars]]);
  const lot = ok(await ledger.evaluate('recallStatus', { id: IDS.cocoaLot }, ORGS.retailer));
  assert.equal(lot.recall.org, 'farm');
  assert.equal(lot.recall.affected, 7, 'the four bars, the bar lot and the two pallets');
  assert.deepEqual(ledger.events.filter((e) => e.type === 'trace.recalled').map((e) => e.attributes), [{ id: IDS.cocoaLot, org: 'farm', affected: '7' }]);
  refused(await ledger.call('recall', { lot: IDS.cocoaLot, reason: 'again' }, ORGS.farm), 'RECALL_DUPLICATE');
  refused(await ledger.call('recall', { lot: 'urn:epc:class:lgtin:4012345.011111.NONE', reason: 'x' }, ORGS.farm), 'ID_UNKNOWN');
  const provenance = ok(await ledger.evaluate('provenance', { epc: IDS.bars[0] }, ORGS.retailer)) as Provenance;
  assert.deepEqual(provenance.recalls, [IDS.cocoaLot]);
  assert.ok(provenance.proofKeys.includes(`r/${IDS.cocoaLot}`) && provenance.proofKeys.includes(`a/${IDS.bars[0]}`));
});

test('recall of the sugar lot reaches the candy through its two-event transformation; an organisation admin may recall', async () => {
  const { ledger } = await recordedChain();
  const admin = { org: 'retailer', role: 'admin' };
  const preview = ok(await ledger.evaluate('recall', { lot: IDS.sugarLot, reason: 'foreign bodies' }, admin));
  assert.deepEqual([...preview.affected.epcs].sort(), [...IDS.bars, ...IDS.candy, IDS.pallet1, IDS.pallet2].sort());
  assert.deepEqual(preview.affected.transformations, [IDS.candyRun]);
  const answer = ok(await ledger.call('recall', { lot: IDS.sugarLot, reason: 'foreign bodies' }, admin));
  assert.equal(answer.affectedCount, 10, 'the bars, the candy, both pallets, the bar lot and the candy run');
  assert.deepEqual([answer.affected, answer.omitted], [preview.affected, ['movements']]);
});

test('a submitted recall keeps its lists in the answer only when they fit in a tx result', async () => {
  const { ledger } = await recordedChain();
  const small = ok(await ledger.call('recall', { lot: IDS.bars[3], reason: 'dropped on the floor of the warehouse; '.repeat(25) }, ORGS.factory));
  assert.deepEqual([small.affectedCount, small.affected, small.movements, small.omitted], [0, { epcs: [], classes: [], transformations: [] }, {}, undefined]);
  const flour = 'urn:epc:class:lgtin:4012345.033333.F1';
  const rolls = Array.from({ length: 40 }, (_, i) => `urn:epc:id:sgtin:0614141.301234.${i}`);
  const bake = { type: 'TransformationEvent', inputQuantityList: [{ epcClass: flour, quantity: 5, uom: 'KGM' }], outputEPCList: rolls, eventTime: '2024-07-20T06:00:00Z', eventTimeZoneOffset: '+02:00' };
  ok(await ledger.call('recordEvents', { events: [bake] }, ORGS.factory));
  const large = ok(await ledger.call('recall', { lot: flour, reason: 'mould' }, ORGS.factory));
  assert.deepEqual([large.affectedCount, large.affected, large.omitted], [40, undefined, ['movements', 'affected']]);
});

test('goods of a recalled lot still move and are still recorded, flagged; what is made from them later is marked affected', async () => {
  const { ledger } = await recordedChain();
  ok(await ledger.call('recall', { lot: IDS.cocoaLot, reason: 'salmonella' }, ORGS.farm));
  const giveBack = { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', disposition: 'recalled', epcList: [IDS.pallet2], eventTime: '2024-08-01T09:00:00Z', eventTimeZoneOffset: '+00:00' };
  const returned = ok(await ledger.call('recordEvents', { events: [giveBack] }, ORGS.retailer));
  assert.equal(returned.recalledItemsMoved, 1);
  const flagged = ledger.events.filter((e) => e.type === 'trace.recalledItemMoved');
  assert.deepEqual(flagged.map((e) => e.attributes), [{ key: returned.hashes[0], type: 'ObjectEvent', id: IDS.pallet2, recalled: IDS.cocoaLot, recalls: '1', ids: '1' }]);
  const newLot = 'urn:epc:class:lgtin:0614141.107346.B2408';
  const reuse = { type: 'TransformationEvent', inputQuantityList: [{ epcClass: IDS.cocoaLot, quantity: 300, uom: 'KGM' }], outputQuantityList: [{ epcClass: newLot, quantity: 900 }], eventTime: '2024-08-02T09:00:00Z', eventTimeZoneOffset: '+00:00' };
  const made = ok(await ledger.call('recordEvents', { events: [reuse] }, ORGS.factory));
  const status = ok(await ledger.evaluate('recallStatus', { id: newLot }, ORGS.factory));
  assert.deepEqual(status.affectedBy.map((a: { recalled: string; via: string }) => [a.recalled, a.via]), [[IDS.cocoaLot, made.hashes[0]]]);
  const unrelated = { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', epcList: [IDS.candy[0]], eventTime: '2024-08-03T09:00:00Z', eventTimeZoneOffset: '+00:00' };
  assert.equal(ok(await ledger.call('recordEvents', { events: [unrelated] }, ORGS.retailer)).recalledItemsMoved, 0);
});

test('a TransactionEvent ties goods to a purchase order: found by the order, listed in the goods\' walks, linking nothing', async () => {
  const { ledger, hash } = await recordedChain();
  const order = 'urn:epcglobal:cbv:bt:0098765000004:PO-2407';
  const ordered = {
    type: 'TransactionEvent', action: 'ADD', bizStep: 'shipping', eventTime: '2024-07-09T08:30:00.000+02:00', eventTimeZoneOffset: '+02:00',
    bizTransactionList: [{ type: 'po', bizTransaction: order }], parentID: IDS.pallet1, epcList: [IDS.bars[2]], quantityList: [{ epcClass: IDS.barLot, quantity: 1 }],
  };
  const recorded = ok(await ledger.call('recordEvents', { document: epcisDocument([ordered]) }, ORGS.distributor));
  const key = recorded.hashes[0] as string;
  assert.equal(key, sha256(canonicalJson(ordered)));
  assert.deepEqual(ledger.events.filter((e) => e.type === 'trace.eventRecorded').at(-1)!.attributes, { key, type: 'TransactionEvent', org: 'distributor', ids: '4', action: 'ADD', bizStep: 'shipping' });
  const height = String((ledger.get(`e/${key}`) as { height: number }).height).padStart(10, '0');
  assert.deepEqual(ledger.get(`i/${order}|${height}/${key}`), { e: key, r: ['bizTx'], o: 'distributor' });
  const byOrder = ok(await ledger.evaluate('provenance', { bizTransaction: order }, ORGS.retailer)) as Provenance;
  assert.deepEqual([byOrder.upstream.nodes, byOrder.downstream.events, byOrder.summaries[key]!.movement], [[{ id: order, kind: 'bizTransaction', depth: 0, via: null }], [key], true]);
  // Any event that names a business transaction is found by it: the shipment names its despatch advice.
  const byAdvice = ok(await ledger.evaluate('provenance', { bizTransaction: 'urn:epcglobal:cbv:bt:0012345000017:D4711' }, ORGS.retailer)) as Provenance;
  assert.deepEqual(byAdvice.downstream.events, [hash.shipPallets]);
  // Named through epcList, quantityList and parentID, and listed in their walks, but no edge: bar 3
  // was packed on pallet 2, and this event does not put it on pallet 1.
  const bar = ok(await ledger.evaluate('provenance', { epc: IDS.bars[2] }, ORGS.retailer)) as Provenance;
  assert.deepEqual(ids(bar.downstream), [IDS.bars[2], IDS.pallet2].sort());
  assert.deepEqual(bar.downstream.nodes.find((n) => n.id === IDS.pallet2)!.via, hash.packPallet2);
  assert.deepEqual(ids(bar.upstream), [IDS.bars[2], IDS.cocoaLot, IDS.sugarLot].sort());
  assert.ok(bar.downstream.events.includes(key) && bar.upstream.events.includes(key) && bar.proofKeys.includes(`e/${key}`));
  const pallet = ok(await ledger.evaluate('provenance', { epc: IDS.pallet1, direction: 'upstream' }, ORGS.retailer)) as Provenance;
  assert.deepEqual(ids(pallet.upstream), [IDS.pallet1, IDS.bars[0], IDS.bars[1], IDS.cocoaLot, IDS.sugarLot].sort());
  assert.ok(pallet.upstream.events.includes(key));
  const lot = ok(await ledger.evaluate('provenance', { epcClass: IDS.barLot }, ORGS.retailer)) as Provenance;
  assert.deepEqual([ids(lot.downstream), lot.downstream.events.includes(key)], [[IDS.barLot], true]);
  // A recall reaches no further for it; the order itself is not affected, and a later order of
  // recalled goods is flagged like any other move.
  const recall = ok(await ledger.call('recall', { lot: IDS.cocoaLot, reason: 'salmonella' }, ORGS.farm));
  assert.equal(recall.affectedCount, 7);
  assert.deepEqual(ok(await ledger.evaluate('recallStatus', { id: order }, ORGS.retailer)), { id: order, recall: null, affectedBy: [] });
  const cancelled = { ...ordered, action: 'DELETE', eventTime: '2024-08-01T08:30:00.000+02:00' };
  const flagged = ok(await ledger.call('recordEvents', { events: [cancelled] }, ORGS.distributor));
  assert.equal(flagged.recalledItemsMoved, 1);
  assert.deepEqual(ledger.events.filter((e) => e.type === 'trace.recalledItemMoved').at(-1)!.attributes, { key: flagged.hashes[0], type: 'TransactionEvent', id: IDS.bars[2], recalled: IDS.cocoaLot, recalls: '1', ids: '3' });
  assert.deepEqual(ok(await ledger.evaluate('recallStatus', { id: order }, ORGS.retailer)).affectedBy, []);
  // The most a call records, each event flagged: 60 tx events, within the node's 63 (withNodeLimits checks).
  const orders = Array.from({ length: 30 }, (_, i) => ({ ...ordered, bizTransactionList: [{ type: 'po', bizTransaction: `${order}-${i}` }] }));
  const many = await ledger.call('recordEvents', { events: orders }, ORGS.distributor);
  assert.deepEqual([ok(many), many.ok && many.events.length], [{ recorded: 30, recalledItemsMoved: 30 }, 60]);
});

test('on a gm chain an event is keyed by the SM3 hash of its canonical JSON', async () => {
  const ledger = withNodeLimits(await contractLedger(CONTRACT, { name: 'traceability', suite: 'gm' }));
  const [first] = supplyChain();
  const result = ok(await ledger.call('recordEvents', { events: [first!.event] }, ORGS.farm));
  assert.equal(result.hashes[0], createHash('sm3').update(canonicalJson(first!.event)).digest('hex'));
});

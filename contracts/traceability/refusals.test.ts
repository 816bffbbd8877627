import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { contractLedger, type ContractLedger, type ContractOutcome } from '@xinlian/contracts/testing';
import { canonicalJson } from '@xinlian/contracts/natives';
import { epcisDocument, IDS } from './supplyChainScenario.js';
import { withNodeLimits } from './withNodeLimits.js';

const factory = { org: 'factory', role: 'client' };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function observe(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'inspecting', epcList: [IDS.bars[0]], eventTime: '2024-07-10T10:00:00.000Z', eventTimeZoneOffset: '+00:00', ...fields };
}

function ledger(): Promise<ContractLedger> {
  return contractLedger(new URL('./contract.ts', import.meta.url), { name: 'traceability' }).then(withNodeLimits);
}

/** Refused with the contract's own code, the message naming `path`, and nothing written. */
function refused(outcome: ContractOutcome, reason: string, path?: string): void {
  assert.ok(!outcome.ok && outcome.code === 'CONTRACT_REJECTED' && outcome.reason === reason, JSON.stringify(outcome));
  if (path !== undefined) assert.ok(outcome.message.includes(`${path}:`), `"${outcome.message}" names ${path}`);
  assert.ok(!('writes' in outcome));
}

test('schema-invalid events are refused with SCHEMA_INVALID naming the failing value, and nothing is written', async () => {
  const l = await ledger();
  const withoutTime = observe();
  delete withoutTime.eventTime;
  refused(await l.call('recordEvents', { document: epcisDocument([observe({ eventTime: '2024-07-11T10:00:00Z' }), withoutTime]) }, factory), 'SCHEMA_INVALID', '/document/epcisBody/eventList/1/eventTime');
  assert.equal(l.get(`e/${sha256(canonicalJson(observe({ eventTime: '2024-07-11T10:00:00Z' })))}`), undefined, 'the valid event of the refused document is not recorded');
  const cases: Array<[Record<string, unknown>, string]> = [
    [observe({ action: 'SHIP' }), '/events/0/action'],
    [observe({ epcList: IDS.bars[0] }), '/events/0/epcList'],
    [observe({ epcList: ['not a uri'] }), '/events/0/epcList/0'],
    [observe({ bizStep: 'shiping' }), '/events/0/bizStep'],
    [observe({ eventTime: '2023-02-29T10:00:00Z' }), '/events/0/eventTime'],
    [observe({ eventTimeZoneOffset: '+15:00' }), '/events/0/eventTimeZoneOffset'],
    [observe({ myField: 'an extension without a namespace' }), '/events/0/myField'],
    [observe({ quantityList: [{ epcClass: IDS.barLot, quantity: '4' }] }), '/events/0/quantityList/0/quantity'],
    [observe({ sourceList: [{ type: 'owning_party' }] }), '/events/0/sourceList/0/source'],
    [observe({ epcList: [IDS.bars[0], IDS.bars[0]] }), '/events/0/epcList'],
  ];
  for (const [event, path] of cases) refused(await l.call('recordEvents', { events: [event] }, factory), 'SCHEMA_INVALID', path);
  const noChildren = { type: 'AggregationEvent', action: 'ADD', parentID: IDS.pallet1, eventTime: '2024-07-10T10:00:00Z', eventTimeZoneOffset: '+00:00' };
  refused(await l.call('recordEvents', { events: [observe(), noChildren] }, factory), 'SCHEMA_INVALID', '/events/1');
  assert.deepEqual(l.events, [], 'no event was ever emitted');
});

test('arguments that are not one document or a list of events are refused with ARGS_INVALID; extension event types with EVENT_TYPE_UNSUPPORTED', async () => {
  const l = await ledger();
  refused(await l.call('recordEvents', { events: [] }, factory), 'ARGS_INVALID');
  refused(await l.call('recordEvents', {}, factory), 'ARGS_INVALID');
  refused(await l.call('recordEvents', { events: [observe()], document: epcisDocument([observe()]) }, factory), 'ARGS_INVALID');
  refused(await l.call('recordEvents', { document: observe() }, factory), 'ARGS_INVALID');
  refused(await l.call('recordEvents', [observe()], factory), 'ARGS_INVALID');
  refused(await l.call('recordEvents', { events: [observe({ 'https://example.com/voc/note': 'lone \ud800 surrogate' })] }, factory), 'ARGS_INVALID', '/events/0');
  const extension = { type: 'https://example.com/voc/TemperatureEvent', eventTime: '2024-07-10T10:00:00Z', eventTimeZoneOffset: '+00:00' };
  refused(await l.call('recordEvents', { events: [extension] }, factory), 'EVENT_TYPE_UNSUPPORTED', '/events/0');
  // A valid TransactionEvent before it does not save the call: all or nothing.
  const transaction = { type: 'TransactionEvent', action: 'ADD', bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:0614141000005:PO-1' }], epcList: [IDS.bars[0]], eventTime: '2024-07-10T10:00:00Z', eventTimeZoneOffset: '+00:00' };
  refused(await l.call('recordEvents', { document: epcisDocument([transaction, extension]) }, factory), 'EVENT_TYPE_UNSUPPORTED', '/document/epcisBody/eventList/1');
  assert.equal(l.get(`e/${sha256(canonicalJson(transaction))}`), undefined);
});

test('an event is recorded once: the same event again, with its keys in another order or within one call, is EVENT_DUPLICATE and the call writes nothing', async () => {
  const l = await ledger();
  const first = await l.call('recordEvents', { events: [observe()] }, factory);
  assert.ok(first.ok, JSON.stringify(first));
  const reordered = Object.fromEntries(Object.entries(observe()).reverse());
  const fresh = observe({ eventTime: '2024-07-12T10:00:00Z' });
  refused(await l.call('recordEvents', { events: [fresh, reordered] }, factory), 'EVENT_DUPLICATE', '/events/1');
  assert.equal(l.get(`e/${sha256(canonicalJson(fresh))}`), undefined);
  refused(await l.call('recordEvents', { document: epcisDocument([fresh, fresh]) }, factory), 'EVENT_DUPLICATE', '/document/epcisBody/eventList/1');
  refused(await l.call('recordEvents', { events: [observe()] }, { org: 'someone-else', role: 'admin' }), 'EVENT_DUPLICATE');
});

test('bounds: more than 30 events, more than 1,000 writes, an identifier too long to index, or an event too big to store are typed refusals', async () => {
  const l = await ledger();
  const thirty = Array.from({ length: 30 }, (_, i) => observe({ eventTime: `2024-07-11T10:00:${String(i).padStart(2, '0')}Z` }));
  const recorded = await l.call('recordEvents', { events: thirty }, factory);
  assert.ok(recorded.ok, JSON.stringify(recorded));
  assert.deepEqual(recorded.result, { recorded: 30, recalledItemsMoved: 0 }, 'the hashes do not fit in a tx result: the events carry them');
  assert.equal(l.events.filter((e) => e.type === 'trace.eventRecorded').length, 30);
  const many = Array.from({ length: 31 }, (_, i) => observe({ eventTime: `2024-07-10T10:00:${String(i % 60).padStart(2, '0')}.${i}Z` }));
  refused(await l.call('recordEvents', { events: many }, factory), 'BATCH_TOO_LARGE');
  const epcs = Array.from({ length: 1000 }, (_, i) => `urn:epc:id:sgtin:0614141.107346.${i}`);
  refused(await l.call('recordEvents', { events: [observe({ epcList: epcs })] }, factory), 'BATCH_TOO_LARGE');
  refused(await l.call('recordEvents', { events: [observe({ epcList: [`urn:epc:id:giai:0614141.${'7'.repeat(500)}`] })] }, factory), 'IDENTIFIER_TOO_LONG', '/events/0');
  const huge = observe({ 'https://example.com/voc/note': 'x'.repeat(65_000) });
  refused(await l.call('recordEvents', { events: [huge] }, factory), 'EVENT_TOO_LARGE', '/events/0');
});

test('queries refuse what is not there, and bad arguments', async () => {
  const l = await ledger();
  const refusedEvaluate = async (op: string, args: unknown, reason: string) => refused(await l.evaluate(op, args, factory), reason);
  await refusedEvaluate('event', { key: 'e/' + '0'.repeat(64) }, 'EVENT_NOT_FOUND');
  await refusedEvaluate('event', { key: 'nope' }, 'ARGS_INVALID');
  await refusedEvaluate('recallStatus', { id: 42 }, 'ARGS_INVALID');
  await refusedEvaluate('provenance', { epc: IDS.bars[0], direction: 'sideways' }, 'ARGS_INVALID');
  await refusedEvaluate('provenance', { epc: IDS.bars[0], nodesMax: 100_000 }, 'ARGS_INVALID');
  refused(await l.call('recall', { lot: IDS.cocoaLot }, factory), 'ARGS_INVALID');
  const status = await l.evaluate('recallStatus', { id: IDS.cocoaLot }, factory);
  assert.ok(status.ok);
  assert.deepEqual(status.result, { id: IDS.cocoaLot, recall: null, affectedBy: [] });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { contractLedger } from '@xinlian/contracts/testing';
import { canonicalJson } from '@xinlian/contracts/natives';
import { withNodeLimits } from './withNodeLimits.js';

// The official examples of the EPCIS 2.0 standard (vectors/examples, copied from the shared test vectors).
const EXAMPLES = new URL('./vectors/examples/', import.meta.url);
const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.jsonld')).sort();
const read = (file: string) => JSON.parse(readFileSync(new URL(file, EXAMPLES), 'utf8'));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const org = { org: 'gs1', role: 'client' };

function eventsOf(document: any): any[] {
  return document.epcisBody.eventList ?? document.epcisBody.queryResults.resultsBody.eventList;
}

test('every official example document is recorded, except events already recorded from another example', async () => {
  assert.ok(files.length >= 15, `examples found: ${files.join(', ')}`);
  const ledger = withNodeLimits(await contractLedger(new URL('./contract.ts', import.meta.url), { name: 'traceability' }));
  const seen = new Set<string>();
  const outcomes: Record<string, string> = {};
  for (const file of files) {
    const document = read(file);
    const outcome = await ledger.call('recordEvents', { document }, org);
    const hashes = eventsOf(document).map((e) => sha256(canonicalJson(e)));
    if (!outcome.ok) {
      assert.equal(outcome.code, 'CONTRACT_REJECTED', JSON.stringify(outcome));
      outcomes[file] = outcome.reason!;
      continue;
    }
    outcomes[file] = 'recorded';
    assert.deepEqual(outcome.result, { recorded: hashes.length, recalledItemsMoved: 0, hashes }, file);
    for (const [i, event] of eventsOf(document).entries()) {
      // Stored unchanged, with the document's @context that gives its extension terms their meaning.
      const stored = ledger.get(`e/${hashes[i]}`) as { event: unknown; context: unknown; org: string };
      assert.deepEqual(stored.event, event, `${file} event ${i}`);
      assert.deepEqual(stored.context, document['@context']);
      assert.equal(stored.org, 'gs1');
      seen.add(hashes[i]!);
    }
  }
  const refusedFiles = Object.entries(outcomes).filter(([, o]) => o !== 'recorded');
  // EPCISQueryDocument.jsonld sorts first and holds the same two events as Example_9.6.1-ObjectEvent.jsonld.
  assert.deepEqual(refusedFiles, [['Example_9.6.1-ObjectEvent.jsonld', 'EVENT_DUPLICATE']]);
  assert.equal(seen.size, 18, '20 events, less 2 already recorded');
});

test('the example TransactionEvents are recorded and found by each identifier they name, their business transactions included', async () => {
  const ledger = withNodeLimits(await contractLedger(new URL('./contract.ts', import.meta.url), { name: 'traceability' }));
  const document = read('Example-TransactionEvents-2020_07_03y.jsonld');
  const events = eventsOf(document);
  const outcome = await ledger.call('recordEvents', { document }, org);
  assert.ok(outcome.ok, JSON.stringify(outcome));
  assert.equal((outcome.result as { recorded: number }).recorded, 2);
  const hashes = events.map((e) => sha256(canonicalJson(e)));
  assert.deepEqual(outcome.events.filter((e) => e.type === 'trace.eventRecorded').map((e) => [e.attributes.key, e.attributes.type, e.attributes.ids]), hashes.map((h) => [h, 'TransactionEvent', '2']));
  for (const [i, event] of events.entries()) {
    const named: Array<[string, string, string]> = [
      ...event.epcList.map((epc: string) => ['epc', epc, 'epc']),
      ...event.bizTransactionList.map((b: { bizTransaction: string }) => ['bizTransaction', b.bizTransaction, 'bizTransaction']),
    ];
    for (const [arg, id, kind] of named) {
      const found = await ledger.evaluate('provenance', { [arg]: id }, org);
      assert.ok(found.ok, JSON.stringify(found));
      const answer = found.result as any;
      assert.equal(answer.kind, kind, id);
      // Named, never linked: each walk is the identifier alone, with the event that names it.
      for (const way of ['upstream', 'downstream']) assert.deepEqual([answer[way].nodes.map((n: { id: string }) => n.id), answer[way].events], [[id], [hashes[i]]], `${way} of ${id}`);
      assert.equal(answer.summaries[hashes[i]!].type, 'TransactionEvent');
      assert.deepEqual(answer.proofKeys, [`e/${hashes[i]}`]);
      const status = await ledger.evaluate('recallStatus', { id }, org);
      assert.ok(status.ok, JSON.stringify(status));
      assert.deepEqual(status.result, { id, recall: null, affectedBy: [] });
    }
  }
  // The rail passage is a movement: transporting, from one station to another.
  const queried = await ledger.evaluate('event', { key: hashes[1] }, org);
  assert.ok(queried.ok, JSON.stringify(queried));
  const passage = queried.result as any;
  assert.deepEqual([passage.summary.movement, passage.summary.sources, passage.summary.destinations], [true, [['location', 'urn:epc:id:sgln:952005385.481.0']], [['location', 'urn:epc:id:sgln:952005385.011.0']]]);
});

test('an example transformation is queried back both ways: its input lots lead to its outputs', async () => {
  const ledger = withNodeLimits(await contractLedger(new URL('./contract.ts', import.meta.url), { name: 'traceability' }));
  const document = read('Example_9.6.4-TransformationEvent.jsonld');
  const event = eventsOf(document)[0];
  await ledger.call('recordEvents', { document }, org);
  const down = await ledger.evaluate('provenance', { epcClass: 'urn:epc:class:lgtin:4012345.011111.4444', direction: 'downstream' }, org);
  assert.ok(down.ok, JSON.stringify(down));
  const ids = (down.result as any).downstream.nodes.map((n: { id: string }) => n.id);
  assert.deepEqual(ids, ['urn:epc:class:lgtin:4012345.011111.4444', ...event.outputEPCList]);
  const up = await ledger.evaluate('provenance', { epc: event.outputEPCList[0], direction: 'upstream' }, org);
  assert.ok(up.ok, JSON.stringify(up));
  const inputs = [...event.inputEPCList, ...event.inputQuantityList.map((q: { epcClass: string }) => q.epcClass)];
  assert.deepEqual((up.result as any).upstream.nodes.map((n: { id: string }) => n.id), [event.outputEPCList[0], ...inputs]);
});

test('an example aggregation: the children lead downstream to the parent, the parent upstream to the children', async () => {
  const ledger = withNodeLimits(await contractLedger(new URL('./contract.ts', import.meta.url), { name: 'traceability' }));
  const document = read('Example_9.6.3-AggregationEvent.jsonld');
  const event = eventsOf(document)[0];
  await ledger.call('recordEvents', { document }, org);
  const up = await ledger.evaluate('provenance', { epc: event.parentID, direction: 'upstream' }, org);
  assert.ok(up.ok, JSON.stringify(up));
  const children = [...event.childEPCs, ...event.childQuantityList.map((q: { epcClass: string }) => q.epcClass)];
  assert.deepEqual((up.result as any).upstream.nodes.map((n: { id: string }) => n.id), [event.parentID, ...children]);
  const down = await ledger.evaluate('provenance', { epc: event.childEPCs[0], direction: 'downstream' }, org);
  assert.ok(down.ok, JSON.stringify(down));
  assert.deepEqual((down.result as any).downstream.nodes.map((n: { id: string }) => n.id), [event.childEPCs[0], event.parentID]);
});

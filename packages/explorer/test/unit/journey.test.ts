import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  journeyEventHashes, journeySteps, stepCheckText, stepPlace, summaryFromRecord, summaryMismatch, traceProofRequests,
  type EventSummaryView, type ProvenanceView, type StepCheck,
} from '../../src/journey.js';

const summary = (eventTime: string, height: number, extra: Partial<EventSummaryView> = {}): EventSummaryView => ({ type: 'ObjectEvent', eventTime, org: 'org1', height, ...extra });

test('steps follow event time with its offset, then block height, then hash; unparseable times last', () => {
  const steps = journeySteps({
    d: summary('not a time', 1),
    c: summary('2026-03-01T09:00:00+08:00', 5), // 01:00Z
    b: summary('2026-03-01T02:00:00Z', 3),
    a: summary('2026-03-01T01:00:00Z', 7),
    e: summary('2026-03-01T01:00:00Z', 7),
    f: summary('2026-02-28T23:00:00-05:00', 2), // 04:00Z on 1 March
  }, new Map());
  assert.deepEqual(steps.map((s) => s.hash), ['c', 'a', 'e', 'b', 'f', 'd']);
  assert.ok(steps.every((s) => s.check.state === 'checking'));
});

test('each step carries its check, in words', () => {
  const checks = new Map<string, StepCheck>([['a', { state: 'verified' }], ['b', { state: 'failed', reason: 'state proof does not show this value' }]]);
  const steps = journeySteps({ a: summary('2026-01-01T00:00:00Z', 1), b: summary('2026-01-02T00:00:00Z', 2) }, checks);
  assert.deepEqual(steps.map((s) => stepCheckText(s.check)), ['verified', 'not verified: state proof does not show this value']);
  assert.equal(stepCheckText({ state: 'checking' }), 'checking…');
  assert.equal(stepPlace(summary('x', 1, { readPoint: 'rp', bizLocation: 'bl' })), 'bl');
  assert.equal(stepPlace(summary('x', 1, { readPoint: 'rp' })), 'rp');
});

const answer: ProvenanceView = {
  id: 'urn:epc:id:sscc:1', kind: 'epc', recalls: ['urn:epc:class:lgtin:LOT'],
  upstream: { nodes: [], events: ['e1', 'e2'], truncated: false },
  downstream: { nodes: [], events: ['e2', 'e3'], truncated: false },
  proofKeys: ['e/e1', 'e/e2', 'e/e3', 'r/urn:epc:class:lgtin:LOT', 'a/urn:epc:id:sscc:1'],
};

test('the events of both walks, once each', () => {
  assert.deepEqual(journeyEventHashes(answer), ['e1', 'e2', 'e3']);
  assert.deepEqual(journeyEventHashes({ ...answer, upstream: undefined }), ['e2', 'e3']);
});

test('every entry behind a trace is proven once, at the height of the query that read it', () => {
  const requests = traceProofRequests('traceability',
    { height: 10, reads: ['c/traceability/i/urn:epc:id:sscc:1|0000000008/e1', 'c/traceability/e/e1'], result: answer },
    { height: 11, reads: ['c/traceability/a/urn:epc:id:sscc:1', 'c/traceability/r/urn:epc:id:sscc:1'], recalled: ['urn:epc:class:lgtin:LOT'] });
  assert.deepEqual(requests, [
    { key: 'c/traceability/i/urn:epc:id:sscc:1|0000000008/e1', height: 10 },
    { key: 'c/traceability/e/e1', height: 10 },
    { key: 'c/traceability/e/e2', height: 10 },
    { key: 'c/traceability/e/e3', height: 10 },
    { key: 'c/traceability/r/urn:epc:class:lgtin:LOT', height: 10 },
    { key: 'c/traceability/a/urn:epc:id:sscc:1', height: 10 },
    { key: 'c/traceability/r/urn:epc:id:sscc:1', height: 11 },
  ]);
});

test('the node’s summary must agree with the proven record', () => {
  const record = { event: { type: 'ObjectEvent', eventTime: '2026-01-01T00:00:00Z', bizStep: 'urn:epcglobal:cbv:bizstep:shipping', readPoint: { id: 'urn:epc:id:sgln:1.1.0' } }, org: 'org1', height: 4, txId: '00' };
  const matching = summary('2026-01-01T00:00:00Z', 4);
  assert.equal(summaryMismatch(matching, record), undefined);
  assert.match(summaryMismatch({ ...matching, org: 'org2' }, record) ?? '', /recorded by org1, the node said org2/);
  assert.match(summaryMismatch({ ...matching, height: 5 }, record) ?? '', /block 4/);
  assert.match(summaryMismatch({ ...matching, type: 'AggregationEvent' }, record) ?? '', /ObjectEvent/);
  assert.match(summaryMismatch({ ...matching, eventTime: '2027-01-01T00:00:00Z' }, record) ?? '', /event time/);
  assert.deepEqual(summaryFromRecord(record), { type: 'ObjectEvent', eventTime: '2026-01-01T00:00:00Z', org: 'org1', height: 4, bizStep: 'shipping', readPoint: 'urn:epc:id:sgln:1.1.0' });
});

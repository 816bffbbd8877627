import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContractApi, Json, RangeQuery } from '@xinlian/contracts/api';
import { indexKey, eventKey } from './stateKeys.js';
import { ledgerTraceStore } from './traceStore.js';

/** The reads of ContractApi over a map, with the host's range semantics (at most 1,000 a scan). */
function memoryApi(state: Map<string, Json>): ContractApi & { scans: number } {
  const api = {
    scans: 0,
    get: (key: string) => state.get(key),
    range(query: RangeQuery = {}) {
      api.scans++;
      const prefix = query.prefix ?? '';
      const limit = query.limit ?? 1000;
      assert.ok(limit >= 1 && limit <= 1000);
      return [...state.keys()].filter((k) => k.startsWith(prefix) && (query.start === undefined || k >= query.start)).sort()
        .slice(0, limit).map((key) => ({ key, value: state.get(key)! }));
    },
  };
  return api as unknown as ContractApi & { scans: number };
}

test('an identifier\'s index is read in pages of 1,000, in block order, once per query, and never mixed with a longer identifier', () => {
  const state = new Map<string, Json>();
  for (let i = 0; i < 2500; i++) state.set(indexKey('urn:x:1', 100 + i, `h${i}`), { e: `h${i}`, r: ['epc'], o: 'org1' });
  state.set(indexKey('urn:x:10', 5, 'other'), { e: 'other', r: ['epc'], o: 'org1' });
  const api = memoryApi(state);
  const store = ledgerTraceStore(api, 10_000);
  const touches = store.touches('urn:x:1');
  assert.equal(touches.length, 2500);
  assert.deepEqual(touches.slice(0, 2).map((t) => t.event), ['h0', 'h1']);
  assert.equal(touches[2499]!.event, 'h2499');
  assert.equal(api.scans, 3);
  store.touches('urn:x:1');
  assert.equal(api.scans, 3, 'read once per query');
  assert.deepEqual(store.touches('urn:x:10').map((t) => t.event), ['other']);
});

test('a query reads a bounded number of index entries; a missing event is EVENT_NOT_FOUND', () => {
  const state = new Map<string, Json>();
  for (let i = 0; i < 1500; i++) state.set(indexKey('urn:x:1', i, `h${i}`), { e: `h${i}`, r: ['epc'], o: 'org1' });
  const store = ledgerTraceStore(memoryApi(state), 1200);
  assert.throws(() => store.touches('urn:x:1'), (e: Error & { code?: string }) => e.code === 'PROVENANCE_TOO_LARGE');
  const events = ledgerTraceStore(memoryApi(new Map([[eventKey('ab'), { event: { type: 'ObjectEvent', epcList: ['urn:x:1'] }, org: 'o', height: 1, timeMs: 0, txId: 't' }]])), 10);
  assert.deepEqual(events.links('ab').touches, [['urn:x:1', ['epc']]]);
  assert.throws(() => events.links('cd'), (e: Error & { code?: string }) => e.code === 'EVENT_NOT_FOUND');
});

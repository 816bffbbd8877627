import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventLinks, type EpcisEvent, type EventLinks, type Role } from './epcisEvent.js';
import { walkGraph, type TraceStore } from './walkGraph.js';

/** The walk against events in memory: what the ledger's index holds, without a ledger. */
function memoryStore(events: Record<string, EpcisEvent>): TraceStore & { loaded: string[] } {
  const touches = new Map<string, Array<{ event: string; roles: Role[] }>>();
  const links = new Map<string, EventLinks>();
  for (const [name, event] of Object.entries(events)) {
    const l = eventLinks(event);
    links.set(name, l);
    for (const [id, roles] of l.touches) touches.set(id, [...(touches.get(id) ?? []), { event: name, roles }]);
  }
  const loaded: string[] = [];
  return {
    loaded,
    touches: (id) => touches.get(id) ?? [],
    links: (name) => {
      loaded.push(name);
      return links.get(name)!;
    },
  };
}

const transform = (inputs: string[], outputs: string[], extra: EpcisEvent = {}): EpcisEvent => ({ type: 'TransformationEvent', inputEPCList: inputs, outputEPCList: outputs, ...extra });
const pack = (parent: string, children: string[]): EpcisEvent => ({ type: 'AggregationEvent', action: 'ADD', parentID: parent, childEPCs: children });
const observe = (epcs: string[]): EpcisEvent => ({ type: 'ObjectEvent', action: 'OBSERVE', epcList: epcs });
const limits = { nodesMax: 100, depthMax: 64 };

test('eventLinks: each identifier once with all its roles; classes from quantity lists; the edges of each event type', () => {
  const l = eventLinks({ type: 'TransformationEvent', inputEPCList: ['a'], inputQuantityList: [{ epcClass: 'lot:1', quantity: 2 }], outputEPCList: ['b', 'a'], transformationID: 'x' });
  assert.deepEqual(l.touches, [['a', ['in', 'out']], ['lot:1', ['inQty']], ['b', ['out']], ['x', ['xf']]]);
  assert.deepEqual(l.inputs, [['a', 'epc'], ['lot:1', 'class']]);
  assert.deepEqual(l.outputs, [['b', 'epc'], ['a', 'epc']]);
  assert.equal(l.transformationID, 'x');
  const p = eventLinks({ type: 'AggregationEvent', parentID: 'p', childEPCs: ['c'], childQuantityList: [{ epcClass: 'k' }] });
  assert.deepEqual([p.parent, p.children], ['p', [['c', 'epc'], ['k', 'class']]]);
});

test('walks follow transformations and containment in their direction; ObjectEvents are listed but never loaded', () => {
  const store = memoryStore({ t1: transform(['flour', 'salt'], ['dough']), t2: transform(['dough'], ['bread']), p1: pack('crate', ['bread']), o1: observe(['bread']), o2: observe(['crate']) });
  const down = walkGraph(store, { id: 'flour', kind: 'epc' }, 'downstream', limits);
  assert.deepEqual(down.nodes.map((n) => [n.id, n.depth, n.via]), [['flour', 0, null], ['dough', 1, 't1'], ['bread', 2, 't2'], ['crate', 3, 'p1']]);
  assert.deepEqual(down.events, ['t1', 't2', 'p1', 'o1', 'o2']);
  assert.ok(!store.loaded.includes('o1') && !store.loaded.includes('o2'));
  const up = walkGraph(store, { id: 'crate', kind: 'epc' }, 'upstream', limits);
  assert.deepEqual(up.nodes.map((n) => n.id), ['crate', 'bread', 'dough', 'flour', 'salt']);
});

test('a TransactionEvent names its business transactions, its objects and their container, and links none of them', () => {
  const order: EpcisEvent = { type: 'TransactionEvent', action: 'ADD', bizTransactionList: [{ type: 'po', bizTransaction: 'po:1' }, { bizTransaction: 'inv:7' }], parentID: 'crate', epcList: ['bread'], quantityList: [{ epcClass: 'lot:1' }] };
  const l = eventLinks(order);
  assert.deepEqual(l.touches, [['bread', ['epc']], ['lot:1', ['qty']], ['crate', ['parent']], ['po:1', ['bizTx']], ['inv:7', ['bizTx']]]);
  // Any event type that names business transactions is found by them (a shipment's despatch advice).
  assert.deepEqual(eventLinks({ ...order, type: 'ObjectEvent' }).touches.map(([id]) => id), ['bread', 'lot:1', 'crate', 'po:1', 'inv:7']);
  const store = memoryStore({ t1: transform(['flour'], ['bread']), tx: order });
  for (const [id, kind] of [['bread', 'epc'], ['po:1', 'bizTransaction'], ['lot:1', 'class'], ['crate', 'epc']] as const) {
    for (const direction of ['upstream', 'downstream'] as const) {
      const walk = walkGraph(store, { id, kind }, direction, limits);
      const expected = id === 'bread' && direction === 'upstream' ? ['bread', 'flour'] : [id];
      assert.deepEqual(walk.nodes.map((n) => n.id), expected, `${direction} from ${id}`);
      assert.ok(walk.events.includes('tx'));
      // Loaded only from its container, the one role that might link, and found to link nothing.
      assert.equal(store.loaded.includes('tx'), id === 'crate', `${direction} from ${id}`);
    }
  }
});

test('a transformationID gathers inputs and outputs recorded in separate events', () => {
  const store = memoryStore({ a: transform(['milk'], [], { transformationID: 'run' }), b: transform([], ['cheese'], { transformationID: 'run' }) });
  assert.deepEqual(walkGraph(store, { id: 'milk', kind: 'epc' }, 'downstream', limits).nodes.map((n) => [n.id, n.kind]), [['milk', 'epc'], ['run', 'transformation'], ['cheese', 'epc']]);
  assert.deepEqual(walkGraph(store, { id: 'cheese', kind: 'epc' }, 'upstream', limits).nodes.map((n) => n.id), ['cheese', 'run', 'milk']);
});

test('cycles end (rework feeds an output back in); the node bound refuses, the depth bound truncates', () => {
  const store = memoryStore({ t1: transform(['a'], ['b']), t2: transform(['b'], ['a', 'c']) });
  assert.deepEqual(walkGraph(store, { id: 'a', kind: 'epc' }, 'downstream', limits).nodes.map((n) => n.id), ['a', 'b', 'c']);
  assert.throws(() => walkGraph(store, { id: 'a', kind: 'epc' }, 'downstream', { nodesMax: 2, depthMax: 64 }), (e: Error & { code?: string }) => e.code === 'PROVENANCE_TOO_LARGE');
  const shallow = walkGraph(store, { id: 'a', kind: 'epc' }, 'downstream', { nodesMax: 100, depthMax: 1 });
  assert.deepEqual([shallow.nodes.map((n) => n.id), shallow.truncated], [['a', 'b'], true]);
});

test('association events are indexed but not followed: a sensor attached to a pallet is not its content', () => {
  const store = memoryStore({ s: { type: 'AssociationEvent', action: 'ADD', parentID: 'pallet', childEPCs: ['sensor'] } });
  const up = walkGraph(store, { id: 'pallet', kind: 'epc' }, 'upstream', limits);
  assert.deepEqual([up.nodes.map((n) => n.id), up.events], [['pallet'], ['s']]);
});

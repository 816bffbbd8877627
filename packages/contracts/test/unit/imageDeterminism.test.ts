import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seededRandom as seeded } from '@xinlian/protocol';
import { ContractSandbox, packageContract, type ContractOutcome } from '../../src/index.js';
import { memoryHost } from '../helpers/memoryHost.js';

// A compiled contract is a memory image that every call restores (ADR 013). What lies outside the
// image (memory above the heap's break, the stack below its pointer) is whatever the previous call
// left there: an outcome or a step count that depended on it would differ between nodes. These
// tests fill that dead memory with random bytes before every compilation and call, run calls in a
// shuffled order with repeats, and require the very outcomes of a clean sandbox.

const WORKLOAD = `
module.exports = {
  counter(api, args) { const n = (api.get('n/' + args.k) || 0) + 1; api.put('n/' + args.k, n); api.emit('counted', { k: args.k, n }); return n; },
  maps(api, args) {
    const m = new Map(); const s = new Set();
    for (let i = 0; i < args.n; i++) { m.set('k' + ((i * 7919) % 101), i); s.add(i % 13); }
    return { size: m.size, keys: [...m.keys()].slice(0, 5), set: [...s] };
  },
  text(api, args) {
    let out = '';
    for (let i = 0; i < args.n; i++) out += String.fromCharCode(65 + (i % 26));
    return { length: out.length, upper: out.toLowerCase().slice(0, 10), matches: (out.match(/ABC/g) || []).length, split: out.split('Z').length };
  },
  json(api, args) {
    const o = { list: [] };
    for (let i = 0; i < args.n; i++) o.list.push({ i, v: i / 3, s: 'x' + i });
    const text = JSON.stringify(o);
    return { length: text.length, back: JSON.parse(text).list.length, sorted: o.list.map((e) => e.v).sort().slice(0, 3) };
  },
  thrown(api) { try { null.x; } catch (e) { return e.name + ': ' + e.message; } },
  scan(api) { api.put('b/1', 1); return api.range({ prefix: 'a' }).concat(api.range({ prefix: 'b' })); },
  history(api) { return api.history('a/1', 5); },
  nested(api, args) { return api.call('helper', 'double', { n: args.n }); },
  hog() { const a = []; for (;;) a.push(new Array(1000).fill(1)); },
  recurse() { const f = (n) => f(n + 1) + 1; return f(0); },
  spin() { for (;;) {} },
};
`;
const HELPER = `module.exports = { double(api, args) { api.put('doubled', args.n * 2); return args.n * 2; } };`;

const CALLS: Array<[string, unknown]> = [
  ['counter', { k: 'a' }], ['counter', { k: 'b' }], ['maps', { n: 3000 }], ['text', { n: 5000 }], ['json', { n: 400 }],
  ['thrown', {}], ['scan', {}], ['history', {}], ['nested', { n: 21 }], ['hog', {}], ['recurse', {}], ['spin', {}],
];

const host = () => memoryHost({
  state: { workload: { 'a/1': '"one"', 'a/2': '[2]', 'n/a': '41' } },
  history: { 'workload/a/1': [{ height: 3, txId: 'cd'.repeat(32), value: '"one"' }] },
  code: { helper: HELPER },
});

const limits = { memoryBytesMax: 8 * 1024 * 1024, stepsMax: 20_000_000 };

test('a call\'s outcome and steps depend neither on the calls before it nor on dead memory', async () => {
  const clean = await ContractSandbox.create(limits);
  const expected = CALLS.map(([op, args]) => clean.call('workload', WORKLOAD, op, args, host()));
  const outcomeOf = (op: string): ContractOutcome => expected[CALLS.findIndex(([name]) => name === op)]!;
  assert.ok(outcomeOf('counter').ok && outcomeOf('nested').ok, JSON.stringify(outcomeOf('nested')));
  assert.equal(outcomeOf('hog').ok, false);
  assert.equal(outcomeOf('spin').ok, false);
  const seed = Number(process.env.SEED ?? Date.now() % 1_000_000);
  const random = seeded(seed);
  const dirty = await ContractSandbox.create(limits, { deadMemoryByte: () => Math.floor(random() * 256) });
  for (let i = 0; i < 40; i++) {
    const index = Math.floor(random() * CALLS.length);
    const [op, args] = CALLS[index]!;
    const outcome = dirty.call('workload', WORKLOAD, op, args, host());
    assert.deepEqual(outcome, expected[index], `seed ${seed}, call ${i} (${op}) differs from a clean sandbox's`);
  }
});

test('the traceability contract gives the same outcomes and steps on a clean sandbox and on one with scribbled dead memory', async () => {
  const entry = fileURLToPath(new URL('../../../../../contracts/traceability/contract.ts', import.meta.url));
  const examples = fileURLToPath(new URL('../../../../../contracts/traceability/vectors/examples/', import.meta.url));
  const { code } = await packageContract(entry, (data) => createHash('sha256').update(data).digest());
  const documents = readdirSync(examples).filter((name) => name.endsWith('.jsonld')).sort()
    .map((name) => JSON.parse(readFileSync(examples + name, 'utf8')) as unknown);
  const seed = Number(process.env.SEED ?? Date.now() % 1_000_000);
  const random = seeded(seed);
  const clean = await ContractSandbox.create();
  const dirty = await ContractSandbox.create({}, { deadMemoryByte: () => Math.floor(random() * 256) });
  const run = (sandbox: ContractSandbox, document: unknown): ContractOutcome => sandbox.call('traceability', code, 'recordEvents', { document }, memoryHost());
  let recorded = 0;
  for (const document of documents) {
    const expected = run(clean, document);
    if (expected.ok) recorded++;
    assert.deepEqual(run(dirty, document), expected, `seed ${seed}: ${JSON.stringify(expected).slice(0, 200)}`);
  }
  assert.ok(recorded >= documents.length - 1, `the official examples are recorded (${recorded} of ${documents.length})`);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { ContractSandbox } from '../../src/index.js';
import { memoryHost } from '../helpers/memoryHost.js';

// What could differ between nodes: number formatting, ordering, locale, time. The sandbox runs one
// interpreter (the same .wasm everywhere) with no ICU and no clock, so these answers are fixed;
// where the language defines them, they equal what V8 computes for the same expression.

const SPEC_DEFINED = [
  'String(0.1 + 0.2)', 'String(1e21)', 'String(-0)', 'String(2 ** 53 + 1)', '(1234.5678).toFixed(2)', '(0.000001234).toPrecision(2)',
  '(255).toString(36)', 'String(Math.fround(5.5))', 'JSON.stringify({ b: 1, a: 2, 10: 3, 2: 4 })', 'JSON.stringify([...new Map([["z", 1], ["a", 2]]).keys()])',
  'JSON.stringify([...new Set([3, 1, 2])])', 'JSON.stringify([5, 1, 10, 2].sort())', 'JSON.stringify([{ k: 1, v: "a" }, { k: 0, v: "b" }, { k: 1, v: "c" }].sort((x, y) => x.k - y.k))',
  'String(Math.max())', 'String(parseFloat("1e-7"))', 'String(Number.MAX_VALUE)', 'String(Math.PI * 1e10)', '"ǅ".toLowerCase() + "ß".toUpperCase()',
  'JSON.stringify(Object.keys({ [Symbol.iterator]: 1, x: 2, 1: 3 }))', 'String(new Array(3).fill(0.1).reduce((a, b) => a + b))',
];

// No locale data: QuickJS answers these the same way on every machine (V8's answer depends on ICU).
const FIXED_WITHOUT_LOCALE: Array<[string, unknown]> = [
  ['(1234567.891).toLocaleString()', '1234567.891'],
  // Code unit order, not a collation: positive because 'a' (0x61) comes after 'B' (0x42).
  ['"a".localeCompare("B") > 0', true],
  ['typeof Intl', 'undefined'],
  ['typeof Date', 'undefined'],
];

test('number formatting, key order, sorting and case mapping are the language\'s, equal to V8\'s', async () => {
  const sandbox = await ContractSandbox.create();
  const code = `module.exports = { run(api, args) { return args.expressions.map((e) => (0, eval)(e)); } };`;
  const out = sandbox.call('d', code, 'run', { expressions: SPEC_DEFINED }, memoryHost());
  assert.ok(out.ok, JSON.stringify(out));
  const expected = SPEC_DEFINED.map((expression) => runInNewContext(expression));
  assert.deepEqual(out.result, expected);
});

test('what depends on locale or time has one answer in the sandbox, whatever the host', async () => {
  const sandbox = await ContractSandbox.create();
  const code = `module.exports = { run(api, args) { return args.expressions.map((e) => (0, eval)(e)); } };`;
  const out = sandbox.call('d', code, 'run', { expressions: FIXED_WITHOUT_LOCALE.map(([e]) => e) }, memoryHost());
  assert.ok(out.ok, JSON.stringify(out));
  assert.deepEqual(out.result, FIXED_WITHOUT_LOCALE.map(([, v]) => v));
});

test('two sandboxes (two WebAssembly instances) give the same outcome, steps included, for the same calls', async () => {
  const code = `module.exports = { work(api, args) {
    let h = 0; const m = new Map();
    for (let i = 0; i < args.n; i++) { h = (h * 31 + i) % 1000003; m.set('k' + (h % 97), h); }
    for (const [k, v] of m) api.put(k, v / 7);
    api.emit('done', { size: m.size, h });
    return { h, first: [...m.keys()].slice(0, 3) };
  } };`;
  const runs = [];
  for (let i = 0; i < 2; i++) {
    const sandbox = await ContractSandbox.create();
    runs.push(sandbox.call('d', code, 'work', { n: 20_000 }, memoryHost()));
  }
  assert.ok(runs[0]!.ok);
  assert.deepEqual(runs[0], runs[1]);
});

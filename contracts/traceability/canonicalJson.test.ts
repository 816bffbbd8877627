import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { contractLedger } from '@xinlian/contracts/testing';
import { canonicalJson } from './canonicalJson.js';
import { withNodeLimits } from './withNodeLimits.js';

/** A double from its IEEE 754 bits, as RFC 8785 Appendix B lists its number vectors. */
function double(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

// RFC 8785 Appendix B: IEEE 754 bits and the ECMAScript text they must serialise to.
const NUMBERS: Array<[string, string]> = [
  ['0000000000000000', '0'],
  ['8000000000000000', '0'],
  ['0000000000000001', '5e-324'],
  ['8000000000000001', '-5e-324'],
  ['7fefffffffffffff', '1.7976931348623157e+308'],
  ['ffefffffffffffff', '-1.7976931348623157e+308'],
  ['4340000000000000', '9007199254740992'],
  ['c340000000000000', '-9007199254740992'],
  ['4430000000000000', '295147905179352830000'],
  ['44b52d02c7e14af5', '9.999999999999997e+22'],
  ['44b52d02c7e14af6', '1e+23'],
  ['44b52d02c7e14af7', '1.0000000000000001e+23'],
  ['444b1ae4d6e2ef4e', '999999999999999700000'],
  ['444b1ae4d6e2ef4f', '999999999999999900000'],
  ['444b1ae4d6e2ef50', '1e+21'],
  ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
  ['3eb0c6f7a0b5ed8d', '0.000001'],
  ['41b3de4355555553', '333333333.3333332'],
  ['41b3de4355555554', '333333333.33333325'],
  ['41b3de4355555555', '333333333.3333333'],
  ['41b3de4355555556', '333333333.3333334'],
  ['41b3de4355555557', '333333333.33333343'],
  ['becbf647612f3696', '-0.0000033333333333333333'],
  ['43143ff3c1cb0959', '1424953923781206.2'],
];

test('RFC 8785 examples: sorted keys (by UTF-16 units), minimal escapes, ECMAScript numbers', () => {
  const input = JSON.parse('{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}');
  assert.equal(canonicalJson(input), '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  const sorting = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
  // Read the order off the text: Object.keys would put the integer-like "1" first whatever the text says.
  const text = canonicalJson(sorting);
  const order = Object.values(sorting).sort((a, b) => text.indexOf(a) - text.indexOf(b));
  assert.deepEqual(order, ['Carriage Return', 'One', 'Control', 'Latin Small Letter O With Diaeresis', 'Euro Sign', 'Emoji: Grinning Face', 'Hebrew Letter Dalet With Dagesh']);
  assert.ok(text.startsWith('{"\\r":"Carriage Return","1":"One","\u0080":"Control"'), text);
  for (const [bits, text] of NUMBERS) assert.equal(canonicalJson(double(bits)), text, bits);
});

test('inside the sandbox (QuickJS) the canonical text, hence the event hash, is the same as here (V8)', async () => {
  const ledger = withNodeLimits(await contractLedger(new URL('./contract.ts', import.meta.url), { name: 'traceability' }));
  const quantities = NUMBERS.map(([bits]) => double(bits)).filter((n) => !Object.is(n, -0));
  const event = {
    type: 'ObjectEvent', action: 'OBSERVE', eventTime: '2024-07-10T10:00:00Z', eventTimeZoneOffset: '+00:00',
    quantityList: quantities.map((quantity, i) => ({ epcClass: `urn:epc:class:lgtin:4012345.011111.N${i}`, quantity })),
    'https://example.com/voc/text': 'Ünïcødé \u20ac \ud83d\ude00 \u0001 "quoted" \\ \u2028',
  };
  const outcome = await ledger.call('recordEvents', { events: [event] }, { org: 'org1', role: 'client' });
  assert.ok(outcome.ok, JSON.stringify(outcome));
  const [hash] = (outcome.result as { hashes: string[] }).hashes;
  assert.equal(hash, createHash('sha256').update(canonicalJson(event)).digest('hex'));
});

/** The same value with every object's keys in another order (a permutation chosen by `seed`). */
function reordered(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v) => reordered(v, seed));
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value).sort((a, b) => score(a, seed) - score(b, seed) || (a < b ? -1 : 1));
  return Object.fromEntries(keys.map((k) => [k, reordered((value as Record<string, unknown>)[k], seed)]));
}

function score(key: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x9e3779b1);
  return h;
}

function sortedDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedDeep);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedDeep((value as Record<string, unknown>)[k])]));
}

const json = fc.jsonValue({ stringUnit: 'grapheme', maxDepth: 5 });

test('property: key order does not matter, output is stable, and equals JSON.stringify with sorted keys', () => {
  fc.assert(fc.property(json, fc.integer(), (value, seed) => {
    const text = canonicalJson(value);
    assert.equal(canonicalJson(reordered(value, seed)), text);
    assert.equal(canonicalJson(JSON.parse(text)), text);
    assert.equal(text, JSON.stringify(sortedDeep(value)));
  }), { numRuns: 500 });
});

test('property: a string is refused exactly when it has a lone surrogate (it has no UTF-8 form)', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 12 }), (text) => {
    const lone = text !== Buffer.from(text, 'utf8').toString('utf8');
    if (lone) assert.throws(() => canonicalJson({ [text]: 1 }), TypeError);
    else assert.equal(canonicalJson([text]), JSON.stringify([text]));
  }), { numRuns: 1000 });
});

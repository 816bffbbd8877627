import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { canonicalJson, NativeRefusal } from '../../src/natives/index.js';
import { traceabilityModule } from '../helpers/traceabilityModule.js';

// The JCS vectors (test/vectors/jcs, README there): read from the sources, next to dist.
const VECTORS = new URL('../../../test/vectors/jcs/', import.meta.url);
const readVector = (path: string) => readFileSync(new URL(path, VECTORS));

test('the reference implementation\'s test data: each input canonicalises to the bytes of its output file', () => {
  const names = readdirSync(new URL('input/', VECTORS)).filter((f) => f.endsWith('.json')).sort();
  assert.deepEqual(names, ['arrays.json', 'french.json', 'structures.json', 'unicode.json', 'values.json', 'weird.json']);
  for (const name of names) {
    const input = JSON.parse(readVector(`input/${name}`).toString('utf8')) as unknown;
    assert.deepEqual(Buffer.from(canonicalJson(input), 'utf8'), readVector(`output/${name}`), name);
  }
});

/** A double from the hex of its IEEE 754 bits. */
function double(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

test('RFC 8785 Appendix B: the number samples, and NaN and Infinity refused', () => {
  const samples: Array<[string, string]> = [
    ['0000000000000000', '0'], ['8000000000000000', '0'], ['0000000000000001', '5e-324'], ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'], ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'], ['c340000000000000', '-9007199254740992'], ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'], ['44b52d02c7e14af6', '1e+23'], ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'], ['444b1ae4d6e2ef4f', '999999999999999900000'], ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'], ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'], ['41b3de4355555554', '333333333.33333325'], ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'], ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'], ['43143ff3c1cb0959', '1424953923781206.2'],
  ];
  for (const [bits, text] of samples) assert.equal(canonicalJson(double(bits)), text, bits);
  for (const bits of ['7fffffffffffffff', '7ff0000000000000', 'fff0000000000000']) {
    assert.throws(() => canonicalJson([double(bits)]), (e: Error) => e instanceof NativeRefusal && /has no form for the number/.test(e.message), bits);
  }
});

test('RFC 8785 section 3.2.3: members sorted by UTF-16 code units, whatever the locale would say', () => {
  const text = canonicalJson({ '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' });
  assert.equal(text, '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}');
});

/**
 * The number sequence of the reference implementation (vectors/jcs/README.md): its fixed values,
 * 2,000 from 0x0010000000000000 up, then the finite non-zero doubles of a SHA-256 chain that
 * starts from 32 zero bytes, four little-endian doubles a block.
 */
function* numberSequence(): Generator<[bigint, number]> {
  const fixed = readVector('numgen-static.txt').toString('ascii').trim().split('\n').map((hex) => BigInt(`0x${hex}`));
  const view = new DataView(new ArrayBuffer(8));
  const fromBits = (bits: bigint): [bigint, number] => (view.setBigUint64(0, bits), [bits, view.getFloat64(0)]);
  for (const bits of fixed) yield fromBits(bits);
  for (let i = 0n; i < 2000n; i++) yield fromBits(0x0010000000000000n + i);
  let block = new Uint8Array(32);
  for (;;) {
    block = new Uint8Array(createHash('sha256').update(block).digest());
    const doubles = new DataView(block.buffer);
    for (let i = 0; i < 4; i++) {
      const value = doubles.getFloat64(8 * i, true);
      if (value !== 0 && Number.isFinite(value)) yield [doubles.getBigUint64(8 * i, true), value];
    }
  }
}

test('the reference implementation\'s number sequence: the SHA-256 of its first 1,000,000 lines is the published one', () => {
  const published = readVector('numgen-sha256.txt').toString('ascii').trim().split('\n').map((line) => line.split(' '))
    .map(([lines, bytes, sha256]) => ({ lines: Number(lines), bytes: Number(bytes), sha256 }));
  const checked = published.filter((p) => p.lines <= 1_000_000);
  assert.equal(checked.length, 4);
  const hash = createHash('sha256');
  let [lines, bytes] = [0, 0];
  for (const [bits, value] of numberSequence()) {
    const line = `${bits.toString(16)},${canonicalJson(value)}\n`;
    hash.update(line);
    lines++;
    bytes += line.length;
    const expected = checked.find((p) => p.lines === lines);
    if (expected === undefined) continue;
    assert.deepEqual({ lines, bytes, sha256: hash.copy().digest('hex') }, expected);
    if (lines === checked[checked.length - 1]!.lines) break;
  }
});

test('refused with NativeRefusal: lone surrogates in strings and keys, values JSON.parse never returns, nesting past 64 levels', () => {
  const refused = (value: unknown, message: RegExp) => assert.throws(() => canonicalJson(value), (e: Error) => e instanceof NativeRefusal && message.test(e.message), String(message));
  for (const text of ['\ud800', '\udfff', 'a\ud83d', '\ude00b', '\ude00\ud83d', '\ud83d\ud83d\ude00']) {
    refused(text, /lone surrogate/);
    refused({ [text]: 1 }, /lone surrogate/);
  }
  refused(undefined, /type undefined/);
  refused({ a: undefined }, /type undefined/);
  refused([() => 1], /type function/);
  refused(1n, /type bigint/);
  refused(Symbol('s'), /type symbol/);
  refused(new Date(0), /plain objects only/);
  refused(new Map(), /plain objects only/);
  refused(Object.assign(Object.create({ inherited: 1 }) as object, { own: 1 }), /plain objects only/);
  const deep = (levels: number): unknown => (levels === 0 ? 1 : [deep(levels - 1)]);
  assert.equal(canonicalJson(deep(64)), '['.repeat(64) + '1' + ']'.repeat(64));
  refused(deep(65), /nested at most 64 levels/);
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  refused(cycle, /nested at most 64 levels/);
  // Accepted: a well-formed pair, an object without a prototype, a member named toJSON (it is data).
  assert.equal(canonicalJson(Object.assign(Object.create(null) as object, { b: 1, a: '\ud83d\ude00' })), '{"a":"\ud83d\ude00","b":1}');
  assert.equal(canonicalJson(JSON.parse('{"toJSON":{"z":null,"__proto__":[]}}')), '{"toJSON":{"__proto__":[],"z":null}}');
});

/** The same value with each object's keys in another order (a permutation chosen by `seed`). */
function reordered(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v) => reordered(v, seed));
  if (typeof value !== 'object' || value === null) return value;
  const score = (key: string) => [...key].reduce((h, c) => Math.imul(h ^ c.codePointAt(0)!, 0x9e3779b1), seed | 0);
  const keys = Object.keys(value).sort((a, b) => score(a) - score(b) || (a < b ? -1 : 1));
  return Object.fromEntries(keys.map((k) => [k, reordered((value as Record<string, unknown>)[k], seed)]));
}

/** Well-formed UTF-16: it survives a round trip through UTF-8 unchanged. */
const wellFormed = (text: string) => Buffer.from(text, 'utf8').toString('utf8') === text;

// Strings of every kind of code point (well-formed), doubles of every kind, objects with any keys.
const json = fc.jsonValue({ maxDepth: 5 });
const unicodeJson = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }).filter((s) => wellFormed(s)),
    fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null),
    fc.array(tie('value')), fc.dictionary(fc.string({ unit: 'binary' }).filter((s) => wellFormed(s)), tie('value'))),
})).value;

test('property: the canonical text parses back to an equal value, is its own canonical text, and ignores key order', () => {
  fc.assert(fc.property(fc.oneof(json, unicodeJson), fc.integer(), (value, seed) => {
    const text = canonicalJson(value);
    assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(value)));
    assert.equal(canonicalJson(JSON.parse(text)), text);
    assert.equal(canonicalJson(reordered(value, seed)), text);
  }), { numRuns: 1000 });
});

test('property: a string is refused exactly when it is not well-formed UTF-16', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 12 }), (text) => {
    if (wellFormed(text)) assert.equal(canonicalJson([text]), JSON.stringify([text]));
    else assert.throws(() => canonicalJson({ [text]: 1 }), NativeRefusal);
  }), { numRuns: 2000 });
});

const contract = await traceabilityModule<{ canonicalJson(value: unknown): string }>('reference/canonicalJson.ts');

test('the traceability contract\'s canonicalJson gives the same text on its own tests\' inputs and on generated values', () => {
  const examples = readdirSync(new URL('vectors/examples/', new URL('../../../../../contracts/traceability/', import.meta.url))).sort();
  const values: unknown[] = [
    JSON.parse('{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}'),
    { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' },
    { 'https://example.com/voc/text': 'Ünïcødé \u20ac \ud83d\ude00 \u0001 "quoted" \\ \u2028', quantity: [5e-324, 1e21, 1e-7, -0] },
    ...examples.map((f) => JSON.parse(readFileSync(new URL(`../../../../../contracts/traceability/vectors/examples/${f}`, import.meta.url), 'utf8')) as unknown),
  ];
  for (const value of values) assert.equal(canonicalJson(value), contract.canonicalJson(value));
  fc.assert(fc.property(fc.oneof(json, unicodeJson, fc.jsonValue({ stringUnit: 'grapheme', maxDepth: 5 })), (value) => {
    assert.equal(canonicalJson(value), contract.canonicalJson(value));
  }), { numRuns: 1000 });
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 8 }), (text) => {
    let ours: string | Error;
    try { ours = canonicalJson([text]); } catch (e) { ours = e as Error; }
    if (typeof ours === 'string') assert.equal(ours, contract.canonicalJson([text]));
    else assert.throws(() => contract.canonicalJson([text]), TypeError, 'both refuse a lone surrogate');
  }), { numRuns: 1000 });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Reader, Writer, decodeAll, XinlianError, toHex } from '../../src/index.js';

interface Sample { a: number; b: number; s: string; raw: Uint8Array; flag: boolean; opt?: number; list: number[] }

function encode(sample: Sample): Uint8Array {
  return new Writer()
    .u8(sample.a).u64(sample.b).string(sample.s).bytes(sample.raw).bool(sample.flag)
    .optional(sample.opt, (w, v) => w.u32(v))
    .list(sample.list, (w, v) => w.u16(v))
    .finish();
}

function decode(bytes: Uint8Array): Sample {
  return decodeAll(bytes, (r: Reader) => {
    const sample: Sample = {
      a: r.u8(), b: r.u64(), s: r.string(1000), raw: r.bytes(1000), flag: r.bool(),
      list: [],
    };
    const opt = r.optional((x) => x.u32());
    if (opt !== undefined) sample.opt = opt;
    sample.list = r.list(100, (x) => x.u16());
    return sample;
  }, 'sample');
}

const sampleArb = fc.record({
  a: fc.integer({ min: 0, max: 255 }),
  b: fc.maxSafeNat(),
  s: fc.string({ unit: 'grapheme', maxLength: 50 }),
  raw: fc.uint8Array({ maxLength: 100 }),
  flag: fc.boolean(),
  opt: fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: undefined }),
  list: fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 20 }),
}, { requiredKeys: ['a', 'b', 's', 'raw', 'flag', 'list'] });

test('decode(encode(x)) = x', () => {
  fc.assert(fc.property(sampleArb, (sample) => {
    const clean = { ...sample } as Sample;
    if (clean.opt === undefined) delete clean.opt;
    assert.deepEqual(decode(encode(clean)), clean);
  }));
});

test('canonical: any byte string that decodes re-encodes to itself', () => {
  fc.assert(fc.property(sampleArb, fc.nat(), fc.integer({ min: 0, max: 255 }), (sample, position, byte) => {
    const bytes = encode(sample as Sample);
    const mutated = bytes.slice();
    mutated[position % mutated.length] = byte;
    let decoded: Sample;
    try {
      decoded = decode(mutated);
    } catch (error) {
      assert.ok(error instanceof XinlianError, `unexpected ${String(error)}`);
      assert.equal(error.code, 'DECODE_ERROR');
      return;
    }
    assert.equal(toHex(encode(decoded)), toHex(mutated));
  }));
});

test('rejects trailing bytes, truncation, bad bool, oversize u64, invalid UTF-8', () => {
  const codes = (bytes: Uint8Array, read: (r: Reader) => unknown) => {
    assert.throws(() => decodeAll(bytes, read, 'x'), (e: unknown) => e instanceof XinlianError && e.code === 'DECODE_ERROR');
  };
  codes(new Uint8Array([1, 2]), (r) => r.u8());
  codes(new Uint8Array([0, 0, 0]), (r) => r.u32());
  codes(new Uint8Array([2]), (r) => r.bool());
  codes(new Uint8Array([0, 0x20, 0, 0, 0, 0, 0, 0]), (r) => r.u64());
  codes(new Uint8Array([0, 0, 0, 2, 0xc3, 0x28]), (r) => r.string(10));
  codes(new Uint8Array([0, 0, 0, 11, ...new Uint8Array(11)]), (r) => r.bytes(10));
  assert.equal(decodeAll(new Uint8Array([0, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), (r) => r.u64(), 'x'), Number.MAX_SAFE_INTEGER);
});

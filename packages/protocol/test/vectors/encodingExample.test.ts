// The worked example of docs/spec/encoding.md (computed by us), and the writer's refusal of strings
// that have no UTF-8 form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reader, Writer, XinlianError, concatBytes, decodeAll, fromHex, toHex } from '../../src/index.js';

const EXAMPLE_HEX = '0001000000000000012c00000006e4bfa1e993be0100000000020000000100000102abcd';

const write = (memo: string | undefined, name = '信链') => new Writer().u16(1).u64(300).string(name).bool(true)
  .optional(memo, (w, v) => w.string(v))
  .list([1, 258], (w, v) => w.u32(v))
  .fixed(fromHex('abcd'), 2)
  .finish();

const read = (bytes: Uint8Array) => decodeAll(bytes, (r: Reader) => [
  r.u16(), r.u64(), r.string(64), r.bool(), r.optional((x) => x.string(64)), r.list(16, (x) => x.u32()), r.fixed(2),
], 'example');

const decodeError = (e: unknown) => e instanceof XinlianError && e.code === 'DECODE_ERROR';

test('encoding.md example', () => {
  const bytes = write(undefined);
  assert.equal(toHex(bytes), EXAMPLE_HEX);
  assert.equal(bytes.length, 36);
  assert.deepEqual(read(bytes), [1, 300, '信链', true, undefined, [1, 258], fromHex('abcd')]);
  assert.equal(toHex(write('ok')), '0001000000000000012c00000006e4bfa1e993be01' + '01000000026f6b' + '000000020000000100000102abcd');
  assert.throws(() => read(concatBytes(bytes, new Uint8Array([0]))), decodeError);
  assert.throws(() => read(bytes.subarray(0, -1)), decodeError);
  const badBool = bytes.slice();
  badBool[20] = 2;
  assert.throws(() => read(badBool), decodeError);
  assert.throws(() => read(write(undefined, 'x'.repeat(65))), decodeError);
});

test('writer rejects lone surrogates, keeps well-formed pairs', () => {
  for (const text of ['\uD800', 'a\uDC00b', '\uDBFF', 'x\uD83D']) {
    assert.throws(() => new Writer().string(text), RangeError, JSON.stringify(text));
  }
  const bytes = new Writer().string('链😀').finish();
  assert.equal(decodeAll(bytes, (r) => r.string(16), 's'), '链😀');
});

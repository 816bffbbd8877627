import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareBytes, hasPrefix, prefixEnd } from '../../src/index.js';

test('prefixEnd is the first byte string after every one with the prefix; hasPrefix matches exactly those below it', () => {
  assert.deepEqual(prefixEnd(Uint8Array.of(0x63, 0x2f)), Uint8Array.of(0x63, 0x30));
  assert.deepEqual(prefixEnd(Uint8Array.of(0x01, 0xff, 0xff)), Uint8Array.of(0x02), 'trailing 0xff bytes carry');
  assert.throws(() => prefixEnd(Uint8Array.of(0xff)), RangeError);
  const prefix = Uint8Array.of(0x61, 0xff);
  for (const key of [Uint8Array.of(0x61, 0xff), Uint8Array.of(0x61, 0xff, 0xff, 0xff), Uint8Array.of(0x61, 0xfe, 0x00), Uint8Array.of(0x62), Uint8Array.of(0x61)]) {
    const inside = compareBytes(key, prefix) >= 0 && compareBytes(key, prefixEnd(prefix)) < 0;
    assert.equal(hasPrefix(key, prefix), inside, Buffer.from(key).toString('hex'));
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utf8, XinlianError } from '@xinlian/protocol';
import { open, seal } from '../../src/index.js';

const failed = (error: unknown) => error instanceof XinlianError && error.code === 'DECRYPT_FAILED';

for (const suite of ['gm', 'intl'] as const) {
  test(`${suite}: seal/open round trip, with and without associated data`, () => {
    const key = new Uint8Array(32).fill(1);
    for (const plaintext of [new Uint8Array(0), utf8('secret'), new Uint8Array(100_000).fill(7)]) {
      assert.deepEqual(open(suite, key, seal(suite, key, plaintext)), plaintext);
      assert.deepEqual(open(suite, key, seal(suite, key, plaintext, utf8('ad')), utf8('ad')), plaintext);
    }
    assert.notDeepEqual(seal(suite, key, utf8('x')), seal(suite, key, utf8('x'))); // fresh nonce
  });

  test(`${suite}: tampering, wrong key, wrong associated data and truncation fail with DECRYPT_FAILED`, () => {
    const key = new Uint8Array(32).fill(2);
    const sealed = seal(suite, key, utf8('secret message'), utf8('ad'));
    for (let i = 0; i < sealed.length; i++) {
      const tampered = sealed.slice();
      tampered[i]! ^= 0x01;
      assert.throws(() => open(suite, key, tampered, utf8('ad')), failed);
    }
    assert.throws(() => open(suite, new Uint8Array(32).fill(3), sealed, utf8('ad')), failed);
    assert.throws(() => open(suite, key, sealed, utf8('ae')), failed);
    assert.throws(() => open(suite, key, sealed), failed);
    assert.throws(() => open(suite, key, sealed.subarray(0, 10), utf8('ad')), failed);
    assert.throws(() => seal(suite, new Uint8Array(16), utf8('x')), (e: unknown) => e instanceof XinlianError && e.code === 'KEY_INVALID');
  });
}

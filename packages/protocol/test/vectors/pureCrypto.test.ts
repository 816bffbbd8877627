import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeDerSignature, encodeDerSignature, fromHex, pureSuite, sm2Za, sm3, Sm3, toHex, utf8, XinlianError, SM2_CURVE,
} from '../../src/index.js';
import { Sm2Point } from '../../src/crypto/sm2Curve.js';
import { loadCryptoVectors } from './cryptoVectors.js';

const vectors = loadCryptoVectors(new URL('../../../test/vectors/crypto.json', import.meta.url));
const SM3_VECTORS = vectors.sm3;
const SM2_VECTOR = vectors.sm2;
const ED25519_VECTORS = vectors.ed25519;

test('SM3: GM/T 0004 examples, one-shot and split at every offset', () => {
  for (const { input, digest } of SM3_VECTORS) {
    assert.equal(toHex(sm3(utf8(input))), digest);
    const bytes = utf8(input);
    for (let cut = 0; cut <= bytes.length; cut++) {
      assert.equal(toHex(new Sm3().update(bytes.subarray(0, cut)).update(bytes.subarray(cut)).digest()), digest);
    }
  }
});

test('SM2: GM/T 0003.5 Annex A signature verifies; public key is [d]G', () => {
  const publicKey = fromHex(SM2_VECTOR.publicKey);
  assert.equal(toHex(Sm2Point.BASE.multiply(BigInt('0x' + SM2_VECTOR.privateKey)).toBytes(false)), SM2_VECTOR.publicKey);
  const signature = encodeDerSignature(BigInt('0x' + SM2_VECTOR.r), BigInt('0x' + SM2_VECTOR.s));
  const gm = pureSuite('gm');
  assert.equal(gm.verify(publicKey, utf8(SM2_VECTOR.message), signature), true);
  assert.equal(gm.verify(publicKey, utf8('message digesT'), signature), false);
  assert.equal(gm.verify(publicKey, utf8(SM2_VECTOR.message), encodeDerSignature(BigInt('0x' + SM2_VECTOR.r), 1n)), false);
});

test('SM2: Z_A rejects bad keys with KEY_INVALID', () => {
  assert.throws(() => sm2Za(new Uint8Array(65)), (e: unknown) => e instanceof XinlianError && e.code === 'KEY_INVALID');
  assert.equal(sm2Za(fromHex(SM2_VECTOR.publicKey)).length, 32);
});

test('DER: round trip and strictness', () => {
  for (const [r, s] of [[1n, 1n], [0x80n, 0x7fn], [SM2_CURVE.n - 1n, 0xffn << 240n]] as const) {
    const der = encodeDerSignature(r, s);
    assert.deepEqual(decodeDerSignature(der), { r, s });
  }
  const good = encodeDerSignature(5n, 0x80n); // 30 07 02 01 05 02 02 00 80
  assert.equal(toHex(good), '3007020105020200' + '80');
  const bad = [
    '3008020200050202' + '0080', // non-minimal r (leading 00 before a byte < 0x80)
    '300702018502020080', // negative r
    '30810702010502020080', // long-form length
    '300702010502020080' + '00', // trailing byte
    '3008020105020100', // outer length larger than the content
    '3006020002020080', // empty integer
    '3107020105020200' + '80', // not a SEQUENCE
  ];
  for (const hex of bad) assert.equal(decodeDerSignature(fromHex(hex)), undefined, hex);
});

test('Ed25519: RFC 8032 §7.1 tests 1-3 verify; any bit flip fails', () => {
  const intl = pureSuite('intl');
  for (const v of ED25519_VECTORS) {
    const publicKey = fromHex(v.publicKey);
    const signature = fromHex(v.signature);
    assert.equal(intl.verify(publicKey, fromHex(v.message), signature), true);
    for (const index of [0, 31, 32, 63]) {
      const mutated = signature.slice();
      mutated[index]! ^= 1;
      assert.equal(intl.verify(publicKey, fromHex(v.message), mutated), false);
    }
  }
});

test('pure suites: malformed inputs give false, never throw', () => {
  for (const name of ['gm', 'intl'] as const) {
    const suite = pureSuite(name);
    for (const length of [0, 1, 32, 33, 64, 65, 66]) {
      assert.equal(suite.verify(new Uint8Array(length), new Uint8Array(3), new Uint8Array(length)), false);
    }
  }
});

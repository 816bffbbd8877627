import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { encodeDerSignature, fromHex, toHex, utf8 } from '@xinlian/protocol';
import { nodeSuite, signingKeyFromRawPrivateKey } from '../../src/index.js';
import { readFileSync } from 'node:fs';

// The same vector file as the pure suite's tests (packages/protocol/test/vectors/crypto.json).
const vectors = JSON.parse(readFileSync(new URL('../../../../protocol/test/vectors/crypto.json', import.meta.url), 'utf8')) as {
  sm3: { input: string; digest: string }[];
  sm2: { privateKey: string; publicKey: string; message: string; r: string; s: string };
  ed25519: { secretKey: string; publicKey: string; message: string; signature: string }[];
  sm4: { key: string; plaintext: string; once: string; million: string };
};
const SM3_VECTORS = vectors.sm3;
const SM2_VECTOR = vectors.sm2;
const ED25519_VECTORS = vectors.ed25519;

test('node SM3 matches GM/T 0004 examples', () => {
  for (const { input, digest } of SM3_VECTORS) assert.equal(toHex(nodeSuite('gm').hash(utf8(input))), digest);
});

test('node SM2 verifies the GM/T 0003.5 Annex A signature; raw key import gives the same public key', () => {
  const signature = encodeDerSignature(BigInt('0x' + SM2_VECTOR.r), BigInt('0x' + SM2_VECTOR.s));
  const publicKey = fromHex(SM2_VECTOR.publicKey);
  assert.equal(nodeSuite('gm').verify(publicKey, utf8(SM2_VECTOR.message), signature), true);
  assert.equal(nodeSuite('gm').verify(publicKey, utf8('message digesT'), signature), false);
  const key = signingKeyFromRawPrivateKey('gm', fromHex(SM2_VECTOR.privateKey));
  assert.equal(toHex(key.publicKey), SM2_VECTOR.publicKey);
});

test('node Ed25519: RFC 8032 §7.1 tests 1-3, signing is deterministic and matches', () => {
  for (const v of ED25519_VECTORS) {
    const key = signingKeyFromRawPrivateKey('intl', fromHex(v.secretKey));
    assert.equal(toHex(key.publicKey), v.publicKey);
    assert.equal(toHex(key.sign(fromHex(v.message))), v.signature);
    assert.equal(nodeSuite('intl').verify(key.publicKey, fromHex(v.message), fromHex(v.signature)), true);
  }
});

test('SM4 (OpenSSL): GB/T 32907-2016 Annex A examples 1 and 2 (1,000,000 rounds)', () => {
  const { key, plaintext, once, million } = vectors.sm4;
  const cipher = createCipheriv('sm4-ecb', fromHex(key), null).setAutoPadding(false);
  let block: Uint8Array = cipher.update(fromHex(plaintext));
  assert.equal(toHex(block), once);
  for (let round = 1; round < 1_000_000; round++) block = cipher.update(block);
  assert.equal(toHex(block), million);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ED25519_TORSION_SUBGROUP, ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, fromHex, pureSuite, toHex, utf8 } from '@xinlian/protocol';
import { nodeSuite, signingKeyFromRawPrivateKey } from '../../src/index.js';

// Edge cases of the Ed25519 acceptance rule (docs/spec/crypto.md). OpenSSL (through node:crypto) is
// the reference: the pure verifier must give the same answer on every case, and the expected values
// pin down the rule itself.
const Point = ed25519.Point;
const L = Point.CURVE().n;
const P = 2n ** 255n - 19n;

function le32(value: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0, v = value; i < 32; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}
const fromLe = (bytes: Uint8Array) => bytes.reduceRight((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
const kOf = (r: Uint8Array, a: Uint8Array, m: Uint8Array) => fromLe(sha512(concatBytes(r, a, m))) % L;

function both(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const native = nodeSuite('intl').verify(publicKey, message, signature);
  assert.equal(pureSuite('intl').verify(publicKey, message, signature), native, `pure and OpenSSL disagree: A=${toHex(publicKey)} sig=${toHex(signature)}`);
  return native;
}

const IDENTITY = le32(1n); // y = 1, x = 0
const message = utf8('edge');

test('S >= L is rejected (S + L of a valid signature)', () => {
  const key = signingKeyFromRawPrivateKey('intl', new Uint8Array(32).fill(3));
  const signature = key.sign(message);
  assert.equal(both(key.publicKey, message, signature), true);
  const s = fromLe(signature.subarray(32)) + L;
  assert.equal(both(key.publicKey, message, concatBytes(signature.subarray(0, 32), le32(s))), false);
});

test('small-order A (identity) with R = identity and S = 0 is accepted: no small-order check', () => {
  assert.equal(both(IDENTITY, message, concatBytes(IDENTITY, le32(0n))), true);
});

test('non-canonical A (y = p + 1, i.e. the identity) is accepted: y is taken mod p', () => {
  assert.equal(both(le32(P + 1n), message, concatBytes(IDENTITY, le32(0n))), true);
});

test('A with x = 0 and the sign bit set is accepted', () => {
  const a = le32(1n);
  a[31]! |= 0x80;
  assert.equal(both(a, message, concatBytes(IDENTITY, le32(0n))), true);
});

test('non-canonical R never matches (R is compared, not decoded)', () => {
  assert.equal(both(IDENTITY, message, concatBytes(le32(P + 1n), le32(0n))), false);
  const r = le32(1n);
  r[31]! |= 0x80; // identity with the sign bit set
  assert.equal(both(IDENTITY, message, concatBytes(r, le32(0n))), false);
});

test('an undecodable A is rejected', () => {
  assert.equal(both(le32(2n), message, concatBytes(IDENTITY, le32(0n))), false); // y = 2 is not on the curve
});

test('mixed-order A: cofactorless, accepted exactly when 8 divides k', () => {
  // A' = aB + T with T of order 8; an honest-looking signature for A' verifies only if [k]T = 0.
  const torsion = Point.fromBytes(fromHex(ED25519_TORSION_SUBGROUP[1]!), true);
  assert.ok(torsion.multiplyUnsafe(8n).is0() && !torsion.multiplyUnsafe(4n).is0());
  const a = 123456789n;
  const publicKey = Point.BASE.multiply(a).add(torsion).toBytes();
  let accepted = 0;
  for (let i = 0; i < 48; i++) {
    const m = utf8(`mixed ${i}`);
    const nonce = 1000n + BigInt(i);
    const r = Point.BASE.multiply(nonce).toBytes();
    const k = kOf(r, publicKey, m);
    const s = (nonce + k * a) % L;
    const ok = both(publicKey, m, concatBytes(r, le32(s)));
    assert.equal(ok, k % 8n === 0n);
    if (ok) accepted++;
  }
  assert.ok(accepted < 48);
});

import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesEqual, concatBytes } from '../bytes.js';

const Point = ed25519.Point;
const L = Point.CURVE().n;

function littleEndianToBigint(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}

/**
 * Ed25519 verification with exactly OpenSSL 3's acceptance rule (docs/spec/crypto.md), because the
 * nodes verify with OpenSSL and a browser must agree with them bit for bit:
 * 1. S (signature bytes 32..63, little-endian) must be < L;
 * 2. A is decoded as OpenSSL does: the low 255 bits give y, taken modulo p (so non-canonical
 *    y >= p is accepted), x is the square root selected by the top bit (x = 0 with the bit set is
 *    accepted); no check that A has prime order;
 * 3. k = SHA-512(R || A || M) mod L over the bytes as received;
 * 4. accept iff the canonical encoding of [S]B - [k]A equals R byte for byte (cofactorless; R is
 *    never decoded, so a non-canonical R can never match).
 * noble's own verify is cofactored and, with zip215 off, rejects small-order keys: not the same.
 */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const s = littleEndianToBigint(signature.subarray(32));
  if (s >= L) return false;
  let a: InstanceType<typeof Point>;
  try {
    a = Point.fromBytes(publicKey, true);
  } catch {
    return false;
  }
  const r = signature.subarray(0, 32);
  const k = littleEndianToBigint(sha512(concatBytes(r, publicKey, message))) % L;
  const check = Point.BASE.multiplyUnsafe(s).subtract(a.multiplyUnsafe(k));
  return bytesEqual(check.toBytes(), r);
}

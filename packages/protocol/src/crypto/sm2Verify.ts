import { concatBytes } from '../bytes.js';
import { decodeDerSignature } from './derSignature.js';
import { bytesToBigint, parseSm2PublicKey, SM2_CURVE, Sm2Point } from './sm2Curve.js';
import { SM2_DEFAULT_USER_ID, sm2Za } from './sm2Za.js';
import { sm3 } from './sm3.js';

const N = SM2_CURVE.n;

/**
 * SM2 signature verification (GM/T 0003.2-2012 §7): e = SM3(Z_A || M), r, s in [1, n-1],
 * t = (r + s) mod n != 0, (x1, y1) = [s]G + [t]P_A, accept iff (e + x1) mod n = r.
 * `signature` is strict DER (see decodeDerSignature). Never throws on bad input.
 */
export function sm2Verify(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  userId: Uint8Array = SM2_DEFAULT_USER_ID,
): boolean {
  const point = parseSm2PublicKey(publicKey);
  if (point === undefined) return false;
  const pair = decodeDerSignature(signature);
  if (pair === undefined) return false;
  const { r, s } = pair;
  if (r < 1n || r >= N || s < 1n || s >= N) return false;
  const t = (r + s) % N;
  if (t === 0n) return false;
  let za: Uint8Array;
  try {
    za = sm2Za(publicKey, userId);
  } catch {
    return false;
  }
  const e = bytesToBigint(sm3(concatBytes(za, message)));
  const sum = Sm2Point.BASE.mulAddUnsafe(s, point, t);
  if (sum.is0()) return false;
  return (e + sum.toAffine().x) % N === r;
}

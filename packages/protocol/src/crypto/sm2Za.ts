import { concatBytes, utf8 } from '../bytes.js';
import { XinlianError } from '../errors.js';
import { bigintTo32Bytes, parseSm2PublicKey, SM2_CURVE } from './sm2Curve.js';
import { sm3 } from './sm3.js';

/** GM/T 0009-2012 §10: the user ID used when the parties agreed on none. */
export const SM2_DEFAULT_USER_ID = utf8('1234567812345678');

const CURVE_BYTES = concatBytes(
  bigintTo32Bytes(SM2_CURVE.a),
  bigintTo32Bytes(SM2_CURVE.b),
  bigintTo32Bytes(SM2_CURVE.Gx),
  bigintTo32Bytes(SM2_CURVE.Gy),
);

/**
 * Z_A = SM3(ENTL_A || ID_A || a || b || x_G || y_G || x_A || y_A) (GM/T 0003.2 §5.5), where ENTL_A
 * is the ID's length in bits as two big-endian bytes. Signatures are over SM3(Z_A || M), so Z_A
 * binds them to the signer's key and ID. Throws KEY_INVALID unless `publicKey` is 04 || x || y on
 * the curve; the node and the browser share this function so they hash the same bytes.
 */
export function sm2Za(publicKey: Uint8Array, userId: Uint8Array = SM2_DEFAULT_USER_ID): Uint8Array {
  if (parseSm2PublicKey(publicKey) === undefined) {
    throw new XinlianError('KEY_INVALID', 'SM2 public key must be 65 bytes 04 || x || y on the curve');
  }
  if (userId.length > 8191) throw new XinlianError('BAD_REQUEST', 'SM2 user ID longer than 8191 bytes');
  const bits = userId.length * 8;
  return sm3(concatBytes(Uint8Array.of(bits >> 8, bits & 0xff), userId, CURVE_BYTES, publicKey.subarray(1)));
}

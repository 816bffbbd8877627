import { weierstrass } from '@noble/curves/abstract/weierstrass.js';

/**
 * The SM2 recommended curve (GM/T 0003.5-2012, GB/T 32918.5-2017), a = p - 3, cofactor 1.
 * Arithmetic is @noble/curves' generic short-Weierstrass implementation.
 */
export const SM2_CURVE = {
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  h: 1n,
} as const;

export const Sm2Point = weierstrass(SM2_CURVE);
export type Sm2Point = InstanceType<typeof Sm2Point>;

/** 32-byte big-endian field element or scalar. */
export function bigintTo32Bytes(value: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let v = value;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

export function bytesToBigint(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/**
 * Parses an uncompressed SM2 public key (04 || x || y) and checks it is on the curve. Returns
 * undefined for any other form: compressed and hybrid (06/07) points are valid SEC 1 but are not
 * our key format, and accepting them would give one key several encodings.
 */
export function parseSm2PublicKey(publicKey: Uint8Array): Sm2Point | undefined {
  if (publicKey.length !== 65 || publicKey[0] !== 0x04) return undefined;
  try {
    const point = Sm2Point.fromBytes(publicKey);
    return point.is0() ? undefined : point;
  } catch {
    return undefined;
  }
}

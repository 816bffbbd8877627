/**
 * DER encoding of an ECDSA-style signature, SEQUENCE { r INTEGER, s INTEGER } (as SM2 signatures
 * travel, GM/T 0009 §7.2). Decoding is strict: exactly one encoding is accepted for each (r, s),
 * because a signature that can be re-encoded would give one transaction several valid byte forms.
 * OpenSSL enforces the same for SM2 by re-encoding what it parsed and comparing.
 */

export interface SignaturePair {
  readonly r: bigint;
  readonly s: bigint;
}

// Both integers are at most 33 bytes (32 plus a sign byte), so every length fits the short form.
const MAX_INTEGER_BYTES = 33;

function readInteger(bytes: Uint8Array, offset: number): { value: bigint; next: number } | undefined {
  if (bytes[offset] !== 0x02) return undefined;
  const length = bytes[offset + 1];
  if (length === undefined || length === 0 || length > MAX_INTEGER_BYTES) return undefined;
  const start = offset + 2;
  const end = start + length;
  if (end > bytes.length) return undefined;
  const first = bytes[start]!;
  if (first & 0x80) return undefined; // negative
  if (first === 0 && length > 1 && (bytes[start + 1]! & 0x80) === 0) return undefined; // non-minimal
  let value = 0n;
  for (let i = start; i < end; i++) value = (value << 8n) | BigInt(bytes[i]!);
  return { value, next: end };
}

/** Returns undefined unless `bytes` is the unique DER encoding of two non-negative integers. */
export function decodeDerSignature(bytes: Uint8Array): SignaturePair | undefined {
  if (bytes.length < 8 || bytes[0] !== 0x30) return undefined;
  const length = bytes[1]!;
  if (length & 0x80 || length + 2 !== bytes.length) return undefined;
  const r = readInteger(bytes, 2);
  if (r === undefined) return undefined;
  const s = readInteger(bytes, r.next);
  if (s === undefined || s.next !== bytes.length) return undefined;
  return { r: r.value, s: s.value };
}

function integerBytes(value: bigint): number[] {
  const out: number[] = [];
  for (let v = value; v > 0n; v >>= 8n) out.unshift(Number(v & 0xffn));
  if (out.length === 0 || out[0]! & 0x80) out.unshift(0);
  return out;
}

/** DER for 0 <= r, s < 2^256 (callers pass values already reduced modulo the group order). */
export function encodeDerSignature(r: bigint, s: bigint): Uint8Array {
  if (r < 0n || s < 0n || r >= 1n << 256n || s >= 1n << 256n) throw new RangeError('signature component out of range');
  const rBytes = integerBytes(r);
  const sBytes = integerBytes(s);
  return Uint8Array.from([0x30, rBytes.length + sBytes.length + 4, 0x02, rBytes.length, ...rBytes, 0x02, sBytes.length, ...sBytes]);
}

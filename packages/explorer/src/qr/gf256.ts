// Arithmetic in GF(2^8) modulo x^8 + x^4 + x^3 + x^2 + 1 (0x11D), the field of the Reed–Solomon
// codes of QR symbols (ISO/IEC 18004 §7.5.2). Addition is XOR; multiplication goes through
// tables of powers of α = 2 and their logarithms, built once.

const EXP = new Uint8Array(510);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  // A second period, so a product's exponent sum (at most 254 + 254) needs no reduction.
  for (let i = 255; i < 510; i++) EXP[i] = EXP[i - 255]!;
}

/** a · b in GF(256). */
export function gfMultiply(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!;
}

/** α^exponent, for any exponent ≥ 0 (α has order 255). */
export function gfPower(exponent: number): number {
  return EXP[exponent % 255]!;
}

/** log_α(a) for a ≠ 0. */
export function gfLog(a: number): number {
  if (a === 0) throw new RangeError('log of 0 in GF(256)');
  return LOG[a]!;
}

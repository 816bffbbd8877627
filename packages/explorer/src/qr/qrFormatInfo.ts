// Format and version information (ISO/IEC 18004 §7.9, §7.10, Annexes C and D): short BCH codes
// that let a reader learn the error correction level, the mask and (from version 7) the version
// before it reads anything else, and correct a few misread bits of them.

/** Generator of the (15, 5) BCH code of format information: x^10 + x^8 + x^5 + x^4 + x^2 + x + 1. */
export const FORMAT_GENERATOR = 0x537;
/** Generator of the (18, 6) BCH code of version information: x^12 + x^11 + x^10 + x^9 + x^8 + x^5 + x^2 + 1. */
export const VERSION_GENERATOR = 0x1f25;
/** XORed into format information so that it is never all light (§7.9.1). */
export const FORMAT_MASK = 0x5412;
/** Level M's two bits in format information (L 01, M 00, Q 11, H 10). */
export const LEVEL_M_BITS = 0b00;

/** The remainder of `value` (as a polynomial over GF(2)) divided by `generator`. */
export function bchRemainder(value: number, generator: number): number {
  const degree = 31 - Math.clz32(generator);
  let rest = value;
  for (let bit = 31 - Math.clz32(rest); bit >= degree; bit = 31 - Math.clz32(rest)) rest ^= generator << (bit - degree);
  return rest;
}

/** The 15 format bits for level M and `mask`: 5 data bits, 10 BCH bits, masked. */
export function formatBits(mask: number): number {
  const data = (LEVEL_M_BITS << 3) | mask;
  return ((data << 10) | bchRemainder(data << 10, FORMAT_GENERATOR)) ^ FORMAT_MASK;
}

/** The 18 version bits (versions 7 and up): 6 data bits, 12 BCH bits, not masked. */
export function versionBits(version: number): number {
  return (version << 12) | bchRemainder(version << 12, VERSION_GENERATOR);
}

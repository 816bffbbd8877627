// Reed–Solomon error correction codewords as QR symbols use them (ISO/IEC 18004 §7.5.2): the
// generator polynomial of degree n is (x − α^0)(x − α^1)…(x − α^(n−1)), and a block's n parity
// codewords are the remainder of data(x) · x^n divided by it. Polynomials are arrays of
// coefficients, highest degree first, as codewords are sent.
import { gfMultiply, gfPower } from './gf256.js';

/** The generator polynomial of degree `degree`: degree + 1 coefficients, the first 1. */
export function rsGenerator(degree: number): Uint8Array {
  let poly = Uint8Array.of(1);
  for (let i = 0; i < degree; i++) {
    // poly · (x + α^i): in characteristic 2, minus is plus.
    const next = new Uint8Array(poly.length + 1);
    const root = gfPower(i);
    for (let j = 0; j < poly.length; j++) {
      next[j]! ^= poly[j]!;
      next[j + 1]! ^= gfMultiply(poly[j]!, root);
    }
    poly = next;
  }
  return poly;
}

/** The `degree` parity codewords of a block of data codewords: the division remainder. */
export function rsParity(data: Uint8Array, degree: number): Uint8Array {
  const generator = rsGenerator(degree);
  const remainder = new Uint8Array(degree);
  for (const byte of data) {
    // Long division one coefficient at a time, the remainder shifting like a register.
    const factor = byte ^ remainder[0]!;
    remainder.copyWithin(0, 1);
    remainder[degree - 1] = 0;
    for (let i = 0; i < degree; i++) remainder[i]! ^= gfMultiply(generator[i + 1]!, factor);
  }
  return remainder;
}

/**
 * The syndromes of a codeword (data then parity): its value at α^0 … α^(degree−1), the
 * generator's roots. All are zero exactly when the generator divides it, that is for a block that
 * rsParity made and nothing changed since.
 */
export function rsSyndromes(codeword: Uint8Array, degree: number): number[] {
  const syndromes: number[] = [];
  for (let i = 0; i < degree; i++) {
    const x = gfPower(i);
    let value = 0;
    for (const coefficient of codeword) value = gfMultiply(value, x) ^ coefficient;
    syndromes.push(value);
  }
  return syndromes;
}

// Index arithmetic for tree sizes up to 2^53-1 (the codec's u64 limit). JS bitwise operators work
// on 32 bits, so everything here is plain arithmetic, exact for safe integers.

export function isTreeIndex(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

export function isOdd(value: number): boolean {
  return value % 2 === 1;
}

export function half(value: number): number {
  return Math.floor(value / 2);
}

/** The k of RFC 6962: the largest power of two strictly below `size` (size >= 2). */
export function largestPowerOfTwoBelow(size: number): number {
  let power = 1;
  while (power * 2 < size) power *= 2;
  return power;
}

/** Smallest `level` with 2^level >= size (size >= 1): the height of a subtree of that many leaves. */
export function ceilLog2(size: number): number {
  let level = 0;
  let power = 1;
  while (power < size) {
    power *= 2;
    level++;
  }
  return level;
}

export function isPowerOfTwo(value: number): boolean {
  return value >= 1 && 2 ** ceilLog2(value) === value;
}

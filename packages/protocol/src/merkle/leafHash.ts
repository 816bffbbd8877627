/**
 * RFC 6962 §2.1 / RFC 9162 §2.1.1 hashing (docs/spec/merkle.md). The two one-byte prefixes keep a
 * leaf from ever being read as an interior node (the second-preimage attack on unprefixed trees).
 *
 * The hash is a parameter, not a suite, so that the same code serves SM3 (gm) and SHA-256 (intl)
 * and tests can pass Node's hashes.
 */
export type HashFunction = (data: Uint8Array) => Uint8Array;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;
const EMPTY = new Uint8Array(0);

/** MTH({d}) = HASH(0x00 || d). */
export function leafHash(hash: HashFunction, data: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + data.length);
  input[0] = LEAF_PREFIX;
  input.set(data, 1);
  return hash(input);
}

/** HASH(0x01 || left || right). */
export function nodeHash(hash: HashFunction, left: Uint8Array, right: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return hash(input);
}

/** MTH({}) = HASH() — the hash of the empty string, with no prefix. */
export function emptyTreeRoot(hash: HashFunction): Uint8Array {
  return hash(EMPTY);
}

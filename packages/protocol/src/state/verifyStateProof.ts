import { bytesEqual } from '../bytes.js';
import type { StateProof } from './stateProof.js';
import {
  type StateHashFunction, STATE_EMPTY_HASH, STATE_HASH_BYTES, STATE_PATH_BITS,
  statePathBit, stateKeyHash, stateLeafHash, stateNodeHash, stateValueHash,
} from './stateHash.js';

/**
 * True when `proof` shows that under `root` the key holds `value` (inclusion) or, when `value` is
 * undefined, that the key is absent. Never throws on malformed input: a bad proof is just false.
 */
export function verifyStateProof(
  hash: StateHashFunction,
  root: Uint8Array,
  key: Uint8Array,
  value: Uint8Array | undefined,
  proof: StateProof,
): boolean {
  const { siblings, terminal } = proof;
  if (root.length !== STATE_HASH_BYTES || siblings.length > STATE_PATH_BITS) return false;
  if (siblings.some((sibling) => sibling.length !== STATE_HASH_BYTES)) return false;
  const path = stateKeyHash(hash, key);
  const depth = siblings.length;
  let current: Uint8Array;
  if (value !== undefined) {
    if (terminal.kind !== 'leaf') return false;
    current = stateLeafHash(hash, path, stateValueHash(hash, value));
  } else if (terminal.kind === 'empty') {
    current = STATE_EMPTY_HASH;
  } else if (terminal.kind === 'otherLeaf') {
    const { keyHash, valueHash } = terminal;
    if (keyHash.length !== STATE_HASH_BYTES || valueHash.length !== STATE_HASH_BYTES) return false;
    // The other key must differ from ours yet sit on our path: a leaf lives at a prefix of its path.
    if (bytesEqual(keyHash, path) || !sharesPrefix(keyHash, path, depth)) return false;
    current = stateLeafHash(hash, keyHash, valueHash);
  } else {
    return false;
  }
  for (let level = depth - 1; level >= 0; level--) {
    const sibling = siblings[level]!;
    current = statePathBit(path, level) === 0
      ? stateNodeHash(hash, current, sibling)
      : stateNodeHash(hash, sibling, current);
  }
  return bytesEqual(current, root);
}

function sharesPrefix(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  for (let i = 0; i < bits; i++) if (statePathBit(a, i) !== statePathBit(b, i)) return false;
  return true;
}

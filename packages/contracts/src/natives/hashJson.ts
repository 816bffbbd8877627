// The suite hash of text, as contracts see it: api.hash of a string, and api.hashJson of a value,
// which is the hash of the value's canonical JSON, the identity of a JSON document on chain.
import { toHex, utf8 } from '@xinlian/protocol';
import { canonicalJson } from './canonicalJson.js';

/** The chain suite's hash (SM3 or SHA-256): the node passes its own, so natives know no suite. */
export type SuiteHash = (data: Uint8Array) => Uint8Array;

/**
 * Lower-case hex of the suite hash of the UTF-8 bytes of `text`, as api.hash has always been. A
 * lone surrogate has no UTF-8 form and is encoded as U+FFFD (the WHATWG encoder's rule).
 */
export function hashText(text: string, hash: SuiteHash): string {
  return toHex(hash(utf8(text)));
}

/** Lower-case hex of the suite hash of the UTF-8 bytes of `canonicalJson(value)`. */
export function hashJson(value: unknown, hash: SuiteHash): string {
  return hashText(canonicalJson(value), hash);
}

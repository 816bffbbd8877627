import { sha256 } from '@noble/hashes/sha2.js';
import { ed25519Verify } from './ed25519Verify.js';
import { sm2Verify } from './sm2Verify.js';
import { sm3 } from './sm3.js';
import type { SuiteName, VerifySuite } from './suite.js';

const GM: VerifySuite = Object.freeze({
  name: 'gm',
  hashBytes: 32,
  publicKeyBytes: 65,
  hash: (data: Uint8Array) => sm3(data),
  verify: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => sm2Verify(publicKey, message, signature),
});

const INTL: VerifySuite = Object.freeze({
  name: 'intl',
  hashBytes: 32,
  publicKeyBytes: 32,
  hash: (data: Uint8Array) => sha256(data),
  verify: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => ed25519Verify(publicKey, message, signature),
});

/** The browser-safe suites (plain TypeScript + @noble). Same acceptance rules as nodeSuite. */
export function pureSuite(name: SuiteName): VerifySuite {
  return name === 'gm' ? GM : INTL;
}

import { createPublicKey, type KeyObject } from 'node:crypto';
import { bytesEqual, concatBytes, fromHex, XinlianError, type SuiteName } from '@xinlian/protocol';

/**
 * DER wrappers between our raw key formats (docs/spec/crypto.md) and the PKCS#8 / SPKI structures
 * OpenSSL imports. The prefixes are fixed because every field before the key bytes is fixed.
 */
// SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (32 bytes) }  (RFC 8410)
const ED25519_SPKI_PREFIX = fromHex('302a300506032b6570032100');
// SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32 bytes) } }
const ED25519_PKCS8_PREFIX = fromHex('302e020100300506032b657004220420');
// SEQUENCE { SEQUENCE { OID id-ecPublicKey, OID sm2p256v1 1.2.156.10197.1.301 }, BIT STRING (65 bytes) }
const SM2_SPKI_PREFIX = fromHex('3059301306072a8648ce3d020106082a811ccf5501822d034200');
// PKCS#8 over SEC 1 ECPrivateKey { version 1, privateKey (32 bytes) }; OpenSSL derives the public key.
const SM2_PKCS8_PREFIX = fromHex('3041020100301306072a8648ce3d020106082a811ccf5501822d042730250201010420');

export function spkiFromRaw(suite: SuiteName, publicKey: Uint8Array): Uint8Array {
  return concatBytes(suite === 'gm' ? SM2_SPKI_PREFIX : ED25519_SPKI_PREFIX, publicKey);
}

export function pkcs8FromRaw(suite: SuiteName, privateKey: Uint8Array): Uint8Array {
  return concatBytes(suite === 'gm' ? SM2_PKCS8_PREFIX : ED25519_PKCS8_PREFIX, privateKey);
}

/** The suite and raw public key of any OpenSSL key object (private keys give their public half). */
export function rawPublicKeyOf(key: KeyObject): { suite: SuiteName; publicKey: Uint8Array } {
  const publicKey = key.type === 'public' ? key : createPublicKey(key);
  const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
  for (const [suite, prefix, length] of [['gm', SM2_SPKI_PREFIX, 65], ['intl', ED25519_SPKI_PREFIX, 32]] as const) {
    if (spki.length === prefix.length + length && bytesEqual(spki.subarray(0, prefix.length), prefix)) {
      return { suite, publicKey: spki.slice(prefix.length) };
    }
  }
  throw new XinlianError('KEY_INVALID', 'unsupported key type: expected an SM2 (gm) or Ed25519 (intl) key');
}

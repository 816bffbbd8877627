import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { concatBytes, utf8, XinlianError, type SuiteName } from '@xinlian/protocol';

/**
 * Authenticated encryption with a 32-byte key (docs/spec/crypto.md, docs/adr/001-crypto-suites.md).
 * intl: AES-256-GCM, sealed = nonce (12) || ciphertext || tag (16).
 * gm:   SM4-CTR then HMAC-SM3 (encrypt-then-MAC), sealed = iv (16) || ciphertext || tag (32), with
 *       tag = HMAC-SM3(macKey, u64be(len(ad)) || ad || iv || ciphertext) and both subkeys from
 *       HKDF-SM3(key, info = "xinlian/seal/gm/v1 enc" | "... mac"). Node 20 has no SM4-GCM.
 */
export const SEAL_KEY_BYTES = 32;

const GCM_NONCE_BYTES = 12;
const GCM_TAG_BYTES = 16;
const CTR_IV_BYTES = 16;
const HMAC_SM3_BYTES = 32;
const EMPTY = new Uint8Array(0);

function checkKey(key: Uint8Array): void {
  if (key.length !== SEAL_KEY_BYTES) throw new XinlianError('KEY_INVALID', `seal key must be ${SEAL_KEY_BYTES} bytes`);
}

function gmSubkeys(key: Uint8Array): { encryption: Uint8Array; mac: Uint8Array } {
  const derive = (label: string, length: number) => new Uint8Array(hkdfSync('sm3', key, EMPTY, utf8(`xinlian/seal/gm/v1 ${label}`), length));
  return { encryption: derive('enc', 16), mac: derive('mac', HMAC_SM3_BYTES) };
}

function gmTag(macKey: Uint8Array, associatedData: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const length = new Uint8Array(8);
  new DataView(length.buffer).setBigUint64(0, BigInt(associatedData.length));
  return new Uint8Array(createHmac('sm3', macKey).update(length).update(associatedData).update(iv).update(ciphertext).digest());
}

export function seal(suite: SuiteName, key: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array = EMPTY): Uint8Array {
  checkKey(key);
  if (suite === 'intl') {
    const nonce = randomBytes(GCM_NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(associatedData);
    const body = concatBytes(cipher.update(plaintext), cipher.final());
    return concatBytes(nonce, body, cipher.getAuthTag());
  }
  const { encryption, mac } = gmSubkeys(key);
  const iv = new Uint8Array(randomBytes(CTR_IV_BYTES));
  const cipher = createCipheriv('sm4-ctr', encryption, iv);
  const ciphertext = concatBytes(cipher.update(plaintext), cipher.final());
  return concatBytes(iv, ciphertext, gmTag(mac, associatedData, iv, ciphertext));
}

/** Throws DECRYPT_FAILED for any tampering, truncation or wrong key (without saying which). */
export function open(suite: SuiteName, key: Uint8Array, sealed: Uint8Array, associatedData: Uint8Array = EMPTY): Uint8Array {
  checkKey(key);
  const failed = () => new XinlianError('DECRYPT_FAILED', 'sealed data failed authentication');
  if (suite === 'intl') {
    if (sealed.length < GCM_NONCE_BYTES + GCM_TAG_BYTES) throw failed();
    const nonce = sealed.subarray(0, GCM_NONCE_BYTES);
    const tag = sealed.subarray(sealed.length - GCM_TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: GCM_TAG_BYTES }).setAAD(associatedData);
      decipher.setAuthTag(tag);
      return concatBytes(decipher.update(sealed.subarray(GCM_NONCE_BYTES, sealed.length - GCM_TAG_BYTES)), decipher.final());
    } catch {
      throw failed();
    }
  }
  if (sealed.length < CTR_IV_BYTES + HMAC_SM3_BYTES) throw failed();
  const { encryption, mac } = gmSubkeys(key);
  const iv = sealed.subarray(0, CTR_IV_BYTES);
  const ciphertext = sealed.subarray(CTR_IV_BYTES, sealed.length - HMAC_SM3_BYTES);
  const tag = sealed.subarray(sealed.length - HMAC_SM3_BYTES);
  if (!timingSafeEqual(gmTag(mac, associatedData, iv, ciphertext), tag)) throw failed();
  const decipher = createDecipheriv('sm4-ctr', encryption, iv);
  return concatBytes(decipher.update(ciphertext), decipher.final());
}

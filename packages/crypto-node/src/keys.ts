import { createPrivateKey, createPublicKey, createSign, generateKeyPairSync, sign as oneShotSign, type KeyObject } from 'node:crypto';
import { bytesToBigint, SM2_CURVE, sm2Za, XinlianError, type Signer, type SuiteName } from '@xinlian/protocol';
import { pkcs8FromRaw, rawPublicKeyOf } from './keyEncoding.js';
import { nodeSuite } from './nodeSuite.js';

export interface KeyPairPem {
  /** PKCS#8 PEM; "ENCRYPTED PRIVATE KEY" (PBES2, AES-256-CBC) when a passphrase was given. */
  readonly privateKeyPem: string;
  /** SPKI PEM. */
  readonly publicKeyPem: string;
}

export interface SigningKey {
  readonly suite: SuiteName;
  /** Raw public key: intl 32 bytes, gm 65 bytes 04 || x || y. */
  readonly publicKey: Uint8Array;
  /** intl: Ed25519 (64 bytes); gm: SM2 over SM3(Z_A || message), DER. */
  sign(message: Uint8Array): Uint8Array;
  readonly signer: Signer;
}

export function generateKeyPair(suite: SuiteName, passphrase?: string): KeyPairPem {
  const privateKeyEncoding =
    passphrase === undefined
      ? { type: 'pkcs8' as const, format: 'pem' as const }
      : { type: 'pkcs8' as const, format: 'pem' as const, cipher: 'aes-256-cbc', passphrase };
  const publicKeyEncoding = { type: 'spki' as const, format: 'pem' as const };
  const pair =
    suite === 'gm'
      ? generateKeyPairSync('ec', { namedCurve: 'SM2', privateKeyEncoding, publicKeyEncoding })
      : generateKeyPairSync('ed25519', { privateKeyEncoding, publicKeyEncoding });
  return { privateKeyPem: pair.privateKey, publicKeyPem: pair.publicKey };
}

function signingKeyFromObject(key: KeyObject): SigningKey {
  // A key generated in memory is typed plain "ec" and would sign ECDSA; re-importing the DER makes
  // OpenSSL type it SM2 (docs/adr/001-crypto-suites.md).
  const { suite, publicKey } = rawPublicKeyOf(key);
  const privateKey =
    key.asymmetricKeyType === 'ec'
      ? createPrivateKey({ key: key.export({ type: 'pkcs8', format: 'der' }), format: 'der', type: 'pkcs8' })
      : key;
  const za = suite === 'gm' ? sm2Za(publicKey) : undefined;
  const sign = (message: Uint8Array): Uint8Array =>
    za === undefined
      ? new Uint8Array(oneShotSign(null, message, privateKey))
      : new Uint8Array(createSign('sm3').update(za).update(message).sign(privateKey));
  return Object.freeze({ suite, publicKey, sign, signer: async (message: Uint8Array) => sign(message) });
}

/** Loads a PKCS#8 (or SEC 1) PEM private key; the suite follows from the key type. */
export function loadSigningKey(pem: string, passphrase?: string): SigningKey {
  if (passphrase === undefined && /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(pem)) {
    throw new XinlianError('PASSPHRASE_REQUIRED', 'the private key is encrypted; a passphrase is required');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(passphrase === undefined ? { key: pem, format: 'pem' } : { key: pem, format: 'pem', passphrase });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MISSING_PASSPHRASE') throw new XinlianError('PASSPHRASE_REQUIRED', 'the private key is encrypted; a passphrase is required');
    const hint = code === 'ERR_OSSL_BAD_DECRYPT' ? 'wrong passphrase or corrupt key' : 'not a readable PEM private key';
    throw new XinlianError('KEY_INVALID', hint);
  }
  return signingKeyFromObject(key);
}

/** intl: the 32-byte RFC 8032 seed; gm: the 32-byte big-endian scalar d, 1 <= d <= n - 2. */
export function signingKeyFromRawPrivateKey(suite: SuiteName, privateKey: Uint8Array): SigningKey {
  if (privateKey.length !== 32) throw new XinlianError('KEY_INVALID', 'raw private key must be 32 bytes');
  if (suite === 'gm') {
    // d = n - 1 has no inverse of 1 + d, which SM2 signing needs (GM/T 0003.1 §6.1).
    const d = bytesToBigint(privateKey);
    if (d < 1n || d > SM2_CURVE.n - 2n) throw new XinlianError('KEY_INVALID', 'SM2 private key out of range');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(pkcs8FromRaw(suite, privateKey)), format: 'der', type: 'pkcs8' });
  } catch {
    throw new XinlianError('KEY_INVALID', `not a valid ${suite} private key`);
  }
  return signingKeyFromObject(key);
}

/** Reads an SPKI PEM public key. */
export function loadPublicKeyPem(pem: string): { suite: SuiteName; publicKey: Uint8Array } {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new XinlianError('KEY_INVALID', 'not a readable PEM public key');
  }
  return rawPublicKeyOf(key);
}

export function publicKeyToPem(suite: SuiteName, publicKey: Uint8Array): string {
  return nodeSuite(suite).importPublicKey(publicKey).export({ type: 'spki', format: 'pem' }).toString();
}

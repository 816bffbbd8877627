/**
 * The two crypto suites, fixed per chain at genesis (docs/adr/001-crypto-suites.md).
 *
 * A VerifySuite is all that a verifier needs: hashing and signature verification over raw public
 * keys. It is pure, so the offline proof verifier runs in a browser. The node uses a faster
 * implementation backed by OpenSSL (@xinlian/crypto-node) that must accept exactly the same
 * signatures: both pass the same vector files.
 */
export const SUITE_NAMES = ['gm', 'intl'] as const;
export type SuiteName = (typeof SUITE_NAMES)[number];

export function isSuiteName(value: unknown): value is SuiteName {
  return value === 'gm' || value === 'intl';
}

export interface VerifySuite {
  readonly name: SuiteName;
  /** 32 for both SM3 and SHA-256. */
  readonly hashBytes: number;
  /** Raw public key length: intl 32 (Ed25519), gm 65 (uncompressed SM2 point 04 || x || y). */
  readonly publicKeyBytes: number;
  /** SM3 (gm) or SHA-256 (intl). */
  hash(data: Uint8Array): Uint8Array;
  /**
   * intl: Ed25519 with strict RFC 8032 rules over `message`.
   * gm: SM2 (GM/T 0003) with e = SM3(Z_A || message), Z_A over the default user ID
   * "1234567812345678"; `signature` is DER SEQUENCE { r INTEGER, s INTEGER }.
   * Returns false for any malformed key or signature; never throws on bad input.
   */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

/**
 * Signs a message (in the protocol always a 32-byte signing digest, see signingDigest) and returns
 * the suite's signature bytes. A function, so that HSMs, remote signers and offline signing fit.
 */
export type Signer = (message: Uint8Array) => Promise<Uint8Array>;

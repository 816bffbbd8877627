import { pemDecode, XinlianError, type Signer, type SuiteName } from '@xinlian/protocol';
import { loadSigningKey, signingKeyFromRawPrivateKey } from '@xinlian/crypto-node';

/**
 * Who signs: the member's certificate (DER) and a signer function. The signer may be a key file, a
 * raw key, an HSM or a remote service: anything that signs a 32-byte digest.
 */
export interface Identity {
  suite: SuiteName;
  certDer: Uint8Array;
  signer: Signer;
}

function certFromPem(certPem: string): Uint8Array {
  try {
    return pemDecode(certPem, 'CERTIFICATE');
  } catch (error) {
    throw new XinlianError('CERT_INVALID', `not a PEM certificate: ${(error as Error).message}`);
  }
}

/** From a PKCS#8 key PEM (encrypted if a passphrase is given) and the member's certificate PEM. */
export function identityFromPem(keyPem: string, certPem: string, passphrase?: string): Identity {
  const key = loadSigningKey(keyPem, passphrase);
  return { suite: key.suite, certDer: certFromPem(certPem), signer: key.signer };
}

/** From raw private key bytes (Ed25519 seed, 32 bytes; SM2 scalar, 32 bytes). */
export function identityFromRawKey(suite: SuiteName, privateKey: Uint8Array, certPem: string): Identity {
  const key = signingKeyFromRawPrivateKey(suite, privateKey);
  return { suite, certDer: certFromPem(certPem), signer: key.signer };
}

/** From an external signer, e.g. an HSM: it receives the 32-byte signing digest. */
export function identityFromSigner(suite: SuiteName, certPem: string, signer: Signer): Identity {
  return { suite, certDer: certFromPem(certPem), signer };
}

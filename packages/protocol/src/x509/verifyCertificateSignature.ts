import type { VerifySuite } from '../crypto/suite.js';
import { signatureAlgorithmOf, type Certificate } from './certificate.js';

/**
 * True when `issuerPublicKey` signed the certificate's TBS bytes with the suite's algorithm
 * (gm: SM2 over SM3(Z_A || TBS) with the default user ID). Never throws on bad input.
 */
export function verifyCertificateSignature(cert: Certificate, issuerPublicKey: Uint8Array, suite: VerifySuite): boolean {
  if (cert.signatureAlgorithm !== signatureAlgorithmOf(suite.name)) return false;
  return suite.verify(issuerPublicKey, cert.tbsBytes, cert.signature);
}

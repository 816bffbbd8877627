import type { Signer } from '../crypto/suite.js';
import { XinlianError } from '../errors.js';
import { encodeSignatureAlgorithm, encodeSubjectPublicKeyInfo } from './algorithms.js';
import { keyIdentifierOf, signatureAlgorithmOf, type CertificateSpec } from './certificate.js';
import { encodeExtensions } from './certificateExtensions.js';
import { encodeName } from './certificateName.js';
import { derBitString, derExplicit, derSequence, derSmallInteger, derTime, derUnsignedInteger } from './derWriter.js';

const SERIAL_BYTES_MAX = 20;

/**
 * Builds and signs an X.509 v3 certificate with the profile of docs/spec/pki.md. The signer
 * receives the TBSCertificate bytes: intl signs them with Ed25519, gm with SM2 over
 * SM3(Z_A || TBS) and the default user ID (GM/T 0015), which is what the suites' `sign` does.
 * Throws CERT_INVALID for a spec outside the profile.
 */
export async function buildCertificate(spec: CertificateSpec, signer: Signer): Promise<Uint8Array> {
  checkSpec(spec);
  const algorithm = encodeSignatureAlgorithm(signatureAlgorithmOf(spec.suite));
  const tbs = derSequence(
    derExplicit(0, derSmallInteger(2)), // v3
    derUnsignedInteger(spec.serial),
    algorithm,
    encodeName(spec.issuer),
    derSequence(derTime(wholeSeconds(spec.notBeforeMs)), derTime(wholeSeconds(spec.notAfterMs))),
    encodeName(spec.subject),
    encodeSubjectPublicKeyInfo(spec.suite, spec.subjectPublicKey),
    encodeExtensions(spec.isCa, keyIdentifierOf(spec.hash, spec.subjectPublicKey), keyIdentifierOf(spec.hash, spec.issuerPublicKey)),
  );
  const signature = await signer(tbs);
  return derSequence(tbs, algorithm, derBitString(signature));
}

function wholeSeconds(timeMs: number): number {
  return timeMs - (timeMs % 1000);
}

function checkSpec(spec: CertificateSpec): void {
  const fail = (why: string): never => {
    throw new XinlianError('CERT_INVALID', `cannot build certificate for "${spec.subject.commonName}": ${why}`);
  };
  if (spec.serial.length === 0 || spec.serial.length > SERIAL_BYTES_MAX || spec.serial.every((b) => b === 0)) {
    fail(`serial must be a positive number of at most ${SERIAL_BYTES_MAX} bytes`);
  }
  // A top bit would need a sign octet and push a 20-byte serial past RFC 5280's 20-octet limit.
  if (spec.serial.length === SERIAL_BYTES_MAX && (spec.serial[0]! & 0x80) !== 0) fail('a 20-byte serial must have its top bit clear');
  if (!Number.isSafeInteger(spec.notBeforeMs) || !Number.isSafeInteger(spec.notAfterMs) || spec.notAfterMs <= spec.notBeforeMs) {
    fail('validity must be integer milliseconds with notAfter after notBefore');
  }
  if (spec.isCa && spec.subject.role !== undefined) fail('a CA certificate has no role');
  if (!spec.isCa && spec.subject.role === undefined) fail('a member certificate needs a role');
  if (spec.issuer.role !== undefined) fail('the issuer is a CA and has no role');
}

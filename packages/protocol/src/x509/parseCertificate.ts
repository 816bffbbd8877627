import { bytesEqual, toHex } from '../bytes.js';
import { XinlianError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { decodeSignatureAlgorithm, decodeSubjectPublicKeyInfo } from './algorithms.js';
import type { Certificate } from './certificate.js';
import { decodeExtensions } from './certificateExtensions.js';
import { decodeName } from './certificateName.js';
import { contextTag, DER_TAG } from './derTag.js';
import { DerReader } from './derReader.js';

const SERIAL_BYTES_MAX = 20;

/**
 * Parses one DER certificate of the profile in docs/spec/pki.md. Anything malformed, outside the
 * profile or larger than LIMITS.certificateBytesMax throws CERT_INVALID; no other error escapes.
 * Parsing checks structure only: signatures, validity and chaining are MembershipVerifier's job.
 */
export function parseCertificate(der: Uint8Array): Certificate {
  if (der.length > LIMITS.certificateBytesMax) {
    throw new XinlianError('CERT_INVALID', `certificate of ${der.length} bytes exceeds ${LIMITS.certificateBytesMax}`);
  }
  try {
    return parseStrict(der);
  } catch (error) {
    if (error instanceof XinlianError) throw new XinlianError('CERT_INVALID', `malformed certificate: ${error.message}`);
    throw error;
  }
}

function parseStrict(der: Uint8Array): Certificate {
  const top = new DerReader(der, 'certificate');
  const certificate = top.enter('Certificate');
  top.end();
  const tbsElement = certificate.expect(DER_TAG.sequence, 'tbsCertificate');
  const outerAlgorithm = decodeSignatureAlgorithm(certificate, 'signatureAlgorithm');
  const signature = certificate.bitStringOctets('signatureValue');
  certificate.end();
  if (signature.length === 0 || signature.length > LIMITS.signatureBytesMax) fail(`signature of ${signature.length} bytes`);

  const tbs = new DerReader(tbsElement.content, 'tbsCertificate');
  const version = tbs.enter('version', contextTag(0, true));
  if (version.smallInteger('version', 2) !== 2) fail('only X.509 v3 certificates are accepted');
  version.end();
  const serial = tbs.integerBytes('serialNumber');
  if ((serial[0]! & 0x80) !== 0 || serial.every((b) => b === 0)) fail('serial number must be positive');
  if (serial.length > SERIAL_BYTES_MAX) fail(`serial number longer than ${SERIAL_BYTES_MAX} octets`);
  const innerAlgorithm = decodeSignatureAlgorithm(tbs, 'signature');
  if (!bytesEqual(innerAlgorithm.encoded, outerAlgorithm.encoded)) fail('the two signature algorithm fields differ');
  const issuer = decodeName(tbs, 'issuer');
  const validity = tbs.enter('validity');
  const notBeforeMs = validity.time('notBefore');
  const notAfterMs = validity.time('notAfter');
  validity.end();
  if (notAfterMs < notBeforeMs) fail('notAfter is before notBefore');
  const subject = decodeName(tbs, 'subject');
  const key = decodeSubjectPublicKeyInfo(tbs);
  // issuerUniqueID [1] and subjectUniqueID [2] are not part of the profile; the tags are refused below.
  const extensions = decodeExtensions(tbs);
  tbs.end();
  if (extensions.isCa && subject.name.role !== undefined) fail('a CA certificate must not carry a role (OU)');

  const magnitude = serial[0] === 0 ? serial.subarray(1) : serial;
  const parsed: Certificate = {
    der, tbsBytes: tbsElement.encoded, serialHex: toHex(magnitude),
    subject: subject.name, issuer: issuer.name, subjectNameBytes: subject.bytes, issuerNameBytes: issuer.bytes,
    notBeforeMs, notAfterMs, isCa: extensions.isCa,
    suite: key.suite, publicKey: key.publicKey, signatureAlgorithm: outerAlgorithm.algorithm, signature,
  };
  if (extensions.pathLengthMax !== undefined) parsed.pathLengthMax = extensions.pathLengthMax;
  if (extensions.keyUsage !== undefined) parsed.keyUsage = extensions.keyUsage;
  if (extensions.subjectKeyId !== undefined) parsed.subjectKeyId = extensions.subjectKeyId;
  if (extensions.authorityKeyId !== undefined) parsed.authorityKeyId = extensions.authorityKeyId;
  return parsed;
}

function fail(why: string): never {
  throw new XinlianError('DECODE_ERROR', why);
}

import type { SuiteName } from '../crypto/suite.js';
import { XinlianError } from '../errors.js';
import { DER_TAG } from './derTag.js';
import { DerReader } from './derReader.js';
import { derBitString, derObjectIdentifier, derSequence } from './derWriter.js';
import type { SignatureAlgorithm } from './certificate.js';
import { OID } from './objectIdentifier.js';

const RAW_KEY_BYTES: Record<SuiteName, number> = { intl: 32, gm: 65 };

/** SubjectPublicKeyInfo: intl per RFC 8410 (no parameters), gm as an EC key on the SM2 curve. */
export function encodeSubjectPublicKeyInfo(suite: SuiteName, rawPublicKey: Uint8Array): Uint8Array {
  checkRawKey(suite, rawPublicKey, 'CERT_INVALID');
  const algorithm = suite === 'intl'
    ? derSequence(derObjectIdentifier(OID.ed25519))
    : derSequence(derObjectIdentifier(OID.ecPublicKey), derObjectIdentifier(OID.sm2Curve));
  return derSequence(algorithm, derBitString(rawPublicKey));
}

export function decodeSubjectPublicKeyInfo(reader: DerReader): { suite: SuiteName; publicKey: Uint8Array } {
  const info = reader.enter('subjectPublicKeyInfo');
  const algorithm = info.enter('subjectPublicKeyInfo algorithm');
  const oid = algorithm.objectIdentifier('key algorithm');
  let suite: SuiteName;
  if (oid === OID.ed25519) {
    suite = 'intl';
  } else if (oid === OID.ecPublicKey && algorithm.objectIdentifier('curve') === OID.sm2Curve) {
    suite = 'gm';
  } else {
    throw new XinlianError('DECODE_ERROR', `unsupported public key algorithm ${oid}`);
  }
  algorithm.end();
  const publicKey = info.bitStringOctets('subjectPublicKey');
  info.end();
  checkRawKey(suite, publicKey, 'DECODE_ERROR');
  return { suite, publicKey };
}

function checkRawKey(suite: SuiteName, key: Uint8Array, code: 'CERT_INVALID' | 'DECODE_ERROR'): void {
  // Only the shape is checked here; whether a gm point is on the curve is the verifier's concern.
  if (key.length !== RAW_KEY_BYTES[suite] || (suite === 'gm' && key[0] !== 0x04)) {
    throw new XinlianError(code, `a ${suite} public key must be ${RAW_KEY_BYTES[suite]} bytes${suite === 'gm' ? ' starting 04' : ''}, got ${key.length}`);
  }
}

/** AlgorithmIdentifier for the signature, with parameters absent (RFC 8410; GM/T 0015). */
export function encodeSignatureAlgorithm(algorithm: SignatureAlgorithm): Uint8Array {
  return derSequence(derObjectIdentifier(algorithm === 'ed25519' ? OID.ed25519 : OID.sm2WithSm3));
}

/** Returns the algorithm and the exact bytes (the two copies in a certificate must be identical). */
export function decodeSignatureAlgorithm(reader: DerReader, what: string): { algorithm: SignatureAlgorithm; encoded: Uint8Array } {
  const element = reader.expect(DER_TAG.sequence, what);
  const body = new DerReader(element.content, what);
  const oid = body.objectIdentifier(`${what} OID`);
  let algorithm: SignatureAlgorithm;
  if (oid === OID.ed25519) {
    algorithm = 'ed25519';
  } else if (oid === OID.sm2WithSm3) {
    algorithm = 'sm2-with-sm3';
    // Some SM2 toolchains write an explicit NULL; it carries nothing, so it is tolerated.
    if (body.peekTag() === DER_TAG.null) body.null(`${what} parameters`);
  } else {
    throw new XinlianError('DECODE_ERROR', `unsupported signature algorithm ${oid}`);
  }
  body.end();
  return { algorithm, encoded: element.encoded };
}

import type { SuiteName } from '../crypto/suite.js';

/**
 * The certificate profile (docs/spec/pki.md). A member's role lives in the subject's OU and its
 * organisation id in O; organisation CA certificates carry no role.
 */
export const ROLES = ['admin', 'client', 'node', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export interface CertificateName {
  commonName: string;
  /** Organisation id (the O attribute). */
  organisation: string;
  /** The OU attribute; absent on CA certificates. */
  role?: Role;
}

export type SignatureAlgorithm = 'ed25519' | 'sm2-with-sm3';

export function signatureAlgorithmOf(suite: SuiteName): SignatureAlgorithm {
  return suite === 'gm' ? 'sm2-with-sm3' : 'ed25519';
}

/** keyUsage bits (RFC 5280 4.2.1.3), as a mask: bit i is 1 << i. */
export const KEY_USAGE = {
  digitalSignature: 1 << 0,
  contentCommitment: 1 << 1,
  keyEncipherment: 1 << 2,
  dataEncipherment: 1 << 3,
  keyAgreement: 1 << 4,
  keyCertSign: 1 << 5,
  cRLSign: 1 << 6,
  encipherOnly: 1 << 7,
  decipherOnly: 1 << 8,
} as const;

export interface CertificateSpec {
  suite: SuiteName;
  /** Positive serial number, big-endian, at most 20 octets (RFC 5280 4.1.2.2); pick it at random. */
  serial: Uint8Array;
  issuer: CertificateName;
  subject: CertificateName;
  /** Encoded in whole seconds (fractions are dropped). */
  notBeforeMs: number;
  notAfterMs: number;
  /** Raw public key of the subject: intl 32 bytes, gm 65 bytes (04 || x || y). */
  subjectPublicKey: Uint8Array;
  /** Raw public key of the issuer, for the authority key identifier (the subject's own when self-signed). */
  issuerPublicKey: Uint8Array;
  isCa: boolean;
  /** The suite's hash (SM3 or SHA-256): key identifiers are its first 160 bits over the raw key (RFC 7093). */
  hash: (data: Uint8Array) => Uint8Array;
}

export interface Certificate {
  /** The whole certificate as received. */
  der: Uint8Array;
  /** The signed TBSCertificate bytes. */
  tbsBytes: Uint8Array;
  /** Serial number magnitude, lower-case hex without a sign octet. */
  serialHex: string;
  subject: CertificateName;
  issuer: CertificateName;
  /** Encoded Names: issuers are matched to CA subjects by these bytes. */
  subjectNameBytes: Uint8Array;
  issuerNameBytes: Uint8Array;
  notBeforeMs: number;
  notAfterMs: number;
  isCa: boolean;
  /** basicConstraints pathLenConstraint, when given. */
  pathLengthMax?: number;
  /** keyUsage mask (see KEY_USAGE), undefined when the extension is absent. */
  keyUsage?: number;
  subjectKeyId?: Uint8Array;
  authorityKeyId?: Uint8Array;
  /** The suite of the subject's key. */
  suite: SuiteName;
  /** Raw public key (intl 32 bytes, gm 65 bytes). */
  publicKey: Uint8Array;
  signatureAlgorithm: SignatureAlgorithm;
  /** intl: 64 bytes; gm: DER SEQUENCE { r, s }. */
  signature: Uint8Array;
}

/** RFC 7093 method 1 style key identifier, with the chain's own hash. */
export function keyIdentifierOf(hash: (data: Uint8Array) => Uint8Array, rawPublicKey: Uint8Array): Uint8Array {
  return hash(rawPublicKey).slice(0, 20);
}

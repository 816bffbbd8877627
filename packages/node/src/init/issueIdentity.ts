import { randomBytes } from 'node:crypto';
import { buildCertificate, pemEncode, type CertificateName, type SuiteName } from '@xinlian/protocol';
import { generateKeyPair, loadSigningKey, nodeSuite, type SigningKey } from '@xinlian/crypto-node';

/** A freshly generated key with its certificate, both as PEM ready to be written. */
export interface Identity {
  keyPem: string;
  certPem: string;
  certDer: Uint8Array;
  key: SigningKey;
  name: CertificateName;
}

export interface IssueOptions {
  suite: SuiteName;
  subject: CertificateName;
  /** The issuing CA; absent for a self-signed organisation CA. */
  issuer?: Identity;
  notBeforeMs: number;
  notAfterMs: number;
  /** Encrypts the private key (PKCS#8) when given. */
  passphrase?: string;
}

/** 16 random bytes with the top bit clear: positive, unguessable, and well under 20 octets. */
function randomSerial(): Uint8Array {
  const serial = new Uint8Array(randomBytes(16));
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  return serial;
}

/** Generates a key pair and a certificate for it, signed by `issuer` (or by itself when it is a CA). */
export async function issueIdentity(options: IssueOptions): Promise<Identity> {
  const pair = generateKeyPair(options.suite, options.passphrase);
  const key = loadSigningKey(pair.privateKeyPem, options.passphrase);
  const issuer = options.issuer;
  const certDer = await buildCertificate({
    suite: options.suite,
    serial: randomSerial(),
    issuer: issuer?.name ?? options.subject,
    subject: options.subject,
    notBeforeMs: options.notBeforeMs,
    notAfterMs: options.notAfterMs,
    subjectPublicKey: key.publicKey,
    issuerPublicKey: (issuer?.key ?? key).publicKey,
    isCa: issuer === undefined,
    hash: nodeSuite(options.suite).hash,
  }, (issuer?.key ?? key).signer);
  return { keyPem: pair.privateKeyPem, certPem: pemEncode('CERTIFICATE', certDer), certDer, key, name: options.subject };
}

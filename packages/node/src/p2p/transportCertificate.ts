import { randomBytes } from 'node:crypto';
import { buildCertificate, pemEncode } from '@xinlian/protocol';
import { generateKeyPair, loadSigningKey, nodeSuite } from '@xinlian/crypto-node';

export interface TransportCertificate {
  keyPem: string;
  certPem: string;
}

const DAY_MS = 86_400_000;

/**
 * A throwaway Ed25519 key and self-issued certificate for the TLS layer alone. It carries no
 * identity and nobody verifies it: who a peer is comes from the hello, signed with the chain key
 * and bound to the TLS session (docs/adr/007-p2p-transport.md). It exists because TLS needs a
 * certificate and OpenSSL 3.0 in Node 20 cannot load the gm chain's SM2 certificates at all.
 * Ed25519 for both suites: one TLS configuration, and OpenSSL signs it in TLS 1.3.
 */
export async function createTransportCertificate(nowMs: number): Promise<TransportCertificate> {
  const pair = generateKeyPair('intl');
  const key = loadSigningKey(pair.privateKeyPem);
  const serial = new Uint8Array(randomBytes(16));
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  const name = { organisation: 'xinlian-p2p', commonName: 'transport' };
  const certDer = await buildCertificate({
    suite: 'intl',
    serial,
    issuer: name,
    subject: { ...name, role: 'node' },
    notBeforeMs: nowMs - DAY_MS,
    notAfterMs: nowMs + 365 * DAY_MS,
    subjectPublicKey: key.publicKey,
    issuerPublicKey: key.publicKey,
    isCa: false,
    hash: nodeSuite('intl').hash,
  }, key.signer);
  return { keyPem: pair.privateKeyPem, certPem: pemEncode('CERTIFICATE', certDer) };
}

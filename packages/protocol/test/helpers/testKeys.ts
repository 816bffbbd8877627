// Test-only key pairs on node:crypto, so the pure certificate code is checked against OpenSSL
// signatures. gm follows docs/MEASURED: a re-imported SM2 key with Z_A (default ID) fed in by hand.
import { createPrivateKey, createPublicKey, createSign, generateKeyPairSync, sign as edSign, type KeyObject } from 'node:crypto';
import { sm2Za } from '../../src/crypto/sm2Za.js';
import type { Signer, SuiteName } from '../../src/crypto/suite.js';

export interface TestKey {
  suite: SuiteName;
  publicKey: Uint8Array;
  signer: Signer;
  privateKey: KeyObject;
}

export function testKey(suite: SuiteName): TestKey {
  if (suite === 'intl') {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const raw = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(-32));
    return { suite, publicKey: raw, privateKey, signer: async (m) => new Uint8Array(edSign(null, m, privateKey)) };
  }
  const pair = generateKeyPairSync('ec', { namedCurve: 'SM2' });
  const privateKey = createPrivateKey(pair.privateKey.export({ format: 'pem', type: 'pkcs8' }));
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const raw = new Uint8Array(spki.subarray(-65));
  const za = sm2Za(raw);
  return {
    suite, publicKey: raw, privateKey,
    signer: async (m) => new Uint8Array(createSign('sm3').update(za).update(m).sign(privateKey)),
  };
}

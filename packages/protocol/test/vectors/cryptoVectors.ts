import { readFileSync } from 'node:fs';

/** The published vectors in test/vectors/crypto.json, shared by the pure and OpenSSL suite tests. */
export interface CryptoVectors {
  sm3: { input: string; digest: string }[];
  sm2: { privateKey: string; publicKey: string; message: string; r: string; s: string };
  ed25519: { secretKey: string; publicKey: string; message: string; signature: string }[];
  sm4: { key: string; plaintext: string; once: string; million: string };
}

/** `url` of crypto.json relative to the calling compiled test file. */
export function loadCryptoVectors(url: URL): CryptoVectors {
  return JSON.parse(readFileSync(url, 'utf8')) as CryptoVectors;
}

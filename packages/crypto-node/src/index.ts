export { nodeSuite, type NodeSuite } from './nodeSuite.js';
export {
  generateKeyPair,
  loadSigningKey,
  signingKeyFromRawPrivateKey,
  loadPublicKeyPem,
  publicKeyToPem,
  type KeyPairPem,
  type SigningKey,
} from './keys.js';
export { seal, open, SEAL_KEY_BYTES } from './aead.js';
export { createVerifyPool, type VerifyItem, type VerifyPool } from './verifyPool.js';
export { measureVerifyPerSecond, measurePoolVerifyPerSecond } from './measureVerify.js';
export { KeyCache } from './keyCache.js';

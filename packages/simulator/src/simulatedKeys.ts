import { concatBytes, pureSuite, type VerifySuite } from '@xinlian/protocol';

const sha256 = pureSuite('intl').hash;

/**
 * Simulated signatures: the "public key" is a label and a signature is H(key || digest), so
 * anyone could forge one. That is enough here: the simulator's Byzantine replicas (twins) use
 * their own keys and never forge, and real crypto would cost most of the run time. The node and
 * the scenario tests use real Ed25519/SM2.
 */
export function simulatedPublicKey(key: number): Uint8Array {
  return sha256(new TextEncoder().encode(`simulated validator ${key}`));
}

export function simulatedSign(publicKey: Uint8Array, digest: Uint8Array): Uint8Array {
  return sha256(concatBytes(publicKey, digest));
}

export const SIMULATED_SUITE: VerifySuite = Object.freeze({
  name: 'intl',
  hashBytes: 32,
  publicKeyBytes: 32,
  hash: sha256,
  verify: (publicKey: Uint8Array, digest: Uint8Array, signature: Uint8Array) => {
    const expected = simulatedSign(publicKey, digest);
    return signature.length === expected.length && signature.every((b, i) => b === expected[i]);
  },
});

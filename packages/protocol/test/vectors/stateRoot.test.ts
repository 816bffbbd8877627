import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { decodeStateProof, encodeStateProof, fromHex, stateRootOf, toHex, utf8, verifyStateProof } from '../../src/index.js';

// The vectors of docs/spec/state.md ("Vectors"); the SHA-256 ones were also checked with Python's hashlib.
export const STATE_VECTORS = {
  sha256: {
    aliceOnly: '8ba54814905c0921b48c90508bd58372d7677164eda66a990650d1880790eb88',
    height1: 'd20d2073e48bb7aec71cfc22be4a1f6898aa1a1440ade69b673ec0db4781ca3a',
    height2: '404e79af215bd973b55de6ca0f74da9a15ff1c3d12bc6a9139ba64dcf622939e',
  },
  sm3: {
    aliceOnly: '114391ee6de50dc7e9c26d210f7d7b63d1ee26ead5173f3f8aa73e5d3f8c7924',
    height1: 'ea4d9185da8342844f5687b3c33183640fa1f81ba449f5c28f09ddb95abb4d8f',
    height2: '5d40144883e07a729f844dc8cea9971c955e517c130731f79fd939b3bf2b59bd',
  },
} as const;

const entry = (key: string, value: string): { key: Uint8Array; value: Uint8Array } => ({ key: utf8(key), value: utf8(value) });

for (const algorithm of ['sha256', 'sm3'] as const) {
  test(`state root vectors under ${algorithm}`, () => {
    const hash = (data: Uint8Array): Uint8Array => createHash(algorithm).update(data).digest();
    const want = STATE_VECTORS[algorithm];
    assert.equal(toHex(stateRootOf(hash, [])), '00'.repeat(32));
    assert.equal(toHex(stateRootOf(hash, [entry('alice', '100')])), want.aliceOnly);
    assert.equal(toHex(stateRootOf(hash, [entry('alice', '100'), entry('bob', '200'), entry('carol', '300')])), want.height1);
    // Order of entries does not matter.
    assert.equal(toHex(stateRootOf(hash, [entry('dave', '400'), entry('carol', '301'), entry('alice', '100')])), want.height2);
  });
}

// Proofs against the height-1 roots above (state {alice: 100, bob: 200, carol: 300}), as the node
// builds them; docs/spec/state.md walks through the first one.
const PROOF_VECTORS = [
  {
    algorithm: 'sha256', key: 'alice', value: '100', root: STATE_VECTORS.sha256.height1,
    proof: '01' + '0002' + '28a50c94c38d920d0b06b7afe9aac19a2b77e6515a23d078121f06ed7cb05503'
      + 'cca8b30cf9e70c0d4eca1d7db812368d48e48173fa0175ba06182978e7ba5984',
  },
  {
    algorithm: 'sha256', key: 'dave', value: undefined, root: STATE_VECTORS.sha256.height1,
    proof: '02' + '4c26d9074c27d89ede59270c0ac14b71e071b15239519f75474b2f3ba63481f5'
      + '983bd614bb5afece5ab3b6023f71147cd7b6bc2314f9d27af7422541c6558389' + '0002'
      + '28a50c94c38d920d0b06b7afe9aac19a2b77e6515a23d078121f06ed7cb05503'
      + '8ba54814905c0921b48c90508bd58372d7677164eda66a990650d1880790eb88',
  },
  {
    algorithm: 'sm3', key: 'dave', value: undefined, root: STATE_VECTORS.sm3.height1,
    proof: '00' + '0001' + '6d83a3e4c18c04c6fc68d7acc6e13b951dc1d47c8c625eda3ff544fb533c0d4e',
  },
] as const;

for (const vector of PROOF_VECTORS) {
  test(`state proof vector: ${vector.key} ${vector.value === undefined ? 'absent' : `= ${vector.value}`} under ${vector.algorithm}`, () => {
    const hash = (data: Uint8Array): Uint8Array => createHash(vector.algorithm).update(data).digest();
    const proof = decodeStateProof(fromHex(vector.proof));
    assert.equal(toHex(encodeStateProof(proof)), vector.proof);
    const value = vector.value === undefined ? undefined : utf8(vector.value);
    assert.ok(verifyStateProof(hash, fromHex(vector.root), utf8(vector.key), value, proof));
    assert.ok(!verifyStateProof(hash, fromHex(vector.root), utf8(vector.key), value === undefined ? utf8('x') : undefined, proof));
  });
}

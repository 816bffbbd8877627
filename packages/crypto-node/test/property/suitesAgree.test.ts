import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pureSuite, type SuiteName } from '@xinlian/protocol';
import { nodeSuite, signingKeyFromRawPrivateKey } from '../../src/index.js';

// The consensus-critical property: the browser (pure) and node (OpenSSL) suites accept exactly the
// same signatures, including mutated and truncated ones.
const mutation = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.record({ kind: fc.constant('flip' as const), index: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), by: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('append' as const), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('otherMessage' as const) }),
);

for (const suite of ['gm', 'intl'] as const satisfies readonly SuiteName[]) {
  test(`${suite}: pure and node verify agree on random keys, messages and mutations`, () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 200 }), mutation, (seed, message, change) => {
        if (suite === 'gm') seed[0] = (seed[0]! % 0xfe) + 1; // keeps the scalar in [1, n - 2]
        const key = signingKeyFromRawPrivateKey(suite, seed);
        let signature = key.sign(message);
        let signed = message;
        if (change.kind === 'flip') {
          signature = signature.slice();
          signature[change.index % signature.length]! ^= 1 << change.bit;
        } else if (change.kind === 'truncate') signature = signature.subarray(0, signature.length - change.by);
        else if (change.kind === 'append') signature = Uint8Array.of(...signature, change.byte);
        else if (change.kind === 'otherMessage') signed = Uint8Array.of(...message, 0);
        const native = nodeSuite(suite).verify(key.publicKey, signed, signature);
        assert.equal(pureSuite(suite).verify(key.publicKey, signed, signature), native);
        if (change.kind === 'none') assert.equal(native, true);
      }),
      { numRuns: 150 },
    );
  });
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, pureSuite, toHex, utf8 } from '@xinlian/protocol';
import smCrypto from 'sm-crypto';
import { generateKeyPair, loadSigningKey, nodeSuite } from '../../src/index.js';

// sm-crypto signs and verifies standard SM2 with the default ID "1234567812345678" when hash: true.
const { sm2 } = smCrypto;

test('our SM2 signatures verify in sm-crypto', () => {
  const key = loadSigningKey(generateKeyPair('gm').privateKeyPem);
  for (const message of ['', 'a', 'xinlian 信链', 'x'.repeat(1000)]) {
    const signature = key.sign(utf8(message));
    assert.equal(sm2.doVerifySignature(message, toHex(signature), toHex(key.publicKey), { hash: true, der: true }), true, message);
  }
});

test('sm-crypto SM2 signatures verify in the node and pure suites', () => {
  for (let i = 0; i < 5; i++) {
    const pair = sm2.generateKeyPairHex();
    const message = `message ${i} 国密`;
    const signature = fromHex(sm2.doSignature(message, pair.privateKey, { hash: true, der: true }));
    const publicKey = fromHex(pair.publicKey);
    assert.equal(nodeSuite('gm').verify(publicKey, utf8(message), signature), true);
    assert.equal(pureSuite('gm').verify(publicKey, utf8(message), signature), true);
    assert.equal(nodeSuite('gm').verify(publicKey, utf8(message + '.'), signature), false);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utf8, XinlianError, type ErrorCode } from '@xinlian/protocol';
import {
  generateKeyPair, loadPublicKeyPem, loadSigningKey, nodeSuite, publicKeyToPem, signingKeyFromRawPrivateKey,
} from '../../src/index.js';

const hasCode = (code: ErrorCode) => (error: unknown) => error instanceof XinlianError && error.code === code;
const opensslAvailable = spawnSync('openssl', ['version']).status === 0;

for (const suite of ['gm', 'intl'] as const) {
  test(`${suite}: generated keys load, sign and verify; public PEM round-trips`, async () => {
    const pair = generateKeyPair(suite);
    const key = loadSigningKey(pair.privateKeyPem);
    assert.equal(key.suite, suite);
    assert.equal(key.publicKey.length, suite === 'gm' ? 65 : 32);
    const message = utf8('payload');
    assert.equal(nodeSuite(suite).verify(key.publicKey, message, await key.signer(message)), true);
    assert.deepEqual(loadPublicKeyPem(pair.publicKeyPem), { suite, publicKey: key.publicKey });
    assert.deepEqual(loadPublicKeyPem(publicKeyToPem(suite, key.publicKey)), { suite, publicKey: key.publicKey });
  });

  test(`${suite}: encrypted PKCS#8 needs the right passphrase`, () => {
    const pair = generateKeyPair(suite, 'correct horse');
    assert.match(pair.privateKeyPem, /BEGIN ENCRYPTED PRIVATE KEY/);
    assert.throws(() => loadSigningKey(pair.privateKeyPem), hasCode('PASSPHRASE_REQUIRED'));
    assert.throws(() => loadSigningKey(pair.privateKeyPem, 'wrong'), hasCode('KEY_INVALID'));
    assert.equal(loadSigningKey(pair.privateKeyPem, 'correct horse').suite, suite);
  });

  test(`${suite}: openssl pkey reads generated keys`, { skip: !opensslAvailable }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'xinlian-keys-'));
    try {
      const plain = join(dir, 'key.pem');
      const encrypted = join(dir, 'enc.pem');
      const pub = join(dir, 'pub.pem');
      const pair = generateKeyPair(suite);
      writeFileSync(plain, pair.privateKeyPem);
      writeFileSync(pub, pair.publicKeyPem);
      writeFileSync(encrypted, generateKeyPair(suite, 'pw123').privateKeyPem);
      assert.equal(spawnSync('openssl', ['pkey', '-in', plain, '-noout']).status, 0);
      assert.equal(spawnSync('openssl', ['pkey', '-pubin', '-in', pub, '-noout']).status, 0);
      assert.equal(spawnSync('openssl', ['pkey', '-in', encrypted, '-passin', 'pass:pw123', '-noout']).status, 0);
      assert.notEqual(spawnSync('openssl', ['pkey', '-in', encrypted, '-passin', 'pass:nope', '-noout']).status, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('bad key material gives typed errors', () => {
  assert.throws(() => loadSigningKey('not a pem'), hasCode('KEY_INVALID'));
  assert.throws(() => loadPublicKeyPem('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'), hasCode('KEY_INVALID'));
  assert.throws(() => signingKeyFromRawPrivateKey('gm', new Uint8Array(32)), hasCode('KEY_INVALID')); // d = 0
  assert.throws(() => signingKeyFromRawPrivateKey('gm', new Uint8Array(32).fill(0xff)), hasCode('KEY_INVALID')); // d >= n
  assert.throws(() => signingKeyFromRawPrivateKey('intl', new Uint8Array(31)), hasCode('KEY_INVALID'));
  assert.throws(() => publicKeyToPem('gm', new Uint8Array(65)), hasCode('KEY_INVALID'));
  assert.throws(() => publicKeyToPem('intl', new Uint8Array(33)), hasCode('KEY_INVALID'));
});

test('other key types (P-256, RSA) are KEY_INVALID', async () => {
  const { generateKeyPairSync } = await import('node:crypto');
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  assert.throws(() => loadSigningKey(p256), hasCode('KEY_INVALID'));
});

test('gm node verify rejects compressed, hybrid and off-curve keys', () => {
  const key = signingKeyFromRawPrivateKey('gm', new Uint8Array(32).fill(9));
  const message = utf8('m');
  const signature = key.sign(message);
  const x = key.publicKey.subarray(1, 33);
  const compressed = Uint8Array.of(0x02 + (key.publicKey[64]! & 1), ...x);
  const hybrid = Uint8Array.of(0x06 + (key.publicKey[64]! & 1), ...key.publicKey.subarray(1));
  const offCurve = key.publicKey.slice();
  offCurve[64]! ^= 1;
  for (const bad of [compressed, hybrid, offCurve]) assert.equal(nodeSuite('gm').verify(bad, message, signature), false);
  assert.equal(nodeSuite('gm').verify(key.publicKey, message, signature), true);
});

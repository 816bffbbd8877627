import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { runCli, tempDir } from '../helpers/processes.js';

const require = createRequire(import.meta.url);
// An independent SM2 implementation: our signatures must verify there, with the default user ID.
const smCrypto = require('sm-crypto') as { sm2: { doVerifySignature(msg: string, sig: string, pub: string, opts: object): boolean } };

for (const suite of ['gm', 'intl'] as const) {
  test(`${suite}: keygen, hash, sign and verify through the CLI; openssl reads the keys`, async () => {
    const dir = tempDir(`keys-${suite}`);
    try {
      const key = join(dir.path, 'key.pem');
      const generated = await runCli(['keygen', '--suite', suite, '--out', key]);
      assert.equal(generated.code, 0, generated.stderr);
      execFileSync('openssl', ['pkey', '-in', key, '-noout']);
      execFileSync('openssl', ['pkey', '-pubin', '-in', join(dir.path, 'key.pub.pem'), '-noout']);
      assert.equal((await runCli(['keygen', '--suite', suite, '--out', key])).code, 2, 'refuses to overwrite without --force');

      const file = join(dir.path, 'message.txt');
      writeFileSync(file, 'abc');
      const digest = await runCli(['hash', '--suite', suite, file]);
      // Published digests of "abc": GM/T 0004 (SM3) and FIPS 180-2 (SHA-256).
      assert.equal(digest.stdout.trim(), suite === 'gm'
        ? '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0'
        : 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');

      const signed = await runCli(['sign', '--key', key, file]);
      assert.equal(signed.code, 0, signed.stderr);
      const signature = signed.stdout.trim();
      if (suite === 'intl') assert.equal(signature.length, 128, 'a 64-byte Ed25519 signature');
      else assert.match(signature, /^30[0-9a-f]+$/, 'a DER SEQUENCE');
      const pub = join(dir.path, 'key.pub.pem');
      assert.equal((await runCli(['verify', '--pub', pub, '--sig', signature, file])).code, 0);
      writeFileSync(file, 'abd');
      const bad = await runCli(['verify', '--pub', pub, '--sig', signature, file]);
      assert.equal(bad.code, 1);
      assert.match(bad.stdout, /INVALID/);
      assert.equal((await runCli(['verify', '--pub', pub, '--sig', 'xyz', file])).code, 2);

      if (suite === 'gm') {
        const spki = execFileSync('openssl', ['pkey', '-pubin', '-in', pub, '-outform', 'DER']);
        const publicHex = spki.subarray(spki.length - 65).toString('hex');
        const ok = smCrypto.sm2.doVerifySignature('abc', signature, publicHex, { hash: true, der: true });
        assert.equal(ok, true, 'sm-crypto accepts the CLI signature (default ID 1234567812345678)');
      }
    } finally {
      dir.remove();
    }
  });
}

test('an encrypted key needs its passphrase', async () => {
  const dir = tempDir('passphrase');
  try {
    const key = join(dir.path, 'key.pem');
    writeFileSync(join(dir.path, 'pass'), 'correct horse\n');
    assert.equal((await runCli(['keygen', '--suite', 'gm', '--out', key, '--passphrase-file', join(dir.path, 'pass')])).code, 0);
    assert.match(readFileSync(key, 'utf8'), /ENCRYPTED PRIVATE KEY/);
    writeFileSync(join(dir.path, 'm'), 'x');
    const without = await runCli(['sign', '--key', key, join(dir.path, 'm')], { env: { XINLIAN_PASSPHRASE: '' } });
    assert.equal(without.code, 3);
    assert.match(without.stderr, /PASSPHRASE_REQUIRED/);
    const withEnv = await runCli(['sign', '--key', key, join(dir.path, 'm')], { env: { XINLIAN_PASSPHRASE: 'correct horse' } });
    assert.equal(withEnv.code, 0, withEnv.stderr);
    execFileSync('openssl', ['pkey', '-in', key, '-passin', 'pass:correct horse', '-noout']);
  } finally {
    dir.remove();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildCertificate, parseCertificate, verifyCertificateSignature, KEY_USAGE, type CertificateSpec } from '../../src/x509/index.js';
import { pureSuite } from '../../src/crypto/pureSuites.js';
import { XinlianError } from '../../src/errors.js';
import { toHex } from '../../src/bytes.js';
import type { SuiteName } from '../../src/crypto/suite.js';
import { testKey, type TestKey } from '../helpers/testKeys.js';

const DAY_MS = 86_400_000;
const NOW_MS = Date.parse('2026-11-24T00:00:00Z');

function caSpec(suite: SuiteName, ca: TestKey): CertificateSpec {
  const name = { commonName: 'Organisation 1 CA', organisation: 'org1' };
  return {
    suite, serial: Uint8Array.of(0x81, 2, 3), issuer: name, subject: name, notBeforeMs: NOW_MS - DAY_MS,
    notAfterMs: NOW_MS + 3650 * DAY_MS, subjectPublicKey: ca.publicKey, issuerPublicKey: ca.publicKey, isCa: true,
    hash: pureSuite(suite).hash,
  };
}

function memberSpec(suite: SuiteName, ca: TestKey, member: TestKey): CertificateSpec {
  return {
    ...caSpec(suite, ca), serial: Uint8Array.of(7), isCa: false, subjectPublicKey: member.publicKey,
    subject: { commonName: 'client@org1', organisation: 'org1', role: 'client' }, notAfterMs: NOW_MS + 730 * DAY_MS + 999,
  };
}

for (const suite of ['intl', 'gm'] as const) {
  test(`${suite}: build -> parse -> verify`, async () => {
    const verifier = pureSuite(suite);
    const ca = testKey(suite);
    const member = testKey(suite);
    const caCert = parseCertificate(await buildCertificate(caSpec(suite, ca), ca.signer));
    assert.equal(caCert.isCa, true);
    assert.equal(caCert.pathLengthMax, 0);
    assert.equal(caCert.keyUsage, KEY_USAGE.keyCertSign | KEY_USAGE.cRLSign);
    assert.equal(caCert.serialHex, '810203');
    assert.deepEqual(caCert.subject, { commonName: 'Organisation 1 CA', organisation: 'org1' });
    assert.deepEqual(caCert.subjectNameBytes, caCert.issuerNameBytes);
    assert.deepEqual(caCert.subjectKeyId, caCert.authorityKeyId);
    assert.equal(caCert.suite, suite);
    assert.deepEqual(caCert.publicKey, ca.publicKey);
    assert.ok(verifyCertificateSignature(caCert, ca.publicKey, verifier));

    const cert = parseCertificate(await buildCertificate(memberSpec(suite, ca, member), ca.signer));
    assert.equal(cert.isCa, false);
    assert.equal(cert.pathLengthMax, undefined);
    assert.equal(cert.keyUsage, KEY_USAGE.digitalSignature);
    assert.deepEqual(cert.subject, { commonName: 'client@org1', organisation: 'org1', role: 'client' });
    assert.deepEqual(cert.issuerNameBytes, caCert.subjectNameBytes);
    assert.deepEqual(cert.authorityKeyId, caCert.subjectKeyId);
    assert.equal(cert.notBeforeMs, NOW_MS - DAY_MS);
    assert.equal(cert.notAfterMs, NOW_MS + 730 * DAY_MS); // fractions of a second are dropped
    assert.equal(cert.signatureAlgorithm, suite === 'gm' ? 'sm2-with-sm3' : 'ed25519');
    assert.ok(verifyCertificateSignature(cert, ca.publicKey, verifier));
    assert.ok(!verifyCertificateSignature(cert, member.publicKey, verifier));
    assert.ok(!verifyCertificateSignature(cert, ca.publicKey, pureSuite(suite === 'gm' ? 'intl' : 'gm')));
  });

  test(`${suite}: a flipped bit never parses into a certificate that still verifies`, async () => {
    const verifier = pureSuite(suite);
    const ca = testKey(suite);
    const der = await buildCertificate(memberSpec(suite, ca, testKey(suite)), ca.signer);
    fc.assert(fc.property(fc.nat(der.length * 8 - 1), (bit) => {
      const mutated = der.slice();
      mutated[bit >> 3]! ^= 1 << (bit & 7);
      try {
        assert.ok(!verifyCertificateSignature(parseCertificate(mutated), ca.publicKey, verifier));
      } catch (error) {
        assert.ok(error instanceof XinlianError && error.code === 'CERT_INVALID', String(error));
      }
    }), { numRuns: suite === 'gm' ? 150 : 600 });
  });
}

test('spec outside the profile is refused with CERT_INVALID', async () => {
  const ca = testKey('intl');
  const base = caSpec('intl', ca);
  const invalid = (error: unknown) => error instanceof XinlianError && error.code === 'CERT_INVALID';
  await assert.rejects(buildCertificate({ ...base, serial: new Uint8Array(3) }, ca.signer), invalid);
  await assert.rejects(buildCertificate({ ...base, serial: new Uint8Array(21).fill(1) }, ca.signer), invalid);
  await assert.rejects(buildCertificate({ ...base, notAfterMs: base.notBeforeMs }, ca.signer), invalid);
  await assert.rejects(buildCertificate({ ...base, subject: { ...base.subject, role: 'admin' } }, ca.signer), invalid);
  await assert.rejects(buildCertificate({ ...base, isCa: false }, ca.signer), invalid);
  await assert.rejects(buildCertificate({ ...base, subjectPublicKey: new Uint8Array(31) }, ca.signer), invalid);
  await assert.rejects(buildCertificate({ ...base, subject: { ...base.subject, commonName: 'x'.repeat(65) } }, ca.signer), invalid);
});

test('fuzz: arbitrary and truncated input only raise CERT_INVALID', async () => {
  const ca = testKey('intl');
  const der = await buildCertificate(caSpec('intl', ca), ca.signer);
  const onlyCertInvalid = (bytes: Uint8Array) => {
    try {
      parseCertificate(bytes);
    } catch (error) {
      assert.ok(error instanceof XinlianError && error.code === 'CERT_INVALID', String(error));
    }
  };
  fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), onlyCertInvalid), { numRuns: 3000 });
  for (let length = 0; length < der.length; length++) assert.throws(() => parseCertificate(der.subarray(0, length)));
  fc.assert(fc.property(fc.array(fc.tuple(fc.nat(der.length - 1), fc.nat(255)), { minLength: 1, maxLength: 4 }), (edits) => {
    const mutated = der.slice();
    for (const [index, value] of edits) mutated[index] = value;
    onlyCertInvalid(mutated);
  }), { numRuns: 3000 });
  assert.throws(() => parseCertificate(new Uint8Array([...der, 0])), /trailing/);
  assert.equal(toHex(parseCertificate(der).der), toHex(der));
});

test('property: any name, serial and validity in the profile round-trips exactly', async () => {
  const ca = testKey('intl');
  const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => s.length <= 64);
  const arbitrary = fc.record({
    commonName: text, organisation: fc.stringMatching(/^[a-z0-9-]{1,32}$/), role: fc.constantFrom('admin', 'client', 'node', 'auditor' as const),
    serial: fc.uint8Array({ minLength: 1, maxLength: 19 }).filter((s) => s.some((b) => b !== 0)),
    notBeforeS: fc.integer({ min: -631_152_000, max: 4_000_000_000 }), lengthS: fc.integer({ min: 1, max: 2_000_000_000 }),
  });
  await fc.assert(fc.asyncProperty(arbitrary, async (a) => {
    const spec: CertificateSpec = {
      ...memberSpec('intl', ca, ca), serial: a.serial, subject: { commonName: a.commonName, organisation: a.organisation, role: a.role },
      notBeforeMs: a.notBeforeS * 1000, notAfterMs: (a.notBeforeS + a.lengthS) * 1000,
    };
    const cert = parseCertificate(await buildCertificate(spec, ca.signer));
    assert.deepEqual(cert.subject, spec.subject);
    assert.equal(cert.serialHex, toHex(a.serial).replace(/^(00)+/, ''));
    assert.equal(cert.notBeforeMs, spec.notBeforeMs);
    assert.equal(cert.notAfterMs, spec.notAfterMs);
    assert.ok(verifyCertificateSignature(cert, ca.publicKey, pureSuite('intl')));
  }), { numRuns: 200 });
});

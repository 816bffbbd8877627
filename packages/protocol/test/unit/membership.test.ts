import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MembershipVerifier } from '../../src/membership.js';
import { pureSuite } from '../../src/crypto/pureSuites.js';
import { XinlianError, type ErrorCode } from '../../src/errors.js';
import { pemEncode } from '../../src/x509/index.js';
import { DAY_MS, GENESIS_TIME_MS, issue, makeCa, makeGenesis } from '../helpers/testChain.js';

const rejectsWith = (code: ErrorCode, pattern?: RegExp) => (error: unknown) =>
  error instanceof XinlianError && error.code === code && (pattern === undefined || pattern.test(error.message));

for (const suite of ['intl', 'gm'] as const) {
  test(`${suite}: members of genesis organisations are accepted, with their role`, async () => {
    const { genesis, cas } = await makeGenesis(suite);
    const verifier = new MembershipVerifier(genesis, pureSuite(suite));
    for (const role of ['admin', 'client', 'auditor', 'node'] as const) {
      const { key, der } = await issue(suite, cas[1]!, role);
      const member = verifier.verifyMember(der, GENESIS_TIME_MS);
      assert.deepEqual({ ...member, certHash: undefined }, { org: 'org2', commonName: `${role}@org2`, role, publicKey: key.publicKey, certHash: undefined });
      assert.deepEqual(member.certHash, pureSuite(suite).hash(der));
      // The cached member must not alias the caller's buffer, which may be reused.
      const reused = der.slice();
      verifier.verifyMember(reused, GENESIS_TIME_MS);
      reused.fill(0);
      assert.deepEqual(verifier.verifyMember(der, GENESIS_TIME_MS).publicKey, key.publicKey);
    }
  });

  test(`${suite}: foreign CA, expired, not yet valid, tampered, CA as member are rejected`, async () => {
    const { genesis, cas } = await makeGenesis(suite);
    const verifier = new MembershipVerifier(genesis, pureSuite(suite));
    const ca = cas[0]!;
    // A foreign CA with the very same name as org1's: only the signature tells them apart.
    const impostor = await makeCa(suite, 'org1');
    const impostorMember = (await issue(suite, impostor, 'client')).der;
    assert.throws(() => verifier.verifyMember(impostorMember, GENESIS_TIME_MS), rejectsWith('TX_UNKNOWN_MEMBER'));
    const stranger = await makeCa(suite, 'org9');
    const strangerMember = (await issue(suite, stranger, 'client')).der;
    assert.throws(() => verifier.verifyMember(strangerMember, GENESIS_TIME_MS), rejectsWith('TX_UNKNOWN_MEMBER'));

    const { der } = await issue(suite, ca, 'client');
    assert.throws(() => verifier.verifyMember(der, GENESIS_TIME_MS + 366 * DAY_MS), rejectsWith('CERT_INVALID', /not valid at/));
    assert.throws(() => verifier.verifyMember(der, GENESIS_TIME_MS - 2 * DAY_MS), rejectsWith('CERT_INVALID', /not valid at/));
    assert.equal(verifier.verifyMember(der, GENESIS_TIME_MS + 365 * DAY_MS).role, 'client'); // notAfter is inclusive

    const tampered = der.slice();
    tampered[tampered.length - 10]! ^= 1; // inside the signature
    assert.throws(() => verifier.verifyMember(tampered, GENESIS_TIME_MS), rejectsWith('TX_UNKNOWN_MEMBER', /signature/));

    assert.throws(() => verifier.verifyMember(ca.der, GENESIS_TIME_MS), rejectsWith('CERT_INVALID', /CA certificate/));
    assert.throws(() => verifier.verifyMember(new Uint8Array([0x30, 0x03, 1, 2, 3]), GENESIS_TIME_MS), rejectsWith('CERT_INVALID'));

    const other = suite === 'gm' ? 'intl' : 'gm';
    const otherCa = await makeCa(other, 'org1');
    const otherMember = (await issue(other, otherCa, 'client')).der;
    assert.throws(() => verifier.verifyMember(otherMember, GENESIS_TIME_MS), rejectsWith('CERT_INVALID', /suite/));

    // A CA that lapses before its member does bounds the member's validity too.
    const shortCa = await makeCa(suite, 'org3', { notAfterMs: GENESIS_TIME_MS + 10 * DAY_MS });
    const withShort = new MembershipVerifier({ ...genesis, organisations: [...genesis.organisations, { id: 'org3', name: 'Organisation 3', caCertPem: pemEncode('CERTIFICATE', shortCa.der) }] }, pureSuite(suite));
    const member = await issue(suite, shortCa, 'client', { notAfterMs: GENESIS_TIME_MS + 100 * DAY_MS });
    assert.equal(withShort.verifyMember(member.der, GENESIS_TIME_MS).org, 'org3');
    assert.throws(() => withShort.verifyMember(member.der, GENESIS_TIME_MS + 11 * DAY_MS), rejectsWith('CERT_INVALID'));
  });
}

test('a certificate naming another organisation than its issuer is rejected', async () => {
  const { genesis, cas } = await makeGenesis('intl');
  const verifier = new MembershipVerifier(genesis, pureSuite('intl'));
  const forged = await issue('intl', cas[0]!, 'client', { subject: { commonName: 'x', organisation: 'org2', role: 'client' } });
  assert.throws(() => verifier.verifyMember(forged.der, GENESIS_TIME_MS), rejectsWith('CERT_INVALID', /another organisation/));
});

test('the cache is bounded, keyed by certificate hash, and still checks time', async () => {
  const { genesis, cas } = await makeGenesis('intl', 1);
  let verifications = 0;
  const base = pureSuite('intl');
  const counting = { ...base, verify: (k: Uint8Array, m: Uint8Array, s: Uint8Array) => (verifications++, base.verify(k, m, s)) };
  const verifier = new MembershipVerifier(genesis, counting, { cacheEntriesMax: 2 });
  const certs = [await issue('intl', cas[0]!, 'client'), await issue('intl', cas[0]!, 'admin'), await issue('intl', cas[0]!, 'auditor')];
  verifier.verifyMember(certs[0]!.der, GENESIS_TIME_MS);
  verifier.verifyMember(certs[0]!.der, GENESIS_TIME_MS);
  assert.equal(verifications, 1);
  assert.throws(() => verifier.verifyMember(certs[0]!.der, GENESIS_TIME_MS + 400 * DAY_MS), rejectsWith('CERT_INVALID'));
  verifier.verifyMember(certs[1]!.der, GENESIS_TIME_MS);
  verifier.verifyMember(certs[0]!.der, GENESIS_TIME_MS); // refreshes certs[0]; certs[1] is now the oldest
  verifier.verifyMember(certs[2]!.der, GENESIS_TIME_MS);
  assert.equal(verifier.cacheSize, 2);
  assert.equal(verifications, 3);
  verifier.verifyMember(certs[0]!.der, GENESIS_TIME_MS);
  assert.equal(verifications, 3);
  verifier.verifyMember(certs[1]!.der, GENESIS_TIME_MS);
  assert.equal(verifications, 4);
});

test('genesis with a broken organisation CA is refused at construction', async () => {
  const { genesis, cas } = await makeGenesis('intl');
  const member = await issue('intl', cas[0]!, 'client');
  const withMemberAsCa = { ...genesis, organisations: [{ id: 'org1', name: 'x', caCertPem: pemEncode('CERTIFICATE', member.der) }] };
  assert.throws(() => new MembershipVerifier(withMemberAsCa, pureSuite('intl')), rejectsWith('CERT_INVALID', /cA/));
  const misnamed = { ...genesis, organisations: [{ id: 'org7', name: 'x', caCertPem: genesis.organisations[0]!.caCertPem }] };
  assert.throws(() => new MembershipVerifier(misnamed, pureSuite('intl')), rejectsWith('CERT_INVALID', /O is/));
  assert.throws(() => new MembershipVerifier(genesis, pureSuite('gm')), rejectsWith('CERT_INVALID'));
});

test('organisations change at once: an added CA admits its members, a removed one refuses them even when cached; revocation refuses one certificate', async () => {
  const suite = 'intl';
  const { genesis, cas } = await makeGenesis(suite);
  const verifier = new MembershipVerifier(genesis, pureSuite(suite));
  const newcomer = await makeCa(suite, 'org3');
  const newMember = (await issue(suite, newcomer, 'client')).der;
  assert.throws(() => verifier.verifyMember(newMember, GENESIS_TIME_MS), rejectsWith('TX_UNKNOWN_MEMBER'));
  const withOrg3 = [...genesis.organisations, { id: 'org3', caCertPem: pemEncode('CERTIFICATE', newcomer.der) }];
  verifier.setOrganisations(withOrg3);
  assert.equal(verifier.verifyMember(newMember, GENESIS_TIME_MS).org, 'org3');

  const org1Member = (await issue(suite, cas[0]!, 'client')).der;
  assert.equal(verifier.verifyMember(org1Member, GENESIS_TIME_MS).org, 'org1'); // now cached
  verifier.setOrganisations(withOrg3.filter((o) => o.id !== 'org1'));
  assert.throws(() => verifier.verifyMember(org1Member, GENESIS_TIME_MS), rejectsWith('TX_UNKNOWN_MEMBER'));

  const revoked = new Set([Buffer.from(pureSuite(suite).hash(newMember)).toString('hex')]);
  verifier.setRevocationCheck((hash) => revoked.has(Buffer.from(hash).toString('hex')));
  assert.throws(() => verifier.verifyMember(newMember, GENESIS_TIME_MS), rejectsWith('CERT_REVOKED', /revoked/));
  const other = (await issue(suite, newcomer, 'admin')).der;
  assert.equal(verifier.verifyMember(other, GENESIS_TIME_MS).role, 'admin', 'only the revoked certificate is refused');
});

// A small chain for membership and genesis tests: organisation CAs, members and validators, with
// keys on node:crypto (test/helpers/testKeys.ts) and certificates from the pure builder.
import { randomBytes } from 'node:crypto';
import { buildCertificate, pemEncode, type CertificateName, type CertificateSpec, type Role } from '../../src/x509/index.js';
import { pureSuite } from '../../src/crypto/pureSuites.js';
import { toHex } from '../../src/bytes.js';
import type { SuiteName } from '../../src/crypto/suite.js';
import { DEFAULT_CHAIN_PARAMETERS, type Genesis } from '../../src/genesis.js';
import { testKey, type TestKey } from './testKeys.js';

export const DAY_MS = 86_400_000;
export const GENESIS_TIME_MS = Date.parse('2026-11-24T00:00:00Z');

export interface TestCa {
  org: string;
  key: TestKey;
  name: CertificateName;
  der: Uint8Array;
}

function spec(suite: SuiteName, issuer: TestCa | undefined, subjectKey: TestKey, subject: CertificateName, overrides: Partial<CertificateSpec>): CertificateSpec {
  return {
    suite, serial: randomBytes(16), issuer: issuer?.name ?? subject, subject,
    notBeforeMs: GENESIS_TIME_MS - DAY_MS, notAfterMs: GENESIS_TIME_MS + 365 * DAY_MS,
    subjectPublicKey: subjectKey.publicKey, issuerPublicKey: (issuer?.key ?? subjectKey).publicKey,
    isCa: issuer === undefined, hash: pureSuite(suite).hash, ...overrides,
  };
}

export async function makeCa(suite: SuiteName, org: string, overrides: Partial<CertificateSpec> = {}): Promise<TestCa> {
  const key = testKey(suite);
  const name = { commonName: `${org} CA`, organisation: org };
  return { org, key, name, der: await buildCertificate(spec(suite, undefined, key, name, overrides), key.signer) };
}

export async function issue(suite: SuiteName, ca: TestCa, role: Role, overrides: Partial<CertificateSpec> = {}): Promise<{ key: TestKey; der: Uint8Array }> {
  const key = testKey(suite);
  const subject = { commonName: `${role}@${ca.org}`, organisation: ca.org, role };
  return { key, der: await buildCertificate(spec(suite, ca, key, subject, overrides), ca.key.signer) };
}

export async function makeGenesis(suite: SuiteName, orgCount = 2): Promise<{ genesis: Genesis; cas: TestCa[] }> {
  const cas: TestCa[] = [];
  for (let i = 1; i <= orgCount; i++) cas.push(await makeCa(suite, `org${i}`));
  const validators = [];
  for (const [i, ca] of cas.entries()) {
    const node = await issue(suite, ca, 'node');
    validators.push({ name: `node${i}`, org: ca.org, publicKey: toHex(node.key.publicKey), power: 1, certPem: pemEncode('CERTIFICATE', node.der) });
  }
  const genesis: Genesis = {
    chainId: 'test-chain', suite, genesisTimeMs: GENESIS_TIME_MS,
    organisations: cas.map((ca, i) => ({ id: ca.org, name: `Organisation ${i + 1}`, caCertPem: pemEncode('CERTIFICATE', ca.der) })),
    validators, parameters: { ...DEFAULT_CHAIN_PARAMETERS },
  };
  return { genesis, cas };
}

import { bytesEqual, fromHex } from './bytes.js';
import type { VerifySuite } from './crypto/suite.js';
import { XinlianError } from './errors.js';
import type { Genesis } from './genesis.js';
import { MembershipVerifier } from './membership.js';
import { pemDecode } from './x509/pem.js';
import { verifyCertificateSignature } from './x509/verifyCertificateSignature.js';

function fail(path: string, why: string): never {
  throw new XinlianError('GENESIS_INVALID', `genesis${path}: ${why}`);
}

/** The first message of a typed error, or rethrow what is not one (a bug, not bad input). */
function reason(error: unknown): string {
  if (error instanceof XinlianError) return error.message;
  throw error;
}

/**
 * The certificate half of genesis validation: every organisation CA parses, is self-signed and is
 * valid at genesis time; every validator holds a node certificate of its own organisation's CA,
 * valid at genesis time, for exactly its public key; validator names and keys are unique.
 */
export function checkGenesisCertificates(genesis: Genesis, suite: VerifySuite): void {
  let membership: MembershipVerifier;
  try {
    membership = new MembershipVerifier(genesis, suite);
  } catch (error) {
    return fail('.organisations', reason(error));
  }
  genesis.organisations.forEach((org, i) => {
    const ca = membership.organisationCa(org.id)!;
    if (!verifyCertificateSignature(ca, ca.publicKey, suite)) fail(`.organisations[${i}].caCertPem`, 'self-signature does not verify');
    if (genesis.genesisTimeMs < ca.notBeforeMs || genesis.genesisTimeMs > ca.notAfterMs) {
      fail(`.organisations[${i}].caCertPem`, 'CA certificate is not valid at genesisTimeMs');
    }
  });
  const names = new Set<string>();
  const keys = new Set<string>();
  genesis.validators.forEach((validator, i) => {
    const path = `.validators[${i}]`;
    if (names.has(validator.name)) fail(`${path}.name`, `duplicate validator name "${validator.name}"`);
    if (keys.has(validator.publicKey)) fail(`${path}.publicKey`, 'duplicate validator key');
    names.add(validator.name);
    keys.add(validator.publicKey);
    if (validator.publicKey.length !== suite.publicKeyBytes * 2) fail(`${path}.publicKey`, `must be ${suite.publicKeyBytes} bytes for the ${suite.name} suite`);
    if (membership.organisationCa(validator.org) === undefined) fail(`${path}.org`, `unknown organisation "${validator.org}"`);
    let member;
    try {
      member = membership.verifyMember(pemDecode(validator.certPem, 'CERTIFICATE'), genesis.genesisTimeMs);
    } catch (error) {
      return fail(`${path}.certPem`, reason(error));
    }
    if (member.org !== validator.org) fail(`${path}.certPem`, `issued by the ${member.org} CA, not ${validator.org}`);
    if (member.role !== 'node') fail(`${path}.certPem`, `role is ${member.role}, a validator needs role node`);
    if (!bytesEqual(fromHex(validator.publicKey), member.publicKey)) fail(`${path}.publicKey`, 'does not match the key in certPem');
  });
}

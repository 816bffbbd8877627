import { bytesEqual, toHex } from './bytes.js';
import type { VerifySuite } from './crypto/suite.js';
import { XinlianError } from './errors.js';
import type { Genesis } from './genesis.js';
import { KEY_USAGE, signatureAlgorithmOf, type Certificate, type Role } from './x509/certificate.js';
import { parseCertificate } from './x509/parseCertificate.js';
import { pemDecode } from './x509/pem.js';
import { verifyCertificateSignature } from './x509/verifyCertificateSignature.js';

/** Who holds a certificate, once it is known to chain to a member organisation's CA. */
export interface Member {
  /** Organisation id (O), the same as the issuing CA's. */
  org: string;
  commonName: string;
  role: Role;
  /** Raw public key (intl 32 bytes, gm 65 bytes). */
  publicKey: Uint8Array;
  /** The suite's hash of the certificate DER. */
  certHash: Uint8Array;
}

export interface MembershipOptions {
  /** Most verified certificates remembered (least recently used go first). */
  cacheEntriesMax?: number;
}

/** An organisation as membership sees it: its id and its CA certificate. */
export interface MemberOrganisation {
  id: string;
  caCertPem: string;
}

interface CachedMember {
  member: Member;
  /** The window in which both the certificate and its CA are valid. */
  validFromMs: number;
  validUntilMs: number;
}

interface OrganisationCa {
  org: string;
  cert: Certificate;
}

const DEFAULT_CACHE_ENTRIES_MAX = 10_000;

/**
 * Decides whether a certificate (carried in each tx, as in Fabric) belongs to a member: issued by
 * an organisation CA of genesis, for this chain's suite, not a CA itself, with a role, and valid at
 * the given time (block time, never the local clock). Verified certificates are cached by hash
 * because checking the CA signature on every tx would cost as much as the tx signature itself;
 * the validity window is still checked on every call. See docs/adr/004-pki-and-membership.md.
 */
export class MembershipVerifier {
  private readonly casByIssuerName = new Map<string, OrganisationCa>();
  private readonly casByOrg = new Map<string, OrganisationCa>();
  private readonly cache = new Map<string, CachedMember>();
  private readonly cacheEntriesMax: number;
  private isRevoked: (certHash: Uint8Array) => boolean = () => false;

  constructor(genesis: Genesis, private readonly suite: VerifySuite, options: MembershipOptions = {}) {
    if (suite.name !== genesis.suite) throw new XinlianError('CERT_INVALID', `verifier suite ${suite.name} does not match genesis suite ${genesis.suite}`);
    this.cacheEntriesMax = Math.max(1, options.cacheEntriesMax ?? DEFAULT_CACHE_ENTRIES_MAX);
    this.setOrganisations(genesis.organisations);
  }

  /**
   * The member organisations from now on (governance adds and removes them, ADR 008). Every
   * cached verification is dropped: a certificate of a removed organisation must fail at once.
   */
  setOrganisations(organisations: readonly MemberOrganisation[]): void {
    const byIssuer = new Map<string, OrganisationCa>();
    const byOrg = new Map<string, OrganisationCa>();
    for (const organisation of organisations) {
      const ca = { org: organisation.id, cert: loadOrganisationCa(organisation.id, organisation.caCertPem, this.suite) };
      byIssuer.set(toHex(ca.cert.subjectNameBytes), ca);
      byOrg.set(ca.org, ca);
    }
    this.casByIssuerName.clear();
    this.casByOrg.clear();
    for (const [key, ca] of byIssuer) this.casByIssuerName.set(key, ca);
    for (const [key, ca] of byOrg) this.casByOrg.set(key, ca);
    this.cache.clear();
  }

  /** Revoked certificates (by suite hash of the DER) fail verifyMember with CERT_REVOKED. */
  setRevocationCheck(isRevoked: (certHash: Uint8Array) => boolean): void {
    this.isRevoked = isRevoked;
  }

  /** The parsed CA certificate of an organisation in genesis. */
  organisationCa(org: string): Certificate | undefined {
    return this.casByOrg.get(org)?.cert;
  }

  get cacheSize(): number {
    return this.cache.size;
  }

  /**
   * The member holding `certDer` at `atTimeMs`. Throws TX_UNKNOWN_MEMBER when the certificate does
   * not chain to the CA of a member organisation (genesis's, or as governance changed them), CERT_INVALID when it is malformed, of another suite,
   * a CA certificate, without a role, or not valid at that time, CERT_REVOKED when governance
   * revoked it.
   */
  verifyMember(certDer: Uint8Array, atTimeMs: number): Member {
    const certHash = this.suite.hash(certDer);
    const key = toHex(certHash);
    let entry = this.cache.get(key);
    if (entry !== undefined) {
      this.cache.delete(key); // re-inserted below: Map order is the recency order
    } else {
      entry = this.verifyChain(certDer, certHash);
    }
    this.cache.set(key, entry);
    if (this.cache.size > this.cacheEntriesMax) this.cache.delete(this.cache.keys().next().value!);
    // Not cached: a revocation takes effect on the next call.
    if (this.isRevoked(certHash)) {
      throw new XinlianError('CERT_REVOKED', `certificate of "${entry.member.commonName}" (${entry.member.org}) is revoked`, { certHash: key });
    }
    if (atTimeMs < entry.validFromMs || atTimeMs > entry.validUntilMs) {
      throw new XinlianError('CERT_INVALID', `certificate of "${entry.member.commonName}" (${entry.member.org}) is not valid at ${atTimeMs}`, {
        validFromMs: entry.validFromMs, validUntilMs: entry.validUntilMs,
      });
    }
    return entry.member;
  }

  private verifyChain(certDer: Uint8Array, certHash: Uint8Array): CachedMember {
    const cert = parseCertificate(certDer);
    const who = `"${cert.subject.commonName}" (${cert.subject.organisation})`;
    const invalid = (why: string): never => {
      throw new XinlianError('CERT_INVALID', `certificate of ${who}: ${why}`);
    };
    if (cert.suite !== this.suite.name || cert.signatureAlgorithm !== signatureAlgorithmOf(this.suite.name)) {
      invalid(`${cert.suite} key signed with ${cert.signatureAlgorithm}, but this chain uses the ${this.suite.name} suite`);
    }
    if (cert.isCa) invalid('a CA certificate cannot act as a member');
    const role = cert.subject.role ?? invalid('no role (OU)');
    if (cert.keyUsage !== undefined && (cert.keyUsage & KEY_USAGE.digitalSignature) === 0) invalid('keyUsage lacks digitalSignature');
    const ca = this.casByIssuerName.get(toHex(cert.issuerNameBytes));
    const unknown = (why: string): never => {
      throw new XinlianError('TX_UNKNOWN_MEMBER', `certificate of ${who} ${why}`);
    };
    if (ca === undefined) return unknown('is not issued by the CA of a member organisation');
    if (cert.authorityKeyId !== undefined && ca.cert.subjectKeyId !== undefined && !bytesEqual(cert.authorityKeyId, ca.cert.subjectKeyId)) {
      unknown(`names another key of the ${ca.org} CA`);
    }
    if (!verifyCertificateSignature(cert, ca.cert.publicKey, this.suite)) unknown(`does not carry a valid signature of the ${ca.org} CA`);
    // Checked after the signature: only a CA may vouch for the organisation attribute.
    if (cert.subject.organisation !== ca.org) invalid(`issued by the ${ca.org} CA for another organisation`);
    return {
      // A copy: cert.publicKey views the caller's buffer, which may be reused after this call.
      member: { org: ca.org, commonName: cert.subject.commonName, role, publicKey: cert.publicKey.slice(), certHash },
      validFromMs: Math.max(cert.notBeforeMs, ca.cert.notBeforeMs),
      validUntilMs: Math.min(cert.notAfterMs, ca.cert.notAfterMs),
    };
  }
}

/**
 * Parses and checks an organisation CA from genesis. Its self-signature is not checked here:
 * genesis is the trust anchor (parseGenesis does check it, to catch corrupted files early).
 */
function loadOrganisationCa(org: string, pem: string, suite: VerifySuite): Certificate {
  let cert: Certificate;
  try {
    cert = parseCertificate(pemDecode(pem, 'CERTIFICATE'));
  } catch (error) {
    throw new XinlianError('CERT_INVALID', `CA certificate of organisation ${org}: ${(error as Error).message}`);
  }
  const fail = (why: string): never => {
    throw new XinlianError('CERT_INVALID', `CA certificate of organisation ${org}: ${why}`);
  };
  if (!cert.isCa) fail('basicConstraints cA is not set');
  if (cert.keyUsage !== undefined && (cert.keyUsage & KEY_USAGE.keyCertSign) === 0) fail('keyUsage lacks keyCertSign');
  if (cert.suite !== suite.name) fail(`${cert.suite} key on a ${suite.name} chain`);
  if (cert.subject.organisation !== org) fail(`O is "${cert.subject.organisation}"`);
  if (!bytesEqual(cert.subjectNameBytes, cert.issuerNameBytes)) fail('not self-issued');
  return cert;
}

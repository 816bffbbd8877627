import { XinlianError } from '../errors.js';
import { DER_TAG } from './derTag.js';
import { DerReader } from './derReader.js';
import { derObjectIdentifier, derSequence, derSet, derUtf8String } from './derWriter.js';
import { isRole, type CertificateName } from './certificate.js';
import { OID } from './objectIdentifier.js';

/** ub-common-name, ub-organization-name and ub-organizational-unit-name of RFC 5280 are all 64. */
const ATTRIBUTE_CHARS_MAX = 64;

/** O, then OU, then CN, one attribute per RDN: the conventional most-significant-first order. */
export function encodeName(name: CertificateName): Uint8Array {
  const attributes: Array<[string, string]> = [[OID.organisationName, name.organisation]];
  if (name.role !== undefined) attributes.push([OID.organisationalUnitName, name.role]);
  attributes.push([OID.commonName, name.commonName]);
  for (const [, value] of attributes) {
    if (value.length === 0 || value.length > ATTRIBUTE_CHARS_MAX) {
      throw new XinlianError('CERT_INVALID', `name attribute "${value.slice(0, 80)}" must have 1 to ${ATTRIBUTE_CHARS_MAX} characters`);
    }
  }
  return derSequence(...attributes.map(([oid, value]) => derSet(derSequence(derObjectIdentifier(oid), derUtf8String(value)))));
}

/**
 * Reads a Name: exactly one CN and one O, at most one OU (which must be a known role). Other
 * attribute types (C, L, ...) are allowed and ignored; multi-valued RDNs are refused.
 */
export function decodeName(reader: DerReader, what: string): { name: CertificateName; bytes: Uint8Array } {
  const element = reader.expect(DER_TAG.sequence, what);
  const rdns = new DerReader(element.content, what);
  const seen = new Map<string, string>();
  while (!rdns.done) {
    const rdn = rdns.enter(`${what} RDN`, DER_TAG.set);
    const attribute = rdn.enter(`${what} attribute`);
    rdn.end();
    const type = attribute.objectIdentifier('attribute type');
    const value = attribute.directoryString('attribute value');
    attribute.end();
    if (seen.has(type)) throw new XinlianError('DECODE_ERROR', `${what}: repeated attribute ${type}`);
    if (value.length === 0 || value.length > ATTRIBUTE_CHARS_MAX) throw new XinlianError('DECODE_ERROR', `${what}: attribute ${type} has ${value.length} characters`);
    seen.set(type, value);
  }
  const commonName = seen.get(OID.commonName);
  const organisation = seen.get(OID.organisationName);
  const unit = seen.get(OID.organisationalUnitName);
  if (commonName === undefined || organisation === undefined) throw new XinlianError('DECODE_ERROR', `${what}: CN and O are required`);
  if (unit !== undefined && !isRole(unit)) throw new XinlianError('DECODE_ERROR', `${what}: OU "${unit}" is not a role (admin, client, node, auditor)`);
  const name: CertificateName = unit === undefined ? { commonName, organisation } : { commonName, organisation, role: unit };
  return { name, bytes: element.encoded };
}

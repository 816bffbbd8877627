import { XinlianError } from '../errors.js';
import { contextTag, DER_TAG } from './derTag.js';
import { DerReader } from './derReader.js';
import { derBoolean, derExplicit, derNamedBits, derObjectIdentifier, derOctetString, derSequence, derSmallInteger, derTlv } from './derWriter.js';
import { KEY_USAGE } from './certificate.js';
import { OID } from './objectIdentifier.js';

export interface Extensions {
  isCa: boolean;
  pathLengthMax?: number;
  keyUsage?: number;
  subjectKeyId?: Uint8Array;
  authorityKeyId?: Uint8Array;
}

function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  // DER omits a BOOLEAN that equals its DEFAULT (FALSE).
  const parts = critical ? [derObjectIdentifier(oid), derBoolean(true)] : [derObjectIdentifier(oid)];
  return derSequence(...parts, derOctetString(value));
}

/**
 * [3] EXPLICIT Extensions. CAs: cA TRUE with pathLen 0 (an organisation CA issues only end-entity
 * certificates), keyCertSign | cRLSign. Members: empty basicConstraints, digitalSignature.
 */
export function encodeExtensions(isCa: boolean, subjectKeyId: Uint8Array, authorityKeyId: Uint8Array): Uint8Array {
  const basicConstraints = isCa ? derSequence(derBoolean(true), derSmallInteger(0)) : derSequence();
  const keyUsage = isCa ? KEY_USAGE.keyCertSign | KEY_USAGE.cRLSign : KEY_USAGE.digitalSignature;
  return derExplicit(3, derSequence(
    extension(OID.basicConstraints, true, basicConstraints),
    extension(OID.keyUsage, true, derNamedBits(keyUsage)),
    extension(OID.subjectKeyIdentifier, false, derOctetString(subjectKeyId)),
    extension(OID.authorityKeyIdentifier, false, derSequence(derTlv(contextTag(0, false), authorityKeyId))),
  ));
}

type ExtensionParser = (value: DerReader, out: Extensions) => void;

const PARSERS = new Map<string, ExtensionParser>([
  [OID.basicConstraints, (value, out) => {
    const body = value.enter('basicConstraints');
    if (body.peekTag() === DER_TAG.boolean) {
      // Present only when TRUE: FALSE is the DEFAULT and DER omits it.
      if (!body.boolean('cA')) throw new XinlianError('DECODE_ERROR', 'basicConstraints: explicit cA FALSE is not DER');
      out.isCa = true;
    }
    if (body.peekTag() === DER_TAG.integer) {
      if (!out.isCa) throw new XinlianError('DECODE_ERROR', 'basicConstraints: pathLenConstraint without cA');
      out.pathLengthMax = body.smallInteger('pathLenConstraint', 255);
    }
    body.end();
  }],
  [OID.keyUsage, (value, out) => {
    const mask = value.namedBits('keyUsage');
    if (mask >= KEY_USAGE.decipherOnly << 1) throw new XinlianError('DECODE_ERROR', 'keyUsage: unknown bits');
    out.keyUsage = mask;
  }],
  [OID.subjectKeyIdentifier, (value, out) => {
    out.subjectKeyId = value.octetString('subjectKeyIdentifier');
  }],
  [OID.authorityKeyIdentifier, (value, out) => {
    const body = value.enter('authorityKeyIdentifier');
    const keyId = body.optional(contextTag(0, false), 'keyIdentifier');
    if (keyId !== undefined) out.authorityKeyId = keyId.content;
    // authorityCertIssuer [1] and authorityCertSerialNumber [2] are allowed (other CAs emit them) and unused.
    body.optional(contextTag(1, true), 'authorityCertIssuer');
    body.optional(contextTag(2, false), 'authorityCertSerialNumber');
    body.end();
  }],
]);

/** Reads the extension list: no duplicates, unknown extensions only when non-critical. */
export function decodeExtensions(reader: DerReader): Extensions {
  const out: Extensions = { isCa: false };
  const wrapper = reader.enter('extensions', contextTag(3, true));
  const list = wrapper.enter('Extensions');
  wrapper.end();
  const seen = new Set<string>();
  if (list.done) throw new XinlianError('DECODE_ERROR', 'empty extension list');
  while (!list.done) {
    const entry = list.enter('Extension');
    const oid = entry.objectIdentifier('extnID');
    let critical = false;
    if (entry.peekTag() === DER_TAG.boolean) {
      critical = entry.boolean('critical');
      if (!critical) throw new XinlianError('DECODE_ERROR', `extension ${oid}: explicit critical FALSE is not DER`);
    }
    const value = new DerReader(entry.octetString('extnValue'), `extension ${oid}`);
    entry.end();
    if (seen.has(oid)) throw new XinlianError('DECODE_ERROR', `repeated extension ${oid}`);
    seen.add(oid);
    const parser = PARSERS.get(oid);
    if (parser === undefined) {
      if (critical) throw new XinlianError('DECODE_ERROR', `unsupported critical extension ${oid}`);
      continue;
    }
    parser(value, out);
    value.end();
  }
  list.end();
  return out;
}

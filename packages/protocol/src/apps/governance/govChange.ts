import { decodeAll, type Reader } from '../../codec/reader.js';
import { Writer } from '../../codec/writer.js';
import { XinlianError } from '../../errors.js';
import type { ChainParameters } from '../../genesis.js';
import { LIMITS } from '../../limits.js';
import { CONTRACT_BYTES_MAX } from '../contracts/contractRecord.js';
import { readAclRule, writeAclRule, type AclRule } from './aclRule.js';
import {
  CHAIN_PARAMETER_NAMES, GOV_KINDS, GOV_LIMITS, isChainParameterName, POLICIES, type GovKind, type Policy,
} from './govKind.js';

/** One change to the consortium, as a proposal carries it (docs/spec/governance.md). */
export type GovChange =
  | { kind: 'addOrganisation'; id: string; name: string; caCertDer: Uint8Array }
  | { kind: 'removeOrganisation'; id: string }
  | { kind: 'addValidator'; name: string; org: string; certDer: Uint8Array; power: number }
  | { kind: 'removeValidator'; name: string }
  | { kind: 'setValidatorPower'; name: string; power: number }
  /** certHash: the chain's hash of the certificate DER, as membership computes it. */
  | { kind: 'revokeCertificate'; certHash: Uint8Array; org: string; reason: string }
  | { kind: 'setParameter'; name: keyof ChainParameters; value: number }
  | { kind: 'setPolicy'; target: GovKind; policy: Policy }
  | { kind: 'setTxAcl'; txType: string; rule: AclRule }
  /** prefix: a state key prefix ending in '/', e.g. 'evidence/'. */
  | { kind: 'setReadAcl'; prefix: string; rule: AclRule }
  /** code: the packaged contract's UTF-8 bytes (ADR 010); the organisations approve its hash. */
  | { kind: 'deployContract'; name: string; code: Uint8Array }
  | { kind: 'upgradeContract'; name: string; code: Uint8Array };

/** The change kinds that alter the validator set (announced two blocks ahead, ADR 008). */
export function isValidatorChange(kind: GovKind): kind is 'addValidator' | 'removeValidator' | 'setValidatorPower' {
  return kind === 'addValidator' || kind === 'removeValidator' || kind === 'setValidatorPower';
}

export function writeGovChange(w: Writer, change: GovChange): void {
  w.u8(GOV_KINDS.indexOf(change.kind));
  switch (change.kind) {
    case 'addOrganisation': w.string(change.id).string(change.name).bytes(change.caCertDer); return;
    case 'removeOrganisation': w.string(change.id); return;
    case 'addValidator': w.string(change.name).string(change.org).bytes(change.certDer).u64(change.power); return;
    case 'removeValidator': w.string(change.name); return;
    case 'setValidatorPower': w.string(change.name).u64(change.power); return;
    case 'revokeCertificate': w.fixed(change.certHash, LIMITS.hashBytes).string(change.org).string(change.reason); return;
    case 'setParameter':
      if (!isChainParameterName(change.name)) throw new RangeError(`unknown chain parameter "${String(change.name)}"`);
      w.string(change.name).u64(change.value);
      return;
    case 'setPolicy': w.u8(GOV_KINDS.indexOf(change.target)).u8(POLICIES.indexOf(change.policy)); return;
    case 'setTxAcl': w.string(change.txType); writeAclRule(w, change.rule); return;
    case 'setReadAcl': w.string(change.prefix); writeAclRule(w, change.rule); return;
    case 'deployContract': case 'upgradeContract': w.string(change.name).bytes(change.code); return;
  }
}

export function readGovKind(r: Reader, what: string): GovKind {
  const tag = r.u8(what);
  const kind = GOV_KINDS[tag];
  if (kind === undefined) throw new XinlianError('DECODE_ERROR', `${what} ${tag} is not a change kind`);
  return kind;
}

export function readPolicy(r: Reader, what: string): Policy {
  const tag = r.u8(what);
  const policy = POLICIES[tag];
  if (policy === undefined) throw new XinlianError('DECODE_ERROR', `${what} ${tag} is not a policy`);
  return policy;
}

export function readGovChange(r: Reader): GovChange {
  const kind = readGovKind(r, 'change kind');
  const orgId = (what: string) => r.string(GOV_LIMITS.orgIdBytesMax, what);
  const validatorName = () => r.string(GOV_LIMITS.validatorNameBytesMax, 'validator name');
  const certificate = (what: string) => r.bytes(LIMITS.certificateBytesMax, what);
  switch (kind) {
    case 'addOrganisation':
      return { kind, id: orgId('organisation id'), name: r.string(GOV_LIMITS.orgNameBytesMax, 'organisation name'), caCertDer: certificate('caCertDer') };
    case 'removeOrganisation': return { kind, id: orgId('organisation id') };
    case 'addValidator':
      return { kind, name: validatorName(), org: orgId('validator org'), certDer: certificate('certDer'), power: r.u64('power') };
    case 'removeValidator': return { kind, name: validatorName() };
    case 'setValidatorPower': return { kind, name: validatorName(), power: r.u64('power') };
    case 'revokeCertificate':
      return { kind, certHash: r.fixed(LIMITS.hashBytes, 'certHash'), org: orgId('certificate org'), reason: r.string(GOV_LIMITS.reasonBytesMax, 'reason') };
    case 'setParameter': {
      const name = r.string(GOV_LIMITS.parameterNameBytesMax, 'parameter name');
      if (!isChainParameterName(name)) throw new XinlianError('DECODE_ERROR', `unknown chain parameter "${name}" (known: ${CHAIN_PARAMETER_NAMES.join(', ')})`);
      return { kind, name, value: r.u64('parameter value') };
    }
    case 'setPolicy': return { kind, target: readGovKind(r, 'policy target'), policy: readPolicy(r, 'policy') };
    case 'setTxAcl': return { kind, txType: r.string(LIMITS.txTypeBytesMax, 'tx type'), rule: readAclRule(r) };
    case 'setReadAcl': return { kind, prefix: r.string(GOV_LIMITS.aclPrefixBytesMax, 'acl prefix'), rule: readAclRule(r) };
    case 'deployContract': case 'upgradeContract':
      return { kind, name: r.string(32, 'contract name'), code: r.bytes(CONTRACT_BYTES_MAX, 'contract code') };
  }
}

export function encodeGovChange(change: GovChange): Uint8Array {
  const w = new Writer();
  writeGovChange(w, change);
  return w.finish();
}

export function decodeGovChange(bytes: Uint8Array): GovChange {
  return decodeAll(bytes, readGovChange, 'governance change');
}

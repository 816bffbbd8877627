import { decodeAll, type Reader } from '../../codec/reader.js';
import { Writer } from '../../codec/writer.js';
import { XinlianError } from '../../errors.js';
import type { ChainParameters } from '../../genesis.js';
import { LIMITS } from '../../limits.js';
import type { ValidatorSet } from '../../ledger/validatorSet.js';
import { readAclRule, writeAclRule, type AclRule } from './aclRule.js';
import type { GenesisGovernance } from './genesisGovernance.js';
import { readPolicy } from './govChange.js';
import { CHAIN_PARAMETER_NAMES, GOV_KINDS, GOV_LIMITS, POLICIES } from './govKind.js';

// The records governance keeps under sys/ (docs/spec/governance.md). Each decoder is the exact
// inverse of its encoder, like every codec of the protocol: a state proof shows these bytes.

/** sys/org/<id>. Organisation ids are never reused, so the record stays after removal. */
export interface OrganisationRecord {
  id: string;
  name: string;
  caCertDer: Uint8Array;
  /** 0 for the organisations of genesis. */
  joinedHeight: number;
  /** 0 while a member. */
  removedHeight: number;
}

/** sys/revoked/<certHash hex>. */
export interface RevocationRecord {
  certHash: Uint8Array;
  org: string;
  reason: string;
  height: number;
  proposalId: Uint8Array;
}

export interface ValidatorEntry {
  name: string;
  org: string;
  certDer: Uint8Array;
  publicKey: Uint8Array;
  power: number;
}

/** sys/validators: the set in force; its order is the validator index order of consensus. */
export interface ValidatorsRecord {
  validators: ValidatorEntry[];
  /** The first height this set signs (1 for the genesis set). */
  sinceHeight: number;
}

/** sys/validators-next: a set announced by a passed proposal, in force from effectiveHeight. */
export interface ValidatorsNextRecord {
  validators: ValidatorEntry[];
  effectiveHeight: number;
  proposalId: Uint8Array;
}

/** The consensus view of validator entries: (publicKey, power), in the same order. */
export function validatorSetOf(validators: readonly ValidatorEntry[]): ValidatorSet {
  return validators.map((v) => ({ publicKey: v.publicKey, power: v.power }));
}

// OrganisationRecord = string id | string name | bytes caCertDer | u64 joinedHeight | u64 removedHeight
export function encodeOrganisationRecord(record: OrganisationRecord): Uint8Array {
  return new Writer().string(record.id).string(record.name).bytes(record.caCertDer).u64(record.joinedHeight).u64(record.removedHeight).finish();
}

export function decodeOrganisationRecord(bytes: Uint8Array): OrganisationRecord {
  return decodeAll(bytes, (r) => ({
    id: r.string(GOV_LIMITS.orgIdBytesMax, 'organisation id'),
    name: r.string(GOV_LIMITS.orgNameBytesMax, 'organisation name'),
    caCertDer: r.bytes(LIMITS.certificateBytesMax, 'caCertDer'),
    joinedHeight: r.u64('joinedHeight'),
    removedHeight: r.u64('removedHeight'),
  }), 'organisation record');
}

// OrganisationIndex (sys/orgs) = list<string id>: the member organisations in the order they joined.
export function encodeOrganisationIndex(ids: readonly string[]): Uint8Array {
  return new Writer().list(ids, (w, id) => w.string(id)).finish();
}

export function decodeOrganisationIndex(bytes: Uint8Array): string[] {
  return decodeAll(bytes, (r) => r.list(GOV_LIMITS.organisationsMax, (x) => x.string(GOV_LIMITS.orgIdBytesMax, 'organisation id'), 'organisations'), 'organisation index');
}

// RevocationRecord = fixed32 certHash | string org | string reason | u64 height | fixed32 proposalId
export function encodeRevocationRecord(record: RevocationRecord): Uint8Array {
  return new Writer()
    .fixed(record.certHash, LIMITS.hashBytes).string(record.org).string(record.reason).u64(record.height).fixed(record.proposalId, LIMITS.hashBytes)
    .finish();
}

export function decodeRevocationRecord(bytes: Uint8Array): RevocationRecord {
  return decodeAll(bytes, (r) => ({
    certHash: r.fixed(LIMITS.hashBytes, 'certHash'),
    org: r.string(GOV_LIMITS.orgIdBytesMax, 'org'),
    reason: r.string(GOV_LIMITS.reasonBytesMax, 'reason'),
    height: r.u64('height'),
    proposalId: r.fixed(LIMITS.hashBytes, 'proposalId'),
  }), 'revocation record');
}

// ValidatorEntry = string name | string org | bytes certDer | bytes publicKey | u64 power
function writeValidators(w: Writer, validators: readonly ValidatorEntry[]): void {
  w.list(validators, (x, v) => x.string(v.name).string(v.org).bytes(v.certDer).bytes(v.publicKey).u64(v.power));
}

function readValidators(r: Reader): ValidatorEntry[] {
  const validators = r.list(LIMITS.validatorsMax, (x) => ({
    name: x.string(GOV_LIMITS.validatorNameBytesMax, 'validator name'),
    org: x.string(GOV_LIMITS.orgIdBytesMax, 'validator org'),
    certDer: x.bytes(LIMITS.certificateBytesMax, 'certDer'),
    publicKey: x.bytes(LIMITS.publicKeyBytesMax, 'publicKey'),
    power: x.u64('power'),
  }), 'validators');
  // As decodeValidatorSet: consensus cannot run on an empty set, so no record may hold one.
  if (validators.length === 0) throw new XinlianError('DECODE_ERROR', 'empty validator set');
  return validators;
}

// ValidatorsRecord = list<ValidatorEntry> (1..1000) | u64 sinceHeight
export function encodeValidatorsRecord(record: ValidatorsRecord): Uint8Array {
  const w = new Writer();
  writeValidators(w, record.validators);
  return w.u64(record.sinceHeight).finish();
}

export function decodeValidatorsRecord(bytes: Uint8Array): ValidatorsRecord {
  return decodeAll(bytes, (r) => ({ validators: readValidators(r), sinceHeight: r.u64('sinceHeight') }), 'validators record');
}

// ValidatorsNextRecord = list<ValidatorEntry> (1..1000) | u64 effectiveHeight | fixed32 proposalId
export function encodeValidatorsNextRecord(record: ValidatorsNextRecord): Uint8Array {
  const w = new Writer();
  writeValidators(w, record.validators);
  return w.u64(record.effectiveHeight).fixed(record.proposalId, LIMITS.hashBytes).finish();
}

export function decodeValidatorsNextRecord(bytes: Uint8Array): ValidatorsNextRecord {
  return decodeAll(
    bytes,
    (r) => ({ validators: readValidators(r), effectiveHeight: r.u64('effectiveHeight'), proposalId: r.fixed(LIMITS.hashBytes, 'proposalId') }),
    'validators-next record',
  );
}

// ChainParameters (sys/params) = u64 per parameter, in CHAIN_PARAMETER_NAMES order
export function encodeChainParameters(params: ChainParameters): Uint8Array {
  const w = new Writer();
  for (const name of CHAIN_PARAMETER_NAMES) w.u64(params[name]);
  return w.finish();
}

export function decodeChainParameters(bytes: Uint8Array): ChainParameters {
  return decodeAll(bytes, (r) => {
    const params = {} as ChainParameters;
    for (const name of CHAIN_PARAMETER_NAMES) params[name] = r.u64(name);
    return params;
  }, 'chain parameters');
}

// Policies (sys/policies) = u8 policy per kind, in GOV_KINDS order | u64 proposalHeightsMax
export function encodePolicies(governance: GenesisGovernance): Uint8Array {
  const w = new Writer();
  for (const kind of GOV_KINDS) {
    const tag = POLICIES.indexOf(governance.policies[kind]);
    if (tag < 0) throw new RangeError(`no policy for ${kind}`);
    w.u8(tag);
  }
  return w.u64(governance.proposalHeightsMax).finish();
}

export function decodePolicies(bytes: Uint8Array): GenesisGovernance {
  return decodeAll(bytes, (r) => {
    const policies = {} as GenesisGovernance['policies'];
    for (const kind of GOV_KINDS) policies[kind] = readPolicy(r, `policy of ${kind}`);
    return { policies, proposalHeightsMax: r.u64('proposalHeightsMax') };
  }, 'policies');
}

// sys/acl/tx/<type> and sys/acl/read/<prefix> hold an AclRule.
export function encodeAclRule(rule: AclRule): Uint8Array {
  const w = new Writer();
  writeAclRule(w, rule);
  return w.finish();
}

export function decodeAclRule(bytes: Uint8Array): AclRule {
  return decodeAll(bytes, readAclRule, 'acl rule');
}

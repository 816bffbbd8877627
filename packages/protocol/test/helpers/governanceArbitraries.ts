import fc from 'fast-check';
import {
  CHAIN_PARAMETER_NAMES, compareBytes, GOV_KINDS, GOV_LIMITS, LIMITS, POLICIES, PROPOSAL_STATUSES, ROLES, utf8,
  type AclRule, type ContractRecord, type ChainParameters, type GenesisGovernance, type GovChange, type OpenProposal, type OrganisationRecord,
  type ProposalRecord, type RevocationRecord, type ValidatorEntry, type ValidatorsNextRecord, type ValidatorsRecord,
} from '../../src/index.js';
import { hashArbitrary } from './decoderFuzz.js';

// Arbitraries of the governance encodings (docs/spec/governance.md): any value the encoders accept,
// including strings at their byte limits and non-ASCII text. Records are built without a null
// prototype so that deepEqual compares them with what the decoders build.

/** Strings of at most `maxBytes` UTF-8 bytes: short Unicode ones, and ASCII ones up to the limit. */
export function text(maxBytes: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: 'binary', maxLength: Math.floor(maxBytes / 4) }),
    fc.string({ unit: 'binary-ascii', minLength: maxBytes - 2, maxLength: maxBytes }),
    fc.string({ unit: 'binary-ascii', maxLength: 12 }),
  );
}

const record = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> => fc.record(model, { noNullPrototype: true }) as fc.Arbitrary<T>;

const u64 = fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.maxSafeNat());
const orgId = text(GOV_LIMITS.orgIdBytesMax);
const der = fc.uint8Array({ maxLength: 48 });

export const aclRuleArbitrary: fc.Arbitrary<AclRule> = record<AclRule>({
  orgs: fc.oneof(
    fc.constant('all' as const),
    fc.uniqueArray(orgId, { maxLength: 5 }).map((orgs) => orgs.sort((a, b) => compareBytes(utf8(a), utf8(b)))),
  ),
  roles: fc.subarray([...ROLES]),
});

export const govChangeArbitrary: fc.Arbitrary<GovChange> = fc.oneof(
  record({ kind: fc.constant('addOrganisation' as const), id: orgId, name: text(GOV_LIMITS.orgNameBytesMax), caCertDer: der }),
  record({ kind: fc.constant('removeOrganisation' as const), id: orgId }),
  record({ kind: fc.constant('addValidator' as const), name: text(GOV_LIMITS.validatorNameBytesMax), org: orgId, certDer: der, power: u64 }),
  record({ kind: fc.constant('removeValidator' as const), name: text(GOV_LIMITS.validatorNameBytesMax) }),
  record({ kind: fc.constant('setValidatorPower' as const), name: text(GOV_LIMITS.validatorNameBytesMax), power: u64 }),
  record({ kind: fc.constant('revokeCertificate' as const), certHash: hashArbitrary, org: orgId, reason: text(GOV_LIMITS.reasonBytesMax) }),
  record({ kind: fc.constant('setParameter' as const), name: fc.constantFrom(...CHAIN_PARAMETER_NAMES), value: u64 }),
  record({ kind: fc.constant('setPolicy' as const), target: fc.constantFrom(...GOV_KINDS), policy: fc.constantFrom(...POLICIES) }),
  record({ kind: fc.constant('setTxAcl' as const), txType: text(LIMITS.txTypeBytesMax), rule: aclRuleArbitrary }),
  record({ kind: fc.constant('setReadAcl' as const), prefix: text(GOV_LIMITS.aclPrefixBytesMax), rule: aclRuleArbitrary }),
  record({ kind: fc.constantFrom('deployContract' as const, 'upgradeContract' as const), name: text(32), code: fc.uint8Array({ maxLength: 2048 }) }),
);

export const contractRecordArbitrary = record<ContractRecord>({
  name: text(32), version: fc.nat({ max: 0xffffffff }), codeHash: hashArbitrary, codeBytes: fc.nat({ max: 0xffffffff }), proposalId: hashArbitrary,
  approvedBy: fc.array(orgId, { maxLength: 5 }), deployedHeight: u64, height: u64,
});

export const organisationRecordArbitrary = record<OrganisationRecord>({
  id: orgId, name: text(GOV_LIMITS.orgNameBytesMax), caCertDer: der, joinedHeight: u64, removedHeight: u64,
});

export const revocationRecordArbitrary = record<RevocationRecord>({
  certHash: hashArbitrary, org: orgId, reason: text(GOV_LIMITS.reasonBytesMax), height: u64, proposalId: hashArbitrary,
});

const validatorEntries = fc.array(record<ValidatorEntry>({
  name: text(GOV_LIMITS.validatorNameBytesMax), org: orgId, certDer: der,
  publicKey: fc.uint8Array({ maxLength: LIMITS.publicKeyBytesMax }), power: u64,
}), { minLength: 1, maxLength: 4 });

export const validatorsRecordArbitrary = record<ValidatorsRecord>({ validators: validatorEntries, sinceHeight: u64 });
export const validatorsNextRecordArbitrary = record<ValidatorsNextRecord>({ validators: validatorEntries, effectiveHeight: u64, proposalId: hashArbitrary });

export const chainParametersArbitrary = record<ChainParameters>(
  Object.fromEntries(CHAIN_PARAMETER_NAMES.map((name) => [name, u64])) as { [K in keyof ChainParameters]: fc.Arbitrary<number> },
);

export const policiesArbitrary = record<GenesisGovernance>({
  policies: record(Object.fromEntries(GOV_KINDS.map((kind) => [kind, fc.constantFrom(...POLICIES)])) as { [K in (typeof GOV_KINDS)[number]]: fc.Arbitrary<(typeof POLICIES)[number]> }),
  proposalHeightsMax: u64,
});

export const proposalRecordArbitrary = record<ProposalRecord>({
  id: hashArbitrary,
  change: govChangeArbitrary,
  proposer: record({ org: orgId, name: text(GOV_LIMITS.memberNameBytesMax) }),
  createdHeight: u64,
  deadlineHeight: u64,
  votes: fc.array(record({ org: orgId, name: text(GOV_LIMITS.memberNameBytesMax), approve: fc.boolean(), height: u64, txId: hashArbitrary }), { maxLength: 4 }),
  status: fc.constantFrom(...PROPOSAL_STATUSES),
  decidedHeight: u64,
  effectiveHeight: u64,
});

export const openProposalsArbitrary: fc.Arbitrary<OpenProposal[]> = fc.array(record<OpenProposal>({ id: hashArbitrary, org: orgId, deadlineHeight: u64 }), { maxLength: 5 });

export const organisationIndexArbitrary: fc.Arbitrary<string[]> = fc.array(orgId, { maxLength: 6 });

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  decodeAclRule, decodeChainParameters, decodeGovChange, decodeGovPropose, decodeGovVote, decodeOpenProposals,
  decodeOrganisationIndex, decodeOrganisationRecord, decodePolicies, decodeProposalRecord, decodeRevocationRecord,
  decodeValidatorsNextRecord, decodeValidatorsRecord, encodeAclRule, encodeChainParameters, encodeGovChange,
  encodeGovPropose, encodeGovVote, encodeOpenProposals, encodeOrganisationIndex, encodeOrganisationRecord, encodePolicies,
  encodeProposalRecord, encodeRevocationRecord, encodeValidatorsNextRecord, encodeValidatorsRecord, GOV_KINDS, GOV_LIMITS,
  LIMITS, POLICIES, PROPOSAL_STATUSES, Writer, encodeContractRecord, decodeContractRecord, encodeContractIndex, decodeContractIndex, utf8,
} from '../../src/index.js';
import {
  assertRejects, checkProperty, codecProperties, hashArbitrary,
} from '../helpers/decoderFuzz.js';
import {
  aclRuleArbitrary, chainParametersArbitrary, contractRecordArbitrary, govChangeArbitrary, openProposalsArbitrary, organisationIndexArbitrary,
  organisationRecordArbitrary, policiesArbitrary, proposalRecordArbitrary, revocationRecordArbitrary,
  validatorsNextRecordArbitrary, validatorsRecordArbitrary,
} from '../helpers/governanceArbitraries.js';

// Every governance encoding (docs/spec/governance.md) is decoded from txs of any member and from the
// state, whose proofs a court reads: the decoders must be exact inverses of the encoders and reject
// everything else with a DECODE_ERROR, like the ledger and consensus codecs.

const LIMITS_TRIED = [
  LIMITS.hashBytes, LIMITS.certificateBytesMax, LIMITS.validatorsMax, LIMITS.publicKeyBytesMax, LIMITS.txTypeBytesMax,
  GOV_LIMITS.orgIdBytesMax, GOV_LIMITS.orgNameBytesMax, GOV_LIMITS.validatorNameBytesMax, GOV_LIMITS.memberNameBytesMax,
  GOV_LIMITS.reasonBytesMax, GOV_LIMITS.aclPrefixBytesMax, GOV_LIMITS.openProposalsMax,
];


codecProperties('governance change', 8100, govChangeArbitrary, encodeGovChange, decodeGovChange, { limits: LIMITS_TRIED });
codecProperties('gov.propose payload', 8200, govChangeArbitrary.map((change) => ({ change })), encodeGovPropose, decodeGovPropose, { limits: LIMITS_TRIED });
codecProperties('gov.vote payload', 8300, fc.record({ proposalId: hashArbitrary, approve: fc.boolean() }, { noNullPrototype: true }), encodeGovVote, decodeGovVote, { limits: LIMITS_TRIED });
codecProperties('acl rule', 8400, aclRuleArbitrary, encodeAclRule, decodeAclRule, { limits: LIMITS_TRIED });
codecProperties('organisation record', 8500, organisationRecordArbitrary, encodeOrganisationRecord, decodeOrganisationRecord, { limits: LIMITS_TRIED });
codecProperties('organisation index', 8600, organisationIndexArbitrary, encodeOrganisationIndex, decodeOrganisationIndex, { limits: LIMITS_TRIED });
codecProperties('revocation record', 8700, revocationRecordArbitrary, encodeRevocationRecord, decodeRevocationRecord, { limits: LIMITS_TRIED });
codecProperties('validators record', 8800, validatorsRecordArbitrary, encodeValidatorsRecord, decodeValidatorsRecord, { limits: LIMITS_TRIED });
codecProperties('validators-next record', 8900, validatorsNextRecordArbitrary, encodeValidatorsNextRecord, decodeValidatorsNextRecord, { limits: LIMITS_TRIED });
codecProperties('chain parameters', 9000, chainParametersArbitrary, encodeChainParameters, decodeChainParameters, { limits: LIMITS_TRIED });
codecProperties('policies', 9100, policiesArbitrary, encodePolicies, decodePolicies, { limits: LIMITS_TRIED });
codecProperties('proposal record', 9200, proposalRecordArbitrary, encodeProposalRecord, decodeProposalRecord, { limits: LIMITS_TRIED });
codecProperties('open proposals', 9300, openProposalsArbitrary, encodeOpenProposals, decodeOpenProposals, { limits: LIMITS_TRIED });
codecProperties('contract record', 9400, contractRecordArbitrary, encodeContractRecord, decodeContractRecord, { limits: LIMITS_TRIED });
codecProperties('contract index', 9500, fc.array(fc.string({ maxLength: 32 }).filter((s) => utf8(s).length <= 32), { maxLength: 8 }), encodeContractIndex, decodeContractIndex, { limits: LIMITS_TRIED });

test('closed sets: change kind, policy, proposal status, acl orgs tag and role mask take only their listed values', (t) => {
  checkProperty(t, fc.property(fc.integer({ min: 0, max: 255 }), (tag) => {
    const setPolicy = new Writer().u8(GOV_KINDS.indexOf('setPolicy')).u8(0).u8(tag).finish();
    if (tag < POLICIES.length) assert.equal(decodeGovChange(setPolicy).kind, 'setPolicy');
    else assertRejects(() => decodeGovChange(setPolicy), 'DECODE_ERROR', `policy ${tag}`);
    const target = new Writer().u8(GOV_KINDS.indexOf('setPolicy')).u8(tag).u8(0).finish();
    if (tag < GOV_KINDS.length) assert.equal(decodeGovChange(target).kind, 'setPolicy');
    else assertRejects(() => decodeGovChange(target), 'DECODE_ERROR', `target ${tag}`);
    const kind = new Writer().u8(tag).string('x').finish();
    if (tag === GOV_KINDS.indexOf('removeOrganisation') || tag === GOV_KINDS.indexOf('removeValidator')) decodeGovChange(kind);
    else assertRejects(() => decodeGovChange(kind), 'DECODE_ERROR', `kind ${tag} with a string`);
    const orgsTag = new Writer().u8(tag).u32(0).u8(0).finish();
    if (tag === 1) assert.deepEqual(decodeAclRule(orgsTag), { orgs: [], roles: [] });
    else assertRejects(() => decodeAclRule(orgsTag), 'DECODE_ERROR', `orgs tag ${tag}`);
    const mask = new Writer().u8(0).u8(tag).finish();
    if (tag < 16) assert.equal(decodeAclRule(mask).roles.length, [0, 1, 2, 3].filter((bit) => (tag & (1 << bit)) !== 0).length);
    else assertRejects(() => decodeAclRule(mask), 'DECODE_ERROR', `role mask ${tag}`);
    const status = encodeProposalRecord({
      id: new Uint8Array(32), change: { kind: 'removeValidator', name: 'n' }, proposer: { org: 'o', name: 'a' },
      createdHeight: 1, deadlineHeight: 2, votes: [], status: 'open', decidedHeight: 0, effectiveHeight: 0,
    });
    status[status.length - 17] = tag;
    if (tag < PROPOSAL_STATUSES.length) assert.equal(decodeProposalRecord(status).status, PROPOSAL_STATUSES[tag]);
    else assertRejects(() => decodeProposalRecord(status), 'DECODE_ERROR', `status ${tag}`);
  }), { seed: 9400, numRuns: 400 });
});

test('acl orgs are a set in one order: unsorted or repeated orgs do not decode, and the encoder refuses them', () => {
  const rule = (orgs: string[]) => new Writer().u8(1).list(orgs, (w, org) => w.string(org)).u8(1).finish();
  assert.deepEqual(decodeAclRule(rule(['a', 'b', 'b-2'])).orgs, ['a', 'b', 'b-2']);
  assertRejects(() => decodeAclRule(rule(['b', 'a'])), 'DECODE_ERROR', 'unsorted');
  assertRejects(() => decodeAclRule(rule(['a', 'a'])), 'DECODE_ERROR', 'repeated');
  assert.throws(() => encodeAclRule({ orgs: ['b', 'a'], roles: [] }), RangeError);
  assert.throws(() => encodeAclRule({ orgs: 'all', roles: ['client', 'admin'] }), RangeError);
  assert.throws(() => encodeAclRule({ orgs: 'all', roles: ['admin', 'admin'] }), RangeError);
});

test('limits: strings and lists one over their bound do not decode; an empty validator set does not either', () => {
  const change = (id: string) => new Writer().u8(GOV_KINDS.indexOf('removeOrganisation')).string(id).finish();
  assert.equal((decodeGovChange(change('a'.repeat(GOV_LIMITS.orgIdBytesMax))) as { id: string }).id.length, GOV_LIMITS.orgIdBytesMax);
  assertRejects(() => decodeGovChange(change('a'.repeat(GOV_LIMITS.orgIdBytesMax + 1))), 'DECODE_ERROR', 'org id over the limit');
  const cert = (bytes: number) => new Writer().u8(0).string('org').string('Org').bytes(new Uint8Array(bytes)).finish();
  assert.equal(decodeGovChange(cert(LIMITS.certificateBytesMax)).kind, 'addOrganisation');
  assertRejects(() => decodeGovChange(cert(LIMITS.certificateBytesMax + 1)), 'DECODE_ERROR', 'certificate over the limit');
  const parameter = (name: string) => new Writer().u8(GOV_KINDS.indexOf('setParameter')).string(name).u64(5).finish();
  assert.deepEqual(decodeGovChange(parameter('blockTxsMax')), { kind: 'setParameter', name: 'blockTxsMax', value: 5 });
  assertRejects(() => decodeGovChange(parameter('blockTxMax')), 'DECODE_ERROR', 'unknown parameter');
  assertRejects(() => decodeValidatorsRecord(new Writer().u32(0).u64(1).finish()), 'DECODE_ERROR', 'empty set');
  assertRejects(() => decodeValidatorsNextRecord(new Writer().u32(0).u64(1).fixed(new Uint8Array(32), 32).finish()), 'DECODE_ERROR', 'empty set');
  const votes = new Writer().fixed(new Uint8Array(32), 32).u8(GOV_KINDS.indexOf('removeValidator')).string('n').string('o').string('a').u64(1).u64(2)
    .u32(GOV_LIMITS.organisationsMax + 1).finish();
  assertRejects(() => decodeProposalRecord(votes), 'DECODE_ERROR', 'too many votes');
  assertRejects(() => decodeOrganisationIndex(new Writer().u32(GOV_LIMITS.organisationsMax + 1).finish()), 'DECODE_ERROR', 'too many organisations');
});

import {
  bytesEqual, CHAIN_PARAMETER_BOUNDS, CONTRACT_NAME, CONTRACTS_MAX, fromUtf8, encodeValidatorsNextRecord, GOV_LIMITS, GOV_PROPOSE_TYPE, GOV_VOTE_TYPE, KEY_USAGE, LIMITS, parseCertificate,
  signatureAlgorithmOf, totalPower, utf8, validatorSetOf, verifyCertificateSignature, XinlianError,
  type AclRule, type Certificate, type ConsortiumView, type GovChange, type ValidatorEntry, type VerifySuite,
} from '@xinlian/protocol';
import type { BlockContext } from '../application.js';
import { TxFailure } from '../txFailure.js';

// The same formats as genesis.json (genesisJson.ts), so a governed consortium looks like a genesis one.
const ORG_ID = /^[a-z0-9-]{1,32}$/;
const VALIDATOR_NAME = /^[a-zA-Z0-9._-]{1,64}$/;
const ORG_NAME_CHARS_MAX = 128;

export interface ChangeContext {
  view: ConsortiumView;
  block: BlockContext;
  suite: VerifySuite;
}

function invalid(why: string): never {
  throw new TxFailure('GOV_INVALID', why);
}

/**
 * Checks that a change can be applied to the consortium as it is now. Run when the change is
 * proposed and again when a vote passes it, since the consortium may have changed in between.
 * Throws TxFailure GOV_INVALID naming the reason.
 */
export function validateChange(change: GovChange, context: ChangeContext): void {
  const { view } = context;
  const member = (id: string, what: string): void => {
    if (!view.isMember(id)) invalid(`${what} "${id}" is not a member organisation`);
  };
  switch (change.kind) {
    case 'addOrganisation': {
      if (!ORG_ID.test(change.id)) invalid(`organisation id "${change.id}" must match [a-z0-9-]{1,32}`);
      if (change.name.length === 0 || change.name.length > ORG_NAME_CHARS_MAX) invalid(`organisation name must have 1 to ${ORG_NAME_CHARS_MAX} characters`);
      // Ids are never reused, so an id names one organisation in all of the chain's history.
      if (view.organisation(change.id) !== undefined) invalid(`organisation "${change.id}" exists or existed`);
      if (view.memberIds().length >= GOV_LIMITS.organisationsMax) invalid(`the consortium has ${GOV_LIMITS.organisationsMax} organisations, the most it may have`);
      checkOrganisationCa(change.caCertDer, change.id, context);
      return;
    }
    case 'removeOrganisation': {
      member(change.id, 'organisation');
      if (view.memberIds().length === 1) invalid('the last organisation cannot be removed');
      const holders = [...(view.validators()?.validators ?? []), ...(view.nextValidators()?.validators ?? [])].filter((v) => v.org === change.id);
      if (holders.length > 0) invalid(`organisation "${change.id}" still runs validator "${holders[0]!.name}": remove its validators first`);
      return;
    }
    case 'addValidator': {
      if (!VALIDATOR_NAME.test(change.name)) invalid(`validator name "${change.name}" must match [a-zA-Z0-9._-]{1,64}`);
      member(change.org, 'validator organisation');
      checkPower(change.power);
      const cert = checkNodeCertificate(change.certDer, change.org, context);
      const base = baseValidators(view);
      if (base.some((v) => v.name === change.name)) invalid(`validator "${change.name}" exists`);
      if (base.some((v) => bytesEqual(v.publicKey, cert.publicKey))) invalid('a validator with this public key exists');
      if (base.length >= LIMITS.validatorsMax) invalid(`the set has ${LIMITS.validatorsMax} validators, the most it may have`);
      const grown = [...base, { name: change.name, org: change.org, certDer: change.certDer, publicKey: cert.publicKey, power: change.power }];
      // Certificates make this the largest record of all; it must stay a storable state value.
      const bytes = encodeValidatorsNextRecord({ validators: grown, effectiveHeight: 0, proposalId: new Uint8Array(LIMITS.hashBytes) }).length;
      if (bytes > LIMITS.stateValueBytesMax) invalid(`the validator set would take ${bytes} bytes, more than a state value may`);
      checkPowerMoved(change.power, base);
      return;
    }
    case 'removeValidator': {
      const base = baseValidators(view);
      const validator = base.find((v) => v.name === change.name) ?? invalid(`no validator "${change.name}"`);
      if (base.length === 1) invalid('the last validator cannot be removed');
      checkPowerMoved(validator.power, base);
      return;
    }
    case 'setValidatorPower': {
      const base = baseValidators(view);
      const validator = base.find((v) => v.name === change.name) ?? invalid(`no validator "${change.name}"`);
      checkPower(change.power);
      if (change.power === validator.power) invalid(`validator "${change.name}" already has power ${change.power}`);
      checkPowerMoved(Math.abs(change.power - validator.power), base);
      return;
    }
    case 'revokeCertificate': {
      member(change.org, 'certificate organisation');
      if (change.reason.length === 0) invalid('a revocation needs a reason');
      const revoked = view.revocation(change.certHash);
      if (revoked !== undefined) invalid(`certificate already revoked at height ${revoked.height}`);
      return;
    }
    case 'setParameter': {
      const [min, max] = CHAIN_PARAMETER_BOUNDS[change.name];
      if (!Number.isSafeInteger(change.value) || change.value < min || change.value > max) invalid(`${change.name} must be from ${min} to ${max}`);
      const params = { ...view.params()!, [change.name]: change.value };
      if (params.blockBytesMax < params.txBytesMax) invalid('blockBytesMax must stay at least txBytesMax');
      return;
    }
    case 'setPolicy':
      return; // the decoder admits only known kinds and policies
    case 'setTxAcl': {
      if (change.txType.length === 0) invalid('empty tx type');
      // An ACL that shut every admin out of governance could never be undone: the admin rule and
      // the policies govern these two types, and their ACL stays what block 1 wrote.
      if (change.txType === GOV_PROPOSE_TYPE || change.txType === GOV_VOTE_TYPE) invalid(`the ACL of ${change.txType} cannot be changed`);
      checkRuleOrgs(change.rule, view);
      return;
    }
    case 'setReadAcl': {
      // Readers look a key's rule up by its '/'-terminated prefixes (consortiumView.readAclFor).
      if (!change.prefix.endsWith('/')) invalid(`read ACL prefix "${change.prefix}" must end with "/"`);
      checkRuleOrgs(change.rule, view);
      return;
    }
    case 'deployContract': case 'upgradeContract': {
      if (!CONTRACT_NAME.test(change.name)) invalid(`contract name "${change.name}" must match ${CONTRACT_NAME.source}`);
      try {
        fromUtf8(change.code);
      } catch {
        invalid('contract code is not UTF-8 text');
      }
      if (change.code.length === 0) invalid('empty contract code');
      const current = view.contract(change.name);
      if (change.kind === 'deployContract') {
        if (current !== undefined) invalid(`contract "${change.name}" is deployed (version ${current.version}): propose upgradeContract`);
        if (view.contractNames().length >= CONTRACTS_MAX) invalid(`${CONTRACTS_MAX} contracts are deployed, the most there may be`);
      } else {
        if (current === undefined) invalid(`no contract "${change.name}" is deployed: propose deployContract`);
        if (bytesEqual(current.codeHash, context.block.hash(change.code))) invalid(`contract "${change.name}" already runs this code (version ${current.version})`);
      }
      return;
    }
  }
}

/**
 * The set a validator change applies to: the announced one while it waits for its height (a
 * proposal made then will only pass once it is in force), else the set in force.
 */
export function baseValidators(view: ConsortiumView): ValidatorEntry[] {
  const base = view.nextValidators()?.validators ?? view.validators()?.validators;
  if (base === undefined) invalid('the consortium state holds no validator set');
  return base;
}

function checkPower(power: number): void {
  if (power < 1 || power > GOV_LIMITS.validatorPowerMax) invalid(`power must be from 1 to ${GOV_LIMITS.validatorPowerMax}`);
}

/** ADR 008: a quorum of the old set must still be a quorum's worth of honest power in the new one. */
function checkPowerMoved(moved: number, base: ValidatorEntry[]): void {
  const total = totalPower(validatorSetOf(base));
  if (3 * moved > total) invalid(`the change moves power ${moved}, more than a third of the total ${total}`);
}

function checkRuleOrgs(rule: AclRule, view: ConsortiumView): void {
  if (rule.orgs === 'all') return;
  for (const org of rule.orgs) if (!view.isMember(org)) invalid(`ACL names "${org}", not a member organisation`);
}

function parse(der: Uint8Array, what: string): Certificate {
  try {
    return parseCertificate(der);
  } catch (error) {
    if (error instanceof XinlianError) invalid(`${what}: ${error.message}`);
    throw error;
  }
}

function checkSuiteAndTime(cert: Certificate, what: string, { suite, block }: ChangeContext): void {
  if (cert.suite !== suite.name || cert.signatureAlgorithm !== signatureAlgorithmOf(suite.name)) {
    invalid(`${what}: ${cert.suite} key signed with ${cert.signatureAlgorithm}, but this chain uses the ${suite.name} suite`);
  }
  if (block.timeMs < cert.notBeforeMs || block.timeMs > cert.notAfterMs) invalid(`${what} is not valid at block time ${block.timeMs}`);
}

/** The checks membership makes of a genesis CA (membership.ts), plus its self-signature and validity now. */
function checkOrganisationCa(der: Uint8Array, org: string, context: ChangeContext): void {
  const cert = parse(der, 'CA certificate');
  if (!cert.isCa) invalid('CA certificate: basicConstraints cA is not set');
  if (cert.keyUsage !== undefined && (cert.keyUsage & KEY_USAGE.keyCertSign) === 0) invalid('CA certificate: keyUsage lacks keyCertSign');
  checkSuiteAndTime(cert, 'CA certificate', context);
  if (cert.subject.organisation !== org) invalid(`CA certificate: O is "${cert.subject.organisation}", not "${org}"`);
  if (!bytesEqual(cert.subjectNameBytes, cert.issuerNameBytes)) invalid('CA certificate: not self-issued');
  if (!verifyCertificateSignature(cert, cert.publicKey, context.suite)) invalid('CA certificate: self-signature does not verify');
}

/** A node certificate issued by the organisation's CA, valid now, not revoked. */
function checkNodeCertificate(der: Uint8Array, org: string, context: ChangeContext): Certificate {
  const { view, block, suite } = context;
  const cert = parse(der, 'node certificate');
  if (cert.isCa) invalid('node certificate: a CA certificate cannot be a validator');
  if (cert.subject.role !== 'node') invalid(`node certificate: role is ${cert.subject.role ?? 'none'}, a validator needs role node`);
  if (cert.keyUsage !== undefined && (cert.keyUsage & KEY_USAGE.digitalSignature) === 0) invalid('node certificate: keyUsage lacks digitalSignature');
  checkSuiteAndTime(cert, 'node certificate', context);
  if (cert.subject.organisation !== org) invalid(`node certificate: O is "${cert.subject.organisation}", not "${org}"`);
  const ca = parse(view.organisation(org)!.caCertDer, `CA certificate of ${org}`);
  if (!bytesEqual(cert.issuerNameBytes, ca.subjectNameBytes)) invalid(`node certificate: not issued by the ${org} CA`);
  if (cert.authorityKeyId !== undefined && ca.subjectKeyId !== undefined && !bytesEqual(cert.authorityKeyId, ca.subjectKeyId)) {
    invalid(`node certificate: names another key of the ${org} CA`);
  }
  if (!verifyCertificateSignature(cert, ca.publicKey, suite)) invalid(`node certificate: does not carry a valid signature of the ${org} CA`);
  if (block.timeMs < ca.notBeforeMs || block.timeMs > ca.notAfterMs) invalid(`the ${org} CA certificate is not valid at block time ${block.timeMs}`);
  if (view.isRevoked(block.hash(der))) invalid('node certificate: revoked');
  return cert;
}

/** A member's common name as recorded with its proposal or vote must fit the record's bound. */
export function checkMemberName(name: string): void {
  if (utf8(name).length > GOV_LIMITS.memberNameBytesMax) invalid(`common name longer than ${GOV_LIMITS.memberNameBytesMax} bytes`);
}

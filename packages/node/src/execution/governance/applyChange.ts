import {
  encodeAclRule, encodeChainParameters, encodeOrganisationIndex, encodeOrganisationRecord, encodePolicies,
  encodeContractIndex, encodeContractRecord, encodeRevocationRecord, encodeValidatorsNextRecord, parseCertificate, sysKey,
  type ConsortiumView, type GovChange, type ProposalRecord, type ValidatorEntry,
} from '@xinlian/protocol';
import type { BlockContext } from '../application.js';
import type { WriteSet } from '../writeSet.js';
import { baseValidators } from './validateChange.js';

/**
 * Validator changes are announced and take effect two blocks later (ADR 008): the block after the
 * decision is still proposed and signed by the set every validator already runs.
 */
export const VALIDATOR_CHANGE_DELAY = 2;

/**
 * Writes a passed, validated change into the consortium state and returns the height it takes
 * effect: this block for membership, revocation, policies and ACLs (the next tx sees them), the
 * next block for parameters, height + 2 for validator sets.
 */
export function applyChange(record: ProposalRecord, block: BlockContext, writes: WriteSet, view: ConsortiumView): number {
  const { change, id: proposalId } = record;
  const { height } = block;
  switch (change.kind) {
    case 'addOrganisation':
      writes.set(sysKey.org(change.id), encodeOrganisationRecord({ id: change.id, name: change.name, caCertDer: change.caCertDer, joinedHeight: height, removedHeight: 0 }));
      writes.set(sysKey.orgIndex(), encodeOrganisationIndex([...view.memberIds(), change.id]));
      return height;
    case 'removeOrganisation':
      writes.set(sysKey.org(change.id), encodeOrganisationRecord({ ...view.organisation(change.id)!, removedHeight: height }));
      writes.set(sysKey.orgIndex(), encodeOrganisationIndex(view.memberIds().filter((id) => id !== change.id)));
      return height;
    case 'addValidator': case 'removeValidator': case 'setValidatorPower': {
      const effectiveHeight = height + VALIDATOR_CHANGE_DELAY;
      const validators = changedValidators(change, baseValidators(view));
      writes.set(sysKey.validatorsNext(), encodeValidatorsNextRecord({ validators, effectiveHeight, proposalId }));
      return effectiveHeight;
    }
    case 'revokeCertificate':
      writes.set(sysKey.revoked(change.certHash), encodeRevocationRecord({ certHash: change.certHash, org: change.org, reason: change.reason, height, proposalId }));
      return height;
    case 'setParameter':
      writes.set(sysKey.params(), encodeChainParameters({ ...view.params()!, [change.name]: change.value }));
      return height + 1;
    case 'setPolicy': {
      const governance = view.policies()!;
      writes.set(sysKey.policies(), encodePolicies({ ...governance, policies: { ...governance.policies, [change.target]: change.policy } }));
      return height;
    }
    case 'setTxAcl':
      writes.set(sysKey.aclTx(change.txType), encodeAclRule(change.rule));
      return height;
    case 'setReadAcl':
      writes.set(sysKey.aclRead(change.prefix), encodeAclRule(change.rule));
      return height;
    case 'deployContract': case 'upgradeContract': {
      const codeHash = block.hash(change.code);
      const current = view.contract(change.name);
      // The approvals on record are the yes votes of organisations that are members now.
      const approvedBy = record.votes.filter((v) => v.approve && view.isMember(v.org)).map((v) => v.org);
      writes.set(sysKey.code(codeHash), change.code);
      writes.set(sysKey.contract(change.name), encodeContractRecord({
        name: change.name, version: (current?.version ?? 0) + 1, codeHash, codeBytes: change.code.length, proposalId, approvedBy,
        deployedHeight: current?.deployedHeight ?? height, height,
      }));
      if (current === undefined) writes.set(sysKey.contractIndex(), encodeContractIndex([...view.contractNames(), change.name]));
      return height;
    }
  }
}

/** The new set, in validator index order: additions go last, removals keep the others' order. */
function changedValidators(change: GovChange & { kind: 'addValidator' | 'removeValidator' | 'setValidatorPower' }, base: ValidatorEntry[]): ValidatorEntry[] {
  switch (change.kind) {
    case 'addValidator': {
      const publicKey = parseCertificate(change.certDer).publicKey.slice();
      return [...base, { name: change.name, org: change.org, certDer: change.certDer, publicKey, power: change.power }];
    }
    case 'removeValidator': return base.filter((v) => v.name !== change.name);
    case 'setValidatorPower': return base.map((v) => (v.name === change.name ? { ...v, power: change.power } : v));
  }
}

import {
  consortiumView, decodeProposalRecord, effectiveStatus, governanceOf, pemEncode, sysKey, votesRequired, XinlianError,
  type ConsortiumView, type Genesis, type GovChange, type GovKind, type KeyValueReader, type MembersView, type ProposalRecord,
  type ProposalStatusFilter, type ProposalView, type ValidatorEntry, type ValidatorView,
} from '@xinlian/protocol';
import { hexKey } from '../hexKey.js';
import type { StateTree } from '../state/stateTree.js';

// Builds the JSON views of the consortium state (types in @xinlian/protocol, governanceViews.ts).

/** A readable view of a change: hex for hashes and keys, PEM for certificates. */
export function changeView(change: GovChange, hash: (data: Uint8Array) => Uint8Array): ProposalView['change'] {
  switch (change.kind) {
    case 'addOrganisation': return { kind: change.kind, id: change.id, name: change.name, caCertPem: pemEncode('CERTIFICATE', change.caCertDer) };
    case 'removeOrganisation': return { kind: change.kind, id: change.id };
    case 'addValidator': return { kind: change.kind, name: change.name, org: change.org, certPem: pemEncode('CERTIFICATE', change.certDer), power: change.power };
    case 'removeValidator': return { kind: change.kind, name: change.name };
    case 'setValidatorPower': return { kind: change.kind, name: change.name, power: change.power };
    case 'revokeCertificate': return { kind: change.kind, certHash: hexKey(change.certHash), org: change.org, reason: change.reason };
    case 'setParameter': return { kind: change.kind, name: change.name, value: change.value };
    case 'setPolicy': return { kind: change.kind, target: change.target, policy: change.policy };
    case 'setTxAcl': return { kind: change.kind, txType: change.txType, orgs: change.rule.orgs, roles: change.rule.roles };
    case 'setReadAcl': return { kind: change.kind, prefix: change.prefix, orgs: change.rule.orgs, roles: change.rule.roles };
    // The code itself is at GET /v1/contracts/:name/code once deployed; voters approve its hash.
    case 'deployContract': case 'upgradeContract':
      return { kind: change.kind, name: change.name, codeHash: hexKey(hash(change.code)), codeBytes: change.code.length };
  }
}

function validatorViews(validators: readonly ValidatorEntry[]): ValidatorView[] {
  return validators.map((v, index) => ({ index, name: v.name, org: v.org, publicKey: hexKey(v.publicKey), power: v.power }));
}

/** What a proposal index entry remembers of its change: the parts the members view looks up. */
interface LoggedProposal {
  id: Uint8Array;
  kind: GovKind;
  createdHeight: number;
  /** addOrganisation: the organisation it adds. */
  orgId?: string;
  /** revokeCertificate: the certificate it revokes. */
  certHash?: Uint8Array;
}

/**
 * Every proposal ever made, oldest first. The state keeps only the open ones in an index
 * (sys/proposals) and has no range scan, but every propose writes that index, so the index's key
 * history names each propose tx, whose id is the proposal id. Scanned once, then only the changes
 * of newer blocks are read. Proposals are never deleted and blocks are final, so entries stay valid.
 */
export class ProposalLog {
  private readonly entries: LoggedProposal[] = [];
  private readonly known = new Set<string>();
  private scannedHeight = 0;

  constructor(private readonly state: StateTree) {}

  /** The proposals made at or below `height`, oldest first. */
  upTo(height: number): readonly LoggedProposal[] {
    if (height > this.scannedHeight) this.scan(height);
    return height >= this.scannedHeight ? this.entries : this.entries.filter((e) => e.createdHeight <= height);
  }

  private scan(height: number): void {
    // History comes newest first; read more until it reaches what an earlier scan covered.
    let limit = 64;
    let changes = this.state.history(sysKey.proposalIndex(), { beforeHeight: height + 1, limit });
    while (changes.length === limit && changes[changes.length - 1]!.height > this.scannedHeight) {
      limit *= 4;
      changes = this.state.history(sysKey.proposalIndex(), { beforeHeight: height + 1, limit });
    }
    const fresh = changes.filter((c) => c.height > this.scannedHeight).reverse();
    for (const change of fresh) {
      // Decisions and expiries change the index too, in txs (votes) that are not proposals.
      if (change.txId.length !== 32 || this.known.has(hexKey(change.txId))) continue;
      const bytes = this.state.get(sysKey.proposal(change.txId), height);
      if (bytes === undefined) continue;
      const record = decodeProposalRecord(bytes);
      if (record.createdHeight !== change.height) continue;
      this.known.add(hexKey(change.txId));
      const entry: LoggedProposal = { id: record.id, kind: record.change.kind, createdHeight: record.createdHeight };
      if (record.change.kind === 'addOrganisation') entry.orgId = record.change.id;
      if (record.change.kind === 'revokeCertificate') entry.certHash = record.change.certHash;
      this.entries.push(entry);
    }
    this.scannedHeight = height;
  }
}

/** Reads of the consortium state at one height of the node's state tree. */
export class ConsortiumReader {
  constructor(
    private readonly genesis: Genesis,
    private readonly state: StateTree,
    private readonly log: ProposalLog,
    private readonly hash: (data: Uint8Array) => Uint8Array,
  ) {}

  private at(height: number): ConsortiumView {
    const reader: KeyValueReader = { get: (key) => this.state.get(key, height) };
    return consortiumView(reader);
  }

  /** The consortium after block `height`; genesis until block 1 has written it into sys/. */
  members(height: number): MembersView {
    const view = this.at(height);
    if (!view.materialised()) return this.genesisMembers(height);
    const ids = new Set([...this.genesis.organisations.map((o) => o.id), ...view.memberIds()]);
    const revoked: MembersView['revoked'] = [];
    for (const entry of this.log.upTo(height)) {
      if (entry.orgId !== undefined) ids.add(entry.orgId);
      if (entry.certHash !== undefined) {
        const record = view.revocation(entry.certHash);
        if (record !== undefined && hexKey(record.proposalId) === hexKey(entry.id)) {
          revoked.push({ certHash: hexKey(record.certHash), org: record.org, reason: record.reason, height: record.height, proposalId: hexKey(record.proposalId) });
        }
      }
    }
    const records = [...ids].map((id) => view.organisation(id)).filter((r) => r !== undefined);
    // Members first in the order they joined (the index's order), then removed organisations.
    const memberOrder = new Map(view.memberIds().map((id, i) => [id, i]));
    records.sort((a, b) => (memberOrder.get(a.id) ?? Infinity) - (memberOrder.get(b.id) ?? Infinity) || a.removedHeight - b.removedHeight);
    const next = view.nextValidators();
    return {
      height,
      organisations: records.map((r) => ({
        id: r.id, name: r.name, caCertPem: pemEncode('CERTIFICATE', r.caCertDer), joinedHeight: r.joinedHeight,
        removedHeight: r.removedHeight === 0 ? null : r.removedHeight,
      })),
      validators: validatorViews(view.validators()?.validators ?? []),
      nextValidators: next === undefined ? null : { effectiveHeight: next.effectiveHeight, proposalId: hexKey(next.proposalId), validators: validatorViews(next.validators) },
      revoked: revoked.sort((a, b) => a.height - b.height),
    };
  }

  private genesisMembers(height: number): MembersView {
    return {
      height,
      organisations: this.genesis.organisations.map((o) => ({ id: o.id, name: o.name, caCertPem: o.caCertPem, joinedHeight: 0, removedHeight: null })),
      validators: this.genesis.validators.map((v, index) => ({ index, name: v.name, org: v.org, publicKey: v.publicKey, power: v.power })),
      nextValidators: null,
      revoked: [],
    };
  }

  /** One proposal as of `height`; NOT_FOUND when there is none with this id. */
  proposal(id: Uint8Array, height: number): ProposalView {
    const record = this.at(height).proposal(id);
    if (record === undefined) throw new XinlianError('NOT_FOUND', `no proposal ${hexKey(id)}`);
    return this.proposalView(record, height);
  }

  /** Proposals as of `height`, newest first, at most `limit`. */
  proposals(status: ProposalStatusFilter, limit: number, height: number): ProposalView[] {
    const view = this.at(height);
    if (!view.materialised()) return [];
    // The open ones are listed in the state; the others only through the log of every proposal.
    const ids = status === 'open' ? view.openProposals().map((p) => p.id) : this.log.upTo(height).map((e) => e.id);
    const out: ProposalView[] = [];
    for (let i = ids.length - 1; i >= 0 && out.length < limit; i--) {
      const record = view.proposal(ids[i]!);
      if (record === undefined) continue;
      if (status !== 'all' && effectiveStatus(record, height) !== status) continue;
      out.push(this.proposalView(record, height));
    }
    return out;
  }

  private proposalView(record: ProposalRecord, height: number): ProposalView {
    const status = effectiveStatus(record, height);
    // A proposal past its deadline is expired even before a governance tx writes that down.
    const decidedHeight = status === 'open' ? null : record.status === 'open' ? record.deadlineHeight + 1 : record.decidedHeight;
    // The votes are counted among the members of the last tally: today's for an open proposal, those
    // before the deciding block for a decided one, those at the deadline for an expired one.
    const tallyHeight = status === 'open' ? height : status === 'expired' ? Math.min(record.deadlineHeight, height) : record.decidedHeight - 1;
    const tallyView = this.at(tallyHeight);
    const materialised = tallyView.materialised();
    const members = new Set(materialised ? tallyView.memberIds() : this.genesis.organisations.map((o) => o.id));
    const policy = (materialised ? tallyView.policies() : undefined)?.policies[record.change.kind] ?? governanceOf(this.genesis).policies[record.change.kind];
    const counted = new Set<string>();
    let yes = 0;
    let no = 0;
    for (const vote of record.votes) {
      if (!members.has(vote.org) || counted.has(vote.org)) continue;
      counted.add(vote.org);
      if (vote.approve) yes++;
      else no++;
    }
    return {
      id: hexKey(record.id),
      kind: record.change.kind,
      change: changeView(record.change, this.hash),
      policy,
      proposer: { org: record.proposer.org, name: record.proposer.name },
      createdHeight: record.createdHeight,
      deadlineHeight: record.deadlineHeight,
      status,
      decidedHeight,
      effectiveHeight: status === 'passed' ? record.effectiveHeight : null,
      votes: record.votes.map((v) => ({ org: v.org, name: v.name, approve: v.approve, height: v.height, txId: hexKey(v.txId) })),
      yes,
      no,
      organisations: members.size,
      required: votesRequired(policy, members.size),
    };
  }
}

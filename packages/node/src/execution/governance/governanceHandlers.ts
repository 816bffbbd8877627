import {
  consortiumView, decodeGovPropose, decodeGovVote, effectiveStatus, GOV_LIMITS, GOV_PROPOSE_TYPE, GOV_VOTE_TYPE,
  isValidatorChange, tally, toHex, XinlianError,
  type ConsortiumView, type GovChange, type ProposalRecord, type TxEvent, type VerifySuite,
} from '@xinlian/protocol';
import type { AdmittedTx, BlockContext, TxHandler } from '../application.js';
import { runHandler, TxFailure } from '../txFailure.js';
import { WriteSet } from '../writeSet.js';
import { applyChange } from './applyChange.js';
import { ProposalBook } from './proposalBook.js';
import { checkMemberName, validateChange } from './validateChange.js';

/** The handlers allowed to write under sys/; executeBlock refuses such writes from any other. */
const systemHandlers = new WeakSet<TxHandler>();

export function isSystemHandler(handler: TxHandler): boolean {
  return systemHandlers.has(handler);
}

/**
 * gov.propose and gov.vote (docs/adr/008-governance.md). `suite` verifies the certificates that
 * addOrganisation and addValidator bring; it must be the chain's suite.
 */
export function governanceHandlers(suite: VerifySuite): ReadonlyMap<string, TxHandler> {
  const propose: TxHandler = (tx, state, block) => runHandler(() => {
    const { change } = decodePayload(() => decodeGovPropose(tx.body.payload));
    const writes = new WriteSet(state);
    const view = consortiumView(writes);
    checkSender(tx, view);
    const book = new ProposalBook(writes, view, block.height);
    book.expireDue();
    if (book.openCountOf(tx.sender.org) >= GOV_LIMITS.openProposalsPerOrgMax) {
      throw new TxFailure('GOV_INVALID', `${tx.sender.org} has ${GOV_LIMITS.openProposalsPerOrgMax} open proposals, the most it may have`);
    }
    // Proposals of removed organisations stay open, so the per-organisation bound alone is not one.
    if (book.openCount >= GOV_LIMITS.openProposalsMax) throw new TxFailure('GOV_INVALID', `${GOV_LIMITS.openProposalsMax} proposals are open, the most there may be`);
    validateChange(change, { view, block, suite });
    // Tx ids are never committed twice (replay protection), so this is a new proposal id.
    if (view.proposal(tx.txId) !== undefined) throw new TxFailure('GOV_INVALID', `proposal ${toHex(tx.txId)} exists`);
    const record: ProposalRecord = {
      id: tx.txId,
      change,
      proposer: { org: tx.sender.org, name: tx.sender.commonName },
      createdHeight: block.height,
      deadlineHeight: block.height + view.policies()!.proposalHeightsMax,
      // Proposing is the proposer's organisation voting yes.
      votes: [{ org: tx.sender.org, name: tx.sender.commonName, approve: true, height: block.height, txId: tx.txId }],
      status: 'open',
      decidedHeight: 0,
      effectiveHeight: 0,
    };
    const events = [event('gov.proposed', record, tx.sender.org)];
    book.add({ id: record.id, org: tx.sender.org, deadlineHeight: record.deadlineHeight });
    const decided = decide(record, { view, block, suite, writes, book, validated: true });
    if (decided !== undefined) events.push(decided);
    book.save(record);
    book.flush();
    return { ok: true, writes: writes.writes(), events };
  });

  const vote: TxHandler = (tx, state, block) => runHandler(() => {
    const { proposalId, approve } = decodePayload(() => decodeGovVote(tx.body.payload));
    const writes = new WriteSet(state);
    const view = consortiumView(writes);
    checkSender(tx, view);
    const book = new ProposalBook(writes, view, block.height);
    book.expireDue();
    const record = view.proposal(proposalId);
    if (record === undefined) throw new TxFailure('GOV_UNKNOWN_PROPOSAL', `no proposal ${toHex(proposalId)}`);
    const status = effectiveStatus(record, block.height);
    if (status !== 'open') throw new TxFailure('GOV_CLOSED', `proposal ${toHex(proposalId)} is ${status}${status === 'expired' ? ` (deadline height ${record.deadlineHeight})` : ''}`);
    if (record.votes.some((v) => v.org === tx.sender.org)) throw new TxFailure('GOV_ALREADY_VOTED', `${tx.sender.org} has voted on proposal ${toHex(proposalId)}`);
    // One vote per organisation, but organisations come and go during a proposal's life.
    if (record.votes.length >= GOV_LIMITS.organisationsMax) throw new TxFailure('GOV_INVALID', `proposal ${toHex(proposalId)} has ${GOV_LIMITS.organisationsMax} votes, the most it may have`);
    record.votes.push({ org: tx.sender.org, name: tx.sender.commonName, approve, height: block.height, txId: tx.txId });
    const voted = event('gov.voted', record, tx.sender.org);
    voted.attributes.push(['approve', approve ? 'yes' : 'no']);
    const events = [voted];
    const decided = decide(record, { view, block, suite, writes, book, validated: false });
    if (decided !== undefined) events.push(decided);
    book.save(record);
    book.flush();
    return { ok: true, writes: writes.writes(), events };
  });

  systemHandlers.add(propose);
  systemHandlers.add(vote);
  return new Map([[GOV_PROPOSE_TYPE, propose], [GOV_VOTE_TYPE, vote]]);
}

function decodePayload<T>(decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof XinlianError) throw new TxFailure('TX_INVALID_PAYLOAD', error.message);
    throw error;
  }
}

/** An admin speaks for its own organisation, which must be a member now. */
function checkSender(tx: AdmittedTx, view: ConsortiumView): void {
  if (tx.sender.role !== 'admin') throw new TxFailure('GOV_NOT_ADMIN', `role "${tx.sender.role}" may not propose or vote; an admin of the organisation must`);
  if (!view.materialised()) throw new TxFailure('GOV_INVALID', 'the consortium state is not materialised (block 1 ran without genesis)');
  if (!view.isMember(tx.sender.org)) throw new TxFailure('TX_UNKNOWN_MEMBER', `organisation "${tx.sender.org}" is not a member`);
  checkMemberName(tx.sender.commonName);
}

interface DecideContext {
  view: ConsortiumView;
  block: BlockContext;
  suite: VerifySuite;
  writes: WriteSet;
  book: ProposalBook;
  /** The change was validated in this tx already (it was just proposed). */
  validated: boolean;
}

/**
 * Counts the votes under the kind's policy among today's members. A pass applies the change in this
 * tx; a change that no longer applies fails the tx (GOV_INVALID) and the proposal stays open, so a
 * vote can pass it once it applies again (e.g. after a pending validator change took effect).
 */
function decide(record: ProposalRecord, context: DecideContext): TxEvent | undefined {
  const { view, block, writes, book } = context;
  const { change } = record;
  const outcome = tally(view.policies()!.policies[change.kind], view.memberIds(), record.votes);
  if (outcome === 'open') return undefined;
  if (outcome === 'passed') {
    if (isValidatorChange(change.kind)) {
      const pending = view.nextValidators();
      if (pending !== undefined) {
        throw new TxFailure('GOV_INVALID', `a validator change takes effect at height ${pending.effectiveHeight}; this one can pass from then on`);
      }
    }
    if (!context.validated) validateChange(change, context);
    record.effectiveHeight = applyChange(record, block, writes, view);
  }
  record.status = outcome;
  record.decidedHeight = block.height;
  book.remove(record.id);
  const decided = event(outcome === 'passed' ? 'gov.passed' : 'gov.rejected', record, record.proposer.org);
  if (outcome === 'passed') decided.attributes.push(['effectiveHeight', String(record.effectiveHeight)]);
  return decided;
}

function event(type: string, record: { id: Uint8Array; change: GovChange }, org: string): TxEvent {
  return { type, attributes: [['proposal', toHex(record.id)], ['kind', record.change.kind], ['org', org]] };
}

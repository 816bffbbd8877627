import {
  assert, bytesEqual, NIL_BLOCK_HASH, proposalDigest, toHex, totalPower, VOTE_TYPE, voteDigest, XinlianError,
  type ConsensusMessage, type SignedProposal, type SignedVote, type ValidatorSet, type VoteType,
} from '@xinlian/protocol';
import { checkConfig } from './checkConfig.js';
import { ProposerSchedule } from './proposerSchedule.js';
import { PROPOSALS_PER_ROUND_MAX, RoundState, type ReceivedProposal } from './roundState.js';
import { SignGuard } from './signGuard.js';
import { timeoutMs } from './timeoutMs.js';
import type { ConsensusTimeouts,
  ConsensusConfig, ConsensusEffect, ConsensusInput, ConsensusStep, ConsensusValue, WalRecord,
} from './types.js';

const NIL_ID = toHex(NIL_BLOCK_HASH);
// The rules reach a fixed point in a handful of passes; this many means a bug, not a slow input.
const RULE_PASSES_MAX = 10_000;

export interface ConsensusStatus {
  height: number;
  round: number;
  step: ConsensusStep;
  decided: boolean;
  lockedRound: number;
  validRound: number;
}

/**
 * Tendermint (Buchman, Kwon, Milosevic, arXiv 1807.04938, Algorithm 1) as a deterministic state
 * machine: `step(input)` returns the effects for the driver and touches nothing else. The upon
 * rules are methods named after their line in the paper and are re-evaluated after every input
 * until none fires. Thresholds are by voting power: "2f + 1" is more than 2/3 of the total and
 * "f + 1" more than 1/3 (the same numbers when n = 3f + 1 validators have power 1).
 */
export class ConsensusMachine {
  private height = -1;
  private validators: ValidatorSet = [];
  private totalPower = 0;
  private selfIndex = -1;
  private timeouts: ConsensusTimeouts;
  private schedule: ProposerSchedule | undefined;
  private round = 0;
  private stepName: ConsensusStep = 'propose';
  private decided = false;
  private lockedValue: ConsensusValue | undefined;
  private lockedRound = -1;
  private validValue: ConsensusValue | undefined;
  private validRound = -1;
  private rounds = new Map<number, RoundState>();
  private validity = new Map<string, boolean>();
  private validationRequested = new Set<string>();
  private valueRequestedRound = -1;
  private evidenceKeys = new Set<string>();
  private lastDecision: ConsensusMessage[] = [];
  private readonly guard = new SignGuard();
  private effects: ConsensusEffect[] = [];

  constructor(private readonly config: ConsensusConfig) {
    checkConfig(config);
    this.timeouts = config.timeouts;
  }

  /** Feeds one input; returns what the driver must do, in order (see ConsensusEffect). */
  step(input: ConsensusInput): ConsensusEffect[] {
    this.effects = [];
    if (input.type === 'startHeight') {
      if (input.timeouts !== undefined) {
        checkConfig({ ...this.config, timeouts: input.timeouts });
        this.timeouts = input.timeouts;
      }
      this.startHeight(input.height, input.validators, input.wal ?? []);
    }
    else if (this.height < 0 || this.decided) return [];
    else if (input.type === 'timeout') this.onTimeout(input.height, input.round, input.step);
    else if (input.type === 'proposal') this.receiveProposal(input.proposal, input.value);
    else if (input.type === 'vote') this.receiveVote(input.vote);
    else if (input.type === 'valueReady') this.onValueReady(input.height, input.round, input.value);
    else if (input.height === this.height) this.validity.set(toHex(input.blockHash), input.valid);
    this.runRules();
    const effects = this.effects;
    this.effects = [];
    return effects;
  }

  status(): ConsensusStatus {
    return {
      height: this.height, round: this.round, step: this.stepName, decided: this.decided,
      lockedRound: this.lockedRound, validRound: this.validRound,
    };
  }

  /**
   * Messages worth re-sending to peers, since the network may lose any message: the last decision
   * (proposal and precommits, so that a node one height behind can decide), the current and
   * previous round's proposals and this node's own votes, and the prevotes that justify validRound
   * (so that a node that missed them can accept a re-proposal, line 28). Bounded by ~3n messages.
   */
  gossip(): ConsensusMessage[] {
    const out: ConsensusMessage[] = [...this.lastDecision];
    if (this.height < 0 || this.decided) return out;
    for (const r of [this.round - 1, this.round]) {
      const state = this.rounds.get(r);
      if (state === undefined) continue;
      for (const p of state.proposals) out.push({ type: 'proposal', proposal: p.signed, value: p.value });
      for (const tally of [state.prevotes, state.precommits]) {
        const own = tally.get(this.selfIndex);
        if (own !== undefined) out.push({ type: 'vote', vote: own });
      }
    }
    if (this.validValue !== undefined && this.validRound < this.round - 1) {
      const pol = this.rounds.get(this.validRound)?.prevotes.votesFor(toHex(this.validValue.blockHash)) ?? [];
      for (const vote of pol) out.push({ type: 'vote', vote });
    }
    return out;
  }

  // ---- inputs ----

  private startHeight(height: number, validators: ValidatorSet, wal: readonly WalRecord[]): void {
    assert(Number.isSafeInteger(height) && height > this.height, `startHeight ${height} after height ${this.height}`);
    if (validators.length === 0) throw new XinlianError('BAD_REQUEST', 'empty validator set');
    this.schedule = new ProposerSchedule(validators);
    this.height = height;
    this.validators = validators;
    this.totalPower = totalPower(validators);
    const self = this.config.publicKey;
    this.selfIndex = self === undefined ? -1 : validators.findIndex((v) => bytesEqual(v.publicKey, self));
    this.round = 0;
    this.stepName = 'propose';
    this.decided = false;
    this.lockedValue = this.validValue = undefined;
    this.lockedRound = this.validRound = -1;
    this.rounds = new Map();
    this.validity = new Map();
    this.validationRequested = new Set();
    this.valueRequestedRound = -1;
    this.evidenceKeys = new Set();
    this.guard.restore(height, wal);
    this.startRound(this.restore(wal));
  }

  /** Replays this height's WAL records: own messages, locks and valid values. Returns the round. */
  private restore(wal: readonly WalRecord[]): number {
    let round = 0;
    for (const record of wal) {
      if (record.type === 'signedProposal' && record.proposal.proposal.height === this.height) {
        const { proposal } = record.proposal;
        round = Math.max(round, proposal.round);
        this.validity.set(toHex(proposal.blockHash), true);
        this.storeProposal(record.proposal, record.value);
      } else if (record.type === 'signedVote' && record.vote.vote.height === this.height) {
        round = Math.max(round, record.vote.vote.round);
        this.storeVote(record.vote);
      } else if ((record.type === 'locked' || record.type === 'valid') && record.height === this.height) {
        round = Math.max(round, record.round);
        this.validity.set(toHex(record.value.blockHash), true);
        if (record.type === 'locked' && record.round > this.lockedRound) {
          this.lockedValue = record.value;
          this.lockedRound = record.round;
        }
        if (record.round > this.validRound) {
          this.validValue = record.value;
          this.validRound = record.round;
        }
      }
    }
    return round;
  }

  /** Lines 57-67: a timeout acts only if the machine is still where it was when it was scheduled. */
  private onTimeout(height: number, round: number, step: ConsensusStep): void {
    if (height !== this.height || round !== this.round) return;
    if (step === 'propose' && this.stepName === 'propose') {
      this.castVote(VOTE_TYPE.prevote, NIL_BLOCK_HASH);
      this.stepName = 'prevote';
    } else if (step === 'prevote' && this.stepName === 'prevote') {
      this.castVote(VOTE_TYPE.precommit, NIL_BLOCK_HASH);
      this.stepName = 'precommit';
    } else if (step === 'precommit') {
      this.startRound(this.round + 1);
    }
  }

  private onValueReady(height: number, round: number, value: ConsensusValue): void {
    if (height !== this.height || round !== this.round || this.stepName !== 'propose') return;
    if (!this.isProposer(round) || this.guard.existing(height, round, 'propose') !== undefined) return;
    if (value.bytes.length > this.config.valueBytesMax) {
      throw new XinlianError('BAD_REQUEST', `value of ${value.bytes.length} bytes exceeds ${this.config.valueBytesMax}`);
    }
    // validValue cannot appear while the propose step waits (line 36 needs step ≥ prevote).
    this.propose(this.validValue ?? value, this.validValue === undefined ? -1 : this.validRound);
  }

  private receiveProposal(signed: SignedProposal, value: Uint8Array): void {
    const { proposal } = signed;
    if (proposal.height !== this.height || !this.roundAccepted(proposal.round)) return;
    if (proposal.polRound < -1 || proposal.polRound >= proposal.round) {
      throw new XinlianError('BAD_REQUEST', `proposal polRound ${proposal.polRound} at round ${proposal.round}`);
    }
    if (value.length > this.config.valueBytesMax) {
      throw new XinlianError('BAD_REQUEST', `proposal value of ${value.length} bytes exceeds ${this.config.valueBytesMax}`);
    }
    const state = this.roundState(proposal.round);
    const id = toHex(proposal.blockHash);
    const same = state.proposalFor(id);
    if (same !== undefined && bytesEqual(same.signed.signature, signed.signature)) return;
    const proposer = this.schedule!.proposer(this.height, proposal.round);
    const digest = proposalDigest(this.config.hash, this.config.chainId, proposal);
    if (!this.config.verify(this.validators[proposer]!.publicKey, digest, signed.signature)) {
      throw new XinlianError('BAD_REQUEST', `proposal for ${this.height}/${proposal.round} not signed by its proposer #${proposer}`);
    }
    if (same !== undefined) return;
    const first = state.proposals[0];
    if (first !== undefined) this.reportEvidence(`p/${proposal.round}`, {
      type: 'duplicateProposal', validatorIndex: proposer, first: first.signed, second: signed,
    });
    if (state.proposals.length >= PROPOSALS_PER_ROUND_MAX) return;
    this.storeProposal(signed, value);
  }

  private receiveVote(signed: SignedVote): void {
    const { vote, validatorIndex } = signed;
    if (vote.height !== this.height || !this.roundAccepted(vote.round)) return;
    const validator = this.validators[validatorIndex];
    if (validator === undefined) {
      throw new XinlianError('BAD_REQUEST', `vote from validator #${validatorIndex}, the set has ${this.validators.length}`);
    }
    const tally = this.roundState(vote.round)[vote.type === VOTE_TYPE.prevote ? 'prevotes' : 'precommits'];
    // The same content again (a gossiped copy, or a re-signature): nothing to count, nothing to verify.
    if (tally.has(validatorIndex, toHex(vote.blockHash))) return;
    const digest = voteDigest(this.config.hash, this.config.chainId, vote);
    if (!this.config.verify(validator.publicKey, digest, signed.signature)) {
      throw new XinlianError('BAD_REQUEST', `invalid vote signature of validator #${validatorIndex}`);
    }
    this.storeVote(signed);
  }

  // ---- storage of verified messages ----

  private storeProposal(signed: SignedProposal, value: Uint8Array): void {
    const { round, blockHash } = signed.proposal;
    const state = this.roundState(round);
    if (state.proposalFor(toHex(blockHash)) !== undefined) return;
    state.proposals.push({ signed, value });
    state.noteSender(this.schedule!.proposer(this.height, round), this.powerOf(this.schedule!.proposer(this.height, round)));
    this.requestValidationOnce(round, { blockHash, bytes: value });
  }

  /** Adds a verified vote; a second, different vote from one validator is also evidence. */
  private storeVote(signed: SignedVote): void {
    const { vote, validatorIndex } = signed;
    const state = this.roundState(vote.round);
    const tally = vote.type === VOTE_TYPE.prevote ? state.prevotes : state.precommits;
    if (tally.has(validatorIndex, toHex(vote.blockHash))) return;
    const result = tally.add(signed, this.powerOf(validatorIndex));
    if (result === 'added') {
      state.noteSender(validatorIndex, this.powerOf(validatorIndex));
      return;
    }
    this.reportEvidence(`v/${validatorIndex}/${vote.round}/${vote.type}`, {
      type: 'duplicateVote', validatorIndex, first: tally.get(validatorIndex)!, second: signed,
    });
  }

  // ---- the upon rules ----

  private runRules(): void {
    for (let pass = 0; this.height >= 0 && !this.decided; pass++) {
      assert(pass < RULE_PASSES_MAX, 'consensus rules did not reach a fixed point');
      const fired =
        this.line22or28() || this.line34() || this.line36() || this.line44() || this.line47() || this.line49() || this.line55();
      if (!fired) return;
    }
  }

  /** Lines 22 and 28: prevote for the round's proposal, or nil, as the lock allows. */
  private line22or28(): boolean {
    if (this.stepName !== 'propose') return false;
    const proposal = this.rounds.get(this.round)?.proposals[0];
    if (proposal === undefined) return false;
    const { polRound, blockHash } = proposal.signed.proposal;
    const id = toHex(blockHash);
    let lockAllows: boolean;
    if (polRound === -1) {
      lockAllows = this.lockedRound === -1 || this.isLockedOn(id);
    } else {
      // Line 28 needs 2f + 1 prevotes for v in round vr < round_p (the proof of lock).
      const pol = this.rounds.get(polRound);
      if (pol === undefined || !this.isQuorum(pol.prevotes.powerFor(id))) return false;
      lockAllows = this.lockedRound <= polRound || this.isLockedOn(id);
    }
    const valid = this.validity.get(id);
    if (valid === undefined) return false;
    this.castVote(VOTE_TYPE.prevote, valid && lockAllows ? blockHash : NIL_BLOCK_HASH);
    this.stepName = 'prevote';
    return true;
  }

  /** Line 34: 2f + 1 prevotes of any kind start the prevote timeout, once per round. */
  private line34(): boolean {
    const state = this.rounds.get(this.round);
    if (this.stepName !== 'prevote' || state === undefined || state.prevoteTimeoutScheduled) return false;
    if (!this.isQuorum(state.prevotes.anyPower)) return false;
    state.prevoteTimeoutScheduled = true;
    this.scheduleTimeout('prevote');
    return true;
  }

  /** Line 36: a proposal with 2f + 1 prevotes in this round locks it (in prevote) and makes it valid. */
  private line36(): boolean {
    const state = this.rounds.get(this.round);
    if (this.stepName === 'propose' || state === undefined || state.lockRuleFired) return false;
    for (const [id, power] of state.prevotes.ids()) {
      if (id === NIL_ID || !this.isQuorum(power)) continue;
      const proposal = state.proposalFor(id);
      if (proposal === undefined || this.validity.get(id) !== true) continue;
      const value = valueOf(proposal);
      state.lockRuleFired = true;
      if (this.stepName === 'prevote') {
        this.lockedValue = value;
        this.lockedRound = this.round;
        this.effects.push({ type: 'persist', record: { type: 'locked', height: this.height, round: this.round, value } });
        this.castVote(VOTE_TYPE.precommit, value.blockHash);
        this.stepName = 'precommit';
      } else {
        this.effects.push({ type: 'persist', record: { type: 'valid', height: this.height, round: this.round, value } });
      }
      this.validValue = value;
      this.validRound = this.round;
      return true;
    }
    return false;
  }

  /** Line 44: 2f + 1 nil prevotes: precommit nil. */
  private line44(): boolean {
    const state = this.rounds.get(this.round);
    if (this.stepName !== 'prevote' || state === undefined || !this.isQuorum(state.prevotes.powerFor(NIL_ID))) return false;
    this.castVote(VOTE_TYPE.precommit, NIL_BLOCK_HASH);
    this.stepName = 'precommit';
    return true;
  }

  /** Line 47: 2f + 1 precommits of any kind start the precommit timeout, once per round. */
  private line47(): boolean {
    const state = this.rounds.get(this.round);
    if (state === undefined || state.precommitTimeoutScheduled || !this.isQuorum(state.precommits.anyPower)) return false;
    state.precommitTimeoutScheduled = true;
    this.scheduleTimeout('precommit');
    return true;
  }

  /** Line 49: a proposal of any round with 2f + 1 precommits for it is decided, if valid. */
  private line49(): boolean {
    for (const [round, state] of this.rounds) {
      for (const [id, power] of state.precommits.ids()) {
        if (id === NIL_ID || !this.isQuorum(power)) continue;
        const proposal = state.proposalFor(id);
        if (proposal === undefined || this.validity.get(id) !== true) continue;
        this.decide(round, state, proposal);
        return true;
      }
    }
    return false;
  }

  /** Line 55: f + 1 validators already in a later round pull this node into it. */
  private line55(): boolean {
    let target = -1;
    for (const [round, state] of this.rounds) {
      if (round > this.round && round > target && 3 * state.senderPower > this.totalPower) target = round;
    }
    if (target < 0) return false;
    this.startRound(target);
    return true;
  }

  // ---- actions ----

  private startRound(round: number): void {
    this.round = round;
    this.stepName = 'propose';
    if (this.isProposer(round)) {
      const signed = this.guard.existing(this.height, round, 'propose');
      if (signed?.type === 'signedProposal') {
        this.effects.push({ type: 'broadcast', message: { type: 'proposal', proposal: signed.proposal, value: signed.value } });
        return;
      }
      if (this.validValue !== undefined) return this.propose(this.validValue, this.validRound);
      if (this.valueRequestedRound !== round) {
        this.valueRequestedRound = round;
        this.effects.push({ type: 'requestValue', height: this.height, round });
      }
    }
    // The paper schedules this for non-proposers only; a proposer waiting for getValue() needs it
    // too, and it changes nothing once the proposer has prevoted on its own proposal.
    this.scheduleTimeout('propose');
  }

  private propose(value: ConsensusValue, polRound: number): void {
    const proposal = { height: this.height, round: this.round, polRound, blockHash: value.blockHash };
    if (!this.guard.mayNewlySign(this.height, this.round, 'propose')) return;
    const signed = { proposal, signature: this.config.sign(proposalDigest(this.config.hash, this.config.chainId, proposal)) };
    const record: WalRecord = { type: 'signedProposal', proposal: signed, value: value.bytes };
    this.guard.note(record);
    this.effects.push({ type: 'persist', record });
    this.effects.push({ type: 'broadcast', message: { type: 'proposal', proposal: signed, value: value.bytes } });
    this.validity.set(toHex(value.blockHash), true);
    this.storeProposal(signed, value.bytes);
  }

  /** Signs (or, after a restart, re-sends the message already signed at this position) and votes. */
  private castVote(type: VoteType, blockHash: Uint8Array): void {
    if (this.selfIndex < 0) return;
    const step = type === VOTE_TYPE.prevote ? 'prevote' : 'precommit';
    const held = this.guard.existing(this.height, this.round, step);
    let signed: SignedVote;
    if (held?.type === 'signedVote') {
      signed = held.vote;
    } else {
      if (!this.guard.mayNewlySign(this.height, this.round, step)) return;
      const vote = { type, height: this.height, round: this.round, blockHash };
      signed = { vote, validatorIndex: this.selfIndex, signature: this.config.sign(voteDigest(this.config.hash, this.config.chainId, vote)) };
      const record: WalRecord = { type: 'signedVote', vote: signed };
      this.guard.note(record);
      this.effects.push({ type: 'persist', record });
    }
    this.effects.push({ type: 'broadcast', message: { type: 'vote', vote: signed } });
    this.storeVote(signed);
  }

  private decide(round: number, state: RoundState, proposal: ReceivedProposal): void {
    const id = toHex(proposal.signed.proposal.blockHash);
    const precommits = state.precommits.votesFor(id);
    this.decided = true;
    this.effects.push({
      type: 'commit',
      height: this.height,
      value: valueOf(proposal),
      commit: {
        height: this.height, round, blockHash: proposal.signed.proposal.blockHash,
        signatures: precommits.map((v) => ({ validatorIndex: v.validatorIndex, signature: v.signature })),
      },
    });
    this.lastDecision = [
      { type: 'proposal', proposal: proposal.signed, value: proposal.value },
      ...precommits.map((vote): ConsensusMessage => ({ type: 'vote', vote })),
    ];
  }

  private scheduleTimeout(step: ConsensusStep): void {
    const durationMs = timeoutMs(this.timeouts, step, this.round);
    this.effects.push({ type: 'scheduleTimeout', height: this.height, round: this.round, step, durationMs });
  }

  private requestValidationOnce(round: number, value: ConsensusValue): void {
    const id = toHex(value.blockHash);
    if (this.validity.has(id) || this.validationRequested.has(id)) return;
    this.validationRequested.add(id);
    this.effects.push({ type: 'requestValidation', height: this.height, round, value });
  }

  private reportEvidence(key: string, evidence: Extract<ConsensusEffect, { type: 'evidence' }>['evidence']): void {
    if (this.evidenceKeys.has(key)) return;
    this.evidenceKeys.add(key);
    this.effects.push({ type: 'evidence', evidence });
  }

  // ---- helpers ----

  private roundAccepted(round: number): boolean {
    return round <= this.round + this.config.roundsAheadMax;
  }

  private roundState(round: number): RoundState {
    let state = this.rounds.get(round);
    if (state === undefined) {
      state = new RoundState();
      this.rounds.set(round, state);
    }
    return state;
  }

  private isProposer(round: number): boolean {
    return this.selfIndex >= 0 && this.schedule!.proposer(this.height, round) === this.selfIndex;
  }

  private isLockedOn(id: string): boolean {
    return this.lockedValue !== undefined && toHex(this.lockedValue.blockHash) === id;
  }

  private isQuorum(power: number): boolean {
    return 3 * power > 2 * this.totalPower;
  }

  private powerOf(validatorIndex: number): number {
    return this.validators[validatorIndex]!.power;
  }
}

function valueOf(proposal: ReceivedProposal): ConsensusValue {
  return { blockHash: proposal.signed.proposal.blockHash, bytes: proposal.value };
}


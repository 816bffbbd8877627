import { fromUtf8, toHex, verifyCommit, VOTE_TYPE, type ConsensusMessage, type ValidatorSet } from '@xinlian/protocol';
import type { ConsensusValue } from '@xinlian/consensus';
import { invalidReason } from './application.js';
import { SIMULATED_SUITE, simulatedPublicKey } from './simulatedKeys.js';
import type { StoredBlock } from './network.js';
import { describeMembers, ValidatorHistory, type Member } from './validatorSets.js';

export type FailureKind = 'agreement' | 'validity' | 'validatorSet' | 'doubleSign' | 'liveness' | 'crash';

export interface Failure {
  kind: FailureKind;
  tick: number;
  message: string;
}

/**
 * Watches correct replicas only (twins are Byzantine): agreement (one block per height), validity
 * (each commit is a > 2/3 quorum of the validator set of its height, as derived from the canonical
 * chain, for a block valid on that chain), validator sets (every correct replica starts a height
 * with the same set; a correct replica signs only at heights whose set holds its key, under its
 * index there), and no double-signing by a correct validator, across its crashes and restarts.
 */
export class StateChecker {
  private readonly canonical = new Map<number, { id: string; who: string; text: string }>();
  /** The validator sets of the canonical chain: the committed blocks agreed so far. */
  readonly chain: ValidatorHistory;
  private readonly startedSets = new Map<number, { set: string; who: string }>();
  private readonly signed = new Map<string, string>();
  private readonly genesisKeys: Set<number>;
  private readonly keyOf = new Map<string, number>();
  /** Keys outside the genesis set whose precommit is in a canonical commit (added validators at work). */
  readonly joinedSigners = new Set<number>();
  failure: Failure | undefined;
  commits = 0;

  constructor(private readonly chainId: string, genesis: readonly Member[], keys: number) {
    this.chain = new ValidatorHistory(genesis, keys);
    this.genesisKeys = new Set(genesis.map((m) => m.key));
    for (let key = 0; key < keys; key++) this.keyOf.set(toHex(simulatedPublicKey(key)), key);
  }

  get maxCanonicalHeight(): number {
    return this.canonical.size;
  }

  onCommit(tick: number, who: string, block: StoredBlock): void {
    this.commits++;
    const { height, value, commit } = block;
    if (height > this.chain.height + 1) {
      return this.fail('validity', tick, `${who} committed height ${height}, but no correct replica committed ${height - 1}`);
    }
    const members = this.chain.membersAt(height);
    let signers: number[];
    try {
      signers = verifyCommit(SIMULATED_SUITE, this.chainId, this.chain.validatorsAt(height), height, value.blockHash, commit);
    } catch (error) {
      return this.fail('validity', tick, `${who} committed height ${height} without a valid quorum of its set ${describeMembers(members)}: ${String(error)}`);
    }
    const reason = invalidReason(height, value, this.chain);
    if (reason !== undefined) return this.fail('validity', tick, `${who} committed an invalid value at ${height} (${reason}): ${describe(value)}`);
    for (const index of signers) {
      const key = members[index]!.key;
      if (!this.genesisKeys.has(key)) this.joinedSigners.add(key);
    }
    const id = toHex(value.blockHash);
    const first = this.canonical.get(height);
    if (first === undefined) {
      this.canonical.set(height, { id, who, text: describe(value) });
      this.chain.append(height, fromUtf8(value.bytes));
    } else if (first.id !== id) {
      this.fail('agreement', tick, `fork at height ${height}: ${who} committed "${describe(value)}", ${first.who} committed "${first.text}"`);
    }
  }

  /** A correct replica starts `height` with `validators`: every correct replica must use the same. */
  onStartHeight(tick: number, who: string, height: number, validators: ValidatorSet): void {
    const set = `[${validators.map((v) => `${this.keyOf.get(toHex(v.publicKey)) ?? `?${toHex(v.publicKey).slice(0, 8)}`}×${v.power}`).join(' ')}]`;
    const first = this.startedSets.get(height);
    if (first === undefined) this.startedSets.set(height, { set, who });
    else if (first.set !== set) this.fail('validatorSet', tick, `${who} started height ${height} with validators ${set}, ${first.who} with ${first.set}`);
  }

  onSigned(tick: number, key: number, message: ConsensusMessage): void {
    let position: string;
    let id: string;
    let height: number;
    let index: number | undefined;
    if (message.type === 'proposal') {
      const p = message.proposal.proposal;
      height = p.height;
      position = `${key}/${p.height}/${p.round}/proposal`;
      id = `${toHex(p.blockHash)}/${p.polRound}`;
    } else {
      const v = message.vote.vote;
      height = v.height;
      index = message.vote.validatorIndex;
      position = `${key}/${v.height}/${v.round}/${v.type === VOTE_TYPE.prevote ? 'prevote' : 'precommit'}`;
      id = toHex(v.blockHash);
    }
    if (height > this.chain.height + 1) return this.fail('validatorSet', tick, `key ${key} signed at height ${height} before any correct replica committed ${height - 1}`);
    const members = this.chain.membersAt(height);
    const member = index === undefined ? members.find((m) => m.key === key) : members[index];
    if (member?.key !== key) {
      return this.fail('validatorSet', tick, `key ${key} signed at height ${height}${index === undefined ? '' : ` as validator #${index}`}, but the set of that height is ${describeMembers(members)}`);
    }
    const held = this.signed.get(position);
    if (held === undefined) this.signed.set(position, id);
    else if (held !== id) this.fail('doubleSign', tick, `correct validator signed two messages at ${position}`);
  }

  fail(kind: FailureKind, tick: number, message: string): void {
    this.failure ??= { kind, tick, message };
  }
}

function describe(value: ConsensusValue): string {
  return new TextDecoder().decode(value.bytes);
}

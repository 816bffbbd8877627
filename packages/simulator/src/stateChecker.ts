import { toHex, verifyCommit, VOTE_TYPE, type ConsensusMessage, type ValidatorSet } from '@xinlian/protocol';
import type { ConsensusValue } from '@xinlian/consensus';
import { isValidValue } from './application.js';
import { SIMULATED_SUITE } from './simulatedKeys.js';
import type { StoredBlock } from './network.js';

export type FailureKind = 'agreement' | 'validity' | 'doubleSign' | 'liveness' | 'crash';

export interface Failure {
  kind: FailureKind;
  tick: number;
  message: string;
}

/**
 * Watches correct replicas only (twins are Byzantine): agreement (one block per height), validity
 * (each commit is a valid quorum for a valid block), and no double-signing by a correct validator,
 * across its crashes and restarts.
 */
export class StateChecker {
  private readonly canonical = new Map<number, { id: string; who: string; text: string }>();
  private readonly signed = new Map<string, string>();
  failure: Failure | undefined;
  commits = 0;

  constructor(private readonly chainId: string, private readonly validators: ValidatorSet) {}

  get maxCanonicalHeight(): number {
    return this.canonical.size;
  }

  onCommit(tick: number, who: string, block: StoredBlock): void {
    this.commits++;
    const { height, value, commit } = block;
    try {
      verifyCommit(SIMULATED_SUITE, this.chainId, this.validators, height, value.blockHash, commit);
    } catch (error) {
      return this.fail('validity', tick, `${who} committed height ${height} without a valid quorum: ${String(error)}`);
    }
    if (!isValidValue(height, value)) return this.fail('validity', tick, `${who} committed an invalid value at ${height}: ${describe(value)}`);
    const id = toHex(value.blockHash);
    const first = this.canonical.get(height);
    if (first === undefined) this.canonical.set(height, { id, who, text: describe(value) });
    else if (first.id !== id) this.fail('agreement', tick, `fork at height ${height}: ${who} committed "${describe(value)}", ${first.who} committed "${first.text}"`);
  }

  onSigned(tick: number, validatorIndex: number, message: ConsensusMessage): void {
    let key: string;
    let id: string;
    if (message.type === 'proposal') {
      const p = message.proposal.proposal;
      key = `${validatorIndex}/${p.height}/${p.round}/proposal`;
      id = `${toHex(p.blockHash)}/${p.polRound}`;
    } else {
      const v = message.vote.vote;
      key = `${message.vote.validatorIndex}/${v.height}/${v.round}/${v.type === VOTE_TYPE.prevote ? 'prevote' : 'precommit'}`;
      id = toHex(v.blockHash);
    }
    const held = this.signed.get(key);
    if (held === undefined) this.signed.set(key, id);
    else if (held !== id) this.fail('doubleSign', tick, `correct validator signed two messages at ${key}`);
  }

  fail(kind: FailureKind, tick: number, message: string): void {
    this.failure ??= { kind, tick, message };
  }
}

function describe(value: ConsensusValue): string {
  return new TextDecoder().decode(value.bytes);
}

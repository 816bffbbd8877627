// A hand-driven machine for scenario tests: one ConsensusMachine under test ("self"), the other
// validators' messages crafted and signed here with real Ed25519 keys, so each test reads as a story.
import { createHash, generateKeyPairSync, sign as edSign, type KeyObject } from 'node:crypto';
import {
  NIL_BLOCK_HASH, proposalDigest, pureSuite, toHex, VOTE_TYPE, voteDigest, type ConsensusMessage, type ValidatorSet,
} from '@xinlian/protocol';
import {
  ConsensusMachine, type ConsensusConfig, type ConsensusEffect, type ConsensusInput, type ConsensusValue, type WalRecord,
} from '../../src/index.js';

export const CHAIN_ID = 'test-chain';
const suite = pureSuite('intl');
export const hash = (data: Uint8Array): Uint8Array => suite.hash(data);

export const TIMEOUTS = { proposeMs: 300, proposeDeltaMs: 100, prevoteMs: 100, prevoteDeltaMs: 50, precommitMs: 100, precommitDeltaMs: 50 };

interface Key {
  publicKey: Uint8Array;
  privateKey: KeyObject;
}

function newKey(): Key {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(-32)) };
}

export function value(label: string, height = 1): ConsensusValue {
  const bytes = new TextEncoder().encode(`${label}@${height}`);
  return { blockHash: new Uint8Array(createHash('sha256').update(bytes).digest()), bytes };
}

export type Choice = ConsensusValue | 'nil';

export class Harness {
  readonly keys: Key[];
  readonly validators: ValidatorSet;
  machine: ConsensusMachine;
  /** Every persisted record so far: the WAL a restarted machine gets back. */
  readonly wal: WalRecord[] = [];
  height = 1;

  constructor(readonly self: number, powers: number[] = [1, 1, 1, 1]) {
    this.keys = powers.map(() => newKey());
    this.validators = powers.map((power, i) => ({ publicKey: this.keys[i]!.publicKey, power }));
    this.machine = this.newMachine();
  }

  config(): ConsensusConfig {
    const key = this.keys[this.self]!;
    return {
      chainId: CHAIN_ID, hash, publicKey: key.publicKey,
      sign: (digest) => new Uint8Array(edSign(null, digest, key.privateKey)),
      verify: (publicKey, digest, signature) => suite.verify(publicKey, digest, signature),
      timeouts: TIMEOUTS, roundsAheadMax: 10, valueBytesMax: 1024,
    };
  }

  newMachine(): ConsensusMachine {
    return new ConsensusMachine(this.config());
  }

  start(height = 1): ConsensusEffect[] {
    this.height = height;
    return this.feed({ type: 'startHeight', height, validators: this.validators, wal: [...this.wal] });
  }

  /** Simulates a crash: the machine's memory is gone, only the WAL survives. */
  restart(): ConsensusEffect[] {
    this.machine = this.newMachine();
    return this.start(this.height);
  }

  feed(input: ConsensusInput): ConsensusEffect[] {
    const effects = this.machine.step(input);
    for (const e of effects) if (e.type === 'persist') this.wal.push(e.record);
    return effects;
  }

  proposal(round: number, v: ConsensusValue, polRound = -1, from = this.proposerOf(round)): ConsensusMessage {
    const proposal = { height: this.height, round, polRound, blockHash: v.blockHash };
    const signature = new Uint8Array(edSign(null, proposalDigest(hash, CHAIN_ID, proposal), this.keys[from]!.privateKey));
    return { type: 'proposal', proposal: { proposal, signature }, value: v.bytes };
  }

  vote(kind: 'prevote' | 'precommit', from: number, round: number, choice: Choice): ConsensusMessage {
    const vote = { type: VOTE_TYPE[kind], height: this.height, round, blockHash: choice === 'nil' ? NIL_BLOCK_HASH : choice.blockHash };
    const signature = new Uint8Array(edSign(null, voteDigest(hash, CHAIN_ID, vote), this.keys[from]!.privateKey));
    return { type: 'vote', vote: { vote, validatorIndex: from, signature } };
  }

  /** Votes of `kind` from each validator in `from`, fed in order; returns all effects. */
  votes(kind: 'prevote' | 'precommit', from: number[], round: number, choice: Choice): ConsensusEffect[] {
    return from.flatMap((i) => this.feed(this.vote(kind, i, round, choice)));
  }

  valid(v: ConsensusValue, valid = true): ConsensusEffect[] {
    return this.feed({ type: 'validity', height: this.height, blockHash: v.blockHash, valid });
  }

  timeout(step: 'propose' | 'prevote' | 'precommit', round: number): ConsensusEffect[] {
    return this.feed({ type: 'timeout', height: this.height, round, step });
  }

  proposerOf(round: number): number {
    // Four validators of power 1: the schedule is plain rotation, slot (height + round) mod 4.
    return (this.height + round) % this.validators.length;
  }
}

/** The votes this machine broadcast, as readable strings: "prevote 0 A@1" or "precommit 1 nil". */
export function sentVotes(effects: ConsensusEffect[], labels: ConsensusValue[]): string[] {
  return effects.flatMap((e) => {
    if (e.type !== 'broadcast' || e.message.type !== 'vote') return [];
    const { vote } = e.message.vote;
    return [`${vote.type === VOTE_TYPE.prevote ? 'prevote' : 'precommit'} ${vote.round} ${labelOf(vote.blockHash, labels)}`];
  });
}

export function labelOf(blockHash: Uint8Array, labels: ConsensusValue[]): string {
  if (blockHash.every((b) => b === 0)) return 'nil';
  const found = labels.find((l) => toHex(l.blockHash) === toHex(blockHash));
  return found === undefined ? toHex(blockHash).slice(0, 8) : new TextDecoder().decode(found.bytes);
}

export function ofType<T extends ConsensusEffect['type']>(effects: ConsensusEffect[], type: T): Array<Extract<ConsensusEffect, { type: T }>> {
  return effects.filter((e): e is Extract<ConsensusEffect, { type: T }> => e.type === type);
}

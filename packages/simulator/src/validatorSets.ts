import { assert, type ValidatorSet } from '@xinlian/protocol';
import { simulatedPublicKey } from './simulatedKeys.js';

/**
 * Validator-set changes carried by blocks (the simulator's stand-in for the governance txs of
 * ADR 008). A change in the block of height h takes effect at height h + 2; it may move at most
 * a third of the voting power of the set it applies to (3 × moved ≤ total), the set never becomes
 * empty, a power is at least 1, and a block may carry a change only if the block before carries
 * none (the node's "one announced set at a time"). Validators are named by key: key k is
 * simulatedPublicKey(k), one of the run's `keys` identities (initial validators, then observers).
 */
export type ValidatorChange =
  | { kind: 'add'; key: number; power: number }
  | { kind: 'remove'; key: number }
  | { kind: 'power'; key: number; power: number };

export interface Member {
  key: number;
  power: number;
}

export function encodeChange(change: ValidatorChange): string {
  return change.kind === 'remove' ? `remove:${change.key}` : `${change.kind}:${change.key}:${change.power}`;
}

/** The change a block's text names (` change=<kind>:<key>[:<power>]`), none, or 'malformed'. */
export function parseChange(text: string): ValidatorChange | undefined | 'malformed' {
  const match = / change=(\S*)/.exec(text);
  if (match === null) return undefined;
  const parts = match[1]!.split(':');
  const numbers = parts.slice(1).map((p) => (/^\d{1,7}$/.test(p) ? Number(p) : NaN));
  if (numbers.some(Number.isNaN)) return 'malformed';
  const [key, power] = numbers;
  if (parts[0] === 'remove' && numbers.length === 1) return { kind: 'remove', key: key! };
  if ((parts[0] === 'add' || parts[0] === 'power') && numbers.length === 2) return { kind: parts[0], key: key!, power: power! };
  return 'malformed';
}

export function totalOf(members: readonly Member[]): number {
  return members.reduce((sum, m) => sum + m.power, 0);
}

/** Why `change` may not be applied to `base` (the set it would replace), or undefined if it may. */
export function changeError(base: readonly Member[], change: ValidatorChange, keys: number): string | undefined {
  const current = base.find((m) => m.key === change.key);
  let moved: number;
  if (change.kind === 'add') {
    if (change.key >= keys) return `key ${change.key} is not one of the ${keys} known keys`;
    if (current !== undefined) return `key ${change.key} is already a validator`;
    if (change.power < 1) return 'power must be at least 1';
    moved = change.power;
  } else if (change.kind === 'remove') {
    if (current === undefined) return `key ${change.key} is not a validator`;
    if (base.length === 1) return 'the set would be empty';
    moved = current.power;
  } else {
    if (current === undefined) return `key ${change.key} is not a validator`;
    if (change.power < 1) return 'power must be at least 1';
    if (change.power === current.power) return 'power unchanged';
    moved = Math.abs(change.power - current.power);
  }
  const total = totalOf(base);
  if (3 * moved > total) return `moves power ${moved}, more than a third of ${total}`;
  return undefined;
}

/** Adds append to the set, removes close the gap: validator indices shift, as in the node. */
export function applyChange(base: readonly Member[], change: ValidatorChange): Member[] {
  if (change.kind === 'add') return [...base, { key: change.key, power: change.power }];
  if (change.kind === 'remove') return base.filter((m) => m.key !== change.key);
  return base.map((m) => (m.key === change.key ? { key: m.key, power: change.power } : m));
}

export function toValidatorSet(members: readonly Member[]): ValidatorSet {
  return members.map((m) => ({ publicKey: publicKeyOf(m.key), power: m.power }));
}

export function describeMembers(members: readonly Member[]): string {
  return `[${members.map((m) => `${m.key}${m.power === 1 ? '' : `×${m.power}`}`).join(' ')}]`;
}

const publicKeys: Uint8Array[] = [];
function publicKeyOf(key: number): Uint8Array {
  return (publicKeys[key] ??= simulatedPublicKey(key));
}

/**
 * The validator set of every height as derived from one committed chain: set(1) = set(2) =
 * genesis, set(h + 2) = set(h + 1) with the change of block h applied. Each replica keeps its own,
 * fed from its own store only; the checker keeps one for the canonical chain.
 */
export class ValidatorHistory {
  /** members[h] for 1 ≤ h ≤ height + 2. */
  private readonly members: Member[][] = [];
  private readonly sets: ValidatorSet[] = [];
  /** changes[h] for 1 ≤ h ≤ height. */
  private readonly changes: Array<ValidatorChange | undefined> = [];
  /** Committed heights appended so far. */
  height = 0;
  changeCount = 0;

  constructor(genesis: readonly Member[], readonly keys: number) {
    assert(genesis.length > 0, 'genesis validator set is empty');
    this.members[1] = this.members[2] = [...genesis];
  }

  /** Appends block `height` (the next one) of the chain; returns the change it carries. */
  append(height: number, text: string): ValidatorChange | undefined {
    assert(height === this.height + 1, `validator history at ${this.height} given block ${height}`);
    const parsed = parseChange(text);
    // A committed block's change was validated; if it was not (a bug the checkers report), the
    // history ignores it rather than derive a set the rules forbid.
    const change = parsed === 'malformed' || parsed === undefined || this.changeErrorAt(height, parsed) !== undefined ? undefined : parsed;
    this.changes[height] = change;
    this.members[height + 2] = change === undefined ? this.members[height + 1]! : applyChange(this.members[height + 1]!, change);
    this.height = height;
    if (change !== undefined) this.changeCount++;
    return change;
  }

  membersAt(height: number): Member[] {
    const members = this.members[height];
    assert(members !== undefined && height >= 1, `validator set of height ${height} unknown at committed height ${this.height}`);
    return members;
  }

  validatorsAt(height: number): ValidatorSet {
    return (this.sets[height] ??= toValidatorSet(this.membersAt(height)));
  }

  /** Why a block at `height` (one above a committed one) may not carry `change`; undefined if it may. */
  changeErrorAt(height: number, change: ValidatorChange): string | undefined {
    assert(height >= 1 && height <= this.height + 1, `change checked at height ${height}, committed ${this.height}`);
    if (this.changes[height - 1] !== undefined) return `block ${height - 1} already announced a set`;
    return changeError(this.membersAt(height + 1), change, this.keys);
  }
}

import type { Random } from './random.js';
import { applyChange, totalOf, type Member, type ValidatorChange, type ValidatorHistory } from './validatorSets.js';

/** Powers the workload gives validators (the rules allow any power ≥ 1). */
export const GENERATED_POWER_MAX = 3;

/**
 * What the consortium's administrators propose at `height`, drawn from the run's randomness: an
 * add (of a key outside the set, e.g. an observer), a remove or a power change that the rules
 * allow on the proposer's chain (`history`), or undefined when none does. The workload also keeps
 * the run's fault assumptions, as a consortium would not vote for a set that breaks them: the keys
 * below `byzantineKeys` (the twins) hold less than a third of every set's power, and no validator
 * holds a quorum alone (every replica's application sometimes builds an invalid block, and a
 * proposer does not validate its own: a validator with more than 2/3 would commit it alone, a
 * fault of more than a third of the power). Replicas never rely on this: they accept any change
 * the rules allow.
 */
export function randomChange(random: Random, history: ValidatorHistory, height: number, byzantineKeys: number): ValidatorChange | undefined {
  const base = history.membersAt(height + 1);
  const powers = Array.from({ length: GENERATED_POWER_MAX }, (_, i) => i + 1);
  const candidates: Record<ValidatorChange['kind'], ValidatorChange[]> = { add: [], remove: [], power: [] };
  for (let key = 0; key < history.keys; key++) {
    if (base.some((m) => m.key === key)) {
      candidates.remove.push({ kind: 'remove', key });
      for (const power of powers) candidates.power.push({ kind: 'power', key, power });
    } else {
      for (const power of powers) candidates.add.push({ kind: 'add', key, power });
    }
  }
  const allowed = (change: ValidatorChange) =>
    history.changeErrorAt(height, change) === undefined && keepsFaultAssumptions(applyChange(base, change), byzantineKeys);
  const kinds = Object.values(candidates).map((list) => list.filter(allowed)).filter((list) => list.length > 0);
  if (kinds.length === 0) return undefined;
  return random.pick(random.pick(kinds));
}

/** A change the rules refuse (it moves all the power): what a faulty proposer's block carries. */
export function refusedChange(random: Random, history: ValidatorHistory, height: number): ValidatorChange {
  const base = history.membersAt(height + 1);
  const member = random.pick(base);
  return { kind: 'power', key: member.key, power: member.power + totalOf(base) };
}

function keepsFaultAssumptions(members: readonly Member[], byzantineKeys: number): boolean {
  const total = totalOf(members);
  const byzantine = totalOf(members.filter((m) => m.key < byzantineKeys));
  return 3 * byzantine < total && members.every((m) => 3 * m.power <= 2 * total);
}

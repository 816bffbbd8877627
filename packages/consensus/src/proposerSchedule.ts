import { assert, XinlianError, type ValidatorSet } from '@xinlian/protocol';

// Above this many slots the smooth schedule would cost too much memory: fall back to contiguous
// slots (still weighted and deterministic, only less interleaved).
const SMOOTH_SLOTS_MAX = 65_536;

/**
 * proposer(h, r): weighted round-robin over the validator set. Each validator owns `power` slots
 * of a cycle of length totalPower (after dividing every power by their gcd), and the proposer of
 * (h, r) owns slot (h + r) mod cycle. The slots are interleaved by smooth weighted round-robin
 * (each slot, every validator gains its power in priority; the highest, lowest index on ties,
 * proposes and pays the cycle length), so a heavy validator does not propose many rounds in a row.
 */
export class ProposerSchedule {
  private readonly slots: number[] | undefined;
  private readonly cumulative: number[] = [];
  private readonly cycle: number;

  constructor(set: ValidatorSet) {
    const divisor = set.reduce((g, v) => gcd(g, v.power), 0);
    if (divisor === 0) throw new XinlianError('BAD_REQUEST', 'validator set has no voting power');
    let sum = 0;
    for (const v of set) {
      sum += v.power / divisor;
      this.cumulative.push(sum);
    }
    this.cycle = sum;
    this.slots = sum <= SMOOTH_SLOTS_MAX ? smoothSlots(set.map((v) => v.power / divisor), sum) : undefined;
  }

  proposer(height: number, round: number): number {
    const slot = ((height % this.cycle) + (round % this.cycle)) % this.cycle;
    if (this.slots !== undefined) return this.slots[slot]!;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.cumulative[middle]! > slot) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}

function smoothSlots(powers: number[], cycle: number): number[] {
  const priority = powers.map(() => 0);
  const slots: number[] = [];
  for (let slot = 0; slot < cycle; slot++) {
    let best = 0;
    for (let i = 0; i < powers.length; i++) {
      priority[i]! += powers[i]!;
      if (priority[i]! > priority[best]!) best = i;
    }
    priority[best]! -= cycle;
    slots.push(best);
  }
  assert(priority.every((p) => p === 0), 'smooth round-robin returns to zero priorities after one cycle');
  return slots;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

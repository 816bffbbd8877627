import { Random } from './random.js';
import type { ValidatorChange } from './validatorSets.js';

/**
 * Deliberate driver bugs, never drawn from a seed: tests switch one on to show that a checker
 * catches it. `staleValidatorSets`: every replica keeps running (and verifying synced blocks) with
 * the genesis set, ignoring changes. `setsForgottenOnRestart`: a restarted replica starts its
 * first height with the genesis set instead of the set derived from its blocks.
 */
export type SimulationMutation = 'staleValidatorSets' | 'setsForgottenOnRestart';

/** Everything a run depends on besides its seed; derived from the seed, overridable by tests. */
export interface SimulationOptions {
  seed: number;
  /** The genesis validator set: keys 0 .. validators - 1, power 1 each. */
  validators: number;
  /** Replicas whose keys (validators .. validators + observers - 1) are not in the genesis set:
   *  they follow as observers until a change adds them. */
  observers: number;
  /** Chance that a proposer's block carries a validator-set change (validatorSets.ts). */
  changeProbability: number;
  /** Instead of random changes: the block of each listed height carries that change (if allowed). */
  scheduledChanges?: Array<{ height: number; change: ValidatorChange }>;
  mutation?: SimulationMutation;
  /** How many validators run as two instances with one key (Byzantine "twins"). */
  twins: number;
  msPerTick: number;
  /** Faults are injected for this long (the safety phase), then healed. */
  safetyTicks: number;
  /** After healing, every correct replica must commit a new height within this many ticks. */
  livenessTicksMax: number;
  /** ... and reach at least this height (tests that need the chain past some height). */
  livenessHeightMin?: number;
  delayTicksMin: number;
  delayTicksMax: number;
  lossProbability: number;
  duplicateProbability: number;
  /** Every fault interval the partition is redrawn with this probability (else healed). */
  partitionProbability: number;
  /** A partition that separates each twin from its other instance (the Twins paper's scenario). */
  twinsSplitProbability: number;
  faultIntervalTicks: number;
  /** Per fault interval, the chance that one replica crashes; it restarts after up to restartTicksMax. */
  crashProbability: number;
  restartTicksMax: number;
  /** Chance that a crash hits in the middle of a step's effects (the driver's crash points). */
  crashMidStepProbability: number;
  /** Each replica's timers run at a rate in [1 - skew, 1 + skew] of simulated time. */
  clockSkew: number;
  gossipIntervalTicks: number;
  /** Chance that a proposer's application builds a block that validation rejects. */
  invalidValueProbability: number;
  appDelayTicksMax: number;
  /** Pause between a commit and the next height (Tendermint's timeoutCommit). */
  commitDelayTicks: number;
}

export function optionsFromSeed(seed: number, overrides: Partial<SimulationOptions> = {}): SimulationOptions {
  const random = new Random(seed ^ 0x5eed);
  const validators = random.pick([4, 4, 4, 5, 7]);
  const f = Math.floor((validators - 1) / 3);
  const base: SimulationOptions = {
    seed,
    validators,
    twins: random.chance(0.4) ? random.int(1, f) : 0,
    msPerTick: 10,
    safetyTicks: random.int(500, 2000),
    livenessTicksMax: 3000,
    delayTicksMin: 1,
    delayTicksMax: random.pick([3, 10, 30]),
    lossProbability: random.pick([0, 0.02, 0.1, 0.3]),
    duplicateProbability: random.pick([0, 0.05, 0.2]),
    partitionProbability: random.pick([0, 0.2, 0.5]),
    twinsSplitProbability: 0.5,
    faultIntervalTicks: random.int(50, 300),
    crashProbability: random.pick([0, 0.1, 0.3]),
    restartTicksMax: random.int(10, 300),
    crashMidStepProbability: 0.5,
    clockSkew: random.pick([0, 0.2, 0.5]),
    gossipIntervalTicks: random.int(20, 60),
    invalidValueProbability: random.pick([0, 0.1]),
    appDelayTicksMax: random.int(0, 10),
    commitDelayTicks: random.int(1, 10),
    // Drawn last, so that the fields above keep the values they had before set changes existed.
    observers: random.pick([0, 1, 1, 2]),
    changeProbability: random.pick([0, 0.1, 0.2, 0.3, 0.5]),
  };
  return { ...base, ...overrides, seed };
}

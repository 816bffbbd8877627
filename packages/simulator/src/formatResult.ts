import type { SimulationResult } from './simulation.js';

/** `flags`: the soak command's overrides of the run (e.g. "--twins 2"), which a replay needs too. */
export function replayCommand(seed: number, flags = ''): string {
  return `node packages/simulator/dist/src/soak.js --seed ${seed}${flags === '' ? '' : ` ${flags}`}`;
}

/** One line per run: the seed first, so any failure can be replayed from the log. */
export function formatResult(result: SimulationResult, flags = ''): string {
  const o = result.options;
  const shape = `n=${o.validators} twins=${o.twins} loss=${o.lossProbability} partitions=${o.partitionProbability} crashes=${o.crashProbability} skew=${o.clockSkew} observers=${o.observers} changes=${o.scheduledChanges === undefined ? o.changeProbability : 'scheduled'}${o.mutation === undefined ? '' : ` mutation=${o.mutation}`}`;
  const outcome = result.failure === undefined
    ? `ok height=${result.heightMin} commits=${result.commits}`
    : `FAILED ${result.failure.kind} at tick ${result.failure.tick}: ${result.failure.message} (replay: ${replayCommand(result.seed, flags)})`;
  return `seed=${result.seed} ${shape} ticks=${result.ticks} packets=${result.packets} crashes=${result.crashes} evidence=${result.evidence} setChanges=${result.validatorChanges} joinedSigners=${result.joinedSigners} ${outcome}`;
}

import type { SimulationResult } from './simulation.js';

export function replayCommand(seed: number): string {
  return `node packages/simulator/dist/src/soak.js --seed ${seed}`;
}

/** One line per run: the seed first, so any failure can be replayed from the log. */
export function formatResult(result: SimulationResult): string {
  const o = result.options;
  const shape = `n=${o.validators} twins=${o.twins} loss=${o.lossProbability} partitions=${o.partitionProbability} crashes=${o.crashProbability} skew=${o.clockSkew}`;
  const outcome = result.failure === undefined
    ? `ok height=${result.heightMin} commits=${result.commits}`
    : `FAILED ${result.failure.kind} at tick ${result.failure.tick}: ${result.failure.message} (replay: ${replayCommand(result.seed)})`;
  return `seed=${result.seed} ${shape} ticks=${result.ticks} packets=${result.packets} crashes=${result.crashes} evidence=${result.evidence} ${outcome}`;
}

#!/usr/bin/env node
// The soak command (the one shell file of this package, exempt from the purity check): runs many
// seeds, prints one line per failure and a summary. `--seed S` replays one run verbosely.
// Usage: node packages/simulator/dist/src/soak.js [--seeds N] [--from S] [--seed S] [--twins K]
import { formatResult } from './formatResult.js';
import { runSimulation } from './simulation.js';
import { optionsFromSeed, type SimulationOptions } from './simulationOptions.js';

function argument(name: string): number | undefined {
  const index = process.argv.indexOf(name);
  if (index < 0) return undefined;
  const value = Number(process.argv[index + 1]);
  if (!Number.isSafeInteger(value) || value < 0) {
    console.error(`${name} needs a non-negative integer`);
    process.exit(2);
  }
  return value;
}

const overrides: Partial<SimulationOptions> = {};
const twins = argument('--twins');
if (twins !== undefined) overrides.twins = twins;
const single = argument('--seed');
if (single !== undefined) {
  const result = runSimulation(optionsFromSeed(single, overrides));
  console.log(JSON.stringify(result.options));
  console.log(formatResult(result));
  process.exit(result.failure === undefined ? 0 : 1);
}
const seeds = argument('--seeds') ?? 1000;
const from = argument('--from') ?? Math.floor(performance.now() * 1000) % 1_000_000_000;
console.log(`soak: seeds ${from}..${from + seeds - 1} (replay any with --seed S)`);
const started = performance.now();
let failures = 0;
for (let seed = from; seed < from + seeds; seed++) {
  const result = runSimulation(optionsFromSeed(seed, overrides));
  if (result.failure !== undefined) {
    failures++;
    console.log(formatResult(result));
  }
}
const seconds = (performance.now() - started) / 1000;
console.log(`soak: ${seeds} seeds, ${failures} failed, ${seconds.toFixed(1)} s, ${(seeds / seconds).toFixed(1)} seeds/s`);
process.exit(failures === 0 ? 0 : 1);

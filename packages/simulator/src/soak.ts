#!/usr/bin/env node
// The soak command (the one shell file of this package, exempt from the purity check): runs many
// seeds, prints one line per failure and a summary. `--seed S` replays one run verbosely.
// Every seed draws its validator-set changes too (options.changeProbability, observers); the
// overrides pin them: --changes P (percent of blocks that carry a change; 0 turns changes off),
// --observers K (replicas outside the genesis set), --twins K.
// Usage: node packages/simulator/dist/src/soak.js [--seeds N] [--from S] [--seed S] [--twins K] [--observers K] [--changes P]
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
const flags = ['--twins', '--observers', '--changes'].filter((name) => argument(name) !== undefined).map((name) => `${name} ${argument(name)}`).join(' ');
const twins = argument('--twins');
if (twins !== undefined) overrides.twins = twins;
const observers = argument('--observers');
if (observers !== undefined) overrides.observers = observers;
const changes = argument('--changes');
if (changes !== undefined) overrides.changeProbability = Math.min(changes, 100) / 100;
const single = argument('--seed');
if (single !== undefined) {
  const result = runSimulation(optionsFromSeed(single, overrides));
  console.log(JSON.stringify(result.options));
  console.log(formatResult(result, flags));
  process.exit(result.failure === undefined ? 0 : 1);
}
const seeds = argument('--seeds') ?? 1000;
const from = argument('--from') ?? Math.floor(performance.now() * 1000) % 1_000_000_000;
console.log(`soak: seeds ${from}..${from + seeds - 1} (replay any with --seed S${flags === '' ? '' : ` ${flags}`})`);
const started = performance.now();
let failures = 0;
let setChanges = 0;
let joinedSigners = 0;
for (let seed = from; seed < from + seeds; seed++) {
  const result = runSimulation(optionsFromSeed(seed, overrides));
  setChanges += result.validatorChanges;
  joinedSigners += result.joinedSigners;
  if (result.failure !== undefined) {
    failures++;
    console.log(formatResult(result, flags));
  }
}
const seconds = (performance.now() - started) / 1000;
console.log(`soak: ${seeds} seeds, ${failures} failed, ${seconds.toFixed(1)} s, ${(seeds / seconds).toFixed(1)} seeds/s; ${setChanges} validator-set changes committed, ${joinedSigners} added keys signed commits`);
process.exit(failures === 0 ? 0 : 1);

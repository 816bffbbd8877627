// The simulator's seeded runs. Each run is seed → options → safety phase → liveness phase; a
// failure prints its seed and the command that replays it exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatResult, optionsFromSeed, runSimulation } from '../../src/index.js';

const SEEDS = Number(process.env.SIMULATOR_SEEDS ?? 250);
const FROM = Number(process.env.SIMULATOR_FROM ?? 1);

test(`${SEEDS} seeded runs from seed ${FROM}: agreement, validity, no double-sign, liveness after healing`, (t) => {
  t.diagnostic(`seeds ${FROM}..${FROM + SEEDS - 1}; replay one with: node packages/simulator/dist/src/soak.js --seed S`);
  const failures: string[] = [];
  let twinRuns = 0;
  let crashes = 0;
  for (let seed = FROM; seed < FROM + SEEDS; seed++) {
    const result = runSimulation(optionsFromSeed(seed));
    if (result.options.twins > 0) twinRuns++;
    crashes += result.crashes;
    if (result.failure !== undefined) failures.push(formatResult(result));
  }
  t.diagnostic(`${twinRuns} runs with twins, ${crashes} crashes`);
  assert.ok(twinRuns > SEEDS / 5 && crashes > SEEDS / 5, 'the seeds exercise twins and crashes');
  assert.deepEqual(failures, []);
});

test('a seed replays exactly', () => {
  for (const seed of [7, 2024]) {
    const first = runSimulation(optionsFromSeed(seed));
    const second = runSimulation(optionsFromSeed(seed));
    assert.deepEqual(second, first);
  }
});

test('the checkers can fail: with more than f twins the simulator finds a fork', (t) => {
  // n = 4 tolerates f = 1; two validators run twice, and partitions split the twins.
  const overrides = { validators: 4, twins: 2, partitionProbability: 0.8, twinsSplitProbability: 0.9 };
  for (let seed = 1; seed <= 40; seed++) {
    const result = runSimulation(optionsFromSeed(seed, overrides));
    if (result.failure?.kind === 'agreement') {
      t.diagnostic(`seed ${seed}: ${result.failure.message}`);
      return;
    }
  }
  assert.fail('no fork within 40 seeds with 2 twins of 4 validators');
});

test('f twins alone do not break agreement even when every partition splits them', () => {
  const overrides = { validators: 4, twins: 1, partitionProbability: 0.8, twinsSplitProbability: 0.9 };
  const failures: string[] = [];
  for (let seed = 1; seed <= 30; seed++) {
    const result = runSimulation(optionsFromSeed(seed, overrides));
    if (result.failure !== undefined) failures.push(formatResult(result));
  }
  assert.deepEqual(failures, []);
});

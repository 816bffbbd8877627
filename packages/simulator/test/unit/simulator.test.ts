// The simulator's seeded runs. Each run is seed → options → safety phase → liveness phase; a
// failure prints its seed and the command that replays it exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatResult, optionsFromSeed, runSimulation, Simulation, type ValidatorChange } from '../../src/index.js';

const SEEDS = Number(process.env.SIMULATOR_SEEDS ?? 250);
const FROM = Number(process.env.SIMULATOR_FROM ?? 1);

test(`${SEEDS} seeded runs from seed ${FROM}: agreement, validity, validator sets, no double-sign, liveness after healing`, (t) => {
  t.diagnostic(`seeds ${FROM}..${FROM + SEEDS - 1}; replay one with: node packages/simulator/dist/src/soak.js --seed S`);
  const failures: string[] = [];
  let twinRuns = 0;
  let crashes = 0;
  let changeRuns = 0;
  let changes = 0;
  let joinedRuns = 0;
  for (let seed = FROM; seed < FROM + SEEDS; seed++) {
    const result = runSimulation(optionsFromSeed(seed));
    if (result.options.twins > 0) twinRuns++;
    crashes += result.crashes;
    if (result.validatorChanges > 0) changeRuns++;
    changes += result.validatorChanges;
    if (result.joinedSigners > 0) joinedRuns++;
    if (result.failure !== undefined) failures.push(formatResult(result));
  }
  t.diagnostic(`${twinRuns} runs with twins, ${crashes} crashes; ${changeRuns} runs committed ${changes} validator-set changes, in ${joinedRuns} an added key signed commits`);
  assert.ok(twinRuns > SEEDS / 5 && crashes > SEEDS / 5, 'the seeds exercise twins and crashes');
  assert.ok(changeRuns > SEEDS / 2 && joinedRuns > SEEDS / 10, 'the seeds exercise validator-set changes');
  assert.deepEqual(failures, []);
});

test('a seed replays exactly', () => {
  for (const seed of [8, 2024]) {
    const first = runSimulation(optionsFromSeed(seed));
    const second = runSimulation(optionsFromSeed(seed));
    assert.deepEqual(second, first);
    assert.ok(first.validatorChanges > 0, `seed ${seed} changes its validator set`);
  }
});

// Genesis [0 1 2 3], observer 4. Block 2 removes 3 (height 4 runs with [0 1 2]), block 4 adds 4
// (height 6: [0 1 2 4]), block 6 gives 4 power 2 (height 8: [0 1 2 4×2], total 5): from height 8 the
// original validators hold 3 of 5, not a quorum, so every commit needs the added validator.
const SWAP: Array<{ height: number; change: ValidatorChange }> = [
  { height: 2, change: { kind: 'remove', key: 3 } },
  { height: 4, change: { kind: 'add', key: 4, power: 1 } },
  { height: 6, change: { kind: 'power', key: 4, power: 2 } },
];
const SWAP_OPTIONS = { validators: 4, observers: 1, twins: 0, scheduledChanges: SWAP, livenessHeightMin: 12 };

test('an observer added to the set is needed for the quorum: it signs every commit from then on, under faults', (t) => {
  assert.ok(3 * 3 <= 2 * 5, 'keys 0, 1, 2 (power 3 of 5) are not a quorum at height 8');
  const failures: string[] = [];
  for (let seed = 1; seed <= 20; seed++) {
    const simulation = new Simulation(optionsFromSeed(seed, SWAP_OPTIONS));
    const result = simulation.run();
    if (result.failure !== undefined) {
      failures.push(formatResult(result));
      continue;
    }
    assert.equal(result.validatorChanges, 3, `seed ${seed}: the three scheduled changes are committed`);
    assert.deepEqual(simulation.checker.chain.membersAt(8), [{ key: 0, power: 1 }, { key: 1, power: 1 }, { key: 2, power: 1 }, { key: 4, power: 2 }]);
    for (let instance = 0; instance < 5; instance++) {
      const blocks = simulation.blocksOf(instance);
      assert.ok(blocks.length >= 12, `seed ${seed}: replica ${instance} reached height 12`);
      for (const { height, commit } of blocks) {
        const signers = commit.signatures.map((s) => s.validatorIndex);
        // Index 3 is key 3 up to height 3, nobody at heights 4 and 5 (the set has 3), key 4 from 6 on.
        if (height >= 4 && height < 6) assert.ok(signers.every((i) => i < 3), `seed ${seed}: height ${height} is signed by [0 1 2] only`);
        if (height >= 8) assert.ok(signers.includes(3), `seed ${seed}: height ${height} is signed by the added key 4`);
      }
    }
    if (seed === 1) t.diagnostic(formatResult(result));
  }
  assert.deepEqual(failures, []);
});

test('the quorum checker can fail: a driver that keeps running the genesis set commits without a quorum of the new set', (t) => {
  // With the observer added at height 4, [0 1 2 3] keep deciding on 3 precommits: 3 of 5 is not > 2/3.
  const overrides = { ...SWAP_OPTIONS, scheduledChanges: [SWAP[1]!].map((s) => ({ ...s, height: 2 })), mutation: 'staleValidatorSets' as const };
  for (let seed = 1; seed <= 10; seed++) {
    const result = runSimulation(optionsFromSeed(seed, overrides));
    if (result.failure !== undefined) {
      t.diagnostic(formatResult(result));
      assert.equal(result.failure.kind, 'validity');
      assert.match(result.failure.message, /without a valid quorum of its set \[0 1 2 3 4\]/);
      return;
    }
  }
  assert.fail('no seed caught a commit by the old set');
});

test('the validator-set checker can fail: replicas that forget the changes when they restart', (t) => {
  const overrides = { crashProbability: 0.5, changeProbability: 0.5, observers: 1, mutation: 'setsForgottenOnRestart' as const };
  for (let seed = 1; seed <= 40; seed++) {
    const result = runSimulation(optionsFromSeed(seed, overrides));
    if (result.failure !== undefined) {
      t.diagnostic(formatResult(result));
      assert.equal(result.failure.kind, 'validatorSet');
      return;
    }
  }
  assert.fail('no seed caught a replica restarting with the genesis set');
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

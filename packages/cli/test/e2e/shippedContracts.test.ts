import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/processes.js';

// The contracts this repository ships (contracts/*) pass their own tests under `xinlian contract
// test`, in the same sandbox as the chain, with the chain's limits on submitted calls.
const CONTRACTS = fileURLToPath(new URL('../../../../../contracts/', import.meta.url));

for (const name of readdirSync(CONTRACTS).filter((entry) => statSync(join(CONTRACTS, entry)).isDirectory() && !entry.startsWith('.'))) {
  test(`contracts/${name}: its tests pass under xinlian contract test`, { timeout: 240_000 }, async () => {
    const run = await runCli(['contract', 'test', join(CONTRACTS, name)]);
    assert.equal(run.code, 0, `${run.stdout.split('\n').filter((l) => /^not ok|# (pass|fail)/.test(l)).join('\n')}\n${run.stderr}`);
    assert.match(run.stdout, /# fail 0/);
  });
}

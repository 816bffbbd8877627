import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { XinlianError } from '@xinlian/protocol';
import { ContractSandbox, packageContract } from '../../src/index.js';
import { memoryHost } from '../helpers/memoryHost.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../../test/fixtures/${name}.ts`, import.meta.url));
const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());

test('a TypeScript contract packages into one deterministic file that the sandbox runs', async () => {
  const first = await packageContract(fixture('counter'), sha256);
  const second = await packageContract(fixture('counter'), sha256);
  assert.equal(first.hash, second.hash, 'same sources, same bytes, same hash');
  assert.equal(first.hash, createHash('sha256').update(first.code).digest('hex'));
  assert.doesNotMatch(first.code, /require\(/, 'nothing left to load at run time');
  const sandbox = await ContractSandbox.create();
  const outcome = sandbox.call('counter', first.code, 'increment', { name: 'a', by: 3 }, memoryHost({ state: { counter: { 'counter/a': '2' } } }));
  assert.ok(outcome.ok, JSON.stringify(outcome));
  assert.deepEqual(outcome.result, { value: 5 });
  assert.deepEqual(outcome.events, [{ contract: 'counter', type: 'counter.incremented', attributes: { name: 'a', value: '5', org: 'org1' } }]);
});

test('packaging refuses a contract that imports node built-ins, and a missing entry, with CONTRACT_INVALID', async () => {
  await assert.rejects(packageContract(fixture('escape'), sha256), (e: unknown) => e instanceof XinlianError && e.code === 'CONTRACT_INVALID' && /node:fs/.test(e.message));
  await assert.rejects(packageContract(fixture('missing'), sha256), (e: unknown) => e instanceof XinlianError && e.code === 'CONTRACT_INVALID');
});

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

test('JSON a contract imports is packaged as JSON.parse text and reads as the same object; JSON nested too deep is refused', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'xinlian-json-import-'));
  try {
    const data = { name: 'table', rows: [1, 2, { nested: [true, null, 'x'] }] };
    writeFileSync(join(dir, 'data.json'), JSON.stringify(data, null, 2));
    writeFileSync(join(dir, 'contract.ts'), "import data from './data.json';\nexport default { read() { return data; } };\n");
    const packaged = await packageContract(join(dir, 'contract.ts'), sha256);
    assert.match(packaged.code, /JSON\.parse\(['"]\{/);
    const out = (await ContractSandbox.create()).call('c', packaged.code, 'read', null, memoryHost());
    assert.ok(out.ok);
    assert.deepEqual(out.result, data);
    writeFileSync(join(dir, 'data.json'), `${'['.repeat(65)}${']'.repeat(65)}`);
    await assert.rejects(packageContract(join(dir, 'contract.ts'), sha256), (e: unknown) => e instanceof XinlianError && e.code === 'CONTRACT_INVALID' && /nests deeper than 64/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

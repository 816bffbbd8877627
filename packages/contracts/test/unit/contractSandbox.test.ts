import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContractSandbox, STEPS_PER_INTERRUPT, type ContractHost } from '../../src/index.js';

const COUNTER = `
module.exports = {
  increment(api, args, ctx) {
    const n = (api.get('counter/' + args.name) || 0) + args.by;
    api.put('counter/' + args.name, n);
    api.emit('counter.incremented', { name: args.name, value: n, by: ctx.caller.org });
    return { value: n };
  },
  reset(api, args) { api.del('counter/' + args.name); },
  fail(api) { api.put('counter/x', 1); throw new Error('refused by the contract'); },
  spin() { for (;;) {} },
  hog() { const a = []; for (;;) a.push(new Array(1000).fill('x')); },
  recurse() { const f = (n) => f(n + 1) + 1; return f(0); },
  clock() { return typeof Date; },
  random() { return Math.random(); },
  escape() { return [typeof process, typeof require, typeof fetch, typeof setTimeout].join(','); },
};
`;

function host(state: Record<string, string> = {}): ContractHost {
  return { get: (key) => state[key], context: { caller: { org: 'org1', name: 'client.org1', role: 'client' }, txId: 'ab'.repeat(32), height: 7, timeMs: 1_800_000_000_000 } };
}

test('a call reads and writes through the host, sees its context and emits events; nothing is written to the host directly', async () => {
  const sandbox = await ContractSandbox.create();
  const state = { 'counter/a': '41' };
  const outcome = await sandbox.call(COUNTER, 'increment', { name: 'a', by: 1 }, host(state));
  assert.ok(outcome.ok, JSON.stringify(outcome));
  assert.deepEqual(outcome.result, { value: 42 });
  assert.deepEqual(outcome.writes, [{ key: 'counter/a', value: '42' }]);
  assert.deepEqual(outcome.events, [{ type: 'counter.incremented', attributes: { name: 'a', value: '42', by: 'org1' } }]);
  assert.equal(state['counter/a'], '41', 'the caller applies writes, the sandbox only reports them');
  const reset = await sandbox.call(COUNTER, 'reset', { name: 'a' }, host(state));
  assert.ok(reset.ok);
  assert.deepEqual(reset.writes, [{ key: 'counter/a', value: null }]);
});

test('a failing call reports a typed failure and no writes; unknown operations and broken code are refused', async () => {
  const sandbox = await ContractSandbox.create();
  const failed = await sandbox.call(COUNTER, 'fail', {}, host());
  assert.deepEqual([failed.ok, !failed.ok && failed.code], [false, 'CONTRACT_FAILED']);
  assert.ok(!failed.ok && /refused by the contract/.test(failed.message));
  assert.ok('writes' in failed === false, 'a failure carries no writes');
  const unknown = await sandbox.call(COUNTER, 'toString', {}, host());
  assert.ok(!unknown.ok && unknown.code === 'CONTRACT_FAILED' && /no operation/.test(unknown.message));
  const broken = await sandbox.call('module.exports = {', 'x', {}, host());
  assert.ok(!broken.ok && broken.code === 'CONTRACT_INVALID', JSON.stringify(broken));
});

test('an endless loop stops at the same step on every run, with a typed error; the sandbox goes on', async () => {
  const sandbox = await ContractSandbox.create({ stepsMax: 2_000_000 });
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await sandbox.call(COUNTER, 'spin', {}, host()));
  for (const run of runs) assert.ok(!run.ok && run.code === 'CONTRACT_OUT_OF_STEPS', JSON.stringify(run));
  assert.equal(new Set(runs.map((r) => r.steps)).size, 1, `the same step count every time: ${runs.map((r) => r.steps).join(', ')}`);
  assert.equal(runs[0]!.steps, 2_000_000 + STEPS_PER_INTERRUPT);
  // A fresh runtime per call: an earlier endless loop does not change a later call's count.
  const after = await sandbox.call(COUNTER, 'increment', { name: 'b', by: 2 }, host());
  const alone = await (await ContractSandbox.create({ stepsMax: 2_000_000 })).call(COUNTER, 'increment', { name: 'b', by: 2 }, host());
  assert.ok(after.ok && alone.ok);
  assert.equal(after.steps, alone.steps);
});

test('a memory bomb and runaway recursion fail with CONTRACT_OUT_OF_MEMORY, deterministically', async () => {
  const sandbox = await ContractSandbox.create({ memoryBytesMax: 4 * 1024 * 1024, stepsMax: 500_000_000 });
  const hogs = [await sandbox.call(COUNTER, 'hog', {}, host()), await sandbox.call(COUNTER, 'hog', {}, host())];
  for (const hog of hogs) assert.ok(!hog.ok && hog.code === 'CONTRACT_OUT_OF_MEMORY', JSON.stringify(hog));
  assert.equal(hogs[0]!.steps, hogs[1]!.steps);
  const deep = await sandbox.call(COUNTER, 'recurse', {}, host());
  assert.ok(!deep.ok && deep.code === 'CONTRACT_OUT_OF_MEMORY' && /stack overflow/.test(deep.message), JSON.stringify(deep));
  const fine = await sandbox.call('module.exports = { deep(api, a) { const f = (n) => n === 0 ? 0 : f(n - 1) + 1; return f(a.n); } };', 'deep', { n: 1000 }, host());
  assert.ok(fine.ok && fine.result === 1000, `recursion 1,000 deep is fine: ${JSON.stringify(fine)}`);
  // The sandbox keeps working after it (a stack overflow poisons QuickJS's instance, which is replaced).
  const next = await sandbox.call(COUNTER, 'increment', { name: 'c', by: 1 }, host());
  assert.ok(next.ok && (next.result as { value: number }).value === 1, JSON.stringify(next));
});

test('no clock, no randomness, no way out: Date is gone, Math.random throws, no process, require, fetch or timers', async () => {
  const sandbox = await ContractSandbox.create();
  const clock = await sandbox.call(COUNTER, 'clock', {}, host());
  assert.ok(clock.ok && clock.result === 'undefined');
  const random = await sandbox.call(COUNTER, 'random', {}, host());
  assert.ok(!random.ok && /Math.random is not available/.test(random.message));
  const escape = await sandbox.call(COUNTER, 'escape', {}, host());
  assert.ok(escape.ok && escape.result === 'undefined,undefined,undefined,undefined', JSON.stringify(escape));
});

test('limits on what crosses the boundary: oversized arguments and too many writes fail the call', async () => {
  const sandbox = await ContractSandbox.create({ valueCharsMax: 100, writesMax: 3 });
  const big = await sandbox.call(COUNTER, 'increment', { name: 'x'.repeat(200), by: 1 }, host());
  assert.ok(!big.ok && /exceeds 100/.test(big.message));
  const many = await sandbox.call('module.exports = { many(api) { for (let i = 0; i < 10; i++) api.put("k" + i, i); } };', 'many', {}, host());
  assert.ok(!many.ok && /more than 3 writes/.test(many.message), JSON.stringify(many));
});

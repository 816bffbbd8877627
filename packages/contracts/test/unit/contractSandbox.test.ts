import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContractSandbox, STEPS_PER_INTERRUPT } from '../../src/index.js';
import { memoryHost } from '../helpers/memoryHost.js';
import { createHash } from 'node:crypto';

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
  refuse(api) { api.put('counter/x', 1); const e = new Error('not yours'); e.name = 'ContractError'; e.code = 'NOT_OWNER'; throw e; },
  spin() { for (;;) {} },
  hog() { const a = []; for (;;) a.push(new Array(1000).fill('x')); },
  recurse() { const f = (n) => f(n + 1) + 1; return f(0); },
  deepValue(api) { let o = {}; for (let i = 0; i < 100000; i++) o = { o }; api.put('deep', o); },
  deepText() { return JSON.parse('['.repeat(100000) + ']'.repeat(100000)); },
  clock() { return typeof Date; },
  random() { return Math.random(); },
  escape() { return [typeof process, typeof require, typeof fetch, typeof setTimeout, typeof Promise, typeof Proxy, typeof Uint8Array, typeof WeakRef, typeof __json].join(','); },
  context(api, args, ctx) { return ctx; },
};
`;

const call = (sandbox: ContractSandbox, op: string, args: unknown, state: Record<string, string> = {}) =>
  sandbox.call('counter', COUNTER, op, args, memoryHost({ state: { counter: state } }));

test('a call reads and writes through the host, sees its context and emits events; nothing is written to the host directly', async () => {
  const sandbox = await ContractSandbox.create();
  const state = { 'counter/a': '41' };
  const outcome = call(sandbox, 'increment', { name: 'a', by: 1 }, state);
  assert.ok(outcome.ok, JSON.stringify(outcome));
  assert.deepEqual(outcome.result, { value: 42 });
  assert.deepEqual(outcome.writes, [{ contract: 'counter', key: 'counter/a', value: '42' }]);
  assert.deepEqual(outcome.events, [{ contract: 'counter', type: 'counter.incremented', attributes: { name: 'a', value: '42', by: 'org1' } }]);
  assert.equal(state['counter/a'], '41', 'the caller applies writes, the sandbox only reports them');
  const reset = call(sandbox, 'reset', { name: 'a' }, state);
  assert.ok(reset.ok);
  assert.deepEqual(reset.writes, [{ contract: 'counter', key: 'counter/a', value: null }]);
  const context = call(sandbox, 'context', null);
  assert.ok(context.ok);
  assert.deepEqual(context.result, {
    caller: { org: 'org1', name: 'client.org1', role: 'client' }, txId: 'ab'.repeat(32), height: 7, timeMs: 1_800_000_000_000, submitted: true,
    contract: 'counter', callerContract: null,
  });
});

test('a failing call reports a typed failure and no writes; a ContractError is a refusal with the contract\'s code', async () => {
  const sandbox = await ContractSandbox.create();
  const failed = call(sandbox, 'fail', {});
  assert.deepEqual([failed.ok, !failed.ok && failed.code], [false, 'CONTRACT_FAILED']);
  assert.ok(!failed.ok && /refused by the contract/.test(failed.message));
  assert.ok('writes' in failed === false, 'a failure carries no writes');
  const refused = call(sandbox, 'refuse', {});
  assert.ok(!refused.ok && refused.code === 'CONTRACT_REJECTED' && refused.reason === 'NOT_OWNER' && /not yours/.test(refused.message), JSON.stringify(refused));
  const unknown = call(sandbox, 'toString', {});
  assert.ok(!unknown.ok && unknown.code === 'CONTRACT_FAILED' && /no operation/.test(unknown.message));
  const broken = sandbox.call('x', 'module.exports = {', 'x', {}, memoryHost());
  assert.ok(!broken.ok && broken.code === 'CONTRACT_INVALID', JSON.stringify(broken));
});

test('an endless loop stops at the same step on every run, with a typed error; the sandbox goes on', async () => {
  const sandbox = await ContractSandbox.create({ stepsMax: 2_000_000 });
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(call(sandbox, 'spin', {}));
  for (const run of runs) assert.ok(!run.ok && run.code === 'CONTRACT_OUT_OF_STEPS', JSON.stringify(run));
  assert.equal(new Set(runs.map((r) => r.steps)).size, 1, `the same step count every time: ${runs.map((r) => r.steps).join(', ')}`);
  // Stopped at the first interrupt past the limit: within one interrupt's worth of steps of it.
  assert.ok(runs[0]!.steps > 2_000_000 && runs[0]!.steps <= 2_000_000 + STEPS_PER_INTERRUPT, `steps ${runs[0]!.steps}`);
  // A fresh runtime per call: an earlier endless loop does not change a later call's count.
  const after = call(sandbox, 'increment', { name: 'b', by: 2 });
  const alone = call(await ContractSandbox.create({ stepsMax: 2_000_000 }), 'increment', { name: 'b', by: 2 });
  assert.ok(after.ok && alone.ok);
  assert.equal(after.steps, alone.steps);
});

test('a memory bomb and runaway recursion fail with CONTRACT_OUT_OF_MEMORY, deterministically', async () => {
  const sandbox = await ContractSandbox.create({ memoryBytesMax: 4 * 1024 * 1024, stepsMax: 500_000_000 });
  const hogs = [call(sandbox, 'hog', {}), call(sandbox, 'hog', {})];
  for (const hog of hogs) assert.ok(!hog.ok && hog.code === 'CONTRACT_OUT_OF_MEMORY', JSON.stringify(hog));
  assert.equal(hogs[0]!.steps, hogs[1]!.steps);
  const deep = call(sandbox, 'recurse', {});
  assert.ok(!deep.ok && deep.code === 'CONTRACT_OUT_OF_MEMORY' && /stack overflow/.test(deep.message), JSON.stringify(deep));
  const fine = sandbox.call('d', 'module.exports = { deep(api, a) { const f = (n) => n === 0 ? 0 : f(n - 1) + 1; return f(a.n); } };', 'deep', { n: 1000 }, memoryHost());
  assert.ok(fine.ok && fine.result === 1000, `recursion 1,000 deep is fine: ${JSON.stringify(fine)}`);
  const next = call(sandbox, 'increment', { name: 'c', by: 1 });
  assert.ok(next.ok && (next.result as { value: number }).value === 1, JSON.stringify(next));
});

test('deeply nested values are refused before any recursive C code sees them, the same way every time', async () => {
  const sandbox = await ContractSandbox.create({ stepsMax: 500_000_000 });
  for (const op of ['deepValue', 'deepText', 'deepValue']) {
    const out = call(sandbox, op, {});
    assert.ok(!out.ok && out.code === 'CONTRACT_FAILED' && /nested deeper than 64/.test(out.message), `${op}: ${JSON.stringify(out)}`);
  }
  const deepArgs = call(sandbox, 'increment', JSON.parse('['.repeat(100) + ']'.repeat(100)));
  assert.ok(!deepArgs.ok && /nested deeper/.test(deepArgs.message));
  assert.ok(call(sandbox, 'increment', { name: 'd', by: 1 }).ok, 'the sandbox goes on');
});

test('no clock, no randomness, no way out: Date is gone, Math.random throws, no process, require, fetch or timers', async () => {
  const sandbox = await ContractSandbox.create();
  const clock = call(sandbox, 'clock', {});
  assert.ok(clock.ok && clock.result === 'undefined');
  const random = call(sandbox, 'random', {});
  assert.ok(!random.ok && /Math.random is not available/.test(random.message));
  const escape = call(sandbox, 'escape', {});
  assert.ok(escape.ok && escape.result === 'undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined', JSON.stringify(escape));
});

test('limits on what crosses the boundary: oversized arguments and too many writes fail the call', async () => {
  const sandbox = await ContractSandbox.create({ valueCharsMax: 100, writesMax: 3 });
  const big = call(sandbox, 'increment', { name: 'x'.repeat(200), by: 1 });
  assert.ok(!big.ok && /exceeds 100/.test(big.message));
  const many = sandbox.call('m', 'module.exports = { many(api) { for (let i = 0; i < 10; i++) api.put("k" + i, i); } };', 'many', {}, memoryHost());
  assert.ok(!many.ok && /more than 3 writes/.test(many.message), JSON.stringify(many));
});

const SCANNER = `
module.exports = {
  scan(api, query) { return api.range(query); },
  writeThenScan(api) { api.put('b/2', 'new'); api.del('b/1'); return api.range({ prefix: 'b/' }); },
  history(api, args) { return api.history(args.key, args.limit); },
  hash(api, args) { return api.hash(args.data); },
};
`;

test('range scans return entries in UTF-8 key order within prefix, start and end, merged with the call\'s own writes', async () => {
  const sandbox = await ContractSandbox.create();
  const state = { s: { 'a/1': '1', 'b/1': '"x"', 'b/3': '3', 'b/\u{1F600}': '"astral"', 'b/\uFFFF': '"bmp"', c: '4' } };
  const scan = (query: unknown) => sandbox.call('s', SCANNER, 'scan', query, memoryHost({ state }));
  const all = scan({ prefix: 'b/' });
  assert.ok(all.ok);
  // UTF-8 puts U+FFFF (EF BF BF) before U+1F600 (F0 9F 98 80); UTF-16 order would not.
  assert.deepEqual((all.result as Array<{ key: string }>).map((e) => e.key), ['b/1', 'b/3', 'b/\uFFFF', 'b/\u{1F600}']);
  const window = scan({ prefix: 'b/', start: 'b/2', end: 'b/\uFFFF', limit: 5 });
  assert.ok(window.ok);
  assert.deepEqual(window.result, [{ key: 'b/3', value: 3 }]);
  const limited = scan({ limit: 2 });
  assert.ok(limited.ok);
  assert.deepEqual((limited.result as Array<{ key: string }>).map((e) => e.key), ['a/1', 'b/1']);
  const merged = sandbox.call('s', SCANNER, 'writeThenScan', null, memoryHost({ state }));
  assert.ok(merged.ok);
  assert.deepEqual((merged.result as Array<{ key: string }>).map((e) => e.key), ['b/2', 'b/3', 'b/\uFFFF', 'b/\u{1F600}']);
  const bad = scan({ limit: 5000 });
  assert.ok(!bad.ok && /range limit must be 1..1000/.test(bad.message));
});

test('history reads the host\'s committed changes of the contract\'s own key; hash is the host\'s suite hash', async () => {
  const sandbox = await ContractSandbox.create();
  const history = { 's/k': [{ height: 5, txId: '05', value: '2' }, { height: 3, txId: '03', value: null }, { height: 1, txId: '01', value: '1' }] };
  const out = sandbox.call('s', SCANNER, 'history', { key: 'k', limit: 2 }, memoryHost({ history }));
  assert.ok(out.ok);
  assert.deepEqual(out.result, [{ height: 5, txId: '05', value: 2 }, { height: 3, txId: '03', value: null }]);
  const hashed = sandbox.call('s', SCANNER, 'hash', { data: 'abc' }, memoryHost());
  // SHA-256("abc"), FIPS 180-2 appendix B.1.
  assert.ok(hashed.ok && hashed.result === 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

const REGISTRY = `
module.exports = {
  register(api, args, ctx) {
    if (api.get('item/' + args.id) !== undefined) { const e = new Error('taken'); e.name = 'ContractError'; e.code = 'TAKEN'; throw e; }
    api.put('item/' + args.id, { by: ctx.callerContract, org: ctx.caller.org });
    api.emit('registered', { id: args.id });
    return 'ok';
  },
  fail(api) { api.put('item/zzz', 1); throw new Error('registry broke'); },
  spin() { for (;;) {} },
};
`;
const SHOP = `
module.exports = {
  sell(api, args) { api.put('sold/' + args.id, true); return api.call('registry', 'register', { id: args.id }); },
  tryFail(api) { try { api.call('registry', 'fail', {}); } catch (e) { api.put('caught', e.name + ': ' + e.message); } return 'went on'; },
  tryTaken(api, args) { try { api.call('registry', 'register', { id: args.id }); } catch (e) { return e.name + ' ' + e.code; } },
  trySpin(api) { try { api.call('registry', 'spin', {}); } catch (e) { api.put('escaped', true); } return 'escaped'; },
  self(api) { return api.call('shop', 'sell', { id: 'x' }); },
  missing(api) { return api.call('nobody', 'x', {}); },
};
`;

test('a contract calls another: the callee writes its own state, sees its caller, and its failure rolls back only its writes', async () => {
  const sandbox = await ContractSandbox.create({ stepsMax: 5_000_000 });
  const code = { registry: REGISTRY, shop: SHOP };
  const sold = sandbox.call('shop', SHOP, 'sell', { id: 'a' }, memoryHost({ code }));
  assert.ok(sold.ok, JSON.stringify(sold));
  assert.equal(sold.result, 'ok');
  assert.deepEqual(sold.writes.map((w) => [w.contract, w.key, w.value]).sort(), [
    ['registry', 'item/a', '{"by":"shop","org":"org1"}'], ['shop', 'sold/a', 'true'],
  ]);
  assert.deepEqual(sold.events, [{ contract: 'registry', type: 'registered', attributes: { id: 'a' } }]);
  const caught = sandbox.call('shop', SHOP, 'tryFail', null, memoryHost({ code }));
  assert.ok(caught.ok);
  assert.deepEqual(caught.writes, [{ contract: 'shop', key: 'caught', value: '"CONTRACT_FAILED: Error: registry broke"' }], 'the callee\'s write is gone');
  const taken = sandbox.call('shop', SHOP, 'tryTaken', { id: 'a' }, memoryHost({ code, state: { registry: { 'item/a': '{}' } } }));
  assert.ok(taken.ok && taken.result === 'ContractError TAKEN', JSON.stringify(taken));
  const spin = sandbox.call('shop', SHOP, 'trySpin', null, memoryHost({ code }));
  assert.ok(!spin.ok && spin.code === 'CONTRACT_OUT_OF_STEPS', `running out of steps in a callee ends the tx: ${JSON.stringify(spin)}`);
  const self = sandbox.call('shop', SHOP, 'self', null, memoryHost({ code }));
  assert.ok(!self.ok && /re-entrant call of shop/.test(self.message));
  const missing = sandbox.call('shop', SHOP, 'missing', null, memoryHost({ code }));
  assert.ok(!missing.ok && /no contract "nobody"/.test(missing.message));
});

test('a C recursion that exhausts the host stack fails its call; the aborted instance is replaced and the next call runs', async () => {
  const sandbox = await ContractSandbox.create({ stepsMax: 500_000_000 });
  const code = 'module.exports = { deep() { let a = []; for (let i = 0; i < 200000; i++) a = [a]; return String(a).length; }, ok() { return 1; } };';
  const deep = sandbox.call('d', code, 'deep', null, memoryHost());
  // Which limit stops it depends on the host (the known residual risk of ADR 009): never a success.
  assert.ok(!deep.ok, JSON.stringify(deep));
  const next = sandbox.call('d', code, 'ok', null, memoryHost());
  assert.ok(next.ok && next.result === 1, JSON.stringify(next));
  await sandbox.ready();
  const again = sandbox.call('d', code, 'deep', null, memoryHost());
  assert.ok(!again.ok);
  assert.ok(sandbox.call('d', code, 'ok', null, memoryHost()).ok);
});

// RFC 8785, section 3.2.2: the input and its canonical form.
const RFC8785_INPUT = '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}';
const RFC8785_OUTPUT = '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}';

const NATIVE = `
module.exports = {
  schemas: { point: { type: 'object', required: ['x'], properties: { x: { type: 'number' }, tags: { type: 'array', items: { $ref: '#/definitions/tag' } } }, definitions: { tag: { type: 'string', minLength: 1 } } } },
  check(api, value) { return api.validate('point', value); },
  tag(api, value) { return api.validate('point', value, '#/definitions/tag'); },
  unknown(api) { try { api.validate('nope', 1); return 'accepted'; } catch (e) { return e.name + ': ' + e.message; } },
  canonical(api, args) { return api.canonicalJson(JSON.parse(args.text)); },
  digest(api, args) { return api.hashJson(JSON.parse(args.text)); },
  many(api, args) { for (let i = 0; i < args.n; i++) api.hashJson({ i }); return args.n; },
};
`;

test('native functions: named schemas compiled with the contract, canonical JSON (RFC 8785) and its hash, each charged in steps', async () => {
  const sandbox = await ContractSandbox.create();
  const run = (op: string, args: unknown) => sandbox.call('n', NATIVE, op, args, memoryHost());
  const valid = run('check', { x: 1, tags: ['a'] });
  assert.ok(valid.ok && Array.isArray(valid.result) && valid.result.length === 0, JSON.stringify(valid));
  const invalid = run('check', { tags: [''] });
  assert.ok(invalid.ok && (invalid.result as Array<{ path: string; keyword: string }>).length > 0, JSON.stringify(invalid));
  assert.ok((invalid.result as Array<{ path: string; keyword: string }>).every((e) => typeof e.path === 'string' && typeof e.keyword === 'string'));
  const tag = run('tag', 5);
  assert.ok(tag.ok && (tag.result as Array<{ keyword: string }>)[0]?.keyword === 'type', JSON.stringify(tag));
  const unknown = run('unknown', null);
  assert.ok(unknown.ok && /^NativeRefusal: .*nope/.test(unknown.result as string), JSON.stringify(unknown));
  const canonical = run('canonical', { text: RFC8785_INPUT });
  assert.ok(canonical.ok && canonical.result === RFC8785_OUTPUT, JSON.stringify(canonical));
  const digest = run('digest', { text: RFC8785_INPUT });
  assert.ok(digest.ok && digest.result === createHash('sha256').update(RFC8785_OUTPUT).digest('hex'), JSON.stringify(digest));
  // Natives are cheap but never free: a hundred more hashJson calls cost at least 100,000 steps more.
  const few = run('many', { n: 1 });
  const more = run('many', { n: 101 });
  assert.ok(few.ok && more.ok && more.steps - few.steps >= 100_000, `${few.steps} → ${more.steps}`);
  const broken = sandbox.call('b', 'module.exports = { schemas: { s: { type: "nonsense" } }, x() { return 1; } };', 'x', null, memoryHost());
  assert.ok(!broken.ok && broken.code === 'CONTRACT_INVALID' && /schemas/.test(broken.message), JSON.stringify(broken));
  const none = sandbox.call('c', 'module.exports = { x(api) { return api.validate("s", 1); } };', 'x', null, memoryHost());
  assert.ok(!none.ok && /declares no schemas/.test(none.message), JSON.stringify(none));
});

#!/usr/bin/env node
// node bench/stepCalibration.mjs [--json]
//
// How much wall time a contract step stands for on this machine (issue 10, requirement 3): runs
// workloads of different shapes in the sandbox (interpreter loops, string and object building,
// builtins called in a loop, the bench contract, traceability recordEvents) and prints ns per step
// for each. The block's step budget (BLOCK_CONTRACT_STEPS_MAX) is chosen from the slowest shape so
// that a full block executes well inside the round's timeouts (docs/performance.md).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ContractSandbox, packageContract } from '@xinlian/contracts';

const { values } = parseArgs({ options: { json: { type: 'boolean' } } });
const hash = (data) => createHash('sha256').update(data).digest();
const host = {
  get: () => undefined, range: () => [], history: () => [], code: () => undefined,
  hash: (data) => createHash('sha256').update(data).digest('hex'),
  context: { caller: { org: 'org1', name: 'c', role: 'client' }, txId: 'ab'.repeat(32), height: 7, timeMs: 1_800_000_000_000, submitted: true },
};
const LOOPS = `module.exports = {
  spin(api, a) { let n = 0; for (let i = 0; i < a.n; i++) n += i; return n; },
  strings(api, a) { const x = []; for (let i = 0; i < a.n; i++) x.push('s' + i); return x.length; },
  objects(api, a) { const x = []; for (let i = 0; i < a.n; i++) x.push({ i, v: i * 2, s: 'k' + i }); return x.length; },
  calls(api, a) { const f = (v) => v + 1; let n = 0; for (let i = 0; i < a.n; i++) n = f(n); return n; },
  json(api, a) { let t = 0; const o = { a: [1, 2, 3], b: 'text', c: { d: true } }; for (let i = 0; i < a.n; i++) t += JSON.stringify(o).length; return t; },
  regex(api, a) { let t = 0; for (let i = 0; i < a.n; i++) if (/^urn:epc:id:sgtin:[0-9]+\\.[0-9]+\\.[0-9]+$/.test('urn:epc:id:sgtin:0614141.107346.' + i)) t++; return t; },
  sortSmall(api, a) { let t = 0; for (let i = 0; i < a.n; i++) t += [5, 3, 9, 1, 7, 2].sort()[0]; return t; },
  state(api, a) { for (let i = 0; i < a.n; i++) api.get('k' + i); return a.n; },
};`;
const sandbox = await ContractSandbox.create({ stepsMax: 500_000_000 });
const rows = [];
function measure(name, contract, code, op, args, repeat = 1) {
  sandbox.call(contract, code, op, args, host); // compiles
  let steps = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < repeat; i++) {
    const outcome = sandbox.call(contract, code, op, args, host);
    if (!outcome.ok) throw new Error(`${name}: ${outcome.code} ${outcome.message}`);
    steps += outcome.steps;
  }
  const ns = Number(process.hrtime.bigint() - start);
  rows.push({ workload: name, steps: Math.round(steps / repeat), msPerCall: Number((ns / repeat / 1e6).toFixed(3)), nsPerStep: Number((ns / steps).toFixed(1)) });
}
for (const op of ['spin', 'strings', 'objects', 'calls', 'json', 'regex', 'sortSmall', 'state']) measure(op, 'loops', LOOPS, op, { n: op === 'spin' ? 2_000_000 : 200_000 });
const bench = (await packageContract(new URL('./benchContract.ts', import.meta.url).pathname, hash)).code;
measure('bench record', 'bench', bench, 'record', { id: 'x', title: 't' }, 2000);
const traceability = (await packageContract(new URL('../contracts/traceability/contract.ts', import.meta.url).pathname, hash)).code;
const document = JSON.parse(readFileSync(new URL('../contracts/traceability/vectors/examples/Example_9.6.1-ObjectEvent.jsonld', import.meta.url), 'utf8'));
measure('traceability recordEvents (1 event)', 'traceability', traceability, 'recordEvents', { events: [{ ...document.epcisBody.eventList[0], '@context': document['@context'] }] }, 500);
const worst = rows.reduce((a, b) => (b.nsPerStep > a.nsPerStep ? b : a));
const result = { rows, worstNsPerStep: worst.nsPerStep, worstWorkload: worst.workload, stepsPerSecondAtWorst: Math.round(1e9 / worst.nsPerStep), node: process.version };
process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);

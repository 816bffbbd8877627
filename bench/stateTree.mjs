#!/usr/bin/env node
// State tree throughput: single-key updates in blocks of 1,000, each block's ops committed in one
// fsynced LMDB transaction, on top of a pre-filled state. Prints one JSON object.
// Usage: node bench/stateTree.mjs [--prefill 100000] [--blocks 50] [--hash sha256|sm3]  (after `npx tsc -b`)
import crypto from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../packages/node/dist/src/storage/store.js';
import { StateTree } from '../packages/node/dist/src/state/stateTree.js';
import { STATE_BUCKET_NAMES } from '../packages/node/dist/src/state/stateBuckets.js';
import { verifyStateProof, encodeStateProof } from '../packages/protocol/dist/src/index.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : fallback;
};
const prefill = Number(option('prefill', '100000'));
const blocks = Number(option('blocks', '50'));
const algorithm = option('hash', 'sha256');
const BLOCK = 1000;
// crypto.hash is the one-shot form (no Hash object per call), available since Node 20.12.
const hash = (data) => crypto.hash(algorithm, data, 'buffer');

let seed = 12345;
const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
const key = (n) => new TextEncoder().encode(`account/${n}`);
const value = () => crypto.randomBytes(100);

const directory = mkdtempSync(join(tmpdir(), 'xinlian-bench-state-'));
const store = Store.open(directory, { buckets: STATE_BUCKET_NAMES });
const tree = new StateTree(store, hash);
let height = 0;
let keyCount = 0;
function makeBlock(pickKey) {
  const writes = [];
  for (let i = 0; i < BLOCK; i++) writes.push({ key: key(pickKey()), value: value(), txIndex: i, txId: crypto.randomBytes(32) });
  return writes;
}
let applyNs = 0n;
let commitNs = 0n;
function runBlock(writes) {
  const t0 = process.hrtime.bigint();
  const { ops } = tree.apply(++height, writes);
  const t1 = process.hrtime.bigint();
  store.commit(ops);
  commitNs += process.hrtime.bigint() - t1;
  applyNs += t1 - t0;
  return ops.length;
}

const fillStart = process.hrtime.bigint();
while (keyCount < prefill) runBlock(makeBlock(() => keyCount++));
const fillSeconds = Number(process.hrtime.bigint() - fillStart) / 1e9;

// Measured phase: half updates of existing keys, half new keys. The writes are made beforehand
// (the executor hands them over ready), so only apply + commit is timed.
const measured = [];
for (let b = 0; b < blocks; b++) measured.push(makeBlock(() => (random() < 0.5 ? Math.floor(random() * keyCount) : keyCount++)));
let opsTotal = 0;
applyNs = 0n;
commitNs = 0n;
const cpuStart = process.cpuUsage();
const start = process.hrtime.bigint();
for (const writes of measured) opsTotal += runBlock(writes);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpuStart);

const READS = 20000;
let t = process.hrtime.bigint();
for (let i = 0; i < READS; i++) tree.get(key(Math.floor(random() * keyCount)));
const tipReadsPerSecond = READS / (Number(process.hrtime.bigint() - t) / 1e9);
t = process.hrtime.bigint();
let proofBytes = 0;
for (let i = 0; i < READS; i++) {
  const proven = tree.prove(key(Math.floor(random() * keyCount)), 1 + Math.floor(random() * height));
  proofBytes += encodeStateProof(proven.proof).length;
}
const provesPerSecond = READS / (Number(process.hrtime.bigint() - t) / 1e9);
const sample = tree.prove(key(7), height);
if (!verifyStateProof(hash, sample.root, key(7), sample.value, sample.proof)) throw new Error('proof failed');
t = process.hrtime.bigint();
for (let i = 0; i < READS; i++) verifyStateProof(hash, sample.root, key(7), sample.value, sample.proof);
const verifiesPerSecond = READS / (Number(process.hrtime.bigint() - t) / 1e9);

await store.close();
rmSync(directory, { recursive: true, force: true });
console.log(JSON.stringify({
  benchmark: 'stateTree', hash: algorithm, blockSize: BLOCK, prefilledKeys: prefill, measuredBlocks: blocks,
  finalKeys: keyCount,
  updatesPerSecond: Math.round((blocks * BLOCK) / seconds),
  prefillUpdatesPerSecond: Math.round(prefill / fillSeconds),
  storageOpsPerUpdate: +(opsTotal / (blocks * BLOCK)).toFixed(2),
  msPerBlock: +((seconds * 1000) / blocks).toFixed(1),
  applyMsPerBlock: +(Number(applyNs) / 1e6 / blocks).toFixed(1),
  commitMsPerBlock: +(Number(commitNs) / 1e6 / blocks).toFixed(1),
  // All threads of the process (LMDB and GC helpers included), so it can exceed msPerBlock.
  cpuMsPerBlock: +((cpu.user + cpu.system) / 1000 / blocks).toFixed(1),
  tipReadsPerSecond: Math.round(tipReadsPerSecond),
  historicalProvesPerSecond: Math.round(provesPerSecond),
  meanProofBytes: Math.round(proofBytes / READS),
  verifiesPerSecond: Math.round(verifiesPerSecond),
  node: process.version,
  loadAverage1m: +os.loadavg()[0].toFixed(2),
}));

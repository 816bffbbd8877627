#!/usr/bin/env node
// npm run bench -- [--json] [--suite intl|gm|all] [--duration-ms N] [--batch N] [--concurrency N] [--inflight-max N] [--etcd] [--validators N] [--native-only]
// npm run bench -- --app traceability [--events-per-call N] [--json] [--suite intl|gm|all] [--duration-ms N] [--validators N] [--etcd]
//
// Drives pre-signed evidence deposits through a real node (separate process, real HTTP API, real
// LMDB storage with fsync per block) for at least --duration-ms, measures submit-to-commit latency
// from the node's own event stream, and measures this machine's single-core native signature
// verification rate in the same run as the reference (the machine is shared and noisy).
// With --etcd (implied by --validators > 1), the same run also measures a 3-member etcd cluster on
// loopback (bench/etcd.mjs) after the suites, and adds etcdWritesPerSec and ratioToEtcd to each line.
// Then (unless --native-only) the same network deploys bench/benchContract.ts through governance
// and drives the same load of contract calls (record: one key and one event, like a deposit),
// adding contractCallsPerSec and contractToNativeRatio (against this run's native txPerSec).
// With --app traceability, after the same native reference the network deploys the traceability
// contract (contracts/traceability) through governance instead, drives pre-signed recordEvents calls
// of --events-per-call (default 1, at most 30) GS1 EPCIS 2.0 ObjectEvents each (bench/traceabilityLoad.mjs)
// while it polls GET /v1/status on every node about every 100 ms, and prints one line per suite with
// app, eventsPerSec, latencies, cpuMsPerEvent, statusMsP99 and the native txPerSec. --batch and
// --inflight-max apply to the native reference only; etcd runs only with --etcd.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initChain } from '@xinlian/node';
import { measureVerifyPerSecond, nodeSuite } from '@xinlian/crypto-node';
import { contractTxType, encodeEvidenceDeposit, encodeTxBatch, EVIDENCE_DEPOSIT_TYPE, parseGenesis } from '@xinlian/protocol';
import { identityFromFiles, signTx } from '@xinlian/sdk';
import { freePortBases } from '@xinlian/cli';
import { deployContract } from './deployContract.mjs';
import { checkEtcdInstalled, measureEtcd } from './etcd.mjs';
import { deployTraceability, EVENTS_PER_CALL_MAX, signRecordEventsCalls } from './traceabilityLoad.mjs';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean' }, suite: { type: 'string', default: 'intl' }, 'duration-ms': { type: 'string', default: '10000' },
    batch: { type: 'string', default: '500' }, concurrency: { type: 'string', default: '4' }, 'inflight-max': { type: 'string' },
    etcd: { type: 'boolean' }, validators: { type: 'string', default: '1' }, 'native-only': { type: 'boolean' },
    app: { type: 'string' }, 'events-per-call': { type: 'string', default: '1' },
  },
});
const durationMs = Number(values['duration-ms']);
const batchSize = Number(values.batch);
const concurrency = Number(values.concurrency);
// One node: enough in flight to saturate it. A network: the load at which p99 latency stays
// under a second on this machine (docs/performance.md); raise it to measure saturation.
const inflightMax = Number(values['inflight-max'] ?? (Number(values.validators) > 1 ? 1000 : 30000));
const log = (text) => { if (!values.json) process.stderr.write(`${text}\n`); else process.stderr.write(`# ${text}\n`); };

async function waitForNode(home, child) {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`node exited with ${child.exitCode}`);
    try {
      const { apiUrl } = JSON.parse(readFileSync(join(home, 'node.json'), 'utf8'));
      const response = await fetch(`${apiUrl}/healthz`);
      if (response.ok) return apiUrl;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('node did not start');
}

/** CPU time (user + system, ms) a process has used so far; Linux /proc, clock ticks of 10 ms. */
function cpuMsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

async function waitForHeight(url, height) {
  for (let i = 0; i < 1200; i++) {
    const status = await fetch(`${url}/v1/status`).then((r) => r.json()).catch(() => undefined);
    if (status !== undefined && status.height >= height) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the network did not reach height ${height}`);
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Drives `txs` through the nodes in batches (of --batch, at most --inflight-max in flight, unless
 * `options` says otherwise) for --duration-ms and follows their commits on the first node's event
 * stream. `firstFailure` and `firstRejection` are the first committed non-OK result and the first
 * refusal at admission, as the node gave them (code and message).
 */
async function driveLoad(urls, children, txs, { batch = batchSize, inflight = inflightMax } = {}) {
  const submittedAt = new Map();
  const latencies = [];
  let committed = 0;
  let failed = 0;
  let lastCommitAt = 0;
  let firstFailure;
  let firstRejection;
  // The previous load's stream was cancelled; its pooled connection may be closing under us.
  let events;
  for (let attempt = 0; events === undefined; attempt++) {
    try {
      events = await fetch(`${urls[0]}/v1/events`);
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const reader = events.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const readEvents = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let index;
      while ((index = buffer.indexOf('\n\n')) >= 0) {
        const chunk = buffer.slice(0, index);
        buffer = buffer.slice(index + 2);
        const data = chunk.split('\n').find((l) => l.startsWith('data: '));
        if (!data) continue;
        const now = performance.now();
        for (const tx of JSON.parse(data.slice(6)).txs) {
          const at = submittedAt.get(tx.txId);
          if (at === undefined) continue;
          submittedAt.delete(tx.txId);
          latencies.push(now - at);
          if (tx.code === 'OK') committed += 1;
          else {
            failed += 1;
            firstFailure ??= { txId: tx.txId, code: tx.code, message: tx.message };
          }
          lastCommitAt = now;
        }
      }
    }
  })();
  const startedAt = performance.now();
  const cpuAtStart = children.map((child) => cpuMsOf(child.pid));
  let next = 0;
  let rejected = 0;
  const worker = async () => {
    while (performance.now() - startedAt < durationMs && next < txs.length) {
      if (submittedAt.size >= inflight) { await new Promise((r) => setTimeout(r, 2)); continue; }
      const slice = txs.slice(next, next + batch);
      next += slice.length;
      const sentAt = performance.now();
      for (const tx of slice) submittedAt.set(tx.id, sentAt);
      // Any node's API accepts txs: batches go round the nodes, gossip carries them to the proposer.
      const target = urls[Math.floor(next / batch) % urls.length];
      const response = await fetch(`${target}/v1/txs/batch`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: encodeTxBatch(slice.map((t) => t.encoded)) });
      const body = await response.json();
      // A refused batch (e.g. 503 from a node that is too busy) refuses each of its txs.
      const results = body.results ?? slice.map(() => ({ error: body.error ?? { code: `HTTP_${response.status}`, message: JSON.stringify(body) } }));
      results.forEach((r, i) => {
        if (!r.error) return;
        rejected += 1;
        submittedAt.delete(slice[i].id);
        firstRejection ??= { txId: slice[i].id, ...r.error };
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const submitEndedAt = performance.now();
  while (submittedAt.size > 0 && performance.now() - submitEndedAt < 30_000) await new Promise((r) => setTimeout(r, 10));
  const nodesCpuMs = children.reduce((sum, child, i) => sum + cpuMsOf(child.pid) - cpuAtStart[i], 0);
  const loadEndedAt = performance.now();
  await reader.cancel();
  await readEvents.catch(() => {});
  latencies.sort((a, b) => a - b);
  return {
    committed, failed, rejected, lost: submittedAt.size, elapsedMs: lastCommitAt - startedAt, latencies, nodesCpuMs, loadMs: loadEndedAt - startedAt,
    submitted: next, submitMs: submitEndedAt - startedAt, firstFailure, firstRejection,
  };
}

/**
 * Sends GET /v1/status to every node every `intervalMs` until stop(), whether or not the previous
 * request has been answered, and records each answer's response time: a node that stalls for a
 * second then shows ten slow answers, as clients polling it would see, rather than one (a poller
 * that waited for each answer would miss the requests it never sent). A request is abandoned
 * after `abortMs`, which bounds those in flight. stop() waits for them and gives the percentiles,
 * the slowest, and the requests that took over `slowMs` or failed (`timeouts`).
 */
function pollStatus(urls, { intervalMs = 100, slowMs = 1000, abortMs = 5000 } = {}) {
  const times = [];
  const inFlight = new Set();
  let timeouts = 0;
  const request = async (url) => {
    const startedAt = performance.now();
    let ok = false;
    try {
      const response = await fetch(`${url}/v1/status`, { signal: AbortSignal.timeout(abortMs) });
      await response.json();
      ok = response.ok;
    } catch { /* counted below */ }
    const ms = performance.now() - startedAt;
    times.push(ms);
    if (!ok || ms > slowMs) timeouts += 1;
  };
  const tick = () => {
    for (const url of urls) {
      const sent = request(url);
      inFlight.add(sent);
      sent.finally(() => inFlight.delete(sent));
    }
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      times.sort((a, b) => a - b);
      return { polls: times.length, p50: percentile(times, 50), p99: percentile(times, 99), max: times.at(-1) ?? 0, timeouts };
    },
  };
}

/** Deploys bench/benchContract.ts as "bench": proposed by org1's admin, approved by org2's when there is one. */
async function deployBenchContract(dir, url, genesis) {
  await deployContract(dir, url, genesis, 'bench', new URL('./benchContract.ts', import.meta.url).pathname);
}

// The traceability load (--app traceability): enough calls are pre-signed to offer TRACE_EVENTS_PER_SEC
// for the whole duration, above the targets of issue 10 (1,500 events/s on one node, 3,000 with ten
// events a call, 500 on four validators); the load is a closed loop of TRACE_BATCH calls per batch with
// at most TRACE_INFLIGHT_MAX in flight (fewer on a network, where every node executes every call), so
// that queueing stays within about a second and the wait for the last commits (capped in driveLoad) is short.
const TRACE_EVENTS_PER_SEC = 4000;
const TRACE_BATCH = 50;
const TRACE_INFLIGHT_MAX = { node: 1500, network: 400 };

/** --app traceability, after the native reference: deploys the contract, drives recordEvents calls and polls every node's status meanwhile. */
async function benchTraceability({ suiteName, dir, urls, children, genesis, suite, identity }) {
  log(`[${suiteName}] deploying the traceability contract through governance`);
  // In events, not calls: ten events a call need a tenth of the calls in flight for the same queue.
  const inflight = Math.max(TRACE_BATCH, Math.floor((validators > 1 ? TRACE_INFLIGHT_MAX.network : TRACE_INFLIGHT_MAX.node) / eventsPerCall));
  const contract = await deployTraceability(dir, urls[0], genesis);
  const { height } = await fetch(`${urls[0]}/v1/status`).then((r) => r.json());
  const count = Math.ceil((TRACE_EVENTS_PER_SEC * durationMs) / 1000 / eventsPerCall);
  log(`[${suiteName}] pre-signing ${count} recordEvents calls of ${eventsPerCall} event(s) (traceability: ${contract.bytes} bytes)`);
  const calls = await signRecordEventsCalls(suite, identity, genesis.chainId, { count, eventsPerCall, expiryHeight: height + Math.min(5_000, genesis.parameters.txExpiryHeightsMax) });
  log(`[${suiteName}] driving recordEvents calls for ${durationMs} ms (batches of ${TRACE_BATCH}, at most ${inflight} in flight), polling /v1/status on ${urls.length} node(s)`);
  const poller = pollStatus(urls);
  const load = await driveLoad(urls, children, calls, { batch: TRACE_BATCH, inflight });
  const status = await poller.stop();
  if (load.firstFailure) log(`[${suiteName}] first failed call: ${load.firstFailure.code}: ${load.firstFailure.message} (tx ${load.firstFailure.txId})`);
  if (load.firstRejection) log(`[${suiteName}] first call refused at admission: ${load.firstRejection.code}: ${load.firstRejection.message} (tx ${load.firstRejection.txId})`);
  if (load.submitted >= calls.length && load.submitMs < durationMs) {
    log(`[${suiteName}] all ${calls.length} pre-signed calls were submitted after ${Math.round(load.submitMs)} ms, before --duration-ms: raise TRACE_EVENTS_PER_SEC`);
  }
  const events = load.committed * eventsPerCall;
  // To the last commit; a load that committed nothing has no rate and no CPU per event.
  const elapsedMs = load.committed + load.failed > 0 ? load.elapsedMs : 0;
  return {
    eventsPerCall, calls: load.committed, events, failedCalls: load.failed, rejectedCalls: load.rejected, lostCalls: load.lost,
    durationMs: Math.round(elapsedMs), loadMs: Math.round(load.loadMs), eventsPerSec: elapsedMs > 0 ? Number(((events / elapsedMs) * 1000).toFixed(1)) : 0, callsPerSec: elapsedMs > 0 ? Number(((load.committed / elapsedMs) * 1000).toFixed(1)) : 0,
    latencyMsP50: elapsedMs > 0 ? Math.round(percentile(load.latencies, 50)) : null, latencyMsP99: elapsedMs > 0 ? Math.round(percentile(load.latencies, 99)) : null,
    cpuMsPerEvent: events > 0 ? Number((load.nodesCpuMs / events).toFixed(3)) : null, cpuCoresBusy: Number((load.nodesCpuMs / load.loadMs).toFixed(2)),
    statusPolls: status.polls, statusMsP50: Number(status.p50.toFixed(1)), statusMsP99: Number(status.p99.toFixed(1)), statusMsMax: Math.round(status.max), statusTimeouts: status.timeouts,
    contractBytes: contract.bytes, batch: TRACE_BATCH, inflightMax: inflight,
  };
}

async function benchSuite(suiteName) {
  const dir = mkdtempSync(join(tmpdir(), `xinlian-bench-${suiteName}-`));
  try {
    log(`[${suiteName}] measuring single-core native verify rate`);
    const verifyBefore = await measureVerifyPerSecond(suiteName, 2000);
    // Peer ports that are free now (API ports are ephemeral, --api-port 0).
    const { p2p: p2pPortBase } = await freePortBases(validators, { api: 0, p2p: 0 });
    const { nodeHomes } = await initChain({ dir, suite: suiteName, orgs: Math.min(validators, 2), validators, chainId: `bench-${suiteName}`, genesisTimeMs: Date.now(), p2pPortBase });
    const genesis = parseGenesis(JSON.parse(readFileSync(join(dir, 'genesis.json'), 'utf8')));
    const suite = nodeSuite(suiteName);
    const identity = identityFromFiles(join(dir, 'orgs', 'org1', 'client.key.pem'));
    // Enough pre-signed txs for the run: a rate well above the target, times the duration.
    const txCount = Math.ceil((verifyBefore * 1.6 * durationMs) / 1000 / batchSize) * batchSize;
    log(`[${suiteName}] pre-signing ${txCount} txs`);
    const txs = [];
    for (let i = 0; i < txCount; i++) {
      const payload = encodeEvidenceDeposit({ hash: suite.hash(new TextEncoder().encode(`bench document ${i}`)), title: `doc ${i}` });
      const tx = await signTx(suite, identity, { chainId: genesis.chainId, type: EVIDENCE_DEPOSIT_TYPE, payload, expiryHeight: 5_000 });
      txs.push({ id: Buffer.from(tx.txId).toString('hex'), encoded: tx.encoded });
    }
    const cli = new URL('../packages/cli/bin/xinlian.js', import.meta.url).pathname;
    const nodeArgs = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [];
    const children = nodeHomes.map((home) => {
      const logFile = join(home, 'node.log');
      const child = spawn(process.execPath, [...nodeArgs, cli, 'start', home, '--api-port', '0'], { stdio: ['ignore', openSync(logFile, 'a'), 'inherit'] });
      child.once('exit', (code, signal) => {
        if (code !== 0 && signal !== 'SIGTERM') process.stderr.write(`node exited (${code ?? signal}); log tail:\n${readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n')}\n`);
      });
      return child;
    });
    try {
      const urls = await Promise.all(nodeHomes.map((home, i) => waitForNode(home, children[i])));
      const url = urls[0];
      if (validators > 1) await waitForHeight(url, 1);
      log(`[${suiteName}] ${validators} node(s) at ${urls.join(' ')}; driving load for ${durationMs} ms`);
      const native = await driveLoad(urls, children, txs);
      const mode = validators > 1 ? `${validators}-validators` : 'single-node';
      if (app === 'traceability') {
        const traced = await benchTraceability({ suiteName, dir, urls, children, genesis, suite, identity });
        return {
          app, suite: suiteName, mode, validators, ...traced,
          // The same run's native reference (evidence deposits, as without --app).
          txPerSec: Math.round((native.committed / native.elapsedMs) * 1000), nativeTxs: native.committed, node: process.version,
        };
      }
      let contract;
      if (!values['native-only']) {
        log(`[${suiteName}] deploying the bench contract through governance`);
        await deployBenchContract(dir, urls[0], genesis);
        log(`[${suiteName}] pre-signing ${txCount} contract calls`);
        const calls = [];
        for (let i = 0; i < txCount; i++) {
          const payload = new TextEncoder().encode(JSON.stringify({ id: `doc-${i}`, title: `doc ${i}` }));
          const tx = await signTx(suite, identity, { chainId: genesis.chainId, type: contractTxType('bench', 'record'), payload, expiryHeight: 5_000 });
          calls.push({ id: Buffer.from(tx.txId).toString('hex'), encoded: tx.encoded });
        }
        log(`[${suiteName}] driving contract calls for ${durationMs} ms`);
        contract = await driveLoad(urls, children, calls);
      }
      const { committed, failed, rejected, lost, elapsedMs, latencies, nodesCpuMs, loadMs } = native;
      // The reference is the better of two measurements (before and after the load): the machine is
      // shared, and the higher single-core rate makes the ratio the harder one to meet.
      log(`[${suiteName}] measuring single-core native verify rate again`);
      const verifyPerSecOneCore = Math.round(Math.max(verifyBefore, await measureVerifyPerSecond(suiteName, 2000)));
      const txPerSec = (committed / elapsedMs) * 1000;
      return {
        suite: suiteName, mode, validators, txs: committed, failedTxs: failed, rejectedTxs: rejected, lostTxs: lost,
        durationMs: Math.round(elapsedMs), txPerSec: Math.round((committed / elapsedMs) * 1000),
        latencyMsP50: Math.round(percentile(latencies, 50)), latencyMsP99: Math.round(percentile(latencies, 99)),
        verifyPerSecOneCore, ratio: Number(((committed / elapsedMs) * 1000 / verifyPerSecOneCore).toFixed(3)),
        // Where the time goes: all node processes' CPU (threads included) per committed tx, and how
        // many of the machine's cores they kept busy on average.
        cpuMsPerTx: Number((nodesCpuMs / Math.max(1, committed)).toFixed(3)),
        cpuCoresBusy: Number((nodesCpuMs / loadMs).toFixed(2)),
        ...(contract === undefined ? {} : {
          contractCalls: contract.committed, failedContractCalls: contract.failed, lostContractCalls: contract.lost,
          contractCallsPerSec: Math.round((contract.committed / contract.elapsedMs) * 1000),
          contractToNativeRatio: Number(((contract.committed / contract.elapsedMs) * 1000 / txPerSec).toFixed(3)),
          contractLatencyMsP50: Math.round(percentile(contract.latencies, 50)), contractLatencyMsP99: Math.round(percentile(contract.latencies, 99)),
          contractCpuMsPerCall: Number((contract.nodesCpuMs / Math.max(1, contract.committed)).toFixed(3)),
        }),
        batch: batchSize, concurrency, inflightMax, node: process.version,
      };
    } finally {
      await Promise.all(children.map((child) => {
        if (child.exitCode !== null) return undefined;
        child.kill('SIGTERM');
        return new Promise((r) => child.once('exit', r));
      }));
    }
  } finally {
    if (process.env.BENCH_KEEP) log(`kept ${dir}`); else rmSync(dir, { recursive: true, force: true });
  }
}

const validators = Number(values.validators);
if (!Number.isInteger(validators) || validators < 1) {
  process.stderr.write(`--validators must be a positive integer, not ${values.validators}\n`);
  process.exit(2);
}
const app = values.app;
if (app !== undefined && app !== 'traceability') {
  process.stderr.write(`--app must be traceability, not ${app}\n`);
  process.exit(2);
}
const eventsPerCall = Number(values['events-per-call']);
if (!Number.isInteger(eventsPerCall) || eventsPerCall < 1 || eventsPerCall > EVENTS_PER_CALL_MAX) {
  process.stderr.write(`--events-per-call must be an integer in 1..${EVENTS_PER_CALL_MAX}, not ${values['events-per-call']}\n`);
  process.exit(2);
}
// etcd is the reference of the native network figures; an app run measures it only when asked.
const withEtcd = values.etcd || (validators > 1 && app === undefined);
if (validators > 100) {
  process.stderr.write(`--validators ${values.validators}: at most 100\n`);
  process.exit(2);
}
// Fail before the load rather than after it when etcd is missing.
if (withEtcd) {
  try { checkEtcdInstalled(); } catch (error) { process.stderr.write(`${error.message}\n`); process.exit(3); }
}
const print = (result) => process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
const suites = values.suite === 'all' ? ['intl', 'gm'] : [values.suite];
const results = [];
for (const suite of suites) {
  const result = await benchSuite(suite);
  if (withEtcd) results.push(result); else print(result);
}
if (withEtcd) {
  // After the suites, so that etcd's load and disk writes do not overlap the node's measurement.
  const etcd = await measureEtcd({ durationHint: durationMs, log });
  for (const result of results) {
    print({ ...result, etcdWritesPerSec: etcd.etcdWritesPerSec, ratioToEtcd: Number((result.txPerSec / etcd.etcdWritesPerSec).toFixed(3)), etcdSlowestRequestMs: etcd.etcdSlowestRequestMs, etcdPass: etcd.etcdPass, etcdVersion: etcd.etcdVersion });
  }
}

#!/usr/bin/env node
// node bench/etcd.mjs [--json]
//
// The etcd reference point for the network benchmark (issue 3, "Performance"): a real 3-member etcd
// cluster from Debian's etcd-server package on 127.0.0.1 (free ports, data dirs in a temp dir), waited
// on until `etcdctl endpoint health` passes for all three, then `etcdctl check perf --load=xl` against
// all three endpoints. The cluster is killed and the temp dir removed in every case.
//
// `check perf` always runs for 60 s (fixed inside etcdctl 3.4; the xl load offers 15,000 writes/s of
// 1 KiB values from 1,000 clients and "passes" at ≥ 90% of that). Its exit code is 1 when any of its
// checks fails, which is expected on a small machine: the figures are still parsed and reported, with
// `etcdPass: false` and the failed checks in `etcdFailures`.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ETCD = process.env.ETCD_BIN || 'etcd';
const ETCDCTL = process.env.ETCDCTL_BIN || 'etcdctl';
const MEMBERS = 3;
const LOAD = 'xl';
const CHECK_PERF_SECONDS = 60;
// etcd's server-side request timeout is 5 s + 2 × election timeout (7 s with the default 1 s). After
// its 60 s of writes, check perf deletes all ~350,000 keys it wrote in one request before it prints
// anything, and on this 2-core machine that delete takes longer than 7 s: etcdctl then exits with
// "etcdserver: request timed out" and no figures. A 5 s election timeout gives the delete 15 s. It
// changes nothing on the write path (the heartbeat stays at etcd's default 100 ms); it only makes a
// starved follower wait longer before calling an election.
const ELECTION_TIMEOUT_MS = 5000;

export class EtcdNotInstalledError extends Error {
  constructor(binary) {
    super(`${binary} not found: the etcd reference needs Debian's etcd-server (etcd) and etcd-client (etcdctl) packages; ` +
      'install them with `apt-get install -y etcd-server etcd-client` (or set ETCD_BIN / ETCDCTL_BIN)');
    this.name = 'EtcdNotInstalledError';
    this.code = 'ETCD_NOT_INSTALLED';
  }
}

export class EtcdBenchError extends Error {
  constructor(message) {
    super(message);
    this.name = 'EtcdBenchError';
    this.code = 'ETCD_BENCH_FAILED';
  }
}

// etcd and etcdctl read ETCD_* / ETCDCTL_* variables as flags: keep the caller's out of the cluster.
function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^ETCD(CTL)?_/.test(k)) env[k] = v;
  env.ETCDCTL_API = '3';
  return env;
}

/** Checks that etcd and etcdctl can be run; returns the etcd version. Throws EtcdNotInstalledError. */
export function checkEtcdInstalled() {
  let version;
  for (const [binary, args] of [[ETCD, ['--version']], [ETCDCTL, ['version']]]) {
    const r = spawnSync(binary, args, { encoding: 'utf8', env: cleanEnv(), timeout: 10_000 });
    if (r.error?.code === 'ENOENT') throw new EtcdNotInstalledError(binary);
    if (r.error) throw new EtcdBenchError(`${binary} ${args[0]} failed: ${r.error.message}`);
    if (r.status !== 0) throw new EtcdBenchError(`${binary} ${args[0]} exited with ${r.status}: ${(r.stderr || r.stdout).trim()}`);
    if (binary === ETCD) version = /etcd Version:\s*(\S+)/.exec(r.stdout)?.[1] ?? r.stdout.trim().split('\n')[0];
  }
  return version;
}

/** Parses the output of `etcdctl check perf` (etcdctl 3.4; the failed slowest-request and stddev lines carry no "FAIL:" prefix). */
export function parseCheckPerf(output) {
  const text = output.replace(/\r/g, '\n');
  const num = (re) => { const m = re.exec(text); return m ? Number(m[1]) : undefined; };
  const writesPerSec = num(/Throughput (?:is|too low:) (\d+) writes\/s/);
  const slowestSec = num(/Slowest request (?:took too long:|took) ([\d.]+)s/);
  const stddevSec = num(/Stddev (?:too high:|is) ([\d.]+)s/);
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const failures = lines.filter((l) => l.startsWith('FAIL:') || /^(Slowest request took too long|Stddev too high):/.test(l));
  const verdict = lines.filter((l) => l === 'PASS' || l === 'FAIL').pop();
  return { writesPerSec, slowestSec, stddevSec, failures, pass: verdict === 'PASS' && failures.length === 0, verdict };
}

async function freePorts(count) {
  // Bound together so that the ports are distinct; released just before etcd binds them (a start
  // that loses the race is retried with new ports).
  const servers = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      await new Promise((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve); });
      servers.push(server);
    }
    return servers.map((s) => s.address().port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}

const running = new Set(); // etcdctl children, killed with the cluster on an interrupt

function run(binary, args, { timeoutMs, env }) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.once('exit', () => running.delete(child));
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); }, timeoutMs);
    child.once('error', (e) => { clearTimeout(timer); reject(e.code === 'ENOENT' ? new EtcdNotInstalledError(binary) : e); });
    child.once('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, out, timedOut: signal === 'SIGKILL' }); });
  });
}

const tail = (text, n = 15) => text.trim().split('\n').slice(-n).join('\n');

class Cluster {
  constructor(dir, env) { this.dir = dir; this.env = env; this.children = []; this.exited = null; }

  async start() {
    const ports = await freePorts(MEMBERS * 2);
    const members = Array.from({ length: MEMBERS }, (_, i) => ({
      name: `m${i}`, peer: `http://127.0.0.1:${ports[2 * i]}`, client: `http://127.0.0.1:${ports[2 * i + 1]}`,
    }));
    const initialCluster = members.map((m) => `${m.name}=${m.peer}`).join(',');
    const token = `xinlian-bench-${randomBytes(6).toString('hex')}`;
    this.endpoints = members.map((m) => m.client).join(',');
    this.logs = [];
    for (const m of members) {
      const dataDir = join(this.dir, m.name);
      mkdirSync(dataDir, { recursive: true });
      const logFile = join(this.dir, `${m.name}.log`);
      const fd = openSync(logFile, 'a');
      this.logs.push(logFile);
      const child = spawn(ETCD, [
        '--name', m.name, '--data-dir', dataDir,
        '--listen-peer-urls', m.peer, '--initial-advertise-peer-urls', m.peer,
        '--listen-client-urls', m.client, '--advertise-client-urls', m.client,
        '--initial-cluster', initialCluster, '--initial-cluster-state', 'new', '--initial-cluster-token', token,
        '--election-timeout', String(ELECTION_TIMEOUT_MS),
      ], { env: this.env, stdio: ['ignore', fd, fd] });
      closeSync(fd);
      child.once('error', (e) => { this.exited ??= `${m.name}: ${e.message}`; });
      child.once('exit', (code, signal) => { if (!this.stopping) this.exited ??= `${m.name} exited (${code ?? signal})`; });
      this.children.push(child);
    }
  }

  /** How many times a member became leader (1 = the first election only). */
  leaderElections() {
    let n = 0;
    for (const f of this.logs) { try { n += (readFileSync(f, 'utf8').match(/became leader at term/g) ?? []).length; } catch { /* no log */ } }
    return n;
  }

  logTail() { return this.logs.map((f) => { try { return `--- ${f}\n${tail(readFileSync(f, 'utf8'), 8)}`; } catch { return ''; } }).join('\n'); }

  async waitHealthy(deadlineMs) {
    const deadline = performance.now() + deadlineMs;
    let last = '';
    while (performance.now() < deadline) {
      if (this.exited) throw new EtcdBenchError(`etcd member failed to start: ${this.exited}\n${this.logTail()}`);
      const r = await run(ETCDCTL, ['--endpoints', this.endpoints, '--dial-timeout', '1s', '--command-timeout', '2s', 'endpoint', 'health'], { timeoutMs: 5_000, env: this.env });
      if (r.code === 0) return;
      last = r.out;
      await new Promise((resolve) => setTimeout(resolve, 100)); // poll interval, not synchronisation
    }
    throw new EtcdBenchError(`etcd cluster not healthy after ${deadlineMs} ms:\n${tail(last)}\n${this.logTail()}`);
  }

  async stop() {
    this.stopping = true;
    await Promise.all(this.children.map((child) => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
      child.once('exit', resolve);
      child.kill('SIGKILL');
    })));
  }

  killSync() { for (const child of this.children) if (child.exitCode === null && child.signalCode === null) try { child.kill('SIGKILL'); } catch { /* gone */ } }
}

/**
 * Measures a 3-member etcd cluster on loopback with `etcdctl check perf --load=xl`.
 * durationHint (ms) only lengthens the time limit: check perf itself always runs 60 s.
 */
export async function measureEtcd({ durationHint = 0, log = () => {} } = {}) {
  const etcdVersion = checkEtcdInstalled();
  const env = cleanEnv();
  const dir = mkdtempSync(join(tmpdir(), 'xinlian-etcd-'));
  let cluster;
  // Also clean up when the process is interrupted or exits while the cluster runs.
  const onExit = () => { for (const child of running) try { child.kill('SIGKILL'); } catch { /* gone */ } cluster?.killSync(); try { rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ } };
  const onSignal = (signal) => { onExit(); process.exit(signal === 'SIGINT' ? 130 : 143); };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for (let attempt = 1; ; attempt++) {
      cluster = new Cluster(join(dir, `try${attempt}`), env);
      await cluster.start();
      log(`[etcd] ${etcdVersion}: 3 members at ${cluster.endpoints}; waiting for health`);
      try {
        await cluster.waitHealthy(30_000);
        break;
      } catch (error) {
        const portTaken = /address already in use/.test(cluster.logTail());
        await cluster.stop();
        if (!portTaken || attempt >= 3) throw error;
        log('[etcd] a port was taken between allocation and bind; retrying with new ports');
      }
    }
    const limitMs = Math.max(CHECK_PERF_SECONDS * 1000, durationHint) + 120_000;
    log(`[etcd] healthy; running etcdctl check perf --load=${LOAD} (${CHECK_PERF_SECONDS} s)`);
    const loadAvgBefore = loadavg()[0];
    const startedAt = performance.now();
    const r = await run(ETCDCTL, ['--endpoints', cluster.endpoints, 'check', 'perf', `--load=${LOAD}`], { timeoutMs: limitMs, env });
    const elapsedMs = performance.now() - startedAt;
    if (r.timedOut) throw new EtcdBenchError(`etcdctl check perf did not finish within ${limitMs} ms:\n${tail(r.out)}`);
    const parsed = parseCheckPerf(r.out);
    if (parsed.writesPerSec === undefined || parsed.verdict === undefined) {
      throw new EtcdBenchError(`could not parse etcdctl check perf output (exit ${r.code ?? r.signal}):\n${tail(r.out)}\n${cluster.exited ?? ''}`);
    }
    log(`[etcd] ${parsed.writesPerSec} writes/s, slowest ${parsed.slowestSec}s, ${parsed.verdict}${parsed.failures.length ? ` (${parsed.failures.join('; ')})` : ''}`);
    return {
      etcdWritesPerSec: parsed.writesPerSec,
      etcdSlowestRequestMs: parsed.slowestSec === undefined ? null : Math.round(parsed.slowestSec * 1000),
      etcdStddevMs: parsed.stddevSec === undefined ? null : Math.round(parsed.stddevSec * 1000),
      etcdPass: parsed.pass, etcdFailures: parsed.failures,
      etcdLeaderElections: cluster.leaderElections(),
      etcdVersion, etcdMembers: MEMBERS, etcdLoad: LOAD, etcdElectionTimeoutMs: ELECTION_TIMEOUT_MS, etcdDurationMs: Math.round(elapsedMs),
      // The machine is shared: the 1-minute load average before and after the 60 s of writes (after
      // includes etcd's own load).
      etcdLoadAvg1m: [Number(loadAvgBefore.toFixed(2)), Number(loadavg()[0].toFixed(2))],
    };
  } finally {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const json = process.argv.includes('--json');
  const log = (text) => process.stderr.write(json ? `# ${text}\n` : `${text}\n`);
  try {
    const result = await measureEtcd({ log });
    process.stdout.write(json ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
  } catch (error) {
    process.stderr.write(`${error.name}: ${error.message}\n`);
    process.exit(error instanceof EtcdNotInstalledError ? 3 : 1);
  }
}

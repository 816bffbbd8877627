import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XinlianClient } from '@xinlian/sdk';
import { createTestHosts, netnsUnavailable } from '../helpers/netns.js';
import { CLI, runCli, tempDir } from '../helpers/processes.js';

/**
 * Four validators on four simulated hosts (network namespaces on one switch): they commit, a
 * minority partition stalls only the isolated host, healing lets it catch up, a 2|2 split halts
 * everyone without a fork, and healing brings commits back. The test runner watches every node
 * through a relay into its namespace that the partitions leave alone.
 */
const skip = netnsUnavailable();
const VALIDATORS = 4;
const NET = 79;
const P2P_PORT = 26656;
const API_PORT = 8700;

interface Sample { node: number; height: number; hash: string }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('four validators on four namespace hosts: commit, minority partition and catch-up, 2|2 split halts without a fork, heal resumes', { skip, timeout: 120_000 }, async () => {
  const started = Date.now();
  const log = (line: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}\n`);
  const dir = tempDir('netns');
  const chain = join(dir.path, 'chain');
  const hosts = createTestHosts(VALIDATORS, NET);
  const children: ChildProcess[] = [];
  const clients: XinlianClient[] = [];
  // Every (height, hash) any node reported, to check that no two nodes ever disagree at a height.
  const seen = new Map<number, Sample>();
  const conflicts: string[] = [];
  const record = (sample: Sample): void => {
    const earlier = seen.get(sample.height);
    if (earlier === undefined) seen.set(sample.height, sample);
    else if (earlier.hash !== sample.hash) conflicts.push(`height ${sample.height}: node${earlier.node} ${earlier.hash} vs node${sample.node} ${sample.hash}`);
  };
  const heights = async (): Promise<Array<number | undefined>> => Promise.all(clients.map(async (c, node) => {
    const status = await c.status().catch(() => undefined);
    if (status === undefined) return undefined;
    record({ node, height: status.height, hash: status.latestBlockHash });
    return status.height;
  }));
  const waitUntil = async (what: string, deadlineMs: number, ok: (h: Array<number | undefined>) => boolean): Promise<Array<number | undefined>> => {
    const end = Date.now() + deadlineMs;
    for (;;) {
      const h = await heights();
      if (ok(h)) return h;
      if (Date.now() > end) throw new Error(`${what} within ${deadlineMs} ms; heights ${JSON.stringify(h)}`);
      await sleep(150);
    }
  };
  let watching = true;
  let watcher: Promise<void> = Promise.resolve();

  try {
    for (let i = 0; i < VALIDATORS; i++) {
      const port = await hosts.expose(i, API_PORT);
      clients.push(new XinlianClient(`http://127.0.0.1:${port}`, { requestTimeoutMs: 2000 }));
    }
    watcher = (async () => { while (watching) { await heights(); await sleep(200); } })();
    const init = await runCli(['init', chain, '--suite', 'intl', '--validators', String(VALIDATORS), '--orgs', '2']);
    assert.equal(init.code, 0, init.stderr);
    const homes = Array.from({ length: VALIDATORS }, (_, i) => join(chain, 'nodes', `node${i}`));
    homes.forEach((home, i) => {
      const file = join(home, 'config.json');
      const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      Object.assign(config, {
        apiHost: '0.0.0.0', apiPort: API_PORT, p2pHost: hosts.addresses[i], p2pPort: P2P_PORT,
        peers: hosts.addresses.filter((_, j) => j !== i).map((address) => `${address}:${P2P_PORT}`),
      });
      writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
    });
    for (const [i, home] of homes.entries()) {
      const out = openSync(join(home, 'node.log'), 'a');
      const [program, ...args] = hosts.execArgs(i, [process.execPath, CLI, 'start', home]);
      children.push(spawn(program!, args, { stdio: ['ignore', out, out] }));
      closeSync(out);
    }

    // All four commit the same chain.
    let h = await waitUntil('all four nodes commit height 3', 30_000, (x) => x.every((v) => v !== undefined && v >= 3));
    log(`all four commit: heights ${JSON.stringify(h)}`);

    // Minority partition: host 3 is cut off; the other three keep committing, it stalls.
    hosts.partition([3]);
    await sleep(500);
    const isolatedAt = (await heights())[3]!;
    const majorityAt = Math.max(...(await heights()).slice(0, 3).map((v) => v ?? 0));
    h = await waitUntil('the majority commits 3 blocks while host 3 is cut off', 20_000, (x) => x.slice(0, 3).every((v) => v !== undefined && v >= majorityAt + 3));
    assert.equal(h[3], isolatedAt, 'the isolated node commits nothing on its own');
    log(`host 3 cut off: majority ${JSON.stringify(h.slice(0, 3))}, isolated stays at ${h[3]}`);

    // Heal: host 3 catches up to the same chain, and all commit further.
    hosts.heal();
    const target = Math.max(...h.slice(0, 3).map((v) => v ?? 0)) + 1;
    h = await waitUntil('host 3 catches up after the heal', 20_000, (x) => x.every((v) => v !== undefined && v >= target));
    log(`healed: heights ${JSON.stringify(h)}`);

    // 2|2 split: no side has a quorum, nobody commits (a block whose votes were in flight may land).
    hosts.split([[0, 1], [2, 3]]);
    await sleep(1000);
    const splitAt = await heights();
    assert.ok(splitAt.every((v) => v !== undefined), 'every node answers during the split');
    await sleep(5000);
    const afterSplit = await heights();
    assert.deepEqual(afterSplit, splitAt, 'no node commits without a quorum');
    log(`2|2 split for 5 s: heights stay ${JSON.stringify(afterSplit)}`);

    // Heal: commits resume everywhere.
    hosts.heal();
    const resumeTarget = Math.max(...afterSplit.map((v) => v ?? 0)) + 2;
    h = await waitUntil('all commit again after the split heals', 25_000, (x) => x.every((v) => v !== undefined && v >= resumeTarget));
    log(`split healed: heights ${JSON.stringify(h)}`);

    // Delay and loss on every link, where the kernel has netem.
    if (hosts.netem(30, 2)) {
      const before = Math.min(...h.map((v) => v ?? 0));
      h = await waitUntil('all commit under 30 ms delay and 2 % loss', 20_000, (x) => x.every((v) => v !== undefined && v >= before + 2));
      log(`under netem: heights ${JSON.stringify(h)}`);
    } else {
      process.stdout.write('netem is not available here (tc cannot add a netem qdisc): delay and loss are not exercised\n');
    }

    // Agreement: the same block hash at every height on every node.
    watching = false;
    await watcher;
    const common = Math.min(...(await heights()).map((v) => v ?? 0));
    for (let height = 1; height <= common; height++) {
      const blocks = await Promise.all(clients.map((c) => c.block(height))) as Array<{ header: { hash: string } }>;
      for (const [node, block] of blocks.entries()) record({ node, height, hash: block.header.hash });
      assert.equal(new Set(blocks.map((b) => b.header.hash)).size, 1, `the same block at height ${height} on every node`);
    }
    assert.deepEqual(conflicts, [], 'no two nodes ever reported different blocks at one height');
    log(`agreement on heights 1..${common}; ${seen.size} heights observed`);
  } catch (error) {
    for (let i = 0; i < VALIDATORS; i++) {
      const text = (() => { try { return readFileSync(join(chain, 'nodes', `node${i}`, 'node.log'), 'utf8'); } catch { return ''; } })();
      process.stdout.write(`node${i}.log (tail):\n${text.split('\n').slice(-15).map((l) => `  ${l}`).join('\n')}\n`);
    }
    throw error;
  } finally {
    watching = false;
    await watcher.catch(() => undefined);
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(children.map((child) => child.exitCode !== null || child.signalCode !== null ? undefined : new Promise((r) => child.once('exit', r))));
    hosts.destroy();
    dir.remove();
  }
  const leftover = await new Promise<string>((resolve) => {
    const list = spawn('ip', ['netns', 'list']);
    let out = '';
    list.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    list.on('close', () => resolve(out));
  });
  assert.doesNotMatch(leftover, new RegExp(`xl${process.pid % 100000}`), 'no namespace is left behind');
});

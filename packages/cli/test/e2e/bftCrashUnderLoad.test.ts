import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  encodeEvidenceDeposit, EVIDENCE_DEPOSIT_TYPE, evidenceKey, fromHex, parseGenesis, toHex, verifyProofBundle, type Genesis,
} from '@xinlian/protocol';
import { nodeSuite } from '@xinlian/crypto-node';
import { identityFromFiles, signTx, XinlianClient, type Identity, type SignedTxBytes } from '@xinlian/sdk';
import { startNodeProcess, tempDir, type NodeProcess } from '../helpers/processes.js';
import { freePortBase, initNetwork } from '../helpers/network.js';
import { seededRandom, testSeed } from '../helpers/seededRandom.js';

/**
 * kill -9 validators of a real four-process network while a load generator submits txs to all four
 * APIs, restart them on the same home, and check what an acknowledgement promises: every tx a node
 * answered 202 for is committed exactly once, even when that node was killed right after answering,
 * and all four nodes end with the same chain and the same state.
 *
 * What carries a killed node's acknowledged txs: admission persists them in its pending bucket
 * before it answers and sends them to its peers once (no re-gossip later). Usually the peers have
 * them. When they do not (the "double tap" below cuts the node off from its peers first), the
 * restart puts them back into the node's own pool and they go into the next block it proposes:
 * proposers rotate, so that happens within a few heights of it catching up.
 */

const NODES = 4;
/** Txs per request and the pause between one worker's requests: about 4 x 8 / 0.1 s = 320 tx/s offered. */
const BATCH = 8;
const PACE_MS = 100;
/** A victim is killed once it has acknowledged this many txs since its (re)start. */
const ACKED_BEFORE_KILL = 40;
const KILLS = 2;

interface Slot {
  index: number;
  home: string;
  log: string;
  node: NodeProcess | undefined;
  client: XinlianClient | undefined;
  /** Incremented at every start: an acknowledgement is attributed to the process that gave it. */
  generation: number;
  ackedThisGeneration: number;
  /** Resolves when the slot serves again (the load worker waits on it while the node is down). */
  started: Promise<void>;
  markStarted: () => void;
}

interface Ack { node: number; generation: number; atMs: number }

interface BlockView {
  header: { hash: string; height: number; stateRoot: string; proposer: string };
  txs: Array<{ txId: string; code: string }>;
}

/** Polls `probe` until it returns a value; fails with `what` (and the probe's last error) at the deadline. */
async function until<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const end = Date.now() + deadlineMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > end) throw new Error(`${what}: not within ${deadlineMs} ms${lastError === undefined ? '' : ` (last error: ${(lastError as Error).message})`}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs `work` over `items` with at most `width` at a time. */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

function newSignal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

function tail(path: string, lines: number): string {
  if (!existsSync(path)) return '(no log)';
  return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

test('kill -9 validators under load on four processes, restart them: every acknowledged tx committed once, one chain, one state', { timeout: 180_000 }, async () => {
  const seed = testSeed('bftCrashUnderLoad');
  const random = seededRandom(seed);
  const startedAt = Date.now();
  const dir = tempDir('bftcrash');
  const chain = join(dir.path, 'chain');
  const slots: Slot[] = [];
  const workers: Array<Promise<void>> = [];
  let stopping = false;
  const stopped = newSignal();
  let passed = false;
  try {
    await initNetwork(chain, NODES);
    const genesis: Genesis = parseGenesis(JSON.parse(readFileSync(join(chain, 'genesis.json'), 'utf8')));
    const suite = nodeSuite('intl');
    const identities: Identity[] = [1, 2].map((org) => identityFromFiles(join(chain, 'orgs', `org${org}`, 'client.key.pem')));
    const nodeOfProposer = new Map(genesis.validators.map((v) => [toHex(suite.hash(fromHex(v.publicKey))), v.name]));

    const start = async (slot: Slot): Promise<void> => {
      const node = await startNodeProcess(slot.home, [], { logFile: slot.log });
      slot.node = node;
      slot.client = new XinlianClient(node.url, { requestTimeoutMs: 10_000 });
      slot.generation += 1;
      slot.ackedThisGeneration = 0;
      slot.markStarted();
    };
    for (let index = 0; index < NODES; index++) {
      const signal = newSignal();
      slots.push({
        index, home: join(chain, 'nodes', `node${index}`), log: join(dir.path, `node${index}.log`), node: undefined, client: undefined,
        generation: 0, ackedThisGeneration: 0, started: signal.promise, markStarted: signal.resolve,
      });
    }
    await Promise.all(slots.map(start));
    const heightOf = async (slot: Slot): Promise<number> => (await slot.client!.status()).height;
    await until('all four nodes commit block 2', 30_000, async () => ((await Promise.all(slots.map(heightOf))).every((h) => h >= 2) ? true : undefined));
    const phases: string[] = [];
    let phaseStart = startedAt;
    const phase = (name: string): void => { phases.push(`${name} ${((Date.now() - phaseStart) / 1000).toFixed(1)}`); phaseStart = Date.now(); };
    phase('start');

    // The load: one worker per node, each signing fresh deposits (seeded documents and nonces, so a
    // seed replays the same txs) and submitting them in batches to its node's API.
    const acked = new Map<string, Ack>();
    const inDoubt = new Set<string>(); // the request failed: the node may or may not have taken them
    const rejected = new Map<string, string>(); // answered with an error: never admitted
    const documentOf = new Map<string, Uint8Array>(); // tx id -> the document hash it deposits
    /** A stream of txs: the n-th tx of a stream depends on the seed only (documents, nonces, signer). */
    const txStream = (name: string, streamSeed: number) => ({ name, nonces: seededRandom(streamSeed), count: 0 });
    const nextTx = async (stream: ReturnType<typeof txStream>): Promise<SignedTxBytes> => {
      stream.count += 1;
      const hash = suite.hash(new TextEncoder().encode(`bft crash ${seed} ${stream.name} ${stream.count}`));
      const nonce = Uint8Array.from({ length: 16 }, () => Math.floor(stream.nonces() * 256));
      const tx = await signTx(suite, identities[stream.count % 2]!, {
        chainId: genesis.chainId, type: EVIDENCE_DEPOSIT_TYPE, payload: encodeEvidenceDeposit({ hash, title: '' }), expiryHeight: 5_000, nonce,
      });
      documentOf.set(toHex(tx.txId), hash);
      return tx;
    };
    const replayed = new Set<string>(); // refused as already committed: must be in the chain
    /** Submits a batch to one node and records its answers; false when no answer came. */
    const submit = async (slot: Slot, client: XinlianClient, txs: SignedTxBytes[]): Promise<boolean> => {
      const generation = slot.generation;
      let outcomes;
      try {
        outcomes = await client.submitBatch(txs.map((t) => t.encoded));
      } catch {
        return false;
      }
      outcomes.forEach((outcome, i) => {
        const txId = toHex(txs[i]!.txId);
        if ('error' in outcome) {
          if (outcome.error.code === 'TX_REPLAYED') replayed.add(txId);
          else rejected.set(txId, outcome.error.code);
        } else if (!acked.has(txId)) {
          acked.set(txId, { node: slot.index, generation, atMs: Date.now() });
        }
      });
      if (slot.generation === generation) slot.ackedThisGeneration += outcomes.filter((o) => !('error' in o)).length;
      return true;
    };
    const pace = PACE_MS * (0.5 + random()); // seeded: the rate differs a little from seed to seed
    const worker = async (slot: Slot): Promise<void> => {
      const stream = txStream(`load${slot.index}`, seed + 1 + slot.index); // its own: the faults' random stream stays the seed's alone
      while (!stopping) {
        const client = slot.client;
        if (client === undefined) {
          await Promise.race([slot.started, stopped.promise]);
          continue;
        }
        const txs: SignedTxBytes[] = [];
        for (let i = 0; i < BATCH; i++) txs.push(await nextTx(stream));
        if (!await submit(slot, client, txs)) {
          // No answer (the node died mid-request): in doubt. Like a client, fail over and submit the
          // same txs to the next live node; whatever happens, each must be committed at most once.
          for (const tx of txs) inDoubt.add(toHex(tx.txId));
          const other = slots.find((s) => s !== slot && s.client !== undefined);
          if (other !== undefined) await submit(other, other.client!, txs);
        }
        await new Promise((r) => setTimeout(r, pace)); // rate limit of the load, not a synchronisation
      }
    };
    for (const slot of slots) workers.push(worker(slot));

    // The faults: KILLS distinct validators, chosen and timed by the seed.
    const order = slots.map((s) => s.index);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const victims = order.slice(0, KILLS);
    /** kill -9: the load stops using the node first, so a request cut off is one the kill hit. */
    const crash = async (slot: Slot): Promise<number> => {
      const node = slot.node!;
      slot.client = undefined;
      slot.node = undefined;
      const signal = newSignal();
      slot.started = signal.promise;
      slot.markStarted = signal.resolve;
      node.child.kill('SIGKILL');
      await node.exited;
      return slot.generation;
    };
    const ackedBy = (node: number, life: number): number => [...acked.values()].filter((a) => a.node === node && a.generation === life).length;
    interface Kill { node: number; life: number; ackedBefore: number; heightAtKill: number; heightAtRestart: number; caughtUpAt: number }
    const kills: Kill[] = [];
    let tap: { node: number; life: number; txIds: string[]; peers: number } | undefined;
    process.stdout.write(`# victims in order: ${victims.map((v) => `node${v}`).join(', ')}\n`);
    for (const victim of victims) {
      const slot = slots[victim]!;
      const others = slots.filter((s) => s !== slot);
      await until(`node${victim} acknowledges ${ACKED_BEFORE_KILL} txs before its kill`, 30_000, () => (slot.ackedThisGeneration >= ACKED_BEFORE_KILL ? true : undefined));
      await new Promise((r) => setTimeout(r, Math.floor(random() * 300))); // seeded moment of the fault, not a synchronisation
      const life = await crash(slot);
      const ackedBefore = ackedBy(victim, life);
      const heightAtKill = Math.max(...await Promise.all(others.map(heightOf)));
      process.stdout.write(`# kill -9 node${victim} at height ${heightAtKill}; it had acknowledged ${ackedBefore} txs\n`);
      // The other three keep committing without it.
      await until(`the other three commit 3 blocks after node${victim} was killed at ${heightAtKill}`, 40_000,
        async () => ((await Promise.all(others.map(heightOf))).every((h) => h >= heightAtKill + 3) ? true : undefined));
      const kill: Kill = { node: victim, life, ackedBefore, heightAtKill, heightAtRestart: 0, caughtUpAt: 0 };
      kills.push(kill);
      if (victim === victims.at(-1)) {
        // The double tap. It comes back cut off from its peers (another p2p port, no peers to dial:
        // a node whose links are down), acknowledges txs that it can gossip to no one, and is killed
        // again. Those txs exist only in its pending bucket; they must still be committed.
        const configPath = join(slot.home, 'config.json');
        const config = readFileSync(configPath, 'utf8');
        writeFileSync(configPath, JSON.stringify({ ...JSON.parse(config) as object, p2pPort: await freePortBase(1), peers: [] }));
        try {
          await start(slot);
        } finally {
          writeFileSync(configPath, config); // read at start only: the next start is the real node again
        }
        const isolatedLife = slot.generation;
        const txs: SignedTxBytes[] = [];
        const stream = txStream('tap', seed + 100);
        for (let i = 0; i < BATCH; i++) txs.push(await nextTx(stream));
        assert.equal(await submit(slot, slot.client!, txs), true, `node${victim} answers while cut off`);
        const peers = (await slot.client!.status() as unknown as { peers: number }).peers;
        assert.equal(peers, 0, `node${victim} is cut off from its peers (seed ${seed})`);
        await crash(slot);
        const txIds = [...acked].filter(([, a]) => a.node === victim && a.generation === isolatedLife).map(([id]) => id);
        assert.ok(txIds.length >= BATCH, `node${victim} acknowledged the batch while cut off (seed ${seed})`);
        // No other node knows them.
        for (const other of others) {
          for (const id of txIds) {
            await assert.rejects(other.client!.tx(id), (error: { code?: string }) => error.code === 'NOT_FOUND', `node${other.index} knows tx ${id} (seed ${seed})`);
          }
        }
        const heightAtTap = Math.max(...await Promise.all(others.map(heightOf)));
        tap = { node: victim, life: isolatedLife, txIds, peers };
        kills.push({ node: victim, life: isolatedLife, ackedBefore: txIds.length, heightAtKill: heightAtTap, heightAtRestart: 0, caughtUpAt: 0 });
        process.stdout.write(`# node${victim} came back cut off from its peers, acknowledged ${txIds.length} txs and was killed again at height ${heightAtTap}\n`);
      }
      const heightAtRestart = Math.max(...await Promise.all(others.map(heightOf)));
      await start(slot);
      for (const k of kills) if (k.node === victim) k.heightAtRestart = heightAtRestart;
      // Caught up: it holds the height the others had when it came back, and takes load again.
      const caughtUpAt = await until(`node${victim} catches up to ${heightAtRestart} after its restart`, 40_000,
        async () => { const h = await heightOf(slot); return h >= heightAtRestart ? h : undefined; });
      for (const k of kills) if (k.node === victim) k.caughtUpAt = caughtUpAt;
      process.stdout.write(`# restarted node${victim} at height ${heightAtRestart}; caught up at ${caughtUpAt}\n`);
    }
    // Load goes on until every node, the restarted ones included, acknowledged txs in its current life.
    await until('every node acknowledges txs after the last restart', 30_000, () => (slots.every((s) => s.ackedThisGeneration >= ACKED_BEFORE_KILL) ? true : undefined));
    stopping = true;
    stopped.resolve();
    await Promise.all(workers);
    const loadEndedMs = Date.now();
    phase('load');

    // Every acknowledged tx gets committed; scan node0's blocks as they come.
    const committedAt = new Map<string, number[]>(); // tx id -> heights it appears at (exactly one expected)
    const scanned: BlockView[] = [];
    const scanTo = async (height: number): Promise<void> => {
      for (let h = scanned.length + 1; h <= height; h++) {
        const block = await slots[0]!.client!.block(h) as unknown as BlockView;
        scanned.push(block);
        for (const tx of block.txs) committedAt.set(tx.txId, [...(committedAt.get(tx.txId) ?? []), h]);
      }
    };
    try {
      await until('every acknowledged tx is committed', 60_000, async () => {
        await scanTo(await heightOf(slots[0]!));
        return [...acked.keys()].every((id) => committedAt.has(id)) ? true : undefined;
      });
    } catch (error) {
      const missing = [...acked].filter(([id]) => !committedAt.has(id));
      const byNode = new Map<string, number>();
      for (const [, a] of missing) byNode.set(`node${a.node} life ${a.generation}`, (byNode.get(`node${a.node} life ${a.generation}`) ?? 0) + 1);
      assert.fail(`${missing.length} of ${acked.size} acknowledged txs were never committed (by acknowledging node: ${JSON.stringify(Object.fromEntries(byNode))}; `
        + `kills ${JSON.stringify(kills)}; first missing ${missing.slice(0, 3).map(([id, a]) => `${id} node${a.node}/${a.generation} at +${a.atMs - startedAt} ms`).join(', ')}; seed ${seed}): ${(error as Error).message}`);
    }

    phase('commit wait');

    // One chain: all four reach a common height and agree on every block up to it.
    const common = Math.max(...await Promise.all(slots.map(heightOf)));
    await until(`all four nodes reach height ${common}`, 30_000, async () => ((await Promise.all(slots.map(heightOf))).every((h) => h >= common) ? true : undefined));
    await scanTo(common);
    await inParallel(Array.from({ length: common }, (_, i) => i + 1), 8, async (height) => {
      const blocks = await Promise.all(slots.map((s) => s.client!.block(height))) as unknown as BlockView[];
      for (const [node, block] of blocks.entries()) {
        assert.equal(block.header.hash, scanned[height - 1]!.header.hash, `node${node} has another block at height ${height} (seed ${seed})`);
        assert.equal(block.header.stateRoot, scanned[height - 1]!.header.stateRoot, `node${node} has another state root at height ${height} (seed ${seed})`);
      }
    });
    phase('blocks');

    // Exactly once: no tx in two places; everything acknowledged is in; nothing refused is.
    const twice = [...committedAt].filter(([, heights]) => heights.length > 1);
    assert.deepEqual(twice, [], `txs committed more than once (seed ${seed})`);
    for (const id of acked.keys()) assert.ok(committedAt.has(id), `acknowledged tx ${id} not committed (seed ${seed})`);
    for (const id of replayed) assert.ok(committedAt.has(id), `tx ${id} was refused as committed, yet is not in the chain (seed ${seed})`);
    for (const [id, code] of rejected) {
      if (!inDoubt.has(id)) assert.ok(!committedAt.has(id), `tx ${id} was refused (${code}) yet committed (seed ${seed})`);
    }
    for (const id of committedAt.keys()) assert.ok(acked.has(id) || inDoubt.has(id), `committed tx ${id} was never submitted (seed ${seed})`);
    for (const block of scanned) for (const tx of block.txs) assert.equal(tx.code, 'OK', `tx ${tx.txId} at ${block.header.height} failed (seed ${seed})`);

    // The API agrees, on every node: the tx status of each acknowledged tx names its block. Txs the
    // killed processes acknowledged are asked of all four nodes, the rest of the node that took them.
    const killedLives = new Set(kills.map((k) => `${k.node}/${k.life}`));
    const fromKilled = [...acked].filter(([, a]) => killedLives.has(`${a.node}/${a.generation}`));
    const queries: Array<{ id: string; node: number }> = [];
    for (const [id, a] of acked) {
      if (killedLives.has(`${a.node}/${a.generation}`)) for (let node = 0; node < NODES; node++) queries.push({ id, node });
      else queries.push({ id, node: a.node });
    }
    await inParallel(queries, 16, async ({ id, node }) => {
      const status = await slots[node]!.client!.tx(id);
      assert.equal(status.status, 'committed', `node${node}: tx ${id} (seed ${seed})`);
      assert.equal(status.height, committedAt.get(id)![0], `node${node}: tx ${id} height (seed ${seed})`);
    });
    phase('tx status');

    // The restarted nodes' own state trees: a state proof they build at the common height verifies
    // against the quorum-certified header, for deposits they acknowledged before they were killed.
    for (const kill of kills) {
      const sample = fromKilled.filter(([, a]) => a.node === kill.node && a.generation === kill.life).slice(0, 10);
      assert.ok(sample.length > 0, `node${kill.node} acknowledged txs before its kill (seed ${seed})`);
      for (const [id] of sample) {
        const verified = verifyProofBundle(await slots[kill.node]!.client!.stateProof(evidenceKey(documentOf.get(id)!), common), genesis, suite);
        assert.equal(verified.blockHash, scanned[common - 1]!.header.hash, `node${kill.node}: proof of ${id} is for the common block (seed ${seed})`);
        assert.notEqual(verified.state?.value ?? null, null, `node${kill.node}: deposit of tx ${id} in its state (seed ${seed})`);
      }
    }
    phase('proofs');

    // Figures on how the killed processes' acknowledgements got into the chain: how many txs each
    // restart took back from the pending bucket ("restoredPendingTxs" in its log), how many of the
    // killed process's txs were committed only after its restart, who proposed the double tap's.
    const restored = kills.map((k) => {
      const starts = readFileSync(slots[k.node]!.log, 'utf8').split('\n').filter((l) => l.includes('"node started"'));
      return (JSON.parse(starts[k.life]!) as { restoredPendingTxs?: number }).restoredPendingTxs; // the start after life k.life
    });
    const afterRestart = kills.map((k) => fromKilled.filter(([id, a]) => a.node === k.node && a.generation === k.life && committedAt.get(id)![0]! > k.heightAtRestart).length);
    const tapHeights = tap!.txIds.map((id) => committedAt.get(id)![0]!);
    const tapBySelf = tapHeights.filter((h) => nodeOfProposer.get(scanned[h - 1]!.header.proposer) === `node${tap!.node}`).length;
    const proposedByRestarted = scanned.filter((b) => kills.some((k) => nodeOfProposer.get(b.header.proposer) === `node${k.node}` && b.header.height > k.heightAtRestart)).length;
    const inDoubtCommitted = [...inDoubt].filter((id) => committedAt.has(id)).length;
    process.stdout.write(`# summary: seed ${seed}; ${acked.size} txs acknowledged (${fromKilled.length} by processes then killed), ${committedAt.size} committed, none twice; `
      + `${inDoubt.size} in doubt (${inDoubtCommitted} of them committed), ${replayed.size} refused as already committed, ${rejected.size} refused otherwise; `
      + `kills ${kills.map((k, i) => `node${k.node} killed@${k.heightAtKill} restarted@${k.heightAtRestart} caught up@${k.caughtUpAt} `
        + `(restored ${restored[i]} pending txs; ${afterRestart[i]} of its ${k.ackedBefore} acknowledgements committed after its restart)`).join(', ')}; `
      + `double tap on node${tap!.node}: ${tap!.txIds.length} txs acknowledged with ${tap!.peers} peers connected, known to no other node, committed at heights ${[...new Set(tapHeights)].join('/')}, `
      + `${tapBySelf} in blocks it proposed itself; common height ${common} on all four; ${proposedByRestarted} blocks proposed by restarted nodes; `
      + `load ${Math.round((loadEndedMs - startedAt) / 1000)} s, total ${Math.round((Date.now() - startedAt) / 1000)} s (${phases.join(', ')})\n`);
    passed = true;
  } finally {
    stopping = true;
    stopped.resolve();
    await Promise.allSettled(workers);
    await Promise.all(slots.map(async (slot) => { await slot.node?.stop('SIGKILL'); }));
    if (!passed) {
      for (const slot of slots) process.stdout.write(`# node${slot.index} log tail:\n${tail(slot.log, 15).replace(/^/gm, '#   ')}\n`);
    }
    dir.remove();
  }
});

import { ConsensusMachine, type ConsensusEffect, type ConsensusInput } from '@xinlian/consensus';
import { verifyCommit, XinlianError, type ValidatorSet } from '@xinlian/protocol';
import { buildValue, hashMatches, isValidValue } from './application.js';
import { randomChange, refusedChange } from './changeWorkload.js';
import { EventQueue } from './eventQueue.js';
import { Network, type Packet, type StoredBlock } from './network.js';
import { Random } from './random.js';
import { Replica } from './replica.js';
import { SIMULATED_SUITE, simulatedPublicKey, simulatedSign } from './simulatedKeys.js';
import { StateChecker, type Failure } from './stateChecker.js';
import type { SimulationOptions } from './simulationOptions.js';
import { toValidatorSet, type Member, type ValidatorChange } from './validatorSets.js';

const CHAIN_ID = 'simulated-chain';
const TIMEOUTS = { proposeMs: 300, proposeDeltaMs: 100, prevoteMs: 100, prevoteDeltaMs: 50, precommitMs: 100, precommitDeltaMs: 50 };
const SYNC_BLOCKS_MAX = 20;

type SimEvent =
  | { type: 'deliver'; from: number; to: number; packet: Packet }
  | { type: 'input'; replica: number; incarnation: number; input: ConsensusInput }
  | { type: 'gossip'; replica: number }
  | { type: 'fault' }
  | { type: 'restart'; replica: number };

export interface SimulationResult {
  seed: number;
  options: SimulationOptions;
  failure: Failure | undefined;
  ticks: number;
  /** Height every correct replica reached. */
  heightMin: number;
  commits: number;
  packets: number;
  crashes: number;
  evidence: number;
  /** Validator-set changes in the canonical chain. */
  validatorChanges: number;
  /** Keys outside the genesis set that signed a canonical commit. */
  joinedSigners: number;
}

/**
 * One deterministic run (seed → options → safety phase → liveness phase), after TigerBeetle's
 * VOPR: replicas, network, clocks and the application are simulated in one event queue, so the
 * seed replays the run exactly. The safety phase injects faults; then everything heals and every
 * correct replica must commit a new height within options.livenessTicksMax.
 */
export class Simulation {
  private readonly random: Random;
  private readonly queue = new EventQueue<SimEvent>();
  /** Validator keys: 0 .. validators - 1 form the genesis set, the rest start as observers. */
  private readonly keys: number;
  private readonly genesis: ValidatorSet;
  private readonly replicas: Replica[] = [];
  private readonly network: Network;
  readonly checker: StateChecker;
  private now = 0;
  private healed = false;
  private crashes = 0;
  private evidence = 0;

  constructor(private readonly options: SimulationOptions) {
    this.random = new Random(options.seed);
    this.keys = options.validators + options.observers;
    const genesis: Member[] = Array.from({ length: options.validators }, (_, key) => ({ key, power: 1 }));
    this.genesis = toValidatorSet(genesis);
    this.checker = new StateChecker(CHAIN_ID, genesis, this.keys);
    // One instance per key, then the twins' second instances (keys 0 .. twins - 1).
    const owners = [...Array.from({ length: this.keys }, (_, key) => key), ...Array.from({ length: options.twins }, (_, key) => key)];
    owners.forEach((key, instance) => {
      const rate = 1 + (this.random.float() * 2 - 1) * options.clockSkew;
      this.replicas.push(new Replica(instance, key, key >= options.twins, rate, genesis, this.keys));
    });
    this.network = new Network(this.replicas.length, this.random, { ...options }, (tick, from, to, packet) =>
      this.queue.push(tick, { type: 'deliver', from, to, packet }));
  }

  run(): SimulationResult {
    for (const replica of this.replicas) {
      this.boot(replica);
      this.queue.push(this.random.int(1, this.options.gossipIntervalTicks), { type: 'gossip', replica: replica.instance });
    }
    this.queue.push(this.options.faultIntervalTicks, { type: 'fault' });
    let targetHeight = Infinity;
    const deadline = this.options.safetyTicks + this.options.livenessTicksMax;
    while (this.checker.failure === undefined) {
      const next = this.queue.pop();
      if (next === undefined) break;
      this.now = next.tick;
      if (!this.healed && this.now >= this.options.safetyTicks) targetHeight = Math.max(this.heal() + 1, this.options.livenessHeightMin ?? 0);
      if (this.healed && this.correctReplicas().every((r) => r.blocks.length >= targetHeight)) break;
      if (this.now > deadline) {
        this.checker.fail('liveness', this.now, `no new commit by every correct replica within ${this.options.livenessTicksMax} ticks of healing (target height ${targetHeight}, reached ${this.heightMin()}; ${this.describeReplicas()})`);
        break;
      }
      this.handle(next.event);
    }
    return {
      seed: this.options.seed, options: this.options, failure: this.checker.failure, ticks: this.now,
      heightMin: this.heightMin(), commits: this.checker.commits, packets: this.network.packetsSent,
      crashes: this.crashes, evidence: this.evidence,
      validatorChanges: this.checker.chain.changeCount, joinedSigners: this.checker.joinedSigners.size,
    };
  }

  /** What a replica has committed (for tests that inspect the chains after a run). */
  blocksOf(instance: number): readonly StoredBlock[] {
    return this.replicas[instance]!.blocks;
  }

  private handle(event: SimEvent): void {
    if (event.type === 'deliver') return this.receive(event.from, this.replicas[event.to]!, event.packet);
    if (event.type === 'gossip') return this.gossip(this.replicas[event.replica]!);
    if (event.type === 'fault') return this.injectFaults();
    if (event.type === 'restart') return this.boot(this.replicas[event.replica]!);
    const replica = this.replicas[event.replica]!;
    if (replica.incarnation !== event.incarnation) return;
    if (event.input.type === 'startHeight' && event.input.height !== replica.nextHeight) return;
    this.apply(replica, event.input);
  }

  // ---- the driver: what a node does with the machine's effects ----

  private boot(replica: Replica): void {
    if (replica.machine !== undefined) return;
    replica.rebuildHistory();
    const publicKey = simulatedPublicKey(replica.key);
    replica.machine = new ConsensusMachine({
      chainId: CHAIN_ID, hash: SIMULATED_SUITE.hash, publicKey,
      sign: (digest) => simulatedSign(publicKey, digest),
      verify: SIMULATED_SUITE.verify,
      timeouts: TIMEOUTS, roundsAheadMax: 20, valueBytesMax: 1024,
    });
    const height = replica.nextHeight;
    this.apply(replica, { type: 'startHeight', height, validators: this.validatorsFor(replica, height, true), wal: [...replica.durable] });
  }

  /** The set a replica's driver runs `height` with: derived from its own chain (barring a mutation). */
  private validatorsFor(replica: Replica, height: number, booting: boolean): ValidatorSet {
    const mutation = this.options.mutation;
    if (mutation === 'staleValidatorSets') return this.genesis;
    if (mutation === 'setsForgottenOnRestart' && booting && replica.incarnation > 0) return this.genesis;
    return replica.history.validatorsAt(height);
  }

  private apply(replica: Replica, input: ConsensusInput): void {
    const machine = replica.machine;
    if (machine === undefined) return;
    if (input.type === 'startHeight' && replica.correct) this.checker.onStartHeight(this.now, replica.label, input.height, input.validators);
    let effects: ConsensusEffect[];
    try {
      effects = machine.step(input);
    } catch (error) {
      if (error instanceof XinlianError) return this.checker.fail('crash', this.now, `${replica.label} rejected ${input.type}: ${error.message}`);
      throw error;
    }
    const limit = replica.crashMidStep ? this.random.int(0, effects.length) : effects.length;
    for (const effect of effects.slice(0, limit)) this.perform(replica, effect);
    if (replica.crashMidStep) this.crash(replica);
  }

  private perform(replica: Replica, effect: ConsensusEffect): void {
    switch (effect.type) {
      case 'persist':
        replica.pending.push(effect.record);
        return;
      case 'broadcast':
        replica.sync(); // WAL before send
        if (replica.correct) this.checker.onSigned(this.now, replica.key, effect.message);
        for (const peer of this.replicas) this.network.send(this.now, replica.instance, peer.instance, { kind: 'consensus', message: effect.message });
        return;
      case 'scheduleTimeout': {
        const ticks = Math.max(1, Math.ceil((effect.durationMs / this.options.msPerTick) * replica.clockRate));
        const { height, round, step } = effect;
        return this.later(replica, ticks, { type: 'timeout', height, round, step });
      }
      case 'requestValue': {
        // A faulty application's block is marked invalid or carries a change the rules refuse.
        let invalid = this.random.chance(this.options.invalidValueProbability);
        let change: ValidatorChange | undefined;
        if (invalid && this.random.chance(0.5)) {
          change = refusedChange(this.random, replica.history, effect.height);
          invalid = false;
        } else {
          change = this.proposeChange(replica, effect.height);
        }
        const value = buildValue(effect.height, effect.round, replica.key, replica.instance, change, invalid);
        return this.later(replica, this.appDelay(), { type: 'valueReady', height: effect.height, round: effect.round, value });
      }
      case 'requestValidation': {
        const valid = isValidValue(effect.height, effect.value, replica.history);
        return this.later(replica, this.appDelay(), { type: 'validity', height: effect.height, blockHash: effect.value.blockHash, valid });
      }
      case 'commit':
        return this.store(replica, { height: effect.height, value: effect.value, commit: effect.commit }, this.options.commitDelayTicks);
      case 'evidence':
        this.evidence++;
        return;
    }
  }

  /** Block and commit are durable before the next height starts (then the WAL can be pruned). */
  private store(replica: Replica, block: StoredBlock, startDelayTicks: number): void {
    if (block.height !== replica.nextHeight) return; // block sync got there first
    if (replica.correct) this.checker.onCommit(this.now, replica.label, block);
    replica.storeBlock(block);
    replica.pruneWal();
    const height = replica.nextHeight;
    this.later(replica, startDelayTicks, { type: 'startHeight', height, validators: this.validatorsFor(replica, height, false) });
  }

  /** The change a proposer's block at `height` carries: scheduled by the test, else random. */
  private proposeChange(replica: Replica, height: number): ValidatorChange | undefined {
    const scheduled = this.options.scheduledChanges;
    if (scheduled !== undefined) {
      const change = scheduled.find((s) => s.height === height)?.change;
      return change !== undefined && replica.history.changeErrorAt(height, change) === undefined ? change : undefined;
    }
    if (!this.random.chance(this.options.changeProbability)) return undefined;
    return randomChange(this.random, replica.history, height, this.options.twins);
  }

  private later(replica: Replica, ticks: number, input: ConsensusInput): void {
    this.queue.push(this.now + ticks, { type: 'input', replica: replica.instance, incarnation: replica.incarnation, input });
  }

  private appDelay(): number {
    return this.random.int(0, this.options.appDelayTicksMax);
  }

  // ---- network packets ----

  private receive(from: number, replica: Replica, packet: Packet): void {
    if (replica.machine === undefined) return;
    if (packet.kind === 'consensus') {
      const message = packet.message;
      if (message.type === 'proposal' && !hashMatches({ blockHash: message.proposal.proposal.blockHash, bytes: message.value })) return;
      return this.apply(replica, message);
    }
    if (packet.kind === 'status') {
      // One height behind is covered by the gossiped last decision; further needs block sync.
      if (packet.committedHeight > replica.blocks.length + 1 && this.now - replica.lastSyncRequestTick >= this.options.gossipIntervalTicks) {
        replica.lastSyncRequestTick = this.now;
        this.network.send(this.now, replica.instance, from, { kind: 'syncRequest', fromHeight: replica.nextHeight });
      }
      return;
    }
    if (packet.kind === 'syncRequest') {
      const blocks = replica.blocks.slice(packet.fromHeight - 1, packet.fromHeight - 1 + SYNC_BLOCKS_MAX);
      if (blocks.length > 0) this.network.send(this.now, replica.instance, from, { kind: 'syncReply', blocks });
      return;
    }
    for (const block of packet.blocks) {
      if (block.height !== replica.nextHeight || !hashMatches(block.value)) continue;
      try {
        verifyCommit(SIMULATED_SUITE, CHAIN_ID, this.validatorsFor(replica, block.height, false), block.height, block.value.blockHash, block.commit);
      } catch {
        return; // a synced block is verified like any peer input; a bad one is dropped
      }
      this.store(replica, block, 0);
    }
  }

  private gossip(replica: Replica): void {
    this.queue.push(this.now + Math.max(1, Math.round(this.options.gossipIntervalTicks * replica.clockRate)), { type: 'gossip', replica: replica.instance });
    if (replica.machine === undefined) return;
    const messages = replica.machine.gossip();
    for (const peer of this.replicas) {
      if (peer === replica) continue;
      this.network.send(this.now, replica.instance, peer.instance, { kind: 'status', committedHeight: replica.blocks.length });
      for (const message of messages) this.network.send(this.now, replica.instance, peer.instance, { kind: 'consensus', message });
    }
  }

  // ---- faults ----

  private injectFaults(): void {
    if (this.healed) return;
    this.queue.push(this.now + this.options.faultIntervalTicks, { type: 'fault' });
    if (!this.random.chance(this.options.partitionProbability)) this.network.heal();
    else if (this.options.twins > 0 && this.random.chance(this.options.twinsSplitProbability)) this.splitTwins();
    else if (this.random.chance(0.5)) this.network.split(new Set(this.replicas.filter(() => this.random.chance(0.5)).map((r) => r.instance)));
    else this.network.cutRandomLinks(this.random.pick([0.1, 0.3]));
    if (this.random.chance(this.options.crashProbability)) {
      const victim = this.random.pick(this.replicas);
      if (victim.machine === undefined) return;
      if (this.random.chance(this.options.crashMidStepProbability)) victim.crashMidStep = true;
      else this.crash(victim);
    }
  }

  /** The Twins scenario: each twin's instances on opposite sides, correct replicas anywhere. */
  private splitTwins(): void {
    const side = new Set<number>();
    for (const replica of this.replicas) {
      const firstInstance = replica.instance < this.keys;
      if (!replica.correct ? firstInstance : this.random.chance(0.5)) side.add(replica.instance);
    }
    this.network.split(side);
  }

  /** The process dies: memory gone, un-synced writes lost except a random prefix that hit the disk. */
  private crash(replica: Replica): void {
    replica.crashMidStep = false;
    replica.machine = undefined;
    replica.incarnation++;
    replica.durable.push(...replica.pending.slice(0, this.random.int(0, replica.pending.length)));
    replica.pending = [];
    this.crashes++;
    this.queue.push(this.now + this.random.int(1, this.options.restartTicksMax), { type: 'restart', replica: replica.instance });
  }

  /** End of the safety phase: links heal, loss stops, the crashed restart. Returns the height reached. */
  private heal(): number {
    this.healed = true;
    this.network.heal();
    this.network.faults = { ...this.network.faults, lossProbability: 0 };
    for (const replica of this.replicas) {
      replica.crashMidStep = false;
      this.boot(replica);
    }
    return Math.max(0, ...this.correctReplicas().map((r) => r.blocks.length));
  }

  private describeReplicas(): string {
    return this.replicas.map((r) => {
      const s = r.machine?.status();
      return s === undefined ? `#${r.instance} down` : `#${r.instance} h${s.height}/r${s.round}/${s.step}${s.decided ? '/decided' : ''} lock${s.lockedRound} valid${s.validRound}`;
    }).join(', ');
  }

  private correctReplicas(): Replica[] {
    return this.replicas.filter((r) => r.correct);
  }

  private heightMin(): number {
    return Math.min(...this.correctReplicas().map((r) => r.blocks.length));
  }
}

export function runSimulation(options: SimulationOptions): SimulationResult {
  return new Simulation(options).run();
}

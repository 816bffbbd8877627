import {
  assert, blockHashOf, bytesEqual, decodeBlock, decodeCommit, decodeConsensusMessage, encodeCommit, encodeConsensusMessage,
  verifyCommit, XinlianError, type Block, type ConsensusMessage, type ChainParameters, type Genesis, type VerifySuite,
} from '@xinlian/protocol';
import {
  ConsensusMachine, decodeWalRecord, encodeWalRecord, type ConsensusEffect, type ConsensusInput, type ConsensusTimeouts,
} from '@xinlian/consensus';
import type { AdmittedTx } from '../execution/application.js';
import type { BuiltBlock, CommittedBlock, Ledger } from '../ledger/ledger.js';
import type { ChainStore } from '../ledger/chainStore.js';
import type { ValidatorSchedule } from '../ledger/validatorSchedule.js';
import type { TxPool } from '../mempool/txPool.js';
import type { Logger } from '../log/logger.js';
import { validateBlockTxs } from '../ledger/validateBlockTxs.js';
import type { TxCheckDeps } from '../admission/checkTx.js';
import type { SignatureCheck } from '../admission/admission.js';
import { hexKey } from '../hexKey.js';
import type { WriteAheadLog } from './writeAheadLog.js';
import { decodePeerMessage, encodePeerMessage, GOSSIP_TXS_MAX, SYNC_BLOCKS_MAX, type PeerMessage } from './peerMessage.js';

function timeoutsOf(p: ChainParameters): ConsensusTimeouts {
  return {
    proposeMs: p.timeoutProposeMs, proposeDeltaMs: p.timeoutProposeDeltaMs, prevoteMs: p.timeoutPrevoteMs,
    prevoteDeltaMs: p.timeoutPrevoteDeltaMs, precommitMs: p.timeoutPrecommitMs, precommitDeltaMs: p.timeoutPrecommitDeltaMs,
  };
}

/** Proposals per height are few (one per round from its proposer); more is a flood, not kept. */
const DECODED_BLOCKS_MAX = 8;
/**
 * A sync request unanswered for this many gossip intervals is given up and may be sent again (to
 * whichever peer reports a higher height next): the peer asked may have died or dropped us.
 */
const SYNC_REPLY_WAIT_INTERVALS = 3;

/** Tx bytes per gossip message: well inside the transport's frame limit (16 MiB by default). */
const GOSSIP_BYTES_MAX = 4 * 1024 * 1024;

/** Txs in messages of at most GOSSIP_TXS_MAX txs and GOSSIP_BYTES_MAX bytes (a tx is smaller). */
function gossipChunks(txs: readonly Uint8Array[]): Uint8Array[][] {
  const chunks: Uint8Array[][] = [];
  let chunk: Uint8Array[] = [];
  let bytes = 0;
  for (const tx of txs) {
    if (chunk.length === GOSSIP_TXS_MAX || (chunk.length > 0 && bytes + tx.length > GOSSIP_BYTES_MAX)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(tx);
    bytes += tx.length;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/** The node's side of the network: whatever carries bytes to the other validators. */
export interface PeerTransport {
  broadcast(bytes: Uint8Array): void;
  send(peerId: string, bytes: Uint8Array): void;
  onMessage(handler: (peerId: string, bytes: Uint8Array) => void): void;
  /** A peer that sent garbage is dropped by the transport. */
  disconnect(peerId: string, reason: string): void;
  /** Where the transport knows connections (the p2p network does; a test hub may not). */
  onPeerConnected?(handler: (peerId: string) => void): void;
}

export interface ConsensusDriverOptions {
  genesis: Genesis;
  suite: VerifySuite;
  /** The set deciding each height (governance changes it, ADR 008). */
  validators: ValidatorSchedule;
  /** This node's validator key; undefined for an observer. */
  publicKey: Uint8Array | undefined;
  sign: (digest: Uint8Array) => Uint8Array;
  ledger: Ledger;
  store: ChainStore;
  pool: TxPool;
  wal: WriteAheadLog;
  transport: PeerTransport;
  checks: TxCheckDeps & { verifyBatch: (items: SignatureCheck[]) => Promise<boolean[]> };
  /** Chain parameters in force after the latest block: limits, timeouts, the empty-block wait. */
  parameters: () => ChainParameters;
  /** How far ahead of this node's clock a proposed block time may be. */
  clockDriftMaxMs: number;
  /** The time this node's proposal may take to execute (the rest of the pool waits). */
  proposalExecutionMsMax: number;
  gossipIntervalMs: number;
  nowMs: () => number;
  logger: Logger;
  /** Called once a block is durably committed (API waiters, event stream, pool). */
  onCommitted: (block: CommittedBlock) => void;
  onEvidence: (evidence: unknown) => void;
}

/**
 * Runs the pure Tendermint machine against the real world: one serialising queue of inputs,
 * effects performed in order, WAL records fsynced before any message that follows them leaves,
 * timers from the shell's clock, proposals built and validated by the ledger, block sync for a
 * node that is behind. The machine itself never sees a clock, a socket or a disk.
 */
export class ConsensusDriver {
  private machine: ConsensusMachine;
  private readonly queue: ConsensusInput[] = [];
  private draining = false;
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private pendingWal: Uint8Array[] = [];
  /** Blocks built or validated at the current height, by hash: a commit writes one of these. */
  private built = new Map<string, BuiltBlock>();
  /** Validations running, by block hash. */
  private readonly rebuilding = new Map<string, Promise<BuiltBlock | undefined>>();
  private gossipTimer: NodeJS.Timeout | undefined;
  /** Proposed blocks decoded when their hash was checked, for their validation (a few, newest). */
  private decoded = new Map<string, Block>();
  /** Our height when a peer was first seen one block ahead, and when (see shouldSync). */
  private behind: { height: number; sinceMs: number } | undefined;
  /** When the outstanding sync request left; a reply can be lost (the peer died), so it expires. */
  private syncRequestedAtMs: number | undefined;
  /** Synced blocks are applied by one reply at a time (a late reply may overlap a newer one). */
  private applyingSync = false;

  constructor(private readonly options: ConsensusDriverOptions) {
    this.machine = this.newMachine();
    options.transport.onMessage((peer, bytes) => this.receive(peer, bytes));
    options.transport.onPeerConnected?.((peer) => this.sendPendingTo(peer));
  }

  /**
   * Txs this node acknowledged and has not seen committed go to every peer that connects: after
   * a restart they would otherwise wait until this node proposes, and be lost with it if it never
   * comes back. Peers that have them already count them as duplicates.
   */
  private sendPendingTo(peer: string): void {
    if (this.stopped) return;
    for (const txs of gossipChunks(this.options.store.pendingTxs())) {
      this.options.transport.send(peer, encodePeerMessage({ type: 'txs', txs }));
    }
  }

  private newMachine(): ConsensusMachine {
    const { genesis, suite, publicKey, sign } = this.options;
    return new ConsensusMachine({
      chainId: genesis.chainId, hash: suite.hash, publicKey, sign, verify: suite.verify, timeouts: timeoutsOf(this.options.parameters()),
      roundsAheadMax: 10, valueBytesMax: this.options.parameters().blockBytesMax + 65_536,
    });
  }

  start(): void {
    const valueBytesMax = this.options.parameters().blockBytesMax + 65_536;
    const wal = this.options.wal.recovered.map((record) => decodeWalRecord(record, valueBytesMax));
    const height = this.options.ledger.height + 1;
    this.deliver({ type: 'startHeight', height, validators: this.options.validators.at(height), wal, timeouts: timeoutsOf(this.options.parameters()) });
    const gossip = (): void => {
      if (this.stopped) return;
      this.gossip();
      this.gossipTimer = setTimeout(gossip, this.options.gossipIntervalMs);
    };
    gossip();
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.gossipTimer !== undefined) clearTimeout(this.gossipTimer);
  }

  /** Admitted txs go to the other nodes too, so that whoever proposes next can include them. */
  gossipTxs(txs: AdmittedTx[]): void {
    for (const chunk of gossipChunks(txs.map((tx) => tx.encoded))) {
      this.options.transport.broadcast(encodePeerMessage({ type: 'txs', txs: chunk }));
    }
  }

  status() {
    return this.machine.status();
  }

  private deliver(input: ConsensusInput): void {
    if (this.stopped) return;
    this.queue.push(input);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        let effects: ConsensusEffect[];
        try {
          effects = this.machine.step(next);
        } catch (error) {
          // A bad message from a peer (unknown validator, bad signature, oversized value): dropped.
          if (!(error instanceof XinlianError)) throw error;
          this.options.logger.debug('consensus input refused', { input: next.type, reason: error.message });
          continue;
        }
        for (const effect of effects) {
          try {
            this.perform(effect);
          } catch (error) {
            this.options.logger.error('consensus effect failed', { effect: effect.type, error });
            throw error;
          }
        }
        this.flushWal();
      }
    } finally {
      this.draining = false;
    }
  }

  private flushWal(): void {
    if (this.pendingWal.length === 0) return;
    this.options.wal.append(this.pendingWal);
    this.pendingWal = [];
  }

  private later(delayMs: number, input: ConsensusInput): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.deliver(input);
    }, delayMs);
    this.timers.add(timer);
  }

  private perform(effect: ConsensusEffect): void {
    switch (effect.type) {
      case 'persist':
        this.pendingWal.push(encodeWalRecord(effect.record));
        return;
      case 'broadcast':
        this.flushWal(); // WAL before send: a signed message never leaves before it is durable
        this.options.transport.broadcast(encodePeerMessage({ type: 'consensus', bytes: encodeConsensusMessage(effect.message) }));
        this.queue.push(effect.message); // our own vote counts like anyone's
        return;
      case 'scheduleTimeout':
        return this.later(effect.durationMs, { type: 'timeout', height: effect.height, round: effect.round, step: effect.step });
      case 'requestValue':
        this.propose(effect.height, effect.round, this.options.nowMs() + this.options.parameters().emptyBlockWaitMs);
        return;
      case 'requestValidation':
        void this.validate(effect.height, effect.value.blockHash, effect.value.bytes);
        return;
      case 'commit':
        return this.commit(effect.height, effect.value.blockHash, effect.value.bytes, encodeCommit(effect.commit));
      case 'evidence':
        this.options.logger.warn('misbehaviour detected', { evidence: effect.evidence.type, validatorIndex: effect.evidence.validatorIndex });
        this.options.onEvidence(effect.evidence);
        return;
    }
  }

  /** The paper's getValue(): the pool's oldest txs, or an empty block once the wait is over. */
  private propose(height: number, round: number, emptyAtMs: number): void {
    const { ledger, pool, nowMs } = this.options;
    if (this.stopped || ledger.height + 1 !== height) return;
    const { blockTxsMax, blockBytesMax } = this.options.parameters();
    const txs = pool.reap(blockTxsMax, blockBytesMax).filter((tx) => tx.body.expiryHeight >= height);
    if (txs.length === 0 && nowMs() < emptyAtMs) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.propose(height, round, emptyAtMs);
      }, 10);
      this.timers.add(timer);
      return;
    }
    // Executed off this thread (ADR 014): consensus messages keep flowing meanwhile.
    void ledger.propose(txs, Math.max(nowMs(), ledger.latestTimeMs + 1), this.options.suite.hash(this.options.publicKey!), this.options.proposalExecutionMsMax).then((built) => {
      if (this.stopped || ledger.height + 1 !== height) return; // decided meanwhile
      this.built.set(hexKey(built.hash), built);
      this.deliver({ type: 'valueReady', height, round, value: { blockHash: built.hash, bytes: built.block } });
    }, (error: Error) => {
      if (!this.stopped) this.fail('cannot build a proposal', error);
    });
  }

  /** A broken invariant while building or executing: the node must stop, as ADR 000 says. */
  private fail(what: string, error: Error): never {
    this.options.logger.error(what, { error: error.message });
    throw error;
  }

  /** The paper's valid(v): the block extends our chain and re-executing it gives its header. */
  private async validate(height: number, blockHash: Uint8Array, bytes: Uint8Array): Promise<void> {
    let valid = false;
    try {
      valid = (await this.rebuild(bytes, blockHash, true)) !== undefined;
    } catch (error) {
      this.options.logger.info('proposed block refused', { height, reason: (error as Error).message });
    }
    this.deliver({ type: 'validity', height, blockHash, valid });
  }

  /**
   * Re-executes a block at most once (ADR 014): a validation already running for the same block
   * (the same proposal seen again in a later round, or its commit arriving meanwhile) is shared.
   */
  private rebuild(bytes: Uint8Array, blockHash: Uint8Array, checkClock: boolean): Promise<BuiltBlock | undefined> {
    const key = hexKey(blockHash);
    const cached = this.built.get(key);
    if (cached !== undefined) return Promise.resolve(cached);
    const running = this.rebuilding.get(key);
    // A decided block is not refused for the proposer's clock: if that check failed, check again without it.
    if (running !== undefined) return checkClock ? running : running.catch(() => this.rebuildOnce(bytes, blockHash, false));
    const started = this.rebuildOnce(bytes, blockHash, checkClock).finally(() => this.rebuilding.delete(key));
    this.rebuilding.set(key, started);
    return started;
  }

  /** Re-executes a block; returns it ready to commit when it is exactly the block it claims to be. */
  private async rebuildOnce(bytes: Uint8Array, blockHash: Uint8Array, checkClock: boolean): Promise<BuiltBlock | undefined> {
    const { ledger, suite, checks, nowMs, clockDriftMaxMs } = this.options;
    const block = this.decoded.get(hexKey(blockHash)) ?? decodeBlock(bytes);
    const header = block.header;
    if (!bytesEqual(blockHashOf(suite.hash, header), blockHash)) throw new XinlianError('PROOF_INVALID', 'block hash does not match its header');
    if (header.height !== ledger.height + 1 || !bytesEqual(header.prevHash, ledger.latestHash)) throw new XinlianError('PROOF_INVALID', 'block does not extend our chain');
    if (header.timeMs <= ledger.latestTimeMs) throw new XinlianError('PROOF_INVALID', 'block time is not after its parent');
    if (checkClock && header.timeMs > nowMs() + clockDriftMaxMs) throw new XinlianError('PROOF_INVALID', 'block time is too far in the future');
    const txs = await validateBlockTxs(block.txs, checks, {
      parentHeight: ledger.height, blockTimeMs: header.timeMs, blockTxsMax: this.options.parameters().blockTxsMax, blockBytesMax: this.options.parameters().blockBytesMax,
      admittedBytes: (txIdHex) => this.options.pool.get(txIdHex)?.encoded,
    });
    if (ledger.height + 1 !== header.height) return undefined; // the chain moved on while we waited
    const rebuilt = await ledger.build(txs, header.timeMs, header.proposer);
    if (ledger.height + 1 !== header.height) return undefined; // the chain moved on while it executed
    if (!bytesEqual(rebuilt.hash, blockHash)) throw new XinlianError('PROOF_INVALID', 'block header does not match its re-execution (roots or results differ)');
    this.built.set(hexKey(blockHash), rebuilt);
    return rebuilt;
  }

  private commit(height: number, blockHash: Uint8Array, bytes: Uint8Array, commit: Uint8Array): void {
    const built = this.built.get(hexKey(blockHash));
    if (built === undefined) {
      // Decided without our own validation result at hand (it was still running): finish it first.
      void this.rebuild(bytes, blockHash, false).then((b) => b && this.write(height, b, commit), (error: Error) => {
        this.options.logger.error('cannot rebuild a committed block', { height, error: error.message });
      });
      return;
    }
    this.write(height, built, commit);
  }

  private write(height: number, built: BuiltBlock, commitBytes: Uint8Array): void {
    const { ledger, wal, pool } = this.options;
    if (this.stopped || ledger.height + 1 !== height) return;
    const committed = ledger.commitBuilt(built, decodeCommit(commitBytes));
    wal.reset();
    pool.remove(built.txs.map((tx) => hexKey(tx.txId)));
    this.built = new Map();
    this.decoded = new Map();
    this.options.onCommitted(committed);
    this.deliver({ type: 'startHeight', height: height + 1, validators: this.options.validators.at(height + 1), timeouts: timeoutsOf(this.options.parameters()) });
  }

  private gossip(): void {
    const { transport, ledger } = this.options;
    for (const message of this.machine.gossip()) {
      transport.broadcast(encodePeerMessage({ type: 'consensus', bytes: encodeConsensusMessage(message) }));
    }
    transport.broadcast(encodePeerMessage({ type: 'status', committedHeight: ledger.height }));
  }

  private receive(peer: string, bytes: Uint8Array): void {
    const { transport } = this.options;
    let message: PeerMessage;
    let consensus: ConsensusMessage | undefined;
    try {
      const { blockBytesMax } = this.options.parameters();
      message = decodePeerMessage(bytes, blockBytesMax);
      if (message.type === 'consensus') consensus = decodeConsensusMessage(message.bytes, blockBytesMax + 65_536);
    } catch (error) {
      transport.disconnect(peer, `malformed message: ${(error as Error).message}`);
      return;
    }
    if (consensus !== undefined) {
      // The machine does not know the block format: a proposal's value must hash to its id first.
      if (consensus.type === 'proposal' && !this.valueMatches(consensus)) {
        transport.disconnect(peer, 'proposal value does not match its block hash');
        return;
      }
      this.deliver(consensus);
      return;
    }
    this.receiveOther(peer, message);
  }

  private valueMatches(message: Extract<ConsensusMessage, { type: 'proposal' }>): boolean {
    let block: Block;
    try {
      block = decodeBlock(message.value);
    } catch {
      return false;
    }
    const blockHash = message.proposal.proposal.blockHash;
    if (!bytesEqual(blockHashOf(this.options.suite.hash, block.header), blockHash)) return false;
    // Kept for validate(): decoding a large block twice is a measurable share of a validator's work.
    this.decoded.set(hexKey(blockHash), block);
    if (this.decoded.size > DECODED_BLOCKS_MAX) this.decoded.delete(this.decoded.keys().next().value!);
    return true;
  }

  /** Hook for txs gossiped by peers; set by the composition root (admission without a client). */
  onPeerTxs: (txs: Uint8Array[]) => void = () => {};

  private receiveOther(peer: string, message: PeerMessage): void {
    const { ledger, store, transport, nowMs, gossipIntervalMs } = this.options;
    if (message.type === 'txs') this.onPeerTxs(message.txs);
    else if (message.type === 'status') {
      const requestedAtMs = this.syncRequestedAtMs;
      const waiting = requestedAtMs !== undefined && nowMs() - requestedAtMs < SYNC_REPLY_WAIT_INTERVALS * gossipIntervalMs;
      if (this.shouldSync(message.committedHeight) && !waiting && !this.applyingSync) {
        this.syncRequestedAtMs = nowMs();
        transport.send(peer, encodePeerMessage({ type: 'syncRequest', fromHeight: ledger.height + 1 }));
      }
    } else if (message.type === 'syncRequest') {
      const blocks = [];
      // Height 0 (genesis) has no stored block: a request for it gets blocks from height 1.
      const from = Math.max(1, message.fromHeight);
      for (let h = from; h < from + SYNC_BLOCKS_MAX && h <= ledger.height; h++) {
        const block = store.block(h);
        const commit = store.commit(h);
        assert(block !== undefined && commit !== undefined, `block ${h} of our chain is not stored`);
        blocks.push({ block, commit });
      }
      if (blocks.length > 0) transport.send(peer, encodePeerMessage({ type: 'syncReply', blocks }));
    } else if (message.type === 'syncReply') {
      if (this.applyingSync) return;
      this.applyingSync = true;
      void this.applySynced(peer, message.blocks).finally(() => {
        this.applyingSync = false;
        this.syncRequestedAtMs = undefined;
      });
    }
  }

  /**
   * Two or more blocks behind: sync now. One block behind is normal for a moment: the commit is on
   * its way in votes, or in the others' gossip of their last decision. If we are still there a
   * gossip interval later, it is not coming (a peer restarted since has no last decision to give,
   * and the others may be halted at the next height): a sync brings the block with its commit.
   */
  private shouldSync(peerHeight: number): boolean {
    const { ledger, nowMs, gossipIntervalMs } = this.options;
    if (peerHeight <= ledger.height) return false;
    if (peerHeight > ledger.height + 1) return true;
    if (this.behind === undefined || this.behind.height !== ledger.height) {
      this.behind = { height: ledger.height, sinceMs: nowMs() };
      return false;
    }
    return nowMs() - this.behind.sinceMs >= gossipIntervalMs;
  }

  /** Blocks from a peer are verified like any peer input: a quorum of precommits, then re-execution. */
  private async applySynced(peer: string, blocks: Array<{ block: Uint8Array; commit: Uint8Array }>): Promise<void> {
    const { suite, genesis, validators, ledger, logger } = this.options;
    for (const { block, commit } of blocks) {
      try {
        const header = decodeBlock(block).header;
        if (header.height !== ledger.height + 1) continue;
        const hash = blockHashOf(suite.hash, header);
        const decodedCommit = decodeCommit(commit);
        verifyCommit(suite, genesis.chainId, validators.at(header.height), header.height, hash, decodedCommit);
        const built = await this.rebuild(block, hash, false);
        // Consensus may have committed this height while we re-executed: then there is nothing to do.
        if (built === undefined || ledger.height + 1 !== header.height) continue;
        this.machine = this.newMachine(); // the height we were deciding is decided: start afresh
        this.write(header.height, built, commit);
        logger.info('synced block', { height: header.height, from: peer });
      } catch (error) {
        this.options.transport.disconnect(peer, `bad sync block: ${(error as Error).message}`);
        return;
      }
    }
  }
}

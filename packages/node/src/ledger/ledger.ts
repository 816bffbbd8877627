import {
  assert, blockHashOf, toHex, bytesEqual, decodeBlock, decodeCommit, encodeBlock, encodeCommit,
  voteDigest, VOTE_TYPE, HEADER_VERSION, type Commit, type Genesis, type Header, type TxResult,
  type VerifySuite,
} from '@xinlian/protocol';
import type { AdmittedTx } from '../execution/application.js';
import type { ValidatorSchedule } from './validatorSchedule.js';
import type { ChainStore } from './chainStore.js';
import type { StorageOp } from '../storage/store.js';
import type { BlockExecutor } from './blockExecutor.js';


export interface CommittedBlock {
  header: Header;
  hash: Uint8Array;
  commit: Commit;
  txs: AdmittedTx[];
  results: TxResult[];
}

/** A block executed but not written: what a proposal carries and what a commit writes. */
export interface BuiltBlock {
  header: Header;
  hash: Uint8Array;
  /** The canonical Block encoding. */
  block: Uint8Array;
  txs: AdmittedTx[];
  results: TxResult[];
  encodedResults: Uint8Array[];
  stateOps: StorageOp[];
}

export interface LedgerOptions {
  genesis: Genesis;
  suite: VerifySuite;
  store: ChainStore;
  /** Executes blocks on top of the committed state (on a worker thread in a node, ADR 014). */
  executor: BlockExecutor;
  validators: ValidatorSchedule;
  /** This node's public key and a synchronous signer for its precommits (single-node mode). */
  selfPublicKey: Uint8Array;
  signPrecommit: (digest: Uint8Array) => Uint8Array;
  /** Crash points for tests: called between steps of a commit (docs/adr/005). */
  crashPoint?: (name: string) => void;
}

const ZERO_HASH = new Uint8Array(32);

/**
 * The chain on this node: executes a block, builds its header and commit, and writes block, commit,
 * results, tx index and state in ONE atomic durable batch, so a crash leaves either the whole block
 * or none of it.
 */
export class Ledger {
  private header: Header | undefined;
  private hash: Uint8Array = ZERO_HASH;
  private readonly proposer: Uint8Array;
  /** Blocks executed since start (proposed, validated or synced): each height once, unless rounds change. */
  executions = 0;

  constructor(private readonly options: LedgerOptions) {
    const { suite, store } = options;
    this.proposer = suite.hash(options.selfPublicKey);
    const height = store.latestHeight();
    if (height > 0) {
      const raw = store.block(height);
      assert(raw !== undefined, `latest block ${height} missing from the store`);
      this.header = decodeBlock(raw).header;
      this.hash = blockHashOf(suite.hash, this.header);
    }
  }

  get height(): number {
    return this.header?.height ?? 0;
  }

  get latestHeader(): Header | undefined {
    return this.header;
  }

  get latestHash(): Uint8Array {
    return this.hash;
  }

  /** Time of the latest block, or genesis time: the clock that certificate validity is checked against. */
  get latestTimeMs(): number {
    return this.header?.timeMs ?? this.options.genesis.genesisTimeMs;
  }

  /** Single-node mode: build the next block, sign its commit alone, write it. */
  async produce(txs: AdmittedTx[], nowMs: number, executionMsMax?: number): Promise<CommittedBlock> {
    // Block time never goes backwards, whatever the local clock does.
    const built = await this.propose(txs, Math.max(nowMs, this.latestTimeMs + 1), this.proposer, executionMsMax);
    return this.commitBuilt(built, this.selfCommit(built.header.height, built.hash));
  }

  /**
   * The block a proposer offers from its candidate txs: those that found the block's contract step
   * budget spent (CONTRACT_BLOCK_FULL) are left out, to stay pending for the next block. Leaving
   * them out changes nothing before them, so the second build has no such result.
   */
  async propose(candidates: AdmittedTx[], timeMs: number, proposer: Uint8Array, executionMsMax?: number): Promise<BuiltBlock> {
    const built = await this.build(candidates, timeMs, proposer, executionMsMax);
    const full = new Set(built.results.filter((r) => r.code === 'CONTRACT_BLOCK_FULL').map((r) => toHex(r.txId)));
    if (full.size === 0) return built;
    // Only the txs the first build held: the second must not grow past the time it was given.
    return this.build(built.txs.filter((tx) => !full.has(toHex(tx.txId))), timeMs, proposer);
  }

  /**
   * Executes txs on top of the latest block and returns the block they make, without writing
   * anything: a proposer builds its proposal this way, and a validator rebuilds a proposed block
   * to check that its header tells the truth (same roots, same results).
   */
  async build(candidates: AdmittedTx[], timeMs: number, proposer: Uint8Array, executionMsMax?: number): Promise<BuiltBlock> {
    const { suite, genesis, executor } = this.options;
    const height = this.height + 1;
    const prevHash = this.hash;
    assert(timeMs > this.latestTimeMs, `block time ${timeMs} not after the previous block's ${this.latestTimeMs}`);
    this.executions++;
    const executed = await executor.execute({ chainId: genesis.chainId, height, timeMs, txs: candidates, executionMsMax });
    const txs = executed.txCount === candidates.length ? candidates : candidates.slice(0, executed.txCount);
    // Executed on top of the block that was latest when asked: the caller checks that it still is.
    const header: Header = {
      version: HEADER_VERSION,
      chainId: genesis.chainId,
      height,
      timeMs,
      prevHash,
      txRoot: executed.txRoot,
      resultsRoot: executed.resultsRoot,
      stateRoot: executed.stateRoot,
      validatorsHash: this.options.validators.hashAt(height),
      proposer,
      txCount: txs.length,
    };
    const hash = blockHashOf(suite.hash, header);
    const block = encodeBlock({ header, txs: txs.map((tx) => tx.encoded) });
    return { header, hash, block, txs, results: executed.results, encodedResults: executed.encodedResults, stateOps: executed.stateOps };
  }

  /** Writes a built block with the commit that makes it final: one atomic, durable batch. */
  commitBuilt(built: BuiltBlock, commit: Commit): CommittedBlock {
    const { store } = this.options;
    const { header, hash } = built;
    assert(header.height === this.height + 1 && bytesEqual(header.prevHash, this.hash), `block ${header.height} does not extend the chain at ${this.height}`);
    assert(commit.height === header.height && bytesEqual(commit.blockHash, hash), 'commit is for another block');
    const ops: StorageOp[] = [
      ...built.stateOps,
      ...store.blockOps({
        height: header.height,
        hash,
        block: built.block,
        commit: encodeCommit(commit),
        results: built.encodedResults,
        txIds: built.txs.map((tx) => tx.txId),
      }),
    ];
    this.options.crashPoint?.('before-block-write');
    store.db.commit(ops);
    this.options.crashPoint?.('after-block-write');
    this.header = header;
    this.hash = hash;
    return { header, hash, commit, txs: built.txs, results: built.results };
  }

  commitAt(height: number): Commit | undefined {
    const raw = this.options.store.commit(height);
    return raw === undefined ? undefined : decodeCommit(raw);
  }

  private selfCommit(height: number, blockHash: Uint8Array): Commit {
    const { suite, genesis, validators, selfPublicKey, signPrecommit } = this.options;
    const set = validators.at(height);
    const validatorIndex = set.findIndex((v) => bytesEqual(v.publicKey, selfPublicKey));
    // Single-node mode signs alone: a set it is not the whole of needs consensus (several nodes).
    assert(validatorIndex >= 0 && set.length === 1, `single-node mode cannot commit height ${height}: its validator set has ${set.length} members${validatorIndex < 0 ? ', not this node' : ''}`);
    const digest = voteDigest(suite.hash, genesis.chainId, { type: VOTE_TYPE.precommit, height, round: 0, blockHash });
    return { height, round: 0, blockHash, signatures: [{ validatorIndex, signature: signPrecommit(digest) }] };
  }
}

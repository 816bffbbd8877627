import { decodeEvidenceRecord, evidenceKey, XinlianError, type Genesis, type VerifySuite } from '@xinlian/protocol';
import type { ValidatorSchedule } from '../ledger/validatorSchedule.js';
import type { AuthorizeRead, IdentifyReader } from './readAccess.js';
import type { ContractReader } from './contractViews.js';
import type { Ledger } from '../ledger/ledger.js';
import { hexKey } from '../hexKey.js';
import type { Admission } from '../admission/admission.js';
import type { ChainStore } from '../ledger/chainStore.js';
import type { ProofBuilder } from '../ledger/proofBuilder.js';
import type { TxPool } from '../mempool/txPool.js';
import type { MetricsRegistry } from '../metrics/metrics.js';
import type { StateTree } from '../state/stateTree.js';
import type { CommitFeed } from './commitFeed.js';
import type { MembersView, ProposalStatusFilter, ProposalView } from '@xinlian/protocol';
import { ConsortiumReader, ProposalLog } from './governanceViews.js';

/** What the API needs from the node; the composition root provides it. */
export interface NodeServices {
  genesis: Genesis;
  suite: VerifySuite;
  store: ChainStore;
  state: StateTree;
  pool: TxPool;
  admission: Admission;
  proofs: ProofBuilder;
  metrics: MetricsRegistry;
  feed: CommitFeed;
  /** Throws READ_FORBIDDEN unless the request may read the key (read rules, ADR 008). */
  authorizeRead: AuthorizeRead;
  identifyReader: IdentifyReader;
  contracts: ContractReader;
  height(): number;
  status(): Record<string, unknown>;
  /** The consortium at the latest height (genesis before block 1). */
  members(): MembersView;
  /** Governance proposals at the latest height, newest first. */
  proposals(status: ProposalStatusFilter, limit: number): ProposalView[];
  /** One proposal at the latest height; NOT_FOUND when unknown. */
  proposal(id: Uint8Array): ProposalView;
  waitForTx(txId: Uint8Array, timeoutMs: number): Promise<number>;
  keyHistory(key: Uint8Array, limit: number): Array<Record<string, unknown>>;
  evidence(hash: Uint8Array): Record<string, unknown>;
  misbehaviour(limit: number): unknown[];
  peerList(): Array<{ id: string; name: string; org: string; address: string; direction: string; connectedSinceMs: number }>;
  /** Stream subscribers are bounded too. */
  streamsMax: number;
}

export interface NodeServicesParts {
  genesis: Genesis;
  suite: VerifySuite;
  store: ChainStore;
  state: StateTree;
  pool: TxPool;
  admission: Admission;
  proofs: ProofBuilder;
  metrics: MetricsRegistry;
  feed: CommitFeed;
  ledger: Ledger;
  validators: ValidatorSchedule;
  streamsMax: number;
  /** Connected peers (0 in single-node mode). */
  peerCount: () => number;
  /** Connected peers with who they are (empty in single-node mode). */
  peerList: () => Array<{ id: string; name: string; org: string; address: string; direction: string; connectedSinceMs: number }>;
  /** Equivocations seen by this node, newest first. */
  misbehaviour: (limit: number) => unknown[];
  /** The consensus round state, when this node runs consensus. */
  consensusStatus: () => unknown;
  /** Throws READ_FORBIDDEN unless the request may read the key (read rules, ADR 008). */
  authorizeRead: AuthorizeRead;
  identifyReader: IdentifyReader;
  contracts: ContractReader;
  nodeName: string;
  org: string;
  version: string;
}

/** The API's view of the node: queries answered from the ledger, the state, the pool and genesis. */
export function createNodeServices(parts: NodeServicesParts): NodeServices {
  const { genesis, store, state, pool, ledger, feed } = parts;
  const consortium = new ConsortiumReader(genesis, state, new ProposalLog(state), parts.suite.hash);
  return {
    ...parts,
    height: () => ledger.height,
    status: () => ({
      chainId: genesis.chainId, suite: genesis.suite, nodeName: parts.nodeName, org: parts.org, version: parts.version,
      height: ledger.height, latestBlockHash: hexKey(ledger.latestHash), latestBlockTimeMs: ledger.latestTimeMs,
      stateRoot: ledger.latestHeader === undefined ? null : hexKey(ledger.latestHeader.stateRoot),
      mempoolTxs: pool.size, mempoolBytes: pool.sizeBytes, validators: parts.validators.at(ledger.height + 1).length,
      peers: parts.peerCount(), consensus: parts.consensusStatus() ?? null,
    }),
    members: () => consortium.members(ledger.height),
    proposals: (status, limit) => consortium.proposals(status, limit, ledger.height),
    proposal: (id) => consortium.proposal(id, ledger.height),
    waitForTx: (txId, timeoutMs) => {
      const location = store.txLocation(txId);
      if (location !== undefined) return Promise.resolve(location.height);
      if (!pool.has(hexKey(txId))) return Promise.reject(new XinlianError('NOT_FOUND', `tx ${hexKey(txId)} is neither pending nor committed`));
      return feed.waitFor(hexKey(txId), timeoutMs);
    },
    keyHistory: (key, limit) => state.history(key, { limit }).map((c) => ({ height: c.height, txIndex: c.txIndex, txId: hexKey(c.txId) })),
    evidence: (hash) => {
      const raw = state.get(evidenceKey(hash), ledger.height);
      if (raw === undefined) throw new XinlianError('NOT_FOUND', `no evidence deposited for ${hexKey(hash)}`);
      const r = decodeEvidenceRecord(raw);
      return { hash: hexKey(r.hash), title: r.title, depositorOrg: r.depositorOrg, depositorName: r.depositorName, txId: hexKey(r.txId), height: r.height, blockTimeMs: r.timeMs };
    },
  };
}

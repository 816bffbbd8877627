// The JSON the node answers (packages/node/src/api), as far as the explorer reads it. Views shared
// with the SDK (members, proposals, contracts, evaluate, txs) come from @xinlian/protocol.
import type { TxResultView } from '@xinlian/protocol';

export type {
  ContractCodeView, ContractView, EvaluateView, MembersView, ProposalView, TxEventView, TxResultView, TxStatusView, ValidatorView,
} from '@xinlian/protocol';

export interface StatusView {
  chainId: string;
  suite: 'gm' | 'intl';
  nodeName: string;
  org: string;
  version: string;
  height: number;
  latestBlockHash: string;
  latestBlockTimeMs: number;
  stateRoot: string | null;
  mempoolTxs: number;
  validators: number;
  peers: number;
  consensus: { height: number; round: number; step: string; decided: boolean } | null;
}

export interface HeaderView {
  hash: string;
  height: number;
  timeMs: number;
  chainId: string;
  prevHash: string;
  txRoot: string;
  resultsRoot: string;
  stateRoot: string;
  validatorsHash: string;
  /** The suite's hash of the proposer's public key. */
  proposer: string;
  txCount: number;
}

export interface BlockView {
  header: HeaderView;
  commit: { height: number; round: number; blockHash: string; signatures: Array<{ validatorIndex: number; signature: string }> };
  txs: TxResultView[];
}

export interface EvidenceView {
  hash: string;
  title: string;
  depositorOrg: string;
  depositorName: string;
  txId: string;
  height: number;
  blockTimeMs: number;
}

export interface PeerView {
  id: string;
  name: string;
  org: string;
  address: string;
  direction: string;
  connectedSinceMs: number;
}

export interface MisbehaviourView {
  type: string;
  height: number;
  round: number;
  validatorIndex: number;
  validator: string;
  org: string;
}

export interface StateValueView {
  key: string;
  height: number;
  /** Hex of the value, null when the key is absent. */
  value: string | null;
}

export interface KeyHistoryView {
  key: string;
  changes: Array<{ height: number; txIndex: number; txId: string }>;
}

/** One `block` event of GET /v1/events. */
export interface BlockEventView {
  height: number;
  hash: string;
  timeMs: number;
  txCount: number;
  txs: TxResultView[];
}

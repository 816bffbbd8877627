// The JSON views of contracts that the node's API serves and the SDK returns (ADR 010).

export interface ContractVersionView {
  version: number;
  codeHash: string;
  codeBytes: number;
  /** The deploy or upgrade proposal (its votes are the approvals): GET /v1/governance/proposals/:id. */
  proposalId: string;
  /** The organisations whose yes votes passed it. */
  approvedBy: string[];
  /** The height this version took effect. */
  height: number;
}

export interface ContractView extends ContractVersionView {
  name: string;
  deployedHeight: number;
  /** Every version, newest first (from the key history of sys/contract/<name>); one contract only. */
  versions?: ContractVersionView[];
}

export interface ContractCodeView {
  name: string;
  version: number;
  codeHash: string;
  code: string;
}

export interface EvaluateView {
  contract: string;
  op: string;
  /** The state the query ran on: the latest block's. */
  height: number;
  result: unknown;
  steps: number;
  /** The contract state keys the query read, in first-read order: GET /v1/proofs/state?key=… proves each at `height`. */
  reads: string[];
}

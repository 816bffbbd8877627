// The JSON views of txs that the node's API serves, and the SDK and the explorer read.

export interface TxEventView {
  type: string;
  attributes: Record<string, string>;
}

export interface TxResultView {
  txId: string;
  code: string;
  message: string;
  events: TxEventView[];
}

/** GET /v1/txs/:txId: pending in the pool, or committed with its block, position and result. */
export interface TxStatusView {
  txId: string;
  status: 'pending' | 'committed';
  height?: number;
  index?: number;
  blockTimeMs?: number;
  type?: string;
  result?: TxResultView;
}

import type { TxBody, TxEvent } from '@xinlian/protocol';

/** Who signed a tx, as established by membership verification at admission. */
export interface TxSender {
  org: string;
  commonName: string;
  role: string;
  publicKey: Uint8Array;
  /**
   * The chain's hash of the signer certificate (Member.certHash), when admission has it: execution
   * checks it against sys/revoked and hashes tx.body.signerCert itself when it is absent.
   */
  certHash?: Uint8Array;
}

/** A tx that passed the stateless checks (decoding, chain id, signature, membership). */
export interface AdmittedTx {
  txId: Uint8Array;
  body: TxBody;
  sender: TxSender;
  /** Canonical encoding of the SignedTx. */
  encoded: Uint8Array;
}

/** Block context: the only outside facts execution may see. Never the local clock. */
export interface BlockContext {
  chainId: string;
  height: number;
  timeMs: number;
  hash: (data: Uint8Array) => Uint8Array;
}

/** Reads see the state as of the previous block plus the writes of earlier txs in this block. */
export interface StateReader {
  get(key: Uint8Array): Uint8Array | undefined;
  /**
   * Entries with keys in [start, end) in byte order, at most `limit`: only for keys under the
   * ordered prefix (contract state, ADR 010). Absent in readers of tests without contracts.
   */
  range?(start: Uint8Array, end: Uint8Array, limit: number): Array<[Uint8Array, Uint8Array]>;
  /** Committed changes of `key` in blocks below `beforeHeight`, newest first (value null: deleted). */
  history?(key: Uint8Array, beforeHeight: number, limit: number): Array<{ height: number; txId: Uint8Array; value: Uint8Array | null }>;
}

export interface StateWrite {
  key: Uint8Array;
  /** null deletes the key. */
  value: Uint8Array | null;
}

export type HandlerOutcome =
  | { ok: true; writes: StateWrite[]; events: TxEvent[] }
  | { ok: false; code: string; message: string };

/** One application operation (tx type). Pure: same inputs, same outcome, on every node. */
export type TxHandler = (tx: AdmittedTx, state: StateReader, block: BlockContext) => HandlerOutcome;

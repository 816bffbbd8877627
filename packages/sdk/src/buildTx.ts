import {
  encodeSignedTx, encodeTxBody, TX_VERSION, txIdOf, type VerifySuite, XinlianError,
} from '@xinlian/protocol';
import type { Identity } from './identity.js';

export interface TxDraft {
  chainId: string;
  type: string;
  payload: Uint8Array;
  /** Last height at which the tx may be included. */
  expiryHeight: number;
  /** 16 bytes; random when omitted. */
  nonce?: Uint8Array;
}

export interface SignedTxBytes {
  txId: Uint8Array;
  /** The canonical SignedTx, ready to submit (or to store and submit later). */
  encoded: Uint8Array;
}

/** Builds and signs a tx without any network access (offline signing). */
export async function signTx(suite: VerifySuite, identity: Identity, draft: TxDraft): Promise<SignedTxBytes> {
  if (identity.suite !== suite.name) throw new XinlianError('KEY_INVALID', `identity is ${identity.suite}, the chain is ${suite.name}`);
  const nonce = draft.nonce ?? globalThis.crypto.getRandomValues(new Uint8Array(16));
  const bodyBytes = encodeTxBody({
    version: TX_VERSION, chainId: draft.chainId, signerCert: identity.certDer, nonce,
    expiryHeight: draft.expiryHeight, type: draft.type, payload: draft.payload,
  });
  const txId = txIdOf(suite.hash, draft.chainId, bodyBytes);
  const signature = await identity.signer(txId);
  return { txId, encoded: encodeSignedTx({ bodyBytes, signature }) };
}

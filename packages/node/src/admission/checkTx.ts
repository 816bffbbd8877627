import {
  decodeSignedTx, decodeTxBody, txIdOf, XinlianError, type Genesis, type MembershipVerifier, type VerifySuite, type ChainParameters,
} from '@xinlian/protocol';
import type { AdmittedTx, TxHandler } from '../execution/application.js';
import type { ChainStore } from '../ledger/chainStore.js';
import { hexKey } from '../hexKey.js';

/** Roles allowed to submit txs; auditors read, nodes vote. */
const SUBMITTING_ROLES = new Set(['admin', 'client']);

export interface TxCheckDeps {
  genesis: Genesis;
  /** The chain parameters in force (governance changes them, ADR 008). */
  parameters: () => ChainParameters;
  suite: VerifySuite;
  membership: MembershipVerifier;
  handlers: ReadonlyMap<string, TxHandler>;
  store: ChainStore;
}

export interface CheckedTx {
  tx: AdmittedTx;
  signature: Uint8Array;
}

/**
 * The checks of one tx against the chain as of `head` (the block it would follow): size, strict
 * decoding, chain id, expiry window, known type, replay, membership and role at `head.timeMs`.
 * Everything but the signature, which callers verify in batches. Used at admission (head = the
 * latest block) and when validating a proposed block (head = its parent, time = its block time).
 */
export function checkTx(raw: Uint8Array, deps: TxCheckDeps, head: { height: number; timeMs: number }): CheckedTx {
  const { genesis, suite, membership, handlers, store } = deps;
  const parameters = deps.parameters();
  if (raw.length > parameters.txBytesMax) {
    throw new XinlianError('TX_TOO_LARGE', `tx of ${raw.length} bytes exceeds txBytesMax ${parameters.txBytesMax}`);
  }
  const signed = decodeSignedTx(raw);
  const body = decodeTxBody(signed.bodyBytes);
  if (body.chainId !== genesis.chainId) {
    throw new XinlianError('TX_WRONG_CHAIN', `tx is for chain "${body.chainId}", this is "${genesis.chainId}"`);
  }
  if (body.expiryHeight <= head.height) {
    throw new XinlianError('TX_EXPIRED', `tx expired at height ${body.expiryHeight}; chain is at ${head.height}`);
  }
  if (body.expiryHeight > head.height + parameters.txExpiryHeightsMax) {
    throw new XinlianError('TX_EXPIRY_TOO_FAR', `expiryHeight ${body.expiryHeight} is more than ${parameters.txExpiryHeightsMax} above height ${head.height}`);
  }
  if (!handlers.has(body.type)) throw new XinlianError('TX_UNKNOWN_TYPE', `unknown tx type "${body.type}"`);
  const txId = txIdOf(suite.hash, genesis.chainId, signed.bodyBytes);
  const location = store.txLocation(txId);
  if (location !== undefined) {
    throw new XinlianError('TX_REPLAYED', `tx ${hexKey(txId)} was committed at height ${location.height}`, { height: location.height, txId: hexKey(txId) });
  }
  const member = membership.verifyMember(body.signerCert, head.timeMs);
  if (!SUBMITTING_ROLES.has(member.role ?? '')) {
    throw new XinlianError('TX_FORBIDDEN', `role "${member.role ?? 'none'}" may not submit txs`);
  }
  const sender = { org: member.org, commonName: member.commonName, role: member.role ?? '', publicKey: member.publicKey };
  return { tx: { txId, body, sender, encoded: raw }, signature: signed.signature };
}

import {
  decodeSignedTx, fromHex, txIdOf, XinlianError, type Genesis, type MembershipVerifier, type VerifySuite,
} from '@xinlian/protocol';
import type { AdmittedTx, TxHandler } from '../execution/application.js';
import { checkTx, type CheckedTx } from './checkTx.js';
import type { TxPool } from '../mempool/txPool.js';
import type { ChainStore } from '../ledger/chainStore.js';
import { hexKey } from '../hexKey.js';

/** Where txs came from: a client of this node's API, or a peer's gossip. */
export type TxSource = 'client' | 'peer';

export type AdmissionOutcome =
  | { ok: true; txId: Uint8Array; duplicate: boolean }
  | { ok: false; txId?: Uint8Array; error: XinlianError };

export interface SignatureCheck {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}

export interface AdmissionOptions {
  genesis: Genesis;
  suite: VerifySuite;
  membership: MembershipVerifier;
  handlers: ReadonlyMap<string, TxHandler>;
  store: ChainStore;
  pool: TxPool;
  /** Verifies many signatures, in parallel where it can (worker threads). */
  verifyBatch: (items: SignatureCheck[]) => Promise<boolean[]>;
  /** Height and time of the latest block (time is what certificates are checked against). */
  chainHead: () => { height: number; timeMs: number };
  /**
   * The consortium's rule on who may send this tx type, as of the latest block (ADR 008): refused
   * here with TX_FORBIDDEN rather than committed as a failed tx. Execution checks it again.
   */
  txAllowed?: (txType: string, org: string, role: string) => boolean;
}


/**
 * The stateless checks a tx passes before it may wait in the pool: size, strict decoding, chain
 * id, expiry window, replay, membership and role, signature. Each failure is a typed error for that
 * tx alone; the accepted ones from clients are written durably (pending bucket) before the caller
 * is answered, so an acknowledged tx survives kill -9. Txs gossiped by peers stay in memory only:
 * the node that acknowledged one keeps it durably until it commits, and writing every peer's txs
 * again would multiply the fsynced writes by the number of nodes.
 */
export class Admission {
  /** Called after txs were added to the pool (the producer schedules a block). */
  onAdmitted: (txs: AdmittedTx[], source: TxSource) => void = () => {};

  constructor(private readonly options: AdmissionOptions) {}

  /** The tx id of raw bytes if they decode, for housekeeping of stored pending txs. */
  txIdOfRaw(raw: Uint8Array): Uint8Array | undefined {
    try {
      return txIdOf(this.options.suite.hash, this.options.genesis.chainId, decodeSignedTx(raw).bodyBytes);
    } catch {
      return undefined;
    }
  }

  async admit(raws: Uint8Array[], source: TxSource = 'client'): Promise<AdmissionOutcome[]> {
    const outcomes: AdmissionOutcome[] = [];
    const candidates: Array<{ slot: number; tx: AdmittedTx; signature: Uint8Array }> = [];
    const seen = new Set<string>();
    for (const raw of raws) {
      try {
        const candidate = this.check(raw);
        const id = hexKey(candidate.tx.txId);
        if (this.options.pool.has(id) || seen.has(id)) {
          outcomes.push({ ok: true, txId: candidate.tx.txId, duplicate: true });
          continue;
        }
        seen.add(id);
        candidates.push({ slot: outcomes.length, ...candidate });
        outcomes.push({ ok: true, txId: candidate.tx.txId, duplicate: false });
      } catch (error) {
        const typed = toTyped(error);
        const txId = typed.details?.txId;
        outcomes.push(typeof txId === 'string' ? { ok: false, txId: fromHex(txId), error: typed } : { ok: false, error: typed });
      }
    }
    const valid = await this.options.verifyBatch(
      candidates.map((c) => ({ publicKey: c.tx.sender.publicKey, message: c.tx.txId, signature: c.signature })),
    );
    const accepted: Array<{ slot: number; tx: AdmittedTx }> = [];
    candidates.forEach((candidate, i) => {
      if (valid[i]) {
        accepted.push(candidate);
      } else {
        outcomes[candidate.slot] = {
          ok: false, txId: candidate.tx.txId, error: new XinlianError('TX_INVALID_SIGNATURE', 'signature does not verify for the signer certificate'),
        };
      }
    });
    this.enqueue(accepted, outcomes, source);
    return outcomes;
  }

  private enqueue(accepted: Array<{ slot: number; tx: AdmittedTx }>, outcomes: AdmissionOutcome[], source: TxSource): void {
    const { pool, store } = this.options;
    const admitted: AdmittedTx[] = [];
    for (const { slot, tx } of accepted) {
      // Re-checked after the await: another request may have admitted or committed the same tx.
      if (pool.has(hexKey(tx.txId)) || store.txLocation(tx.txId) !== undefined) {
        outcomes[slot] = { ok: true, txId: tx.txId, duplicate: true };
        continue;
      }
      try {
        pool.add(tx);
        admitted.push(tx);
      } catch (error) {
        outcomes[slot] = { ok: false, txId: tx.txId, error: toTyped(error) };
      }
    }
    try {
      if (source === 'client') store.addPending(admitted);
    } catch (error) {
      pool.remove(admitted.map((tx) => hexKey(tx.txId)));
      throw new XinlianError('STORAGE_ERROR', `could not persist admitted txs: ${(error as Error).message}`);
    }
    if (admitted.length > 0) this.onAdmitted(admitted, source);
  }

  /** Everything but the signature, which is verified in batches. */
  check(raw: Uint8Array): CheckedTx {
    const checked = checkTx(raw, this.options, this.options.chainHead());
    const { body, sender } = checked.tx;
    if (this.options.txAllowed !== undefined && !this.options.txAllowed(body.type, sender.org, sender.role)) {
      throw new XinlianError('TX_FORBIDDEN', `${sender.role} of ${sender.org} may not send ${body.type} txs (access rule of the consortium)`, { txId: hexKey(checked.tx.txId) });
    }
    return checked;
  }
}

export function toTyped(error: unknown): XinlianError {
  if (error instanceof XinlianError) return error;
  if (error instanceof RangeError || error instanceof TypeError) return new XinlianError('DECODE_ERROR', error.message);
  throw error;
}

import { contractTxType, fromUtf8, utf8, verifyProofBundle, XinlianError, type EvaluateView, type Genesis, type ProofBundle, type VerifySuite } from '@xinlian/protocol';
import type { TxStatus } from './client.js';

/** A contract's operations as its module exports them: (api, args, ctx) => result. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ContractOperations = Record<string, (api: any, args: any, ctx: any) => unknown>;

type ArgsOf<Ops extends ContractOperations, K extends keyof Ops> = Parameters<Ops[K]>[1];
type ResultOf<Ops extends ContractOperations, K extends keyof Ops> = Awaited<ReturnType<Ops[K]>>;

/** What a committed contract call did. */
export interface ContractReceipt<R> {
  txId: string;
  height: number;
  /** The operation's return value, from the tx result (bounded to 1,024 bytes of JSON). */
  result: R;
  /** Interpreter steps the call took. */
  steps: number;
  /** The events the contract emitted, each with its `contract` attribute. */
  events: Array<{ type: string; attributes: Record<string, string> }>;
}

/**
 * A contract's failure: `code` is the tx result's (CONTRACT_REJECTED, CONTRACT_FAILED,
 * CONTRACT_OUT_OF_STEPS, CONTRACT_OUT_OF_MEMORY, CONTRACT_NOT_FOUND, TX_FORBIDDEN, ...);
 * `reason` is the contract's own code when it refused with a ContractError.
 */
export class ContractCallError extends XinlianError {
  readonly reason: string | undefined;

  constructor(error: XinlianError) {
    const details = error.details ?? {};
    super(error.code, error.message, details);
    const fromDetails = typeof details.reason === 'string' ? details.reason : undefined;
    this.reason = fromDetails ?? (error.code === 'CONTRACT_REJECTED' ? /^([A-Z][A-Z0-9_]{0,63}):/.exec(error.message)?.[1] : undefined);
  }
}

interface SessionLike {
  submitAndWait(type: string, payload: Uint8Array, timeoutMs?: number): Promise<TxStatus>;
  client: {
    evaluate(name: string, op: string, args: unknown): Promise<EvaluateView>;
    stateProof(key: string | Uint8Array, height?: number): Promise<ProofBundle>;
  };
  genesis: Genesis;
  suite: VerifySuite;
}

/** A query's answer with a verified proof of every state entry it read. */
export interface ProvenEvaluation<R> {
  result: R;
  height: number;
  /** Each key the query read, with its value at `height` as the proof shows it (null: absent). */
  entries: Array<{ key: string; value: string | null; proof: ProofBundle }>;
}

/** Proof requests in flight at once. */
const PROOFS_IN_FLIGHT = 8;

/** One deployed contract as seen from a session: submit operations as txs, or evaluate them as queries. */
export class ContractHandle<Ops extends ContractOperations = ContractOperations> {
  constructor(private readonly session: SessionLike, readonly name: string) {}

  /** Submits op as a tx signed by the session's identity and waits for its block. */
  async submit<K extends keyof Ops & string>(op: K, args: ArgsOf<Ops, K>, options: { timeoutMs?: number } = {}): Promise<ContractReceipt<ResultOf<Ops, K>>> {
    const payload = utf8(JSON.stringify(args ?? null));
    let status: TxStatus;
    try {
      status = await this.session.submitAndWait(contractTxType(this.name, op), payload, options.timeoutMs);
    } catch (error) {
      throw error instanceof XinlianError ? new ContractCallError(error) : error;
    }
    const events = status.result?.events ?? [];
    const resultEvent = events.find((e) => e.type === 'contract.result');
    return {
      txId: status.txId,
      height: status.height!,
      result: JSON.parse(resultEvent?.attributes.value ?? 'null') as ResultOf<Ops, K>,
      steps: Number(resultEvent?.attributes.steps ?? 0),
      events: events.filter((e) => e !== resultEvent),
    };
  }

  /** Runs op as a query on the node's latest state; nothing is written. */
  async evaluate<K extends keyof Ops & string>(op: K, args: ArgsOf<Ops, K>): Promise<ResultOf<Ops, K>> {
    return (await this.evaluateWithReads(op, args)).result as ResultOf<Ops, K>;
  }

  /**
   * evaluate, then a state proof of every key the query read, each verified offline against the
   * session's genesis (the signatures of the block at that height): what a court or a consumer
   * keeps to check the entries behind an answer without trusting the node. Proofs show that each
   * entry is in the ledger; that no other entry matched a range scan is not provable (ADR 010).
   */
  async evaluateProven<K extends keyof Ops & string>(op: K, args: ArgsOf<Ops, K>): Promise<ProvenEvaluation<ResultOf<Ops, K>>> {
    const view = await this.evaluateWithReads(op, args);
    const entries: ProvenEvaluation<unknown>['entries'] = new Array(view.reads.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < view.reads.length) {
        const index = next++;
        const key = view.reads[index]!;
        const proof = await this.session.client.stateProof(key, view.height);
        const verified = verifyProofBundle(proof, this.session.genesis, this.session.suite);
        if (verified.height !== view.height || verified.state === undefined || fromUtf8(verified.state.key) !== key) {
          throw new XinlianError('PROOF_INVALID', `the proof of ${key} is not for height ${view.height}`);
        }
        entries[index] = { key, value: verified.state.value === null ? null : fromUtf8(verified.state.value), proof };
      }
    };
    await Promise.all(Array.from({ length: PROOFS_IN_FLIGHT }, worker));
    return { result: view.result as ResultOf<Ops, K>, height: view.height, entries };
  }

  /** evaluate, with the height it ran at and the state keys it read (to fetch their proofs). */
  async evaluateWithReads<K extends keyof Ops & string>(op: K, args: ArgsOf<Ops, K>): Promise<EvaluateView> {
    try {
      return await this.session.client.evaluate(this.name, op, args ?? null);
    } catch (error) {
      throw error instanceof XinlianError ? new ContractCallError(error) : error;
    }
  }
}

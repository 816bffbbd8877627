import { contractTxType, utf8, XinlianError } from '@xinlian/protocol';
import type { EvaluateView, TxStatus } from './client.js';

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
  client: { evaluate(name: string, op: string, args: unknown): Promise<EvaluateView> };
}

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

  /** evaluate, with the height it ran at and the state keys it read (to fetch their proofs). */
  async evaluateWithReads<K extends keyof Ops & string>(op: K, args: ArgsOf<Ops, K>): Promise<EvaluateView> {
    try {
      return await this.session.client.evaluate(this.name, op, args ?? null);
    } catch (error) {
      throw error instanceof XinlianError ? new ContractCallError(error) : error;
    }
  }
}

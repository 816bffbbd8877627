// What a contract sees (ADR 009). A contract imports only this module from '@xinlian/contracts/api':
// it is bundled into the contract, so it holds types and one identity function, nothing else.

/** Values cross the sandbox boundary as JSON. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The state and events of the contract's own calls; writes take effect only if the call succeeds. */
export interface ContractApi {
  get<T extends Json = Json>(key: string): T | undefined;
  put(key: string, value: Json): void;
  del(key: string): void;
  emit(type: string, attributes?: Record<string, string | number | boolean>): void;
}

/** Facts of the tx and block: the only outside facts a contract may see. */
export interface ContractContext {
  caller: { org: string; name: string; role: string };
  txId: string;
  height: number;
  /** Block time (ms since the Unix epoch): the same on every node, unlike any clock. */
  timeMs: number;
}

export type Operation<A = never, R extends Json | void = Json | void> = (api: ContractApi, args: A, ctx: ContractContext) => R;

/** Marks a module's operations for type checking; returns them unchanged. */
export function defineContract<T extends Record<string, Operation<never, Json | void>>>(operations: T): T {
  return operations;
}

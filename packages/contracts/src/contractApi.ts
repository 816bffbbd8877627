// What a contract sees (ADR 009, ADR 010). A contract imports only this module from
// '@xinlian/contracts/api': it is bundled into the contract, so it holds types, one identity
// function and one error class, nothing that reaches outside the sandbox.

/** Values cross the sandbox boundary as JSON. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One entry of a range scan. */
export interface Entry<T extends Json = Json> {
  key: string;
  value: T;
}

/** One change of a key in its history, newest first; value null: the key was deleted. */
export interface KeyChange<T extends Json = Json> {
  height: number;
  txId: string;
  value: T | null;
}

export interface RangeQuery {
  /** Keys starting with this (default: all of the contract's keys). */
  prefix?: string;
  /** Keys at or after this, within the prefix (UTF-8 byte order). */
  start?: string;
  /** Keys before this, within the prefix. */
  end?: string;
  /** At most this many entries (default and maximum: 1,000). */
  limit?: number;
}

/**
 * The contract's own state and powers. Keys are the contract's own: another contract's state is
 * reached only by calling it. Writes and events take effect only if the whole tx succeeds.
 */
export interface ContractApi {
  get<T extends Json = Json>(key: string): T | undefined;
  put(key: string, value: Json): void;
  del(key: string): void;
  /** Entries in UTF-8 byte order of their keys, including this tx's own writes. */
  range<T extends Json = Json>(query?: RangeQuery): Array<Entry<T>>;
  /** The key's committed changes before this block, newest first (at most `limit`, default 100). */
  history<T extends Json = Json>(key: string, limit?: number): Array<KeyChange<T>>;
  emit(type: string, attributes?: Record<string, string | number | boolean>): void;
  /** Runs an operation of another deployed contract in this tx: its writes are its own state. */
  call<R extends Json = Json>(contract: string, op: string, args?: Json): R;
  /** Hex of the chain suite's hash (SM3 or SHA-256) of the UTF-8 bytes of `data`. */
  hash(data: string): string;
  /**
   * Errors of `value` against the contract's schema `schema` (the module's `export const schemas
   * = { name: jsonSchema }`, draft-07, compiled once by the host), or its subschema at `ref`
   * ("#/definitions/..."); empty when valid (ADR 012). Throws for an unknown schema or ref.
   */
  validate(schema: string, value: Json, ref?: string): SchemaError[];
  /** RFC 8785 canonical JSON text of `value` (throws for a lone surrogate). */
  canonicalJson(value: Json): string;
  /** Hex of the chain suite's hash of the UTF-8 bytes of `canonicalJson(value)`. */
  hashJson(value: Json): string;
}

/** One reason a value fails a schema: where (a JSON pointer into the value), which keyword, why. */
export interface SchemaError {
  path: string;
  keyword: string;
  message: string;
}

/** Facts of the tx and block: the only outside facts a contract may see. */
export interface ContractContext {
  /** The tx's signer: its organisation, certificate common name and role. */
  caller: { org: string; name: string; role: string };
  /** This contract's name. */
  contract: string;
  /** The contract that called this one through api.call, or null for the tx's own call. */
  callerContract: string | null;
  txId: string;
  height: number;
  /** Block time (ms since the Unix epoch): the same on every node, unlike any clock. */
  timeMs: number;
  /** False when evaluated (a query): writes are then discarded. */
  submitted: boolean;
}

/**
 * A refusal the contract means, with its own code: the tx fails with CONTRACT_REJECTED and the
 * code is reported as the reason (SDK: error.reason). Codes are UPPER_SNAKE_CASE.
 */
export class ContractError extends Error {
  override readonly name = 'ContractError';
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export type Operation<A = never, R extends Json | void = Json | void> = (api: ContractApi, args: A, ctx: ContractContext) => R;

/** Marks a module's operations for type checking; returns them unchanged. */
export function defineContract<T extends Record<string, Operation<never, Json | void>>>(operations: T): T {
  return operations;
}

import { utf8 } from '../../bytes.js';

/**
 * Names and keys of contracts (docs/adr/010-contract-lifecycle.md, docs/spec/contracts.md).
 * A contract call is a tx whose type is `c/<contract>/<operation>`, so that the consortium's tx
 * ACLs (ADR 008) give each operation its own access policy with no rule engine of their own.
 */
export const CONTRACT_NAME = /^[a-z][a-z0-9-]{0,31}$/;
export const CONTRACT_OPERATION = /^[A-Za-z][A-Za-z0-9_]{0,28}$/;

const TX_PREFIX = 'c/';
/** A contract's state lives under c/<name>/ (the tx type prefix and the state prefix agree). */
export const CONTRACT_STATE_PREFIX = 'c/';

export function contractTxType(contract: string, operation: string): string {
  return `${TX_PREFIX}${contract}/${operation}`;
}

export function isContractTxType(type: string): boolean {
  return type.startsWith(TX_PREFIX);
}

/** The contract and operation a tx type names, or undefined when it names none well-formed. */
export function parseContractTxType(type: string): { contract: string; operation: string } | undefined {
  if (!type.startsWith(TX_PREFIX)) return undefined;
  const slash = type.indexOf('/', TX_PREFIX.length);
  if (slash < 0) return undefined;
  const contract = type.slice(TX_PREFIX.length, slash);
  const operation = type.slice(slash + 1);
  if (!CONTRACT_NAME.test(contract) || !CONTRACT_OPERATION.test(operation)) return undefined;
  return { contract, operation };
}

/** The state key of a contract's own key. */
export function contractStateKey(contract: string, key: string): Uint8Array {
  return utf8(`${CONTRACT_STATE_PREFIX}${contract}/${key}`);
}

export function contractStatePrefix(contract: string): Uint8Array {
  return utf8(`${CONTRACT_STATE_PREFIX}${contract}/`);
}

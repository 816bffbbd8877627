import { EVIDENCE_DEPOSIT_TYPE, parseContractTxType, type VerifySuite } from '@xinlian/protocol';
import type { TxHandler } from './application.js';
import type { ContractRunner } from './contracts/contractHandler.js';
import { evidenceDepositHandler } from './evidenceHandler.js';
import { governanceHandlers } from './governance/governanceHandlers.js';
import { HandlerTable } from './handlerTable.js';

export interface BuiltInOptions {
  /** The chain's suite: with it, the governance handlers (gov.propose, gov.vote) are included. */
  suite?: VerifySuite;
  /**
   * With it, contract calls (c/<contract>/<op>) run deployed contracts (ADR 010): a ContractRunner,
   * or for a table that only answers which tx types exist, a stand-in handler.
   */
  contracts?: Pick<ContractRunner, 'handler'>;
}

/** The built-in applications by tx type, and the deployed contracts behind c/<contract>/<op>. */
export function builtInHandlers(options: BuiltInOptions = {}): HandlerTable {
  const handlers = new Map<string, TxHandler>([[EVIDENCE_DEPOSIT_TYPE, evidenceDepositHandler]]);
  if (options.suite !== undefined) for (const [type, handler] of governanceHandlers(options.suite)) handlers.set(type, handler);
  const family = options.contracts === undefined ? undefined : { matches: (type: string) => parseContractTxType(type) !== undefined, handler: options.contracts.handler() };
  return new HandlerTable(handlers, family);
}

import { EVIDENCE_DEPOSIT_TYPE, type VerifySuite } from '@xinlian/protocol';
import type { TxHandler } from './application.js';
import { evidenceDepositHandler } from './evidenceHandler.js';
import { governanceHandlers } from './governance/governanceHandlers.js';

export interface BuiltInOptions {
  /** The chain's suite: with it, the governance handlers (gov.propose, gov.vote) are included. */
  suite?: VerifySuite;
}

/** The built-in applications, by tx type. Contracts (a later issue) add to this table. */
export function builtInHandlers(options: BuiltInOptions = {}): ReadonlyMap<string, TxHandler> {
  const handlers = new Map<string, TxHandler>([[EVIDENCE_DEPOSIT_TYPE, evidenceDepositHandler]]);
  if (options.suite !== undefined) for (const [type, handler] of governanceHandlers(options.suite)) handlers.set(type, handler);
  return handlers;
}

import { EVIDENCE_DEPOSIT_TYPE } from '@xinlian/protocol';
import type { TxHandler } from './application.js';
import { evidenceDepositHandler } from './evidenceHandler.js';

/** The built-in applications, by tx type. Contracts (a later issue) add to this table. */
export function builtInHandlers(): ReadonlyMap<string, TxHandler> {
  return new Map([[EVIDENCE_DEPOSIT_TYPE, evidenceDepositHandler]]);
}

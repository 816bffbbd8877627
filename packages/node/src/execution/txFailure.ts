import type { ErrorCode } from '@xinlian/protocol';
import type { HandlerOutcome } from './application.js';

/**
 * A tx that fails for a reason of its own (bad payload, not allowed, stale proposal): thrown deep
 * inside a handler and turned into a failed result by runHandler. Anything else thrown is a bug
 * (say, a sys/ record that does not decode) and must not be mistaken for a failed tx.
 */
export class TxFailure extends Error {
  override readonly name = 'TxFailure';
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
  }
}

export function runHandler(body: () => HandlerOutcome): HandlerOutcome {
  try {
    return body();
  } catch (error) {
    if (error instanceof TxFailure) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

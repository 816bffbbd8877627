/**
 * Operating errors: bad input from clients or peers. Each has a stable code that the API, SDK and
 * CLI expose unchanged; the message is for humans and may change.
 */
export const ERROR_CODES = [
  // encoding and request shape
  'DECODE_ERROR',
  'BAD_REQUEST',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  // transactions
  'TX_INVALID_SIGNATURE',
  'TX_WRONG_CHAIN',
  'TX_UNKNOWN_MEMBER',
  'TX_FORBIDDEN',
  'TX_REPLAYED',
  'TX_EXPIRED',
  'TX_EXPIRY_TOO_FAR',
  'TX_TOO_LARGE',
  'TX_UNKNOWN_TYPE',
  'TX_INVALID_PAYLOAD',
  'MEMPOOL_FULL',
  'TIMEOUT',
  // certificates and keys
  'CERT_INVALID',
  'KEY_INVALID',
  'PASSPHRASE_REQUIRED',
  // authenticated encryption (seal/open)
  'DECRYPT_FAILED',
  // chain set-up
  'GENESIS_INVALID',
  'ALREADY_EXISTS',
  // proofs
  'PROOF_INVALID',
  // application results
  'EVIDENCE_ALREADY_DEPOSITED',
  'CONTRACT_OUT_OF_STEPS',
  'CONTRACT_OUT_OF_MEMORY',
  'CONTRACT_FAILED',
  'CONTRACT_INVALID',
  /** The contract refused with its own code (ContractError); the code is the result's reason. */
  'CONTRACT_REJECTED',
  'CONTRACT_NOT_FOUND',
  /** The block's contract step budget is spent: the tx is left for a later block (ADR 010). */
  'CONTRACT_BLOCK_FULL',
  // storage and node
  'STORAGE_ERROR',
  'UNAVAILABLE',
  'INTERNAL',
  // peer-to-peer transport (docs/spec/p2p.md)
  'PEER_AUTH_FAILED',
  'PEER_RATE_LIMITED',
  'PEER_QUEUE_FULL',
  // consortium governance (docs/adr/008-governance.md): a revoked signer, and governance tx results
  'CERT_REVOKED',
  'READ_FORBIDDEN',
  'GOV_NOT_ADMIN',
  'GOV_INVALID',
  'GOV_UNKNOWN_PROPOSAL',
  'GOV_CLOSED',
  'GOV_ALREADY_VOTED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class XinlianError extends Error {
  override readonly name = 'XinlianError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  toJSON(): { code: ErrorCode; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Rebuilds a typed error from the API's JSON error body `{ error: { code, message } }`. */
export function errorFromJson(value: unknown): XinlianError | undefined {
  if (typeof value !== 'object' || value === null || !('error' in value)) return undefined;
  const error = (value as { error: { code?: unknown; message?: unknown; details?: unknown } }).error;
  if (typeof error !== 'object' || error === null || !isErrorCode(error.code)) return undefined;
  const details = typeof error.details === 'object' && error.details !== null ? (error.details as Record<string, unknown>) : undefined;
  return new XinlianError(error.code, String(error.message ?? ''), details);
}

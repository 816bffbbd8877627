import type { SuiteName } from './crypto/suite.js';
import type { GenesisGovernance } from './apps/governance/genesisGovernance.js';

/**
 * Chain parameters set at genesis; governance changes them later (setParameter, ADR 008). Units last.
 * Every limit that protects a node lives here so that all nodes enforce the same bounds.
 */
export interface ChainParameters {
  /** Most txs in one block. */
  blockTxsMax: number;
  /** Most encoded tx bytes in one block. */
  blockBytesMax: number;
  /** Largest encoded signed tx. */
  txBytesMax: number;
  /** A tx may set expiryHeight at most this far above the current height. */
  txExpiryHeightsMax: number;
  /** Single-node mode: least time between two blocks; a block is made only when txs wait. */
  blockIntervalMs: number;
  /**
   * Tendermint timeouts of round 0 and their growth per round (ADR 006): timeout(r) = base +
   * r × delta. Governance may change them (ADR 008); a change applies from the next height.
   */
  timeoutProposeMs: number;
  timeoutProposeDeltaMs: number;
  timeoutPrevoteMs: number;
  timeoutPrevoteDeltaMs: number;
  timeoutPrecommitMs: number;
  timeoutPrecommitDeltaMs: number;
  /** A proposer with no txs waits at most this long before it proposes an empty block. */
  emptyBlockWaitMs: number;
}

export const DEFAULT_CHAIN_PARAMETERS: ChainParameters = {
  blockTxsMax: 5000,
  blockBytesMax: 8 * 1024 * 1024,
  // A contract deploy proposal carries up to 256 KiB of code (ADR 010).
  txBytesMax: 320 * 1024,
  txExpiryHeightsMax: 10_000,
  blockIntervalMs: 50,
  timeoutProposeMs: 3000,
  timeoutProposeDeltaMs: 500,
  timeoutPrevoteMs: 1000,
  timeoutPrevoteDeltaMs: 500,
  timeoutPrecommitMs: 1000,
  timeoutPrecommitDeltaMs: 500,
  emptyBlockWaitMs: 1000,
};

export interface GenesisOrganisation {
  /** Short stable id, [a-z0-9-]{1,32}, also the certificate's O attribute. */
  id: string;
  name: string;
  /** The organisation CA's X.509 certificate (PEM). */
  caCertPem: string;
}

export interface GenesisValidator {
  name: string;
  /** Organisation id. */
  org: string;
  /** Raw public key, hex (intl: 32 bytes, gm: 65 bytes). */
  publicKey: string;
  power: number;
  /** The node's certificate, issued by its organisation CA (PEM). */
  certPem: string;
}

export interface Genesis {
  /** [a-zA-Z0-9._-]{1,64}. */
  chainId: string;
  suite: SuiteName;
  /** Time of the genesis block (ms since Unix epoch), the lower bound for block times. */
  genesisTimeMs: number;
  organisations: GenesisOrganisation[];
  validators: GenesisValidator[];
  parameters: ChainParameters;
  /**
   * Approval policies and proposal lifetime (ADR 008). Absent in genesis.json means
   * DEFAULT_GOVERNANCE (see governanceOf); the field is kept absent then, so that parsing and
   * writing a genesis file give back the same file.
   */
  governance?: GenesisGovernance;
}

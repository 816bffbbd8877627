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
}

export const DEFAULT_CHAIN_PARAMETERS: ChainParameters = {
  blockTxsMax: 5000,
  blockBytesMax: 8 * 1024 * 1024,
  txBytesMax: 64 * 1024,
  txExpiryHeightsMax: 10_000,
  blockIntervalMs: 50,
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

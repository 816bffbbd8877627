import {
  encodeEvidenceDeposit, EVIDENCE_DEPOSIT_TYPE, isErrorCode, parseGenesis, toHex, verifyEvidence,
  XinlianError, type EvidenceCertificate, type Genesis, type ProofBundle,
} from '@xinlian/protocol';
import { nodeSuite, type NodeSuite } from '@xinlian/crypto-node';
import { XinlianClient, type TxStatus } from './client.js';
import { signTx, type SignedTxBytes } from './buildTx.js';
import type { Identity } from './identity.js';

/** How far above the current height a tx stays valid, unless the caller says otherwise. */
const EXPIRY_HEIGHTS_DEFAULT = 100;

export interface EvidenceReceipt {
  txId: string;
  height: number;
  blockTimeMs: number;
  /** Hex digest of the document in the chain's suite. */
  hash: string;
  title: string;
  /** The tx proof bundle, already verified against genesis by this SDK. */
  proof: ProofBundle;
  certificate: EvidenceCertificate;
}

/** A connection to a chain as one member: the node's client, the genesis, the suite, the identity. */
export class XinlianSession {
  private constructor(
    readonly client: XinlianClient,
    readonly genesis: Genesis,
    readonly suite: NodeSuite,
    readonly identity: Identity,
  ) {}

  /** Fetches genesis from the node; pass a genesis you trust (from your consortium) to pin it. */
  static async connect(url: string, identity: Identity, trustedGenesis?: Genesis): Promise<XinlianSession> {
    const client = new XinlianClient(url);
    const genesis = trustedGenesis ?? parseGenesis(await client.genesis());
    const status = await client.status();
    if (status.chainId !== genesis.chainId) {
      throw new XinlianError('TX_WRONG_CHAIN', `node serves chain "${status.chainId}", expected "${genesis.chainId}"`);
    }
    return new XinlianSession(client, genesis, nodeSuite(genesis.suite), identity);
  }

  /** Builds and signs a tx for this chain (no submission). */
  async sign(type: string, payload: Uint8Array, expiryHeights = EXPIRY_HEIGHTS_DEFAULT): Promise<SignedTxBytes> {
    const { height } = await this.client.status();
    return signTx(this.suite, this.identity, { chainId: this.genesis.chainId, type, payload, expiryHeight: height + expiryHeights });
  }

  /** Submits, waits for the commit, and turns a failed result into its typed error. */
  async submitAndWait(type: string, payload: Uint8Array, timeoutMs = 30_000): Promise<TxStatus> {
    const tx = await this.sign(type, payload);
    const status = await this.client.submitAndWait(tx.encoded, timeoutMs);
    const code = status.result?.code;
    if (code !== undefined && code !== 'OK') {
      throw new XinlianError(isErrorCode(code) ? code : 'INTERNAL', status.result?.message ?? code, { txId: status.txId, height: status.height });
    }
    return status;
  }

  /** Evidence deposit (存证): hashes locally, deposits, waits, fetches and verifies the proof. */
  async depositEvidence(document: Uint8Array, title = ''): Promise<EvidenceReceipt> {
    const hash = this.suite.hash(document);
    const status = await this.submitAndWait(EVIDENCE_DEPOSIT_TYPE, encodeEvidenceDeposit({ hash, title }));
    const proof = await this.client.txProof(status.txId);
    const certificate = verifyEvidence(hash, proof, this.genesis, this.suite);
    return { txId: status.txId, height: certificate.height, blockTimeMs: certificate.blockTimeMs, hash: toHex(hash), title, proof, certificate };
  }

  /** Checks a document against a proof bundle offline (no node needed; same as the CLI). */
  verifyEvidence(document: Uint8Array, proof: ProofBundle): EvidenceCertificate {
    return verifyEvidence(this.suite.hash(document), proof, this.genesis, this.suite);
  }
}

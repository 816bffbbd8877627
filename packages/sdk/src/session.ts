import {
  canonicalAclRule, encodeEvidenceDeposit, encodeGovPropose, encodeGovVote, EVIDENCE_DEPOSIT_TYPE, fromHex, GOV_PROPOSE_TYPE,
  GOV_VOTE_TYPE, isErrorCode, parseGenesis, toHex, utf8, verifyEvidence, XinlianError,
  type EvidenceCertificate, type Genesis, type GovChange, type ProofBundle, type ProposalStatus,
} from '@xinlian/protocol';
import { nodeSuite, type NodeSuite } from '@xinlian/crypto-node';
import { XinlianClient, type TxStatus } from './client.js';
import { signTx, type SignedTxBytes } from './buildTx.js';
import type { Identity } from './identity.js';
import { proposalIdHex } from './governanceViews.js';
import { ContractHandle, type ContractOperations } from './contractHandle.js';

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

/** What a committed gov.propose or gov.vote did. */
export interface GovReceipt {
  txId: string;
  height: number;
  /** The tx's result code: 'OK' (a failed result is thrown as a XinlianError with its code). */
  code: string;
  /** The proposal's id: the propose tx's id. */
  proposalId: string;
  /** The proposal's status right after this tx: 'open', or 'passed' / 'rejected' when this tx decided it. */
  status: ProposalStatus;
  /** When the change takes effect, once passed (validator sets: two blocks after the decision). */
  effectiveHeight: number | null;
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

  /**
   * Proposes a change to the consortium (gov.propose; the identity must be an organisation admin),
   * waits for its block and returns the proposal id (the tx id) and its status: proposing counts as
   * the proposer's organisation voting yes, so a policy that one organisation meets passes at once.
   * ACL rules may be given in any order; they are sent in their canonical order.
   */
  async propose(change: GovChange, timeoutMs = 30_000): Promise<GovReceipt> {
    const canonical: GovChange = change.kind === 'setTxAcl' || change.kind === 'setReadAcl' ? { ...change, rule: canonicalAclRule(change.rule) } : change;
    const payload = encodeOrRefuse(() => encodeGovPropose({ change: canonical }));
    const status = await this.submitAndWait(GOV_PROPOSE_TYPE, payload, timeoutMs);
    return this.govReceipt(status, status.txId);
  }

  /** Votes for this identity's organisation (gov.vote; admins only, one vote per organisation). */
  async vote(proposalId: string | Uint8Array, approve: boolean, timeoutMs = 30_000): Promise<GovReceipt> {
    const id = proposalIdHex(proposalId);
    const status = await this.submitAndWait(GOV_VOTE_TYPE, encodeGovVote({ proposalId: fromHex(id), approve }), timeoutMs);
    return this.govReceipt(status, id);
  }

  /** The status after the tx, from its events (gov.passed / gov.rejected), else from the node. */
  private async govReceipt(status: TxStatus, proposalId: string): Promise<GovReceipt> {
    const base = { txId: status.txId, height: status.height!, code: status.result?.code ?? 'OK', proposalId };
    const events = (status.result?.events ?? []).filter((e) => e.attributes.proposal === proposalId);
    const decided = events.find((e) => e.type === 'gov.passed' || e.type === 'gov.rejected');
    if (decided?.type === 'gov.rejected') return { ...base, status: 'rejected', effectiveHeight: null };
    const effectiveHeight = Number(decided?.attributes.effectiveHeight);
    if (decided !== undefined && Number.isSafeInteger(effectiveHeight)) return { ...base, status: 'passed', effectiveHeight };
    if (decided === undefined && events.length > 0) return { ...base, status: 'open', effectiveHeight: null };
    // No events to go by: ask the node (a later block may have changed the status meanwhile).
    const view = await this.client.proposal(proposalId);
    return { ...base, status: view.status, effectiveHeight: view.effectiveHeight };
  }

  /**
   * A deployed contract: `contract(name).submit(op, args)` as a tx, `.evaluate(op, args)` as a
   * query. Pass the contract module's type for typed arguments and results:
   * `session.contract<typeof import('./contract.js').default>('traceability')`.
   */
  contract<Ops extends ContractOperations = ContractOperations>(name: string): ContractHandle<Ops> {
    return new ContractHandle<Ops>(this, name);
  }

  /**
   * Proposes deploying (or, when `upgrade`, upgrading) a packaged contract; the organisations
   * approve it by voting on the proposal, per the consortium's policy for the kind (ADR 010).
   */
  async proposeContract(name: string, code: string, options: { upgrade?: boolean; timeoutMs?: number } = {}): Promise<GovReceipt> {
    return this.propose({ kind: options.upgrade === true ? 'upgradeContract' : 'deployContract', name, code: utf8(code) }, options.timeoutMs);
  }

  /** Checks a document against a proof bundle offline (no node needed; same as the CLI). */
  verifyEvidence(document: Uint8Array, proof: ProofBundle): EvidenceCertificate {
    return verifyEvidence(this.suite.hash(document), proof, this.genesis, this.suite);
  }
}

/** Encoders refuse malformed input with RangeError; the SDK's callers get a typed error. */
function encodeOrRefuse(encode: () => Uint8Array): Uint8Array {
  try {
    return encode();
  } catch (error) {
    if (error instanceof XinlianError) throw error;
    throw new XinlianError('BAD_REQUEST', `the change cannot be encoded: ${(error as Error).message}`);
  }
}

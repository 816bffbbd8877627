import {
  assert, decodeBlock, decodeSignedTx, decodeTxBody, decodeValidatorsNextRecord, encodeStateProof, encodeValidatorSet, encodeHeader,
  inclusionProof, parseCertificate, sysKey, toHex, XinlianError, PROOF_FORMAT, PROOF_VERSION,
  type Genesis, type ProofBundle, type ValidatorHandoff, type VerifySuite,
} from '@xinlian/protocol';
import type { ChainStore } from './chainStore.js';
import type { ValidatorSchedule } from './validatorSchedule.js';
import type { StateTree } from '../state/stateTree.js';

/** Validator-set changes a bundle carries at most (each one a header, a commit and a state proof). */
const HANDOFFS_MAX = 1_000;

function signerOrganisation(tx: Uint8Array): string {
  return parseCertificate(decodeTxBody(decodeSignedTx(tx).bodyBytes).signerCert).subject.organisation;
}

/** Builds the offline-verifiable proof bundles (docs/spec/proofs.md) from what the node stored. */
export class ProofBuilder {
  constructor(
    private readonly genesis: Genesis,
    private readonly suite: VerifySuite,
    private readonly store: ChainStore,
    private readonly state: StateTree,
    private readonly validators: ValidatorSchedule,
  ) {}

  private base(kind: 'tx' | 'state', height: number) {
    const raw = this.store.block(height);
    const commit = this.store.commit(height);
    if (raw === undefined || commit === undefined) throw new XinlianError('NOT_FOUND', `no block at height ${height}`);
    const block = decodeBlock(raw);
    const bundle: ProofBundle = {
      format: PROOF_FORMAT,
      version: PROOF_VERSION,
      kind,
      chainId: this.genesis.chainId,
      suite: this.genesis.suite,
      height,
      header: toHex(encodeHeader(block.header)),
      commit: toHex(commit),
      validators: toHex(encodeValidatorSet(this.validators.at(height))),
    };
    const handoffs = this.handoffsUpTo(height);
    if (handoffs.length > 0) bundle.consortium = { handoffs };
    return { bundle, block };
  }

  /**
   * The blocks that announced each validator set in force up to `height` (ADR 008), found from
   * the key history of sys/validators-next: each write of a set (rotation deletes it).
   */
  private handoffsUpTo(height: number): ValidatorHandoff[] {
    const key = sysKey.validatorsNext();
    const announcements = this.state.history(key, { limit: HANDOFFS_MAX, beforeHeight: height })
      .filter((entry) => !entry.deleted)
      .map((entry) => entry.height)
      .sort((a, b) => a - b);
    const handoffs: ValidatorHandoff[] = [];
    for (const at of announcements) {
      const { value, proof } = this.state.prove(key, at);
      if (value === undefined || decodeValidatorsNextRecord(value).effectiveHeight > height) continue;
      const raw = this.store.block(at);
      const commit = this.store.commit(at);
      assert(raw !== undefined && commit !== undefined, `announcing block ${at} is not stored`);
      handoffs.push({ header: toHex(encodeHeader(decodeBlock(raw).header)), commit: toHex(commit), next: toHex(value), proof: toHex(encodeStateProof(proof)) });
    }
    return handoffs;
  }

  txProof(txId: Uint8Array): ProofBundle {
    const location = this.store.txLocation(txId);
    if (location === undefined) throw new XinlianError('NOT_FOUND', `tx ${toHex(txId)} is not committed`);
    const { bundle, block } = this.base('tx', location.height);
    const results = this.store.results(location.height) ?? [];
    const hash = this.suite.hash;
    const org = signerOrganisation(block.txs[location.index]!);
    if (!this.genesis.organisations.some((o) => o.id === org)) {
      // Joined after genesis: the verifier needs its CA, proven by the state after this block.
      const { value, proof } = this.state.prove(sysKey.org(org), location.height);
      if (value !== undefined) bundle.consortium = { handoffs: bundle.consortium?.handoffs ?? [], signerOrganisation: { value: toHex(value), proof: toHex(encodeStateProof(proof)) } };
    }
    bundle.tx = {
      index: location.index,
      tx: toHex(block.txs[location.index]!),
      txPath: inclusionProof(hash, block.txs, location.index).map(toHex),
      result: toHex(results[location.index]!),
      resultPath: inclusionProof(hash, results, location.index).map(toHex),
    };
    return bundle;
  }

  stateProof(key: Uint8Array, height: number): ProofBundle {
    const { bundle } = this.base('state', height);
    const { value, proof } = this.state.prove(key, height);
    bundle.state = { key: toHex(key), value: value === undefined ? null : toHex(value), proof: toHex(encodeStateProof(proof)) };
    return bundle;
  }
}

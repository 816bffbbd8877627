import {
  decodeBlock, encodeStateProof, encodeValidatorSet, encodeHeader, inclusionProof, toHex, XinlianError,
  PROOF_FORMAT, PROOF_VERSION, type Genesis, type ProofBundle, type VerifySuite,
} from '@xinlian/protocol';
import type { ChainStore } from './chainStore.js';
import type { ValidatorSchedule } from './validatorSchedule.js';
import type { StateTree } from '../state/stateTree.js';

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
    return { bundle, block };
  }

  txProof(txId: Uint8Array): ProofBundle {
    const location = this.store.txLocation(txId);
    if (location === undefined) throw new XinlianError('NOT_FOUND', `tx ${toHex(txId)} is not committed`);
    const { bundle, block } = this.base('tx', location.height);
    const results = this.store.results(location.height) ?? [];
    const hash = this.suite.hash;
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

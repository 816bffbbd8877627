// A three-organisation consortium from initChain (real certificates and keys) and an in-memory
// chain that runs executeBlock block after block, for the governance execution tests.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  consortiumView, encodeGovPropose, encodeGovVote, encodeTxBody, GOV_PROPOSE_TYPE, GOV_VOTE_TYPE, MembershipVerifier,
  pemDecode, toHex, TX_VERSION, txIdOf, type ConsortiumView, type Genesis, type GovChange,
} from '@xinlian/protocol';
import { loadSigningKey, nodeSuite } from '@xinlian/crypto-node';
import { executeBlock, type BlockExecution } from '../../src/execution/executeBlock.js';
import { builtInHandlers } from '../../src/execution/handlers.js';
import type { AdmittedTx, StateReader, TxHandler, TxSender } from '../../src/execution/application.js';
import { initChain } from '../../src/init/initChain.js';
import { stateReaderOf } from '../../src/ledger/blockExecutor.js';
import type { StateTree } from '../../src/state/stateTree.js';
import type { Store } from '../../src/storage/store.js';
import { issueIdentity, type Identity } from '../../src/init/issueIdentity.js';

export const GENESIS_TIME_MS = 1_800_000_000_000;
export const BLOCK_INTERVAL_MS = 1000;

/** Who signs a tx: a certificate and the sender admission would derive from it. */
export interface Signer {
  certDer: Uint8Array;
  sender: TxSender;
}

export interface Consortium {
  dir: string;
  genesis: Genesis;
  suite: ReturnType<typeof nodeSuite>;
  /** admin and client of org1..orgN, by "orgN/role". */
  signers: Map<string, Signer>;
  /** An organisation's CA (certificate and key), able to issue more identities. */
  ca(org: string): Identity;
  cleanup(): void;
}

export async function makeConsortium(orgs = 3, validators = 4): Promise<Consortium> {
  const dir = mkdtempSync(join(tmpdir(), 'xinlian-gov-'));
  const result = await initChain({ dir, suite: 'intl', orgs, validators, chainId: 'gov-test', genesisTimeMs: GENESIS_TIME_MS });
  const suite = nodeSuite('intl');
  const membership = new MembershipVerifier(result.genesis, suite);
  const signers = new Map<string, Signer>();
  for (let i = 1; i <= orgs; i++) {
    for (const role of ['admin', 'client']) {
      const certDer = pemDecode(readFileSync(join(dir, 'orgs', `org${i}`, `${role}.cert.pem`), 'utf8'), 'CERTIFICATE');
      const member = membership.verifyMember(certDer, GENESIS_TIME_MS);
      signers.set(`org${i}/${role}`, { certDer, sender: { org: member.org, commonName: member.commonName, role: member.role, publicKey: member.publicKey } });
    }
  }
  return {
    dir, genesis: result.genesis, suite, signers,
    ca(org) {
      const certPem = readFileSync(join(dir, 'orgs', org, 'ca.cert.pem'), 'utf8');
      const keyPem = readFileSync(join(dir, 'orgs', org, 'ca.key.pem'), 'utf8');
      const number = org.replace('org', '');
      return { certPem, keyPem, certDer: pemDecode(certPem, 'CERTIFICATE'), key: loadSigningKey(keyPem), name: { commonName: `Organisation ${number} CA`, organisation: org } };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A new identity valid around genesis time: a CA when `issuer` is absent. */
export function issue(subject: { commonName: string; organisation: string; role?: 'admin' | 'client' | 'node' | 'auditor' }, issuer?: Identity): Promise<Identity> {
  return issueIdentity({ suite: 'intl', subject, issuer, notBeforeMs: GENESIS_TIME_MS - 86_400_000, notAfterMs: GENESIS_TIME_MS + 365 * 86_400_000 });
}

/** A signer for a certificate whose sender a test states itself (organisations added by governance). */
export function signerOf(identity: Identity, role: 'admin' | 'client' | 'node' | 'auditor'): Signer {
  return { certDer: identity.certDer, sender: { org: identity.name.organisation, commonName: identity.name.commonName, role, publicKey: identity.key.publicKey } };
}

/**
 * Blocks over a Map, or over a real state tree when `tree` is given (range scans and key history
 * need it): each block() executes txs on the state after the previous block and applies the
 * changes. Block 1 materialises `genesis`.
 */
export class TestChain {
  readonly state = new Map<string, Uint8Array>();
  height = 0;
  private nonce = 0;
  readonly reader: StateReader;

  constructor(
    readonly consortium: Consortium,
    readonly genesis: Genesis = consortium.genesis,
    readonly handlers: ReadonlyMap<string, TxHandler> = builtInHandlers({ suite: consortium.suite }),
    readonly tree?: { store: Store; state: StateTree },
  ) {
    this.reader = tree === undefined ? { get: (key) => this.state.get(toHex(key)) } : stateReaderOf(tree.state);
  }

  get view(): ConsortiumView {
    return consortiumView(this.reader);
  }

  block(txs: AdmittedTx[] = []): BlockExecution {
    this.height++;
    const execution = executeBlock(this.handlers, this.reader, txs, {
      chainId: this.genesis.chainId, height: this.height, timeMs: GENESIS_TIME_MS + this.height * BLOCK_INTERVAL_MS, hash: this.consortium.suite.hash,
    }, { genesis: this.genesis });
    if (this.tree !== undefined) {
      this.tree.store.commit(this.tree.state.apply(this.height, execution.changes).ops);
      return execution;
    }
    for (const change of execution.changes) {
      if (change.value === null) this.state.delete(toHex(change.key));
      else this.state.set(toHex(change.key), change.value);
    }
    return execution;
  }

  /** Runs one tx in a block of its own and returns its result. */
  one(tx: AdmittedTx): BlockExecution['results'][number] {
    return this.block([tx]).results[0]!;
  }

  tx(signer: Signer | string, type: string, payload: Uint8Array): AdmittedTx {
    const who = typeof signer === 'string' ? this.consortium.signers.get(signer)! : signer;
    const nonce = new Uint8Array(16);
    new DataView(nonce.buffer).setUint32(0, ++this.nonce);
    const body = { version: TX_VERSION, chainId: this.genesis.chainId, signerCert: who.certDer, nonce, expiryHeight: this.height + 1000, type, payload };
    const bodyBytes = encodeTxBody(body);
    return { txId: txIdOf(this.consortium.suite.hash, this.genesis.chainId, bodyBytes), body, sender: who.sender, encoded: bodyBytes };
  }

  propose(signer: Signer | string, change: GovChange): AdmittedTx {
    return this.tx(signer, GOV_PROPOSE_TYPE, encodeGovPropose({ change }));
  }

  vote(signer: Signer | string, proposalId: Uint8Array, approve = true): AdmittedTx {
    return this.tx(signer, GOV_VOTE_TYPE, encodeGovVote({ proposalId, approve }));
  }
}

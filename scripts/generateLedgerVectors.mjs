#!/usr/bin/env node
// Writes docs/spec/vectors/ledger.json: hex vectors for the ledger objects of docs/spec/ledger.md,
// for both suites, from fixed inputs. Uses the built packages (run `npm run build` first); signs with
// OpenSSL through @xinlian/crypto-node. Checked by packages/protocol/test/vectors/ledgerVectors.test.ts.
//
// Usage: node scripts/generateLedgerVectors.mjs [--check]
//   --check  regenerate in memory and exit 1 if the file would change (writes nothing).
//
// The inputs of one suite tell one story: a client deposits a document (EvidenceDeposit) in a tx
// (TxBody, SignedTx); block 7 holds that tx and its result (TxResult, Header); validators 0, 1 and 3
// of four precommit it (Vote, Commit). Every hash in the header is derived from the other vectors,
// except stateRoot, which is a fixed byte pattern (the state tree has its own vectors).
//
// Ed25519 (intl) is deterministic, so its signatures are reproducible. SM2 (gm) signatures are
// randomised: an existing file's gm signatures are kept when they still verify over the same digest,
// so regenerating unchanged inputs leaves the file unchanged; otherwise fresh ones are made.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import {
  encodeCommit, encodeEvidenceDeposit, encodeHeader, encodeSignedTx, encodeTxBody, encodeTxResult, encodeValidatorSet,
  encodeVote, blockHashOf, fromHex, merkleRoot, pureSuite, toHex, txIdOf, utf8, validatorsHashOf, voteDigest,
  EVIDENCE_DEPOSIT_TYPE, HEADER_VERSION, TX_VERSION, VOTE_TYPE,
} from '@xinlian/protocol';
import { signingKeyFromRawPrivateKey } from '@xinlian/crypto-node';

const root = new URL('..', import.meta.url).pathname;
const OUT = join(root, 'docs/spec/vectors/ledger.json');
const check = process.argv.includes('--check');

/** Fixed private keys: SHA-256 of a label (for gm the value is a valid scalar, checked when imported). */
const privateKeyOf = (label) => createHash('sha256').update(label).digest();

const previous = existsSync(OUT) ? JSON.parse(readFileSync(OUT, 'utf8')) : undefined;

function suiteVectors(suiteName) {
  const suite = pureSuite(suiteName);
  const H = (data) => suite.hash(data);
  const keep = previous?.suites?.[suiteName];

  /** Signs `digest`; for gm reuses the stored signature `old` when it still verifies. */
  const sign = (key, digest, old) => {
    if (suiteName === 'gm' && old !== undefined && suite.verify(key.publicKey, digest, fromHex(old))) return fromHex(old);
    const signature = key.sign(digest);
    if (!suite.verify(key.publicKey, digest, signature)) throw new Error(`${suiteName}: fresh signature does not verify`);
    return signature;
  };

  const keyEntry = (label) => {
    const privateKey = privateKeyOf(label);
    const key = signingKeyFromRawPrivateKey(suiteName, privateKey);
    return { label, key, json: { label, privateKey: toHex(privateKey), publicKey: toHex(key.publicKey) } };
  };
  const signer = keyEntry(`xinlian/vectors/${suiteName}/tx-signer`);
  const validators = [0, 1, 2, 3].map((i) => keyEntry(`xinlian/vectors/${suiteName}/validator-${i}`));
  const powers = [1, 1, 1, 1];

  const chainId = `xinlian-vectors-${suiteName}`;

  // The deposited document and the deposit payload.
  const document = '采购合同 No. 2026-001\nXinlian ledger vector document.\n';
  const deposit = { hash: H(utf8(document)), title: '采购合同 2026' };
  const depositBytes = encodeEvidenceDeposit(deposit);

  // The tx. signerCert is a short fixed byte string, not DER: the encoding does not parse it.
  const body = {
    version: TX_VERSION,
    chainId,
    signerCert: utf8('vector certificate (not DER)'),
    nonce: fromHex('000102030405060708090a0b0c0d0e0f'),
    expiryHeight: 107,
    type: EVIDENCE_DEPOSIT_TYPE,
    payload: depositBytes,
  };
  const bodyBytes = encodeTxBody(body);
  const txId = txIdOf(H, chainId, bodyBytes);
  const txSignature = sign(signer.key, txId, keep?.signedTx?.signature);
  const signedTxBytes = encodeSignedTx({ bodyBytes, signature: txSignature });

  // Its result, as the evidence application reports it.
  const result = {
    txId,
    code: 'OK',
    message: '',
    events: [{ type: 'evidence.deposited', attributes: [['hash', toHex(deposit.hash)], ['title', deposit.title]] }],
  };
  const resultBytes = encodeTxResult(result);

  const set = validators.map((v, i) => ({ publicKey: v.key.publicKey, power: powers[i] }));
  const setBytes = encodeValidatorSet(set);
  const validatorsHash = validatorsHashOf(H, set);

  const header = {
    version: HEADER_VERSION,
    chainId,
    height: 7,
    timeMs: 1767225600123,
    prevHash: fromHex('11'.repeat(32)),
    txRoot: merkleRoot(H, [signedTxBytes]),
    resultsRoot: merkleRoot(H, [resultBytes]),
    stateRoot: fromHex('5a'.repeat(32)),
    validatorsHash,
    proposer: H(validators[0].key.publicKey),
    txCount: 1,
  };
  const headerBytes = encodeHeader(header);
  const blockHash = blockHashOf(H, header);

  const vote = { type: VOTE_TYPE.precommit, height: header.height, round: 1, blockHash };
  const digest = voteDigest(H, chainId, vote);
  const oldSignatures = keep?.commit?.input?.signatures ?? [];
  const signatures = [0, 1, 3].map((validatorIndex) => ({
    validatorIndex,
    signature: sign(validators[validatorIndex].key, digest, oldSignatures.find((s) => s.validatorIndex === validatorIndex)?.signature),
  }));
  const commit = { height: header.height, round: vote.round, blockHash, signatures };

  return {
    hash: suiteName === 'gm' ? 'SM3' : 'SHA-256',
    signature: suiteName === 'gm'
      ? 'SM2 with SM3 and Z_A over ID 1234567812345678, DER; randomised: verify, do not compare'
      : 'Ed25519 (RFC 8032), deterministic: compare',
    chainId,
    keys: { txSigner: signer.json, validators: validators.map((v) => v.json) },
    evidenceDeposit: {
      document,
      input: { hash: toHex(deposit.hash), title: deposit.title },
      encoding: toHex(depositBytes),
    },
    txBody: {
      input: {
        version: body.version, chainId, signerCert: toHex(body.signerCert), nonce: toHex(body.nonce),
        expiryHeight: body.expiryHeight, type: body.type, payload: toHex(body.payload),
      },
      encoding: toHex(bodyBytes),
      txId: toHex(txId),
    },
    signedTx: { signature: toHex(txSignature), encoding: toHex(signedTxBytes) },
    txResult: {
      input: { txId: toHex(txId), code: result.code, message: result.message, events: result.events },
      encoding: toHex(resultBytes),
    },
    validatorSet: {
      input: set.map((v) => ({ publicKey: toHex(v.publicKey), power: v.power })),
      encoding: toHex(setBytes),
      validatorsHash: toHex(validatorsHash),
    },
    header: {
      input: {
        version: header.version, chainId, height: header.height, timeMs: header.timeMs, prevHash: toHex(header.prevHash),
        txRoot: toHex(header.txRoot), resultsRoot: toHex(header.resultsRoot), stateRoot: toHex(header.stateRoot),
        validatorsHash: toHex(header.validatorsHash), proposer: toHex(header.proposer), txCount: header.txCount,
      },
      encoding: toHex(headerBytes),
      blockHash: toHex(blockHash),
    },
    vote: {
      input: { type: vote.type, height: vote.height, round: vote.round, blockHash: toHex(blockHash) },
      encoding: toHex(encodeVote(vote)),
      digest: toHex(digest),
    },
    commit: {
      input: {
        height: commit.height, round: commit.round, blockHash: toHex(blockHash),
        signatures: signatures.map((s) => ({ validatorIndex: s.validatorIndex, signature: toHex(s.signature) })),
      },
      encoding: toHex(encodeCommit(commit)),
    },
  };
}

const vectors = {
  description: 'Hex vectors for the ledger objects of docs/spec/ledger.md, one story per suite: a document is deposited in a tx, '
    + 'which block 7 holds; validators 0, 1 and 3 of four precommit it. Private keys are SHA-256(label). '
    + 'Header.stateRoot and prevHash are fixed byte patterns; every other hash is derived from these vectors.',
  generator: 'scripts/generateLedgerVectors.mjs',
  test: 'packages/protocol/test/vectors/ledgerVectors.test.ts',
  suites: { gm: suiteVectors('gm'), intl: suiteVectors('intl') },
};

const text = `${JSON.stringify(vectors, null, 2)}\n`;
if (check) {
  const current = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
  if (current !== text) {
    console.error(`${OUT} is out of date: run node scripts/generateLedgerVectors.mjs`);
    process.exit(1);
  }
  console.log('ledger vectors: up to date');
} else {
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT}`);
}

// The ledger vectors of docs/spec/vectors/ledger.json (docs/spec/ledger.md, "Vectors"), recomputed with
// the pure suites. Besides the codec, each encoding is rebuilt by a second, hand-written encoder that
// follows the grammar of ledger.md, and each digest is recomputed outside this code base (sha256sum,
// openssl dgst -sm3) over preimages assembled here, so the file is not merely self-consistent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ed25519 } from '@noble/curves/ed25519.js';
import { Sm2Point } from '../../src/crypto/sm2Curve.js';
import {
  blockHashOf, bytesToBigint, decodeCommit, decodeEvidenceDeposit, decodeHeader, decodeSignedTx, decodeTxBody,
  decodeTxResult, decodeValidatorSet, encodeCommit, encodeEvidenceDeposit, encodeHeader, encodeSignedTx, encodeTxBody,
  encodeTxResult, encodeValidatorSet, encodeVote, fromHex, merkleRoot, pureSuite, toHex, txIdOf, utf8,
  validatorsHashOf, verifyCommit, voteDigest, DOMAIN, type SuiteName, type TxEvent, type VoteType,
} from '../../src/index.js';

interface KeyVector { label: string; privateKey: string; publicKey: string }
interface SuiteVectors {
  hash: string;
  chainId: string;
  keys: { txSigner: KeyVector; validators: KeyVector[] };
  evidenceDeposit: { document: string; input: { hash: string; title: string }; encoding: string };
  txBody: {
    input: { version: number; chainId: string; signerCert: string; nonce: string; expiryHeight: number; type: string; payload: string };
    encoding: string;
    txId: string;
  };
  signedTx: { signature: string; encoding: string };
  txResult: { input: { txId: string; code: string; message: string; events: TxEvent[] }; encoding: string };
  validatorSet: { input: Array<{ publicKey: string; power: number }>; encoding: string; validatorsHash: string };
  header: {
    input: {
      version: number; chainId: string; height: number; timeMs: number; prevHash: string; txRoot: string; resultsRoot: string;
      stateRoot: string; validatorsHash: string; proposer: string; txCount: number;
    };
    encoding: string;
    blockHash: string;
  };
  vote: { input: { type: number; height: number; round: number; blockHash: string }; encoding: string; digest: string };
  commit: {
    input: { height: number; round: number; blockHash: string; signatures: Array<{ validatorIndex: number; signature: string }> };
    encoding: string;
  };
}

const FILE = new URL('../../../../../docs/spec/vectors/ledger.json', import.meta.url);
const VECTORS = JSON.parse(readFileSync(FILE, 'utf8')) as { suites: Record<SuiteName, SuiteVectors> };

// ---- A second encoder, straight from the grammar of docs/spec/ledger.md and encoding.md. ----
const cat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
const u8 = (n: number): Uint8Array => Uint8Array.of(n);
const u32 = (n: number): Uint8Array => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
const u64 = (n: number): Uint8Array => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(n)); return b; };
const bytes = (b: Uint8Array): Uint8Array => cat(u32(b.length), b);
const str = (s: string): Uint8Array => bytes(Buffer.from(s, 'utf8'));
const list = <T>(items: T[], item: (x: T) => Uint8Array): Uint8Array => cat(u32(items.length), ...items.map(item));
const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));

function specTxBody(b: SuiteVectors['txBody']['input']): Uint8Array {
  return cat(u8(b.version), str(b.chainId), bytes(hex(b.signerCert)), hex(b.nonce), u64(b.expiryHeight), str(b.type), bytes(hex(b.payload)));
}
function specHeader(h: SuiteVectors['header']['input']): Uint8Array {
  return cat(u8(h.version), str(h.chainId), u64(h.height), u64(h.timeMs), hex(h.prevHash), hex(h.txRoot), hex(h.resultsRoot),
    hex(h.stateRoot), hex(h.validatorsHash), hex(h.proposer), u32(h.txCount));
}
function specTxResult(r: SuiteVectors['txResult']['input']): Uint8Array {
  return cat(hex(r.txId), str(r.code), str(r.message),
    list(r.events, (e) => cat(str(e.type), list(e.attributes, ([k, v]) => cat(str(k), str(v))))));
}
function specCommit(c: SuiteVectors['commit']['input']): Uint8Array {
  return cat(u64(c.height), u32(c.round), hex(c.blockHash), list(c.signatures, (s) => cat(u32(s.validatorIndex), bytes(hex(s.signature)))));
}
const specDigestPreimage = (domain: string, chainId: string, body: Uint8Array): Uint8Array => cat(str(domain), str(chainId), body);

// ---- Digests computed outside this code base. ----
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
function externalHash(suite: SuiteName, data: Uint8Array): string {
  if (suite === 'intl') return execFileSync('sha256sum', ['-b', '-'], { input: data }).toString().split(' ')[0]!;
  return execFileSync('openssl', ['dgst', '-sm3', '-binary'], { input: data }).toString('hex');
}

for (const suiteName of ['gm', 'intl'] as const) {
  const v = VECTORS.suites[suiteName];
  const suite = pureSuite(suiteName);
  const H = (data: Uint8Array): Uint8Array => suite.hash(data);
  const set = v.validatorSet.input.map((x) => ({ publicKey: fromHex(x.publicKey), power: x.power }));

  test(`${suiteName}: fixed private keys give the listed public keys`, () => {
    assert.equal(v.hash, suiteName === 'gm' ? 'SM3' : 'SHA-256');
    for (const key of [v.keys.txSigner, ...v.keys.validators]) {
      // The private key is SHA-256(label), as the file says.
      assert.equal(execFileSync('sha256sum', ['-b', '-'], { input: key.label }).toString().split(' ')[0], key.privateKey, key.label);
      const publicKey = suiteName === 'intl'
        ? ed25519.getPublicKey(fromHex(key.privateKey))
        : Sm2Point.BASE.multiply(bytesToBigint(fromHex(key.privateKey))).toBytes(false);
      assert.equal(toHex(publicKey), key.publicKey, key.label);
    }
    assert.deepEqual(v.validatorSet.input.map((x) => x.publicKey), v.keys.validators.map((k) => k.publicKey));
  });

  test(`${suiteName}: EvidenceDeposit and TxBody encodings, txId`, () => {
    const deposit = { hash: fromHex(v.evidenceDeposit.input.hash), title: v.evidenceDeposit.input.title };
    assert.equal(toHex(H(utf8(v.evidenceDeposit.document))), v.evidenceDeposit.input.hash);
    assert.equal(toHex(encodeEvidenceDeposit(deposit)), v.evidenceDeposit.encoding);
    assert.equal(toHex(cat(hex(v.evidenceDeposit.input.hash), str(deposit.title))), v.evidenceDeposit.encoding);
    assert.deepEqual(decodeEvidenceDeposit(fromHex(v.evidenceDeposit.encoding)), deposit);

    const b = v.txBody.input;
    assert.equal(b.chainId, v.chainId);
    assert.equal(b.payload, v.evidenceDeposit.encoding, 'the tx deposits the document');
    const body = { ...b, signerCert: fromHex(b.signerCert), nonce: fromHex(b.nonce), payload: fromHex(b.payload) };
    assert.equal(toHex(encodeTxBody(body)), v.txBody.encoding);
    assert.equal(toHex(specTxBody(b)), v.txBody.encoding);
    assert.deepEqual(decodeTxBody(fromHex(v.txBody.encoding)), body);
    assert.equal(toHex(txIdOf(H, v.chainId, fromHex(v.txBody.encoding))), v.txBody.txId);
  });

  test(`${suiteName}: SignedTx signature verifies, encoding`, () => {
    const txId = fromHex(v.txBody.txId);
    const signature = fromHex(v.signedTx.signature);
    const publicKey = fromHex(v.keys.txSigner.publicKey);
    assert.ok(suite.verify(publicKey, txId, signature), 'tx signature verifies');
    assert.ok(!suite.verify(publicKey, H(txId), signature), 'and only over the tx id');
    if (suiteName === 'intl') {
      // Ed25519 is deterministic: noble (independent of the OpenSSL that generated the file) signs the same bytes.
      assert.equal(toHex(ed25519.sign(txId, fromHex(v.keys.txSigner.privateKey))), v.signedTx.signature);
    } else {
      assert.equal(signature[0], 0x30, 'DER SEQUENCE');
    }
    const bodyBytes = fromHex(v.txBody.encoding);
    assert.equal(toHex(encodeSignedTx({ bodyBytes, signature })), v.signedTx.encoding);
    assert.equal(toHex(cat(bytes(bodyBytes), bytes(signature))), v.signedTx.encoding);
    assert.deepEqual(decodeSignedTx(fromHex(v.signedTx.encoding)), { bodyBytes, signature });
  });

  test(`${suiteName}: TxResult and ValidatorSet encodings, validatorsHash`, () => {
    const r = v.txResult.input;
    assert.equal(r.txId, v.txBody.txId);
    const result = { ...r, txId: fromHex(r.txId) };
    assert.equal(toHex(encodeTxResult(result)), v.txResult.encoding);
    assert.equal(toHex(specTxResult(r)), v.txResult.encoding);
    assert.deepEqual(decodeTxResult(fromHex(v.txResult.encoding)), result);

    assert.equal(toHex(encodeValidatorSet(set)), v.validatorSet.encoding);
    assert.equal(toHex(list(v.validatorSet.input, (x) => cat(bytes(hex(x.publicKey)), u64(x.power)))), v.validatorSet.encoding);
    assert.deepEqual(decodeValidatorSet(fromHex(v.validatorSet.encoding)), set);
    assert.equal(toHex(validatorsHashOf(H, set)), v.validatorSet.validatorsHash);
  });

  test(`${suiteName}: Header encoding and block hash; its roots follow from the other vectors`, () => {
    const h = v.header.input;
    assert.equal(h.chainId, v.chainId);
    assert.equal(h.txRoot, toHex(merkleRoot(H, [fromHex(v.signedTx.encoding)])));
    assert.equal(h.resultsRoot, toHex(merkleRoot(H, [fromHex(v.txResult.encoding)])));
    assert.equal(h.validatorsHash, v.validatorSet.validatorsHash);
    assert.equal(h.proposer, toHex(H(fromHex(v.keys.validators[0]!.publicKey))));
    const header = {
      ...h, prevHash: fromHex(h.prevHash), txRoot: fromHex(h.txRoot), resultsRoot: fromHex(h.resultsRoot),
      stateRoot: fromHex(h.stateRoot), validatorsHash: fromHex(h.validatorsHash), proposer: fromHex(h.proposer),
    };
    assert.equal(toHex(encodeHeader(header)), v.header.encoding);
    assert.equal(toHex(specHeader(h)), v.header.encoding);
    assert.deepEqual(decodeHeader(fromHex(v.header.encoding)), header);
    assert.equal(toHex(blockHashOf(H, header)), v.header.blockHash);
  });

  test(`${suiteName}: Vote encoding and digest, Commit encoding; the commit is valid`, () => {
    const vi = v.vote.input;
    assert.equal(vi.blockHash, v.header.blockHash);
    assert.equal(vi.height, v.header.input.height);
    const vote = { type: vi.type as VoteType, height: vi.height, round: vi.round, blockHash: fromHex(vi.blockHash) };
    assert.equal(toHex(encodeVote(vote)), v.vote.encoding);
    assert.equal(toHex(cat(u8(vi.type), u64(vi.height), u32(vi.round), hex(vi.blockHash))), v.vote.encoding);
    assert.equal(toHex(voteDigest(H, v.chainId, vote)), v.vote.digest);

    const c = v.commit.input;
    const commit = {
      height: c.height, round: c.round, blockHash: fromHex(c.blockHash),
      signatures: c.signatures.map((s) => ({ validatorIndex: s.validatorIndex, signature: fromHex(s.signature) })),
    };
    assert.equal(toHex(encodeCommit(commit)), v.commit.encoding);
    assert.equal(toHex(specCommit(c)), v.commit.encoding);
    assert.deepEqual(decodeCommit(fromHex(v.commit.encoding)), commit);
    for (const s of commit.signatures) {
      const publicKey = fromHex(v.keys.validators[s.validatorIndex]!.publicKey);
      assert.ok(suite.verify(publicKey, fromHex(v.vote.digest), s.signature), `precommit of validator #${s.validatorIndex}`);
      if (suiteName === 'intl') {
        assert.equal(toHex(ed25519.sign(fromHex(v.vote.digest), fromHex(v.keys.validators[s.validatorIndex]!.privateKey))), toHex(s.signature));
      }
    }
    assert.deepEqual(verifyCommit(suite, v.chainId, set, c.height, fromHex(v.header.blockHash), commit), [0, 1, 3]);
  });

  test(`${suiteName}: digests recomputed outside the code base (${suiteName === 'gm' ? 'openssl dgst -sm3' : 'sha256sum'})`, (t) => {
    if (suiteName === 'gm' && !hasOpenssl) {
      t.skip('openssl not found: SM3 digests not cross-checked outside the code base');
      return;
    }
    const cases: Array<[string, Uint8Array, string]> = [
      ['document hash', utf8(v.evidenceDeposit.document), v.evidenceDeposit.input.hash],
      ['txId', specDigestPreimage(DOMAIN.tx, v.chainId, hex(v.txBody.encoding)), v.txBody.txId],
      ['txRoot (one leaf)', cat(u8(0), hex(v.signedTx.encoding)), v.header.input.txRoot],
      ['resultsRoot (one leaf)', cat(u8(0), hex(v.txResult.encoding)), v.header.input.resultsRoot],
      ['validatorsHash', hex(v.validatorSet.encoding), v.validatorSet.validatorsHash],
      ['proposer', hex(v.keys.validators[0]!.publicKey), v.header.input.proposer],
      ['blockHash', specDigestPreimage(DOMAIN.header, v.chainId, hex(v.header.encoding)), v.header.blockHash],
      ['vote digest', specDigestPreimage(DOMAIN.vote, v.chainId, hex(v.vote.encoding)), v.vote.digest],
    ];
    assert.equal(DOMAIN.tx, 'xinlian/tx/v1');
    assert.equal(DOMAIN.vote, 'xinlian/vote/v1');
    assert.equal(DOMAIN.header, 'xinlian/header/v1');
    for (const [what, preimage, want] of cases) assert.equal(externalHash(suiteName, preimage), want, what);
  });
}

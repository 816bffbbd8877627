import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  decodeEvidenceRecord, encodeEvidenceDeposit, evidenceKey, EVIDENCE_DEPOSIT_TYPE, toHex, type TxBody,
} from '@xinlian/protocol';
import { executeBlock } from '../../src/execution/executeBlock.js';
import { builtInHandlers } from '../../src/execution/handlers.js';
import type { AdmittedTx, BlockContext } from '../../src/execution/application.js';

const sha256 = (data: Uint8Array): Uint8Array => createHash('sha256').update(data).digest();
const block: BlockContext = { chainId: 'test', height: 5, timeMs: 1_700_000_000_000, hash: sha256 };

function tx(n: number, type: string, payload: Uint8Array, expiryHeight = 100): AdmittedTx {
  const body: TxBody = { version: 1, chainId: 'test', signerCert: new Uint8Array(1), nonce: new Uint8Array(16).fill(n), expiryHeight, type, payload };
  return { txId: sha256(new Uint8Array([n])), body, sender: { org: 'org1', commonName: 'client', role: 'client', publicKey: new Uint8Array(32) }, encoded: new Uint8Array([n]) };
}

const docHash = sha256(new TextEncoder().encode('contract'));

test('evidence deposit writes a record; a second deposit of the same hash in the same block fails and writes nothing', () => {
  const payload = encodeEvidenceDeposit({ hash: docHash, title: 'contract' });
  const out = executeBlock(builtInHandlers(), { get: () => undefined }, [tx(1, EVIDENCE_DEPOSIT_TYPE, payload), tx(2, EVIDENCE_DEPOSIT_TYPE, payload)], block);
  assert.deepEqual(out.results.map((r) => r.code), ['OK', 'EVIDENCE_ALREADY_DEPOSITED']);
  assert.match(out.results[1]!.message, /deposited at height 5/);
  assert.equal(out.changes.length, 1);
  const record = decodeEvidenceRecord(out.changes[0]!.value!);
  assert.equal(record.depositorOrg, 'org1');
  assert.equal(record.height, 5);
  assert.equal(record.timeMs, block.timeMs);
  assert.equal(toHex(record.txId), toHex(sha256(new Uint8Array([1]))));
});

test('a hash deposited in an earlier block is refused', () => {
  const payload = encodeEvidenceDeposit({ hash: docHash, title: 'x' });
  const first = executeBlock(builtInHandlers(), { get: () => undefined }, [tx(1, EVIDENCE_DEPOSIT_TYPE, payload)], block);
  const stored = new Map([[toHex(evidenceKey(docHash)), first.changes[0]!.value!]]);
  const second = executeBlock(builtInHandlers(), { get: (k) => stored.get(toHex(k)) }, [tx(3, EVIDENCE_DEPOSIT_TYPE, payload)], { ...block, height: 6 });
  assert.equal(second.results[0]!.code, 'EVIDENCE_ALREADY_DEPOSITED');
  assert.equal(second.changes.length, 0);
});

test('bad payload, unknown type and expired txs become failed results, not exceptions', () => {
  const out = executeBlock(builtInHandlers(), { get: () => undefined }, [
    tx(1, EVIDENCE_DEPOSIT_TYPE, new Uint8Array([1, 2, 3])),
    tx(2, 'no.such.type', new Uint8Array()),
    tx(3, EVIDENCE_DEPOSIT_TYPE, encodeEvidenceDeposit({ hash: docHash, title: '' }), 4),
  ], block);
  assert.deepEqual(out.results.map((r) => r.code), ['TX_INVALID_PAYLOAD', 'TX_UNKNOWN_TYPE', 'TX_EXPIRED']);
  assert.equal(out.changes.length, 0);
});

test('execution is deterministic: same inputs, same results and writes', () => {
  const txs = Array.from({ length: 20 }, (_, i) => tx(i, EVIDENCE_DEPOSIT_TYPE, encodeEvidenceDeposit({ hash: sha256(new Uint8Array([i % 7])), title: `t${i}` })));
  const a = executeBlock(builtInHandlers(), { get: () => undefined }, txs, block);
  const b = executeBlock(builtInHandlers(), { get: () => undefined }, txs, block);
  assert.deepEqual(a, b);
  assert.equal(a.results.filter((r) => r.code === 'OK').length, 7);
  assert.deepEqual(a.changes.map((c) => c.txIndex), [0, 1, 2, 3, 4, 5, 6], 'changes follow block order');
});

test('a proposer\'s budget ends the block before a tx: the block is the txs executed so far, the same as executing only them', () => {
  const txs = Array.from({ length: 10 }, (_, i) => tx(i, EVIDENCE_DEPOSIT_TYPE, encodeEvidenceDeposit({ hash: sha256(new Uint8Array([i])), title: `t${i}` })));
  const asked: number[] = [];
  const cut = executeBlock(builtInHandlers(), { get: () => undefined }, txs, block, { continueAt: (index) => (asked.push(index), index < 4) });
  assert.deepEqual(asked, [1, 2, 3, 4], 'asked before every tx after the first, until it says stop');
  assert.equal(cut.executedTxs, 4);
  assert.deepEqual(cut, { ...executeBlock(builtInHandlers(), { get: () => undefined }, txs.slice(0, 4), block), executedTxs: 4 });
  const never = executeBlock(builtInHandlers(), { get: () => undefined }, txs, block, { continueAt: () => false });
  assert.equal(never.executedTxs, 1, 'the first tx always runs, so a block is never empty for lack of time');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeEvidenceDeposit, encodeGovVote, utf8 } from '@xinlian/protocol';
import { decodePayload } from '../../src/txPayload.js';
import { validatorHealth } from '../../src/validatorHealth.js';
import { formatTime, formatValue } from '../../src/format.js';
import type { StatusView } from '../../src/apiTypes.js';

test('payloads of the kinds the chain knows are decoded, others shown as hex', () => {
  const hash = new Uint8Array(32).fill(0xab);
  assert.deepEqual(decodePayload('evidence.deposit', encodeEvidenceDeposit({ hash, title: 'Contract' })), { kind: 'evidence deposit', value: { hash: 'ab'.repeat(32), title: 'Contract' } });
  assert.deepEqual(decodePayload('gov.vote', encodeGovVote({ proposalId: hash, approve: true })), { kind: 'governance vote', value: { proposalId: 'ab'.repeat(32), approve: true } });
  assert.deepEqual(decodePayload('c/traceability/recall', utf8('{"lot":"x","reason":"y"}')), { kind: 'contract call traceability.recall', value: { args: { lot: 'x', reason: 'y' } } });
  assert.deepEqual(decodePayload('c/traceability/recall', utf8('not json')), { kind: 'raw bytes', value: utf8('not json').reduce((s, b) => s + b.toString(16).padStart(2, '0'), '') });
  assert.equal(decodePayload('evidence.deposit', new Uint8Array([1, 2])).kind, 'raw bytes');
  assert.match(decodePayload('x', new Uint8Array(600)).value as string, /… \(600 bytes\)$/);
});

test('a validator’s health: this node or its connection, its signature on the latest block, equivocations', () => {
  const status = { nodeName: 'node1', org: 'org2' } as StatusView;
  const inputs = {
    status, latestHeight: 9, signedLatest: new Set([0, 1]),
    peers: [{ id: 'p', name: 'node0.org1', org: 'org1', address: '', direction: 'outbound', connectedSinceMs: Date.parse('2026-01-01T00:00:00Z') }],
    misbehaviour: [{ type: 'duplicateVote', height: 4, round: 0, validatorIndex: 2, validator: 'node2', org: 'org3' }],
  };
  const time = (ms: number): string => new Date(ms).toISOString();
  assert.equal(validatorHealth({ index: 0, name: 'node0', org: 'org1', publicKey: '', power: 1 }, inputs, time), 'connected since 2026-01-01T00:00:00.000Z; signed block 9');
  assert.equal(validatorHealth({ index: 1, name: 'node1', org: 'org2', publicKey: '', power: 1 }, inputs, time), 'this node; signed block 9');
  assert.equal(validatorHealth({ index: 2, name: 'node2', org: 'org3', publicKey: '', power: 1 }, inputs, time),
    'not connected to this node; did not sign block 9; equivocated (duplicateVote at height 4)');
});

test('times in UTC, values as JSON, text or hex', () => {
  assert.equal(formatTime(Date.parse('2026-11-24T23:46:05.416Z')), '2026-11-24 23:46:05 UTC');
  assert.equal(formatTime(Number.NaN), '—');
  const hex = (text: string): string => Array.from(utf8(text), (b) => b.toString(16).padStart(2, '0')).join('');
  assert.deepEqual(formatValue(hex('{"a":1}')), { kind: 'json', text: '{\n  "a": 1\n}' });
  assert.deepEqual(formatValue(hex('plain words')), { kind: 'text', text: 'plain words' });
  assert.deepEqual(formatValue('00ff'), { kind: 'hex', text: '00ff' });
});

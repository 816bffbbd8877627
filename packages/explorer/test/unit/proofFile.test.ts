import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { OFFLINE_CHECK_COMMAND, proofFileName, proofFileText } from '../../src/proofFile.js';

// A downloaded proof bundle is named after what it proves and holds the bundle as the node sent it.

const fixture = (name: string): string => readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url), 'utf8');

test('a proof file is named after its tx id or its state key, in characters every file system takes', () => {
  const txId = 'ab'.repeat(32);
  assert.equal(proofFileName(txId), `${txId}.proof.json`);
  assert.equal(proofFileName('c/traceability/e/0f1e'), 'c_traceability_e_0f1e.proof.json');
  assert.equal(proofFileName('sys/contract/traceability'), 'sys_contract_traceability.proof.json');
  // No separators, and no leading dot (a hidden file, or "." and ".." themselves).
  assert.equal(proofFileName('../../etc/passwd'), '__.._etc_passwd.proof.json');
  assert.equal(proofFileName('..'), '_.proof.json');
  assert.equal(proofFileName('键 key:1\\x'), '__key_1_x.proof.json');
  assert.equal(proofFileName(''), 'proof.proof.json');
});

test('the file is the bundle as fetched, pretty-printed, and parses back to the same bundle', () => {
  for (const name of ['evidence.proof.json', 'state.proof.json']) {
    const fetched = JSON.parse(fixture(name)) as unknown;
    const text = proofFileText(fetched);
    assert.deepEqual(JSON.parse(text), fetched, name);
    assert.ok(text.startsWith('{\n  "'), 'pretty-printed');
    assert.ok(text.endsWith('}\n'));
  }
  assert.equal(OFFLINE_CHECK_COMMAND, 'xinlian proof verify FILE --genesis genesis.json');
});

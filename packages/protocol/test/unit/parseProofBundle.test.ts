import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProofBundle, XinlianError } from '../../src/index.js';

// The shape check of untrusted bundle JSON (the cryptographic checks are verifyProofBundle's,
// tested end to end with real chains). It must keep every part the verifier needs.

const base = {
  format: 'xinlian-proof', version: 1, kind: 'tx', chainId: 'c', suite: 'intl', height: 9,
  header: 'aa', commit: 'bb', validators: 'cc',
  tx: { index: 0, tx: 'dd', txPath: [], result: 'ee', resultPath: ['ff'] },
};
const handoff = { header: '01', commit: '02', next: '03', proof: '04' };

test('parseProofBundle keeps the consortium part: the handoffs and the signer organisation', () => {
  const consortium = { handoffs: [handoff, { header: '11', commit: '12', next: '13', proof: '14' }], signerOrganisation: { value: '21', proof: '22' } };
  assert.deepEqual(parseProofBundle({ ...base, consortium }).consortium, consortium);
  assert.deepEqual(parseProofBundle({ ...base, consortium: { handoffs: [handoff] } }).consortium, { handoffs: [handoff] });
  assert.equal('consortium' in parseProofBundle(base), false, 'absent while the consortium is genesis\'s');
});

test('parseProofBundle refuses a malformed consortium part with PROOF_INVALID', () => {
  const cases: Array<[unknown, RegExp]> = [
    [[], /consortium must be an object/],
    [{}, /consortium.handoffs must be a list/],
    [{ handoffs: {} }, /consortium.handoffs must be a list/],
    [{ handoffs: ['01'] }, /consortium.handoffs\[0\] must be an object/],
    [{ handoffs: [{ ...handoff, next: 'xyz' }] }, /consortium.handoffs\[0\].next must be a hex string/],
    [{ handoffs: [{ header: '01', commit: '02', next: '03' }] }, /consortium.handoffs\[0\].proof must be a hex string/],
    [{ handoffs: [], signerOrganisation: 'x' }, /consortium.signerOrganisation must be an object/],
    [{ handoffs: [], signerOrganisation: { value: '21' } }, /consortium.signerOrganisation.proof must be a hex string/],
  ];
  for (const [consortium, message] of cases) {
    assert.throws(() => parseProofBundle({ ...base, consortium }), (e: unknown) => e instanceof XinlianError && e.code === 'PROOF_INVALID' && message.test(e.message), JSON.stringify(consortium));
  }
});

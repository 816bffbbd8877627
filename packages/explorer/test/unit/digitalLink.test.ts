import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDigitalLinkPath, provenanceArgs, qrTargetOf, traceIdFromInput } from '../../src/digitalLink.js';

const NODE = 'http://127.0.0.1:8701';

test('a Digital Link pointing at this node or at id.gs1.org becomes the id.gs1.org link', () => {
  assert.deepEqual(traceIdFromInput(`${NODE}/01/09521234543213/21/4711`, NODE), { ok: true, id: 'https://id.gs1.org/01/09521234543213/21/4711' });
  assert.deepEqual(traceIdFromInput(`${NODE}/01/09521234543213/10/LOT1?17=271231#x`, NODE), { ok: true, id: 'https://id.gs1.org/01/09521234543213/10/LOT1?17=271231' });
  assert.deepEqual(traceIdFromInput('http://id.gs1.org/01/09521234543213/21/4711'), { ok: true, id: 'https://id.gs1.org/01/09521234543213/21/4711' });
  assert.deepEqual(traceIdFromInput('  https://id.gs1.org/00/106141412345678908\n'), { ok: true, id: 'https://id.gs1.org/00/106141412345678908' });
});

test('a GTIN-8, -12 or -13 is padded to 14 digits; other segments are kept as they are', () => {
  assert.deepEqual(traceIdFromInput(`${NODE}/01/4006381333931/21/4711`, NODE), { ok: true, id: 'https://id.gs1.org/01/04006381333931/21/4711' });
  assert.deepEqual(traceIdFromInput('https://id.gs1.org/01/036000291452/10/LOT%201'), { ok: true, id: 'https://id.gs1.org/01/00036000291452/10/LOT%201' });
  assert.deepEqual(traceIdFromInput('https://id.gs1.org/01/96385074'), { ok: true, id: 'https://id.gs1.org/01/00000096385074' });
});

test('a Digital Link whose GTIN has a wrong length or check digit is refused with the reason', () => {
  const wrongDigit = traceIdFromInput('https://id.gs1.org/01/09521234543214/21/4711');
  assert.equal(wrongDigit.ok, false);
  assert.match(wrongDigit.ok ? '' : wrongDigit.problem, /check digit is 4.*is 3/);
  const wrongLength = traceIdFromInput(`${NODE}/01/12345678901`, NODE);
  assert.equal(wrongLength.ok, false);
  assert.match(wrongLength.ok ? '' : wrongLength.problem, /8, 12, 13 or 14 digits/);
  // Another resolver's link is not ours to judge: kept as recorded.
  assert.deepEqual(traceIdFromInput('https://brand.example/01/123'), { ok: true, id: 'https://brand.example/01/123' });
});

test('other strings are identifiers as they are', () => {
  assert.deepEqual(traceIdFromInput(' urn:epc:id:sgtin:0614141.107346.2017 '), { ok: true, id: 'urn:epc:id:sgtin:0614141.107346.2017' });
  assert.deepEqual(traceIdFromInput('urn:epc:class:lgtin:4012345.011111.LEAF'), { ok: true, id: 'urn:epc:class:lgtin:4012345.011111.LEAF' });
  // Another resolver's link is recorded under its own origin: kept.
  assert.deepEqual(traceIdFromInput('https://brand.example/01/09521234543213/21/4711', NODE), { ok: true, id: 'https://brand.example/01/09521234543213/21/4711' });
  // This node's own pages are not product codes.
  assert.deepEqual(traceIdFromInput(`${NODE}/explorer/`, NODE), { ok: true, id: `${NODE}/explorer/` });
});

test('Digital Link paths start with a primary key and its value', () => {
  assert.ok(isDigitalLinkPath('/01/09521234543213'));
  assert.ok(isDigitalLinkPath('/414/9521234543213'));
  assert.ok(!isDigitalLinkPath('/01/'));
  assert.ok(!isDigitalLinkPath('/21/4711'));
  assert.ok(!isDigitalLinkPath('/'));
});

test('a class URN is traced as a class, anything else as an instance', () => {
  assert.deepEqual(provenanceArgs('urn:epc:class:lgtin:4012345.011111.LEAF'), { epcClass: 'urn:epc:class:lgtin:4012345.011111.LEAF' });
  assert.deepEqual(provenanceArgs('urn:epc:id:sscc:0012345.1'), { epc: 'urn:epc:id:sscc:0012345.1' });
  assert.deepEqual(provenanceArgs('https://id.gs1.org/01/09521234543213/21/4711'), { epc: 'https://id.gs1.org/01/09521234543213/21/4711' });
});

test('a QR code opens the Digital Link itself, or this explorer’s trace page for any other identifier', () => {
  const explorer = `${NODE}/explorer/`;
  assert.equal(qrTargetOf('https://id.gs1.org/01/09521234543213/21/4711', explorer), 'https://id.gs1.org/01/09521234543213/21/4711');
  assert.equal(qrTargetOf('urn:epc:id:sgtin:0614141.107346.2017', explorer), `${NODE}/explorer/#/trace?id=urn%3Aepc%3Aid%3Asgtin%3A0614141.107346.2017`);
  assert.equal(qrTargetOf('https://id.gs1.org/', explorer), `${NODE}/explorer/#/trace?id=https%3A%2F%2Fid.gs1.org%2F`);
  assert.equal(qrTargetOf('https://id.gs1.org.evil.example/01/09521234543213', explorer), `${NODE}/explorer/#/trace?id=${encodeURIComponent('https://id.gs1.org.evil.example/01/09521234543213')}`);
});

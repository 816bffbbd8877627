import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDigitalLinkPath, provenanceArgs, traceIdFromInput } from '../../src/digitalLink.js';

const NODE = 'http://127.0.0.1:8701';

test('a Digital Link pointing at this node or at id.gs1.org becomes the id.gs1.org link', () => {
  assert.equal(traceIdFromInput(`${NODE}/01/09521234543213/21/4711`, NODE), 'https://id.gs1.org/01/09521234543213/21/4711');
  assert.equal(traceIdFromInput(`${NODE}/01/09521234543213/10/LOT1?17=271231#x`, NODE), 'https://id.gs1.org/01/09521234543213/10/LOT1?17=271231');
  assert.equal(traceIdFromInput('http://id.gs1.org/01/09521234543213/21/4711'), 'https://id.gs1.org/01/09521234543213/21/4711');
  assert.equal(traceIdFromInput('  https://id.gs1.org/00/106141412345678908\n'), 'https://id.gs1.org/00/106141412345678908');
});

test('other strings are identifiers as they are', () => {
  assert.equal(traceIdFromInput(' urn:epc:id:sgtin:0614141.107346.2017 '), 'urn:epc:id:sgtin:0614141.107346.2017');
  assert.equal(traceIdFromInput('urn:epc:class:lgtin:4012345.011111.LEAF'), 'urn:epc:class:lgtin:4012345.011111.LEAF');
  // Another resolver's link is recorded under its own origin: kept.
  assert.equal(traceIdFromInput('https://brand.example/01/09521234543213/21/4711', NODE), 'https://brand.example/01/09521234543213/21/4711');
  // This node's own pages are not product codes.
  assert.equal(traceIdFromInput(`${NODE}/explorer/`, NODE), `${NODE}/explorer/`);
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

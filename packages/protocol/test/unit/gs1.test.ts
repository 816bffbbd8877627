import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalDigitalLinkPath, digitalLinkId, gs1CheckDigit, normaliseGtin } from '../../src/index.js';

// GTINs of every length from GS1's and the barcode standards' own examples, padded to the 14
// digits of a canonical Digital Link; wrong lengths and wrong check digits refused.

const VALID: ReadonlyArray<readonly [string, string]> = [
  ['09521234543213', '09521234543213'], // GS1 Digital Link standard's example GTIN-14
  ['4006381333931', '04006381333931'], // EAN-13
  ['9521234543213', '09521234543213'], // the first one as printed in an EAN-13 barcode
  ['036000291452', '00036000291452'], // UPC-A (GTIN-12)
  ['96385074', '00000096385074'], // EAN-8 (GTIN-8)
  ['10614141000415', '10614141000415'], // GTIN-14 with indicator digit 1 (GS1 General Specifications)
];

test('check digits of known GTINs', () => {
  assert.equal(gs1CheckDigit('0952123454321'), 3);
  assert.equal(gs1CheckDigit('400638133393'), 1);
  assert.equal(gs1CheckDigit('03600029145'), 2);
  assert.equal(gs1CheckDigit('9638507'), 4);
  assert.equal(gs1CheckDigit(''), 0);
  assert.throws(() => gs1CheckDigit('12a'), RangeError);
});

test('valid GTINs of 8, 12, 13 and 14 digits are left-padded to 14', () => {
  for (const [gtin, gtin14] of VALID) assert.deepEqual(normaliseGtin(gtin), { ok: true, gtin14 }, gtin);
});

test('a wrong check digit is refused, with the digit it should be', () => {
  const wrong = normaliseGtin('09521234543214');
  assert.equal(wrong.ok, false);
  assert.match(!wrong.ok ? wrong.problem : '', /check digit is 4.*is 3/);
  for (const gtin of ['4006381333932', '036000291453', '96385075', '10614141000416', '00000000000001']) {
    assert.equal(normaliseGtin(gtin).ok, false, gtin);
  }
});

test('lengths other than 8, 12, 13 and 14, and non-digits, are refused', () => {
  for (const gtin of ['', '0', '1234567', '952123454321x', '12345678901', '000000000000000', '095212345432130', ' 4006381333931', '４００６３８１３３３９３１', '4006381333931\n']) {
    const check = normaliseGtin(gtin);
    assert.equal(check.ok, false, JSON.stringify(gtin));
    assert.match(!check.ok ? check.problem : '', /8, 12, 13 or 14 digits/, JSON.stringify(gtin));
  }
});

test('a Digital Link path gets its GTIN in 14 digits; other segments and keys are kept', () => {
  assert.deepEqual(canonicalDigitalLinkPath('/01/4006381333931/21/4711'), { ok: true, path: '/01/04006381333931/21/4711' });
  assert.deepEqual(canonicalDigitalLinkPath('/01/96385074/10/LOT%2F1/21/00042'), { ok: true, path: '/01/00000096385074/10/LOT%2F1/21/00042' });
  assert.deepEqual(canonicalDigitalLinkPath('/01/09521234543213'), { ok: true, path: '/01/09521234543213' });
  assert.deepEqual(canonicalDigitalLinkPath('/00/106141412345678908'), { ok: true, path: '/00/106141412345678908' });
  assert.equal(canonicalDigitalLinkPath('/01/4006381333932/21/4711').ok, false);
  assert.equal(canonicalDigitalLinkPath('/01/').ok, false);
  assert.equal(canonicalDigitalLinkPath('/01').ok, false);
  assert.deepEqual(digitalLinkId('/01/036000291452/21/7', '?17=271231'), { ok: true, id: 'https://id.gs1.org/01/00036000291452/21/7?17=271231' });
});

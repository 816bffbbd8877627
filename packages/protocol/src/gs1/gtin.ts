// GTINs (GS1 General Specifications §3.3.2, §7.9): 8, 12, 13 or 14 digits, the last a mod-10
// check digit. In a GS1 Digital Link the GTIN after /01/ is always the 14-digit form, so the same
// product printed as a GTIN-8, UPC-A (12) or EAN-13 barcode has one identifier on the ledger.

/** The lengths a GTIN comes in: GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13), GTIN-14. */
export const GTIN_LENGTHS: readonly number[] = [8, 12, 13, 14];

/**
 * The GS1 check digit of `body`, the digits before the check digit: from the right, digits are
 * weighted 3, 1, 3, 1, ..., and the check digit brings the weighted sum up to a multiple of 10.
 * Weighting from the right is what makes leading zeros harmless (a GTIN-13 padded to 14 digits
 * keeps its check digit), the property the 14-digit normalisation relies on.
 */
export function gs1CheckDigit(body: string): number {
  if (!/^\d*$/.test(body)) throw new RangeError('a GS1 check digit is computed over digits only');
  let sum = 0;
  for (let i = body.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) sum += weight * (body.charCodeAt(i) - 48);
  return (10 - (sum % 10)) % 10;
}

/** A GTIN in its 14-digit form, or why the text is not a GTIN. */
export type GtinCheck = { ok: true; gtin14: string } | { ok: false; problem: string };

/** Checks a GTIN's length and check digit and left-pads it with zeros to 14 digits. */
export function normaliseGtin(text: string): GtinCheck {
  if (!/^\d+$/.test(text) || !GTIN_LENGTHS.includes(text.length)) {
    return { ok: false, problem: `"${text}" is not a GTIN: a GTIN has 8, 12, 13 or 14 digits` };
  }
  const expected = gs1CheckDigit(text.slice(0, -1));
  const given = Number(text[text.length - 1]);
  if (given !== expected) {
    return { ok: false, problem: `"${text}" is not a GTIN: its check digit is ${given}, but the GS1 check digit of the digits before it is ${expected}` };
  }
  return { ok: true, gtin14: text.padStart(14, '0') };
}

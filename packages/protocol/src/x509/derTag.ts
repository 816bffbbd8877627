/**
 * The ASN.1 tags the certificate profile uses. Only single-byte tags: the X.509 structures we read
 * never need the high-tag-number form, so the reader rejects it outright.
 */
export const DER_TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  objectIdentifier: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

/** Context-specific tag number n: constructed ([n] EXPLICIT, or IMPLICIT over a SEQUENCE) or primitive. */
export function contextTag(n: number, constructed: boolean): number {
  return 0x80 | (constructed ? 0x20 : 0) | n;
}

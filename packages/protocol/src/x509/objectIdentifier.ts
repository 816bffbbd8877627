import { assert } from '../assert.js';
import { XinlianError } from '../errors.js';

/** The object identifiers of the certificate profile (docs/spec/pki.md). */
export const OID = {
  commonName: '2.5.4.3',
  organisationName: '2.5.4.10',
  organisationalUnitName: '2.5.4.11',
  ed25519: '1.3.101.112', // RFC 8410: key and signature algorithm alike
  ecPublicKey: '1.2.840.10045.2.1',
  sm2Curve: '1.2.156.10197.1.301',
  sm2WithSm3: '1.2.156.10197.1.501', // GM/T 0006
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
} as const;

// Arcs stay below 2^53 so that plain numbers hold them exactly; real OIDs are far smaller.
const ARC_BYTES_MAX = 7;

export function encodeObjectIdentifier(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  assert(arcs.length >= 2 && arcs.every((a) => Number.isSafeInteger(a) && a >= 0), `bad OID ${dotted}`);
  const [first, second] = arcs as [number, number];
  assert(first <= 2 && (first === 2 || second < 40), `bad OID ${dotted}`);
  const out: number[] = [];
  for (const arc of [first * 40 + second, ...arcs.slice(2)]) {
    const groups: number[] = [];
    for (let rest = arc; ; rest = Math.floor(rest / 128)) {
      groups.unshift(rest % 128);
      if (rest < 128) break;
    }
    groups.forEach((group, i) => out.push(i < groups.length - 1 ? group | 0x80 : group));
  }
  return Uint8Array.from(out);
}

/** Strict: non-empty, minimal base-128 arcs (no 0x80 lead byte), no dangling continuation. */
export function decodeObjectIdentifier(content: Uint8Array): string {
  const fail = (why: string): never => {
    throw new XinlianError('DECODE_ERROR', `malformed OBJECT IDENTIFIER: ${why}`);
  };
  if (content.length === 0) fail('empty');
  const arcs: number[] = [];
  let value = 0;
  let groupCount = 0;
  for (const byte of content) {
    if (groupCount === 0 && byte === 0x80) fail('non-minimal arc');
    value = value * 128 + (byte & 0x7f);
    groupCount++;
    if (groupCount > ARC_BYTES_MAX) fail('arc too large');
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
      groupCount = 0;
    }
  }
  if (groupCount !== 0) fail('truncated arc');
  const head = arcs[0]!;
  const [first, second] = head < 80 ? [Math.floor(head / 40), head % 40] : [2, head - 80];
  return [first, second, ...arcs.slice(1)].join('.');
}

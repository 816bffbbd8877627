import { XinlianError } from '../errors.js';
import { base64Decode, base64Encode } from './base64.js';

/** RFC 7468 text encoding: 64-character lines, LF endings, one trailing newline. */
export function pemEncode(label: string, der: Uint8Array): string {
  const body = base64Encode(der).replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

/**
 * The first block with `label` in `text`. Lenient only about line breaks and surrounding text (PEM
 * files are edited by people and tools); the base64 itself is decoded strictly. DECODE_ERROR when
 * there is no such block or it is malformed.
 */
export function pemDecode(text: string, label: string): Uint8Array {
  const block = pemDecodeAll(text, label)[0];
  if (block === undefined) throw new XinlianError('DECODE_ERROR', `no "${label}" PEM block found`);
  return block;
}

/** Every block with `label`, in order (a CA bundle holds several certificates). */
export function pemDecodeAll(text: string, label: string): Uint8Array[] {
  const begin = `-----BEGIN ${label}-----`;
  const end = `-----END ${label}-----`;
  const blocks: Uint8Array[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf(begin, from);
    if (start < 0) return blocks;
    const stop = text.indexOf(end, start + begin.length);
    if (stop < 0) throw new XinlianError('DECODE_ERROR', `PEM block "${label}" has no END line`);
    const body = text.slice(start + begin.length, stop);
    if (!/^[A-Za-z0-9+/=\r\n\t ]*$/.test(body)) throw new XinlianError('DECODE_ERROR', `PEM block "${label}" holds headers or stray characters`);
    blocks.push(base64Decode(body.replace(/[\r\n\t ]/g, '')));
    from = stop + end.length;
  }
}

import { Writer } from '../codec/writer.js';
import { decodeAll } from '../codec/reader.js';
import { isErrorCode, XinlianError, type ErrorCode } from '../errors.js';

const CODE_BYTES_MAX = 64;
const MESSAGE_BYTES_MAX = 512;

/** Why a side closes the connection; informational only (it is not authenticated before the hello). */
export interface P2pGoodbye {
  code: ErrorCode;
  message: string;
}

export function encodeGoodbye(goodbye: P2pGoodbye): Uint8Array {
  // For humans only: cut to size, and replace UTF-16 surrogates (the cut may split a pair, and a lone
  // one has no UTF-8 form) rather than fail while closing a connection.
  let message = goodbye.message.slice(0, MESSAGE_BYTES_MAX).replace(/[\ud800-\udfff]/g, '?');
  while (new TextEncoder().encode(message).length > MESSAGE_BYTES_MAX) message = message.slice(0, -1);
  return new Writer().string(goodbye.code).string(message).finish();
}

export function decodeGoodbye(bytes: Uint8Array): P2pGoodbye {
  return decodeAll(bytes, (reader) => {
    const code = reader.string(CODE_BYTES_MAX, 'goodbye code');
    if (!isErrorCode(code)) throw new XinlianError('DECODE_ERROR', `goodbye code "${code}" is not an error code`);
    return { code, message: reader.string(MESSAGE_BYTES_MAX, 'goodbye message') };
  }, 'goodbye');
}

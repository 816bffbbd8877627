import { decodeAll } from '../codec/reader.js';
import { Writer } from '../codec/writer.js';
import { LIMITS } from '../limits.js';
import { decodeHeader, encodeHeader, type Header } from './header.js';

/** A block: its header and its txs, each the canonical encoding of a SignedTx. */
export interface Block {
  header: Header;
  txs: Uint8Array[];
}

export function encodeBlock(block: Block): Uint8Array {
  return new Writer().bytes(encodeHeader(block.header)).list(block.txs, (w, tx) => w.bytes(tx)).finish();
}

export function decodeBlock(bytes: Uint8Array): Block {
  return decodeAll(
    bytes,
    (r) => ({
      header: decodeHeader(r.bytes(4096, 'header')),
      txs: r.list(LIMITS.blockTxsMax, (x) => x.bytes(LIMITS.txBytesMax, 'tx'), 'txs'),
    }),
    'block',
  );
}

import { decodeAll, LIMITS, Writer, XinlianError } from '@xinlian/protocol';

/** What nodes say to each other besides consensus messages: txs, heights, and blocks for sync. */
export type PeerMessage =
  | { type: 'consensus'; bytes: Uint8Array }
  | { type: 'txs'; txs: Uint8Array[] }
  | { type: 'status'; committedHeight: number }
  | { type: 'syncRequest'; fromHeight: number }
  | { type: 'syncReply'; blocks: Array<{ block: Uint8Array; commit: Uint8Array }> };

const CHANNEL = { consensus: 1, txs: 2, status: 3, syncRequest: 4, syncReply: 5 } as const;
/** Most txs gossiped in one message and blocks in one sync reply. */
export const GOSSIP_TXS_MAX = 1000;
export const SYNC_BLOCKS_MAX = 20;

export function encodePeerMessage(message: PeerMessage): Uint8Array {
  const w = new Writer().u8(CHANNEL[message.type]);
  switch (message.type) {
    case 'consensus': return w.bytes(message.bytes).finish();
    case 'txs': return w.list(message.txs, (x, tx) => x.bytes(tx)).finish();
    case 'status': return w.u64(message.committedHeight).finish();
    case 'syncRequest': return w.u64(message.fromHeight).finish();
    case 'syncReply': return w.list(message.blocks, (x, b) => x.bytes(b.block).bytes(b.commit)).finish();
  }
}

/** Strict: an unknown channel or any malformed byte is a DECODE_ERROR (the peer gets dropped). */
export function decodePeerMessage(bytes: Uint8Array, blockBytesMax: number): PeerMessage {
  return decodeAll(bytes, (r) => {
    const channel = r.u8('channel');
    switch (channel) {
      case CHANNEL.consensus: return { type: 'consensus', bytes: r.bytes(blockBytesMax + 65_536, 'consensus message') };
      case CHANNEL.txs: return { type: 'txs', txs: r.list(GOSSIP_TXS_MAX, (x) => x.bytes(LIMITS.txBytesMax, 'tx'), 'txs') };
      case CHANNEL.status: return { type: 'status', committedHeight: r.u64('height') };
      case CHANNEL.syncRequest: return { type: 'syncRequest', fromHeight: r.u64('height') };
      case CHANNEL.syncReply: return {
        type: 'syncReply',
        blocks: r.list(SYNC_BLOCKS_MAX, (x) => ({ block: x.bytes(blockBytesMax + 65_536, 'block'), commit: x.bytes(LIMITS.validatorsMax * 200, 'commit') }), 'blocks'),
      };
      default: throw new XinlianError('DECODE_ERROR', `unknown peer message channel ${channel}`);
    }
  }, 'peer message');
}

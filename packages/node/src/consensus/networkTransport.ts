import { XinlianError } from '@xinlian/protocol';
import type { PeerNetwork } from '../p2p/index.js';
import type { PeerTransport } from './consensusDriver.js';

/** The application frame type that carries PeerMessages (16..255 are the application's). */
export const PEER_MESSAGE_FRAME = 16;

/**
 * PeerTransport over the authenticated network. A peer the driver wants dropped is dropped the
 * network's way: by throwing a typed error out of the message handler.
 */
export function networkTransport(network: PeerNetwork): PeerTransport {
  let dropReason: string | undefined;
  return {
    broadcast: (bytes) => {
      network.broadcast(PEER_MESSAGE_FRAME, bytes);
    },
    send: (peer, bytes) => {
      network.send(peer, PEER_MESSAGE_FRAME, bytes);
    },
    onMessage: (handler) => {
      network.onMessage((peer, type, payload) => {
        if (type !== PEER_MESSAGE_FRAME) throw new XinlianError('DECODE_ERROR', `unexpected frame type ${type}`);
        dropReason = undefined;
        handler(peer, payload);
        if (dropReason !== undefined) throw new XinlianError('DECODE_ERROR', dropReason);
      });
    },
    disconnect: (_peer, reason) => {
      dropReason = reason;
    },
    onPeerConnected: (handler) => {
      network.onPeerEvent((event) => {
        if (event.kind === 'connected') handler(event.peer.id);
      });
    },
  };
}

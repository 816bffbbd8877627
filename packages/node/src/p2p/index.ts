export { createPeerNetwork, type PeerNetwork, type PeerNetworkOptions, type PeerEvent, type MessageHandler } from './peerNetwork.js';
export type { PeerInfo } from './peerTable.js';
export type { PeerAddress } from './peerDialer.js';
export { DEFAULT_PEER_LIMITS, resolvePeerLimits, type PeerLimits } from './peerLimits.js';
export { FrameDecoder, type Frame } from './frameDecoder.js';
export { TokenBucket } from './tokenBucket.js';
export { buildHello, verifyPeerHello, type LocalIdentity, type AuthenticatedPeer } from './peerHello.js';

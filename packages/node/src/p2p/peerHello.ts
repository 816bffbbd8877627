import {
  decodeHello, encodeHello, helloSigningDigest, P2P_PROTOCOL_VERSION, toHex, XinlianError,
  type Member, type MembershipVerifier, type P2pSide,
} from '@xinlian/protocol';
import type { NodeSuite, SigningKey } from '@xinlian/crypto-node';

/** This node's side of the handshake: its chain identity, fixed for the life of the network. */
export interface LocalIdentity {
  chainId: string;
  suite: NodeSuite;
  key: SigningKey;
  certDer: Uint8Array;
  /** Hex of the suite hash of certDer: the peer id others know us by. */
  id: string;
}

/** An authenticated peer: a node certificate of a genesis organisation, and proof of its key. */
export interface AuthenticatedPeer {
  id: string;
  member: Member;
  /** Kept to check the peer again when membership changes (revocation, removed organisation). */
  certDer: Uint8Array;
}

export function buildHello(local: LocalIdentity, side: P2pSide, exporter: Uint8Array): Uint8Array {
  const digest = helloSigningDigest(local.suite.hash, local.chainId, side, exporter, local.suite.hash(local.certDer));
  return encodeHello({ version: P2P_PROTOCOL_VERSION, chainId: local.chainId, certDer: local.certDer, signature: local.key.sign(digest) });
}

/**
 * Checks the peer's hello in this order: decodes strictly (DECODE_ERROR), same chain, a node
 * certificate that chains to an organisation CA of genesis and is valid now, a signature by that
 * certificate's key over this session's exporter value and the peer's side, and not ourselves.
 * Every refusal but a malformed frame is PEER_AUTH_FAILED with the cause in details.reason.
 */
export function verifyPeerHello(
  local: LocalIdentity,
  membership: MembershipVerifier,
  payload: Uint8Array,
  peerSide: P2pSide,
  exporter: Uint8Array,
  nowMs: number,
): AuthenticatedPeer {
  const hello = decodeHello(payload);
  const refuse = (reason: string, message: string, details: Record<string, unknown> = {}): never => {
    throw new XinlianError('PEER_AUTH_FAILED', message, { reason, ...details });
  };
  if (hello.chainId !== local.chainId) refuse('wrong-chain', `peer is on chain "${hello.chainId}", not "${local.chainId}"`);
  let member: Member;
  try {
    member = membership.verifyMember(hello.certDer, nowMs);
  } catch (error) {
    if (!(error instanceof XinlianError)) throw error;
    // TX_UNKNOWN_MEMBER: no genesis CA issued it; CERT_INVALID: malformed, wrong suite, expired.
    return refuse(error.code === 'TX_UNKNOWN_MEMBER' ? 'unknown-member' : error.code === 'CERT_REVOKED' ? 'revoked' : 'certificate-invalid', `peer certificate refused: ${error.message}`, { cause: error.code });
  }
  const who = `"${member.commonName}" (${member.org})`;
  if (member.role !== 'node') refuse('not-a-node', `peer certificate of ${who} has role ${member.role}, not node`);
  const digest = helloSigningDigest(local.suite.hash, local.chainId, peerSide, exporter, member.certHash);
  if (!local.suite.verify(member.publicKey, digest, hello.signature)) {
    // A stolen certificate without its key, a hello replayed from another session, or a
    // reflected one (signed for the other side) all end here.
    refuse('bad-signature', `hello signature of ${who} does not verify for this session`);
  }
  const id = toHex(member.certHash);
  if (id === local.id) refuse('self', 'connected to ourselves');
  return { id, member, certDer: hello.certDer.slice() };
}

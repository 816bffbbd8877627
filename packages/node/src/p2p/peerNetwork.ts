import { once } from 'node:events';
import tls, { type TLSSocket } from 'node:tls';
import {
  assert, isApplicationFrameType, MembershipVerifier, parseCertificate, pemDecode, toHex, XinlianError,
  type Genesis, type SuiteName,
} from '@xinlian/protocol';
import { nodeSuite, type SigningKey } from '@xinlian/crypto-node';
import type { Logger } from '../log/logger.js';
import { PeerConnection, P2P_ALPN, type PeerConnectionContext, type PeerConnectionHooks } from './peerConnection.js';
import { PeerDialer, type PeerAddress } from './peerDialer.js';
import type { LocalIdentity } from './peerHello.js';
import { resolvePeerLimits, type PeerLimits } from './peerLimits.js';
import { PeerTable, type PeerInfo } from './peerTable.js';
import { createTransportCertificate } from './transportCertificate.js';

export interface PeerNetworkOptions {
  genesis: Genesis;
  suite: SuiteName;
  /** The node's chain key (node.key.pem) and certificate (node.cert.pem, PEM or DER), role node. */
  key: SigningKey;
  cert: Uint8Array | string;
  listen: PeerAddress;
  /** Addresses to keep connected (config.json peers). */
  peers: PeerAddress[];
  limits?: Partial<PeerLimits>;
  logger: Logger;
  nowMs: () => number;
  /** Share the node's verifier (and its cache); one is made from genesis otherwise. */
  membership?: MembershipVerifier;
}

export type MessageHandler = (peerId: string, type: number, payload: Uint8Array) => void;

export type PeerEvent =
  | { kind: 'connected'; peer: PeerInfo }
  | { kind: 'disconnected'; peer: PeerInfo; reason: XinlianError }
  /** A connection that never became a peer: refused by us or by them, or failed before the hello. */
  | { kind: 'refused'; address: string; direction: 'inbound' | 'outbound'; reason: XinlianError };

export interface PeerNetwork {
  /** Our peer id: hex of the suite hash of our node certificate. */
  readonly id: string;
  /** The port we listen on (the ephemeral one when listen.port is 0); valid after start(). */
  readonly port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Sends to every connected peer; returns how many took it. */
  broadcast(type: number, payload: Uint8Array): number;
  /** False when the peer is not connected (or was just dropped because its queue is full). */
  send(peerId: string, type: number, payload: Uint8Array): boolean;
  /** Application frames (type 16..255). A XinlianError thrown by a handler disconnects that peer. */
  onMessage(handler: MessageHandler): () => void;
  onPeerEvent(handler: (event: PeerEvent) => void): () => void;
  peers(): PeerInfo[];
  /**
   * Checks every connected peer's certificate again (after membership changed: a revocation, a
   * removed organisation) and drops those that no longer pass, with the reason; returns how many.
   */
  recheckPeers(): number;
  /** Connections not yet authenticated, either direction (a duplicate may still replace one that is open). */
  handshakesInProgress(): number;
}

/**
 * The authenticated transport between member nodes (docs/adr/007-p2p-transport.md,
 * docs/spec/p2p.md): TLS 1.3 on TCP, then a hello each way that proves the chain identity and is
 * bound to the TLS session; framed messages after that.
 */
export function createPeerNetwork(options: PeerNetworkOptions): PeerNetwork {
  const limits = resolvePeerLimits(options.limits);
  const { logger, nowMs } = options;
  const suite = nodeSuite(options.suite);
  if (options.genesis.suite !== options.suite) throw new XinlianError('BAD_REQUEST', `suite ${options.suite} does not match genesis suite ${options.genesis.suite}`);
  const membership = options.membership ?? new MembershipVerifier(options.genesis, suite);
  const certDer = typeof options.cert === 'string' ? pemDecode(options.cert, 'CERTIFICATE') : options.cert;
  const local: LocalIdentity = { chainId: options.genesis.chainId, suite, key: options.key, certDer, id: toHex(suite.hash(certDer)) };
  checkOwnIdentity(local, membership, nowMs(), logger);

  const table = new PeerTable(local.id, options.genesis, limits.peersMax);
  const dialers = options.peers.map((address) => new PeerDialer(address, limits, {
    dial: (dialer) => dial(dialer),
    isConnected: (peerId) => table.has(peerId),
  }));
  const dialerOf = new Map<PeerConnection, PeerDialer>();
  const connections = new Set<PeerConnection>();
  const messageHandlers = new Set<MessageHandler>();
  const eventHandlers = new Set<(event: PeerEvent) => void>();
  let server: tls.Server | undefined;
  let transport: { keyPem: string; certPem: string } | undefined;
  let inboundHandshakes = 0;
  let running = false;
  let livenessTimer: NodeJS.Timeout | undefined;

  const emit = (event: PeerEvent): void => {
    for (const handler of eventHandlers) handler(event);
  };
  const context: PeerConnectionContext = { local, membership, limits, nowMs };
  const hooks: PeerConnectionHooks = {
    onOpen(connection) {
      if (connection.side === 'listener') inboundHandshakes--;
      dialerOf.get(connection)?.opened(connection.peer!.id);
      const replaced = table.add(connection); // throws ALREADY_EXISTS or UNAVAILABLE
      if (replaced !== undefined) replaced.close(new XinlianError('ALREADY_EXISTS', 'a newer connection to this peer replaces this one'));
      const peer = table.info(connection);
      logger.info('peer connected', { peer: peer.id, name: peer.name, org: peer.org, address: peer.address, direction: peer.direction });
      emit({ kind: 'connected', peer });
    },
    onMessage(connection, type, payload) {
      const peerId = connection.peer!.id;
      for (const handler of messageHandlers) handler(peerId, type, payload);
    },
    onClose(connection, reason, wasOpen) {
      connections.delete(connection);
      if (connection.side === 'listener' && !wasOpen) inboundHandshakes--;
      const fields = { address: connection.address, direction: direction(connection), code: reason.code, reason: reason.details?.['reason'], message: reason.message };
      if (table.remove(connection)) {
        const peer = table.info(connection);
        logger.warn('peer disconnected', { ...fields, peer: peer.id, name: peer.name });
        emit({ kind: 'disconnected', peer, reason });
        for (const dialer of dialers) dialer.peerLost(peer.id);
      } else if (reason.code === 'ALREADY_EXISTS') {
        logger.debug('duplicate connection closed', fields);
      } else {
        // An unreachable configured peer is routine (it may be restarting): keep it out of warnings.
        if (reason.code === 'UNAVAILABLE' && connection.peer === undefined) logger.debug('peer unreachable', fields);
        else logger.warn('peer refused', fields);
        emit({ kind: 'refused', address: connection.address, direction: direction(connection), reason });
      }
      const dialer = dialerOf.get(connection);
      dialerOf.delete(connection);
      dialer?.closed(reason, wasOpen);
    },
  };

  function adopt(socket: TLSSocket, side: 'dialer' | 'listener', address: string): PeerConnection {
    const connection = new PeerConnection(socket, side, address, context, hooks);
    connections.add(connection);
    return connection;
  }

  function dial(dialer: PeerDialer): void {
    assert(transport !== undefined, 'dial before start');
    const socket = tls.connect({
      host: dialer.address.host, port: dialer.address.port, key: transport.keyPem, cert: transport.certPem,
      minVersion: 'TLSv1.3', ALPNProtocols: [P2P_ALPN],
      // Nobody checks transport certificates: identity comes from the hello (ADR 007).
      rejectUnauthorized: false,
    });
    const connection = adopt(socket, 'dialer', dialer.label);
    dialerOf.set(connection, dialer);
    socket.once('secureConnect', () => connection.begin());
  }

  function accept(socket: TLSSocket): void {
    const address = `${socket.remoteAddress}:${socket.remotePort}`;
    if (!running || inboundHandshakes >= limits.inboundHandshakesMax) {
      logger.warn('peer refused', { address, direction: 'inbound', code: 'UNAVAILABLE', message: 'too many handshakes in progress' });
      socket.destroy();
      return;
    }
    inboundHandshakes++;
    adopt(socket, 'listener', address).begin();
  }

  return {
    id: local.id,
    get port() {
      const bound = server?.address();
      return typeof bound === 'object' && bound !== null ? bound.port : options.listen.port;
    },
    async start() {
      assert(!running && server === undefined, 'peer network started twice');
      transport = await createTransportCertificate(nowMs());
      server = tls.createServer({
        key: transport.keyPem, cert: transport.certPem, minVersion: 'TLSv1.3', ALPNProtocols: [P2P_ALPN],
        requestCert: true, rejectUnauthorized: false, handshakeTimeout: limits.handshakeTimeoutMs,
      }, accept);
      server.maxConnections = limits.peersMax + limits.inboundHandshakesMax;
      server.on('tlsClientError', (error, socket) => {
        const address = `${socket.remoteAddress}:${socket.remotePort}`;
        const reason = new XinlianError('PEER_AUTH_FAILED', `TLS handshake failed: ${error.message}`, { reason: 'tls' });
        logger.warn('peer refused', { address, direction: 'inbound', code: reason.code, reason: 'tls', message: reason.message });
        emit({ kind: 'refused', address, direction: 'inbound', reason });
      });
      server.listen(options.listen.port, options.listen.host);
      await once(server, 'listening');
      running = true;
      logger.info('p2p listening', { host: options.listen.host, port: this.port, peer: local.id, peers: dialers.map((d) => d.label) });
      for (const dialer of dialers) dialer.start();
      // Half the ping interval: a ping goes out at most 1.5 intervals after the last frame.
      livenessTimer = setInterval(() => { for (const connection of table.connections()) connection.tick(); }, Math.max(1, Math.floor(limits.pingIntervalMs / 2)));
      livenessTimer.unref();
    },
    async stop() {
      if (!running) return;
      running = false;
      clearInterval(livenessTimer);
      for (const dialer of dialers) dialer.stop();
      const closing = [...connections].map((connection) => connection.closed);
      for (const connection of [...connections]) connection.close(new XinlianError('UNAVAILABLE', 'node is stopping'));
      const serverClosed = new Promise<void>((resolve) => server!.close(() => resolve()));
      await Promise.all([...closing, serverClosed]);
      server = undefined;
    },
    broadcast(type, payload) {
      assert(isApplicationFrameType(type), `application frame type ${type} must be 16..255`);
      let sent = 0;
      for (const connection of table.connections()) if (connection.send(type, payload)) sent++;
      return sent;
    },
    send(peerId, type, payload) {
      assert(isApplicationFrameType(type), `application frame type ${type} must be 16..255`);
      return table.get(peerId)?.send(type, payload) ?? false;
    },
    onMessage(handler) {
      messageHandlers.add(handler);
      return () => messageHandlers.delete(handler);
    },
    onPeerEvent(handler) {
      eventHandlers.add(handler);
      return () => eventHandlers.delete(handler);
    },
    peers: () => table.list(),
    recheckPeers() {
      let dropped = 0;
      for (const connection of table.connections()) {
        try {
          membership.verifyMember(connection.peer!.certDer, nowMs());
        } catch (error) {
          if (!(error instanceof XinlianError)) throw error;
          connection.close(new XinlianError('PEER_AUTH_FAILED', `peer certificate no longer accepted: ${error.message}`, { reason: error.code === 'CERT_REVOKED' ? 'revoked' : 'unknown-member', cause: error.code }));
          dropped++;
        }
      }
      return dropped;
    },
    handshakesInProgress: () => [...connections].filter((connection) => connection.peer === undefined).length,
  };
}

function direction(connection: PeerConnection): 'inbound' | 'outbound' {
  return connection.side === 'dialer' ? 'outbound' : 'inbound';
}

/**
 * A node that cannot pass its own peers' checks is misconfigured: say so at start, not per peer.
 * One exception: an organisation that joined by governance (ADR 008) is not in genesis, and a new
 * node knows only genesis until it has synced the block that added it; its peers, who know, accept
 * it meanwhile. So an unknown organisation is a warning; role, key and validity still must hold.
 */
function checkOwnIdentity(local: LocalIdentity, membership: MembershipVerifier, nowMs: number, logger: Logger): void {
  let member: { role: string; publicKey: Uint8Array };
  try {
    member = membership.verifyMember(local.certDer, nowMs);
  } catch (error) {
    if (!(error instanceof XinlianError) || error.code !== 'TX_UNKNOWN_MEMBER') throw error;
    const cert = parseCertificate(local.certDer);
    logger.warn('our organisation is not a member as far as this node knows yet; peers refuse us unless governance has added it', {
      org: cert.subject.organisation, message: error.message,
    });
    member = { role: cert.subject.role ?? 'none', publicKey: cert.publicKey };
  }
  if (member.role !== 'node') throw new XinlianError('CERT_INVALID', `our certificate has role ${member.role}; peers accept only role node`);
  if (toHex(member.publicKey) !== toHex(local.key.publicKey)) throw new XinlianError('KEY_INVALID', 'our key does not match our certificate');
}

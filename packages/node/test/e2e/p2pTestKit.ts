// Shared set-up for the p2p tests: real chains from initChain, real sockets on 127.0.0.1, and waits
// that resolve on events (never on sleeps).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import {
  encodeFrame, MembershipVerifier, P2P_EXPORTER_BYTES, P2P_EXPORTER_LABEL, P2P_FRAME_TYPE, pemDecode, type Genesis, type SuiteName,
} from '@xinlian/protocol';
import { loadSigningKey, nodeSuite, type SigningKey } from '@xinlian/crypto-node';
import { initChain } from '../../src/init/initChain.js';
import { createLogger } from '../../src/log/logger.js';
import { createPeerNetwork, type PeerEvent, type PeerNetwork } from '../../src/p2p/peerNetwork.js';
import type { PeerLimits } from '../../src/p2p/peerLimits.js';
import { P2P_ALPN } from '../../src/p2p/peerConnection.js';

export interface TestChain {
  dir: string;
  suite: SuiteName;
  genesis: Genesis;
  homes: string[];
  keys: SigningKey[];
  certsPem: string[];
  remove(): void;
}

export async function makeChain(suite: SuiteName, validators = 3, genesisTimeMs = Date.now()): Promise<TestChain> {
  const dir = mkdtempSync(join(tmpdir(), `xinlian-p2p-${suite}-`));
  const result = await initChain({ dir, suite, orgs: 2, validators, genesisTimeMs, chainId: `p2p-${suite}` });
  return {
    dir,
    suite,
    genesis: result.genesis,
    homes: result.nodeHomes,
    keys: result.nodeHomes.map((home) => loadSigningKey(readFileSync(join(home, 'node.key.pem'), 'utf8'))),
    certsPem: result.nodeHomes.map((home) => readFileSync(join(home, 'node.cert.pem'), 'utf8')),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface TestNode {
  network: PeerNetwork;
  logLines: string[];
  events: PeerEvent[];
}

export interface NodeOptions {
  port?: number;
  peers?: number[];
  limits?: Partial<PeerLimits>;
  nowMs?: () => number;
  /** Shared by the nodes that get it (to change membership under them); default: each its own. */
  membership?: MembershipVerifier;
}

/** Fast reconnects for tests; everything else at its default. */
export const TEST_LIMITS: Partial<PeerLimits> = { reconnectDelayMsMin: 5, reconnectDelayMsMax: 50, handshakeTimeoutMs: 2_000 };

export function makeNode(chain: TestChain, index: number, options: NodeOptions & { peerPorts?: number[] } = {}): TestNode {
  const logLines: string[] = [];
  const events: PeerEvent[] = [];
  const nowMs = options.nowMs ?? (() => Date.now());
  const network = createPeerNetwork({
    genesis: chain.genesis,
    suite: chain.suite,
    key: chain.keys[index]!,
    cert: chain.certsPem[index]!,
    listen: { host: '127.0.0.1', port: options.port ?? 0 },
    peers: (options.peerPorts ?? []).map((port) => ({ host: '127.0.0.1', port })),
    limits: { ...TEST_LIMITS, ...options.limits },
    logger: createLogger({ level: 'debug', write: (line) => logLines.push(line), nowMs, fields: { node: `node${index}` } }),
    nowMs,
    membership: options.membership,
  });
  network.onPeerEvent((event) => events.push(event));
  return { network, logLines, events };
}

/** How long a wait for a network event may take before the test fails instead of hanging. */
export const WAIT_MS_MAX = 30_000;

function describePeers(networks: PeerNetwork[]): string {
  return networks.map((n) => `${n.id.slice(0, 8)}: [${n.peers().map((p) => `${p.id.slice(0, 8)} ${p.direction}`).join(', ')}]`).join('; ');
}

/** Resolves with the first event (from now on) that matches; rejects after WAIT_MS_MAX. */
export function nextEvent(network: PeerNetwork, match: (event: PeerEvent) => boolean): Promise<PeerEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching peer event within ${WAIT_MS_MAX} ms; peers ${describePeers([network])}`));
    }, WAIT_MS_MAX);
    const off = network.onPeerEvent((event) => {
      if (match(event)) {
        off();
        clearTimeout(timer);
        resolve(event);
      }
    });
  });
}

/**
 * Resolves once `condition` holds, re-checked after every peer event of the given networks;
 * rejects after WAIT_MS_MAX.
 */
export function waitUntil(networks: PeerNetwork[], condition: () => boolean): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const offs: Array<() => void> = [];
    const stop = (): void => { for (const off of offs) off(); clearTimeout(timer); };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`condition not met within ${WAIT_MS_MAX} ms; peers ${describePeers(networks)}`));
    }, WAIT_MS_MAX);
    const check = (): void => {
      if (!condition()) return;
      stop();
      resolve();
    };
    // Checked on the next turn: the event fires inside the state change it reports. Polled too,
    // since a duplicate connection that loses its tie-break ends without an event.
    for (const network of networks) offs.push(network.onPeerEvent(() => setImmediate(check)));
    const poll = setInterval(check, 20);
    offs.push(() => clearInterval(poll));
  });
}

/**
 * Every pair connected by one connection that both sides hold (outbound on one side, inbound on
 * the other), and no handshake in flight that could still replace one and lose messages sent on
 * it. Either side may have dialed: a dialer stays idle while its peer is connected either way.
 */
export function fullyMeshed(networks: PeerNetwork[]): boolean {
  for (const a of networks) {
    if (a.handshakesInProgress() !== 0) return false;
    for (const b of networks) {
      if (a === b) continue;
      const ab = a.peers().find((p) => p.id === b.id);
      const ba = b.peers().find((p) => p.id === a.id);
      if (ab === undefined || ba === undefined || ab.direction === ba.direction) return false;
    }
  }
  return true;
}

/** Starts nodes 0..n-1, each configured with all the others' ports (as initChain configures them). */
export async function startMesh(chain: TestChain, count: number, options: NodeOptions = {}): Promise<TestNode[]> {
  // Listen first on ephemeral ports, then tell each node the others' addresses.
  const nodes = Array.from({ length: count }, (_, i) => makeNode(chain, i, options));
  await Promise.all(nodes.map((node) => node.network.start()));
  const ports = nodes.map((node) => node.network.port);
  await Promise.all(nodes.map((node) => node.network.stop()));
  const restarted = Array.from({ length: count }, (_, i) => makeNode(chain, i, { ...options, port: ports[i]!, peerPorts: ports.filter((_, j) => j !== i) }));
  await Promise.all(restarted.map((node) => node.network.start()));
  await waitUntil(restarted.map((n) => n.network), () => fullyMeshed(restarted.map((n) => n.network)));
  return restarted;
}

export interface Received {
  from: string;
  type: number;
  payload: Uint8Array;
}

/** Resolves with the first `count` messages the network receives from now on. */
export function collect(network: PeerNetwork, count: number): Promise<Received[]> {
  const received: Received[] = [];
  return new Promise((resolve) => {
    const off = network.onMessage((from, type, payload) => {
      received.push({ from, type, payload: payload.slice() });
      if (received.length === count) {
        off();
        resolve(received);
      }
    });
  });
}

export function readPem(path: string): Uint8Array {
  return pemDecode(readFileSync(path, 'utf8'), 'CERTIFICATE');
}

/** A hand-driven peer for attacks: TLS 1.3 like a node, then whatever bytes the test writes. */
export interface RawPeer {
  socket: tls.TLSSocket;
  exporter: Uint8Array;
  /** Everything received, and a promise for the socket's close. */
  received: Buffer[];
  closed: Promise<void>;
  sendFrame(type: number, payload: Uint8Array): void;
}

export async function connectRaw(port: number): Promise<RawPeer> {
  const transport = await transportMaterial();
  const socket = tls.connect({ host: '127.0.0.1', port, ...transport, minVersion: 'TLSv1.3', ALPNProtocols: [P2P_ALPN], rejectUnauthorized: false });
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', () => resolve());
    socket.once('error', reject);
  });
  const exporter = new Uint8Array(socket.exportKeyingMaterial(P2P_EXPORTER_BYTES, P2P_EXPORTER_LABEL, Buffer.alloc(0)));
  return { socket, exporter, received, closed, sendFrame: (type, payload) => socket.write(encodeFrame(type, payload)) };
}

let transportCache: { key: string; cert: string } | undefined;
async function transportMaterial(): Promise<{ key: string; cert: string }> {
  const { createTransportCertificate } = await import('../../src/p2p/transportCertificate.js');
  if (transportCache === undefined) {
    const made = await createTransportCertificate(Date.now());
    transportCache = { key: made.keyPem, cert: made.certPem };
  }
  return transportCache;
}

export { P2P_FRAME_TYPE, nodeSuite };

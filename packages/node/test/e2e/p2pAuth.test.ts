import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeGoodbye, MembershipVerifier, pemDecode, toHex, utf8, XinlianError, type SuiteName } from '@xinlian/protocol';
import { loadSigningKey, nodeSuite, type SigningKey } from '@xinlian/crypto-node';
import { issueIdentity } from '../../src/init/issueIdentity.js';
import { FrameDecoder } from '../../src/p2p/frameDecoder.js';
import { buildHello } from '../../src/p2p/peerHello.js';
import { createPeerNetwork, type PeerEvent, type PeerNetwork } from '../../src/p2p/peerNetwork.js';
import { createLogger } from '../../src/log/logger.js';
import {
  collect, connectRaw, makeChain, makeNode, nextEvent, P2P_FRAME_TYPE, startMesh, waitUntil, type RawPeer, type TestChain, type TestNode,
} from './p2pTestKit.js';

const DAY_MS = 86_400_000;

/** A hello as `certDer`'s holder would send it, signed by `key` (not necessarily that holder's). */
function helloFor(chain: TestChain, certDer: Uint8Array, key: SigningKey, exporter: Uint8Array, chainId = chain.genesis.chainId): Uint8Array {
  const suite = nodeSuite(chain.suite);
  return buildHello({ chainId, suite, key, certDer, id: toHex(suite.hash(certDer)) }, 'dialer', exporter);
}

/** Frames the listener sent to a raw peer, read once its socket has closed. */
function framesReceived(raw: RawPeer): Array<{ type: number; payload: Uint8Array }> {
  const decoder = new FrameDecoder(1 << 20);
  decoder.push(Buffer.concat(raw.received));
  const frames = [];
  for (let frame = decoder.next(); frame !== undefined; frame = decoder.next()) frames.push(frame);
  return frames;
}

async function expectRefused(victim: PeerNetwork, attack: () => Promise<RawPeer | void>): Promise<{ event: PeerEvent & { kind: 'refused' }; raw: RawPeer | void }> {
  const refused = nextEvent(victim, (event) => event.kind === 'refused');
  const raw = await attack();
  const event = (await refused) as PeerEvent & { kind: 'refused' };
  if (raw !== undefined) await raw.closed; // the listener hung up on it
  return { event, raw };
}

function orgIdentity(chain: TestChain, org: string, role: 'ca' | 'client'): { certDer: Uint8Array; key: SigningKey } {
  const dir = join(chain.dir, 'orgs', org);
  return { certDer: pemDecode(readFileSync(join(dir, `${role}.cert.pem`), 'utf8'), 'CERTIFICATE'), key: loadSigningKey(readFileSync(join(dir, `${role}.key.pem`), 'utf8')) };
}

for (const suite of ['intl', 'gm'] as SuiteName[]) {
  test(`${suite}: the listener refuses every impostor with a typed, logged reason and keeps serving members`, async (t) => {
    const chain = await makeChain(suite, 3);
    const foreign = await makeChain(suite, 1); // same chain id, another organisation CA
    t.after(() => {
      chain.remove();
      foreign.remove();
    });
    const victim = makeNode(chain, 0, { limits: { handshakeTimeoutMs: 300 } });
    await victim.network.start();
    t.after(() => victim.network.stop());
    const port = victim.network.port;
    const node1Cert = pemDecode(chain.certsPem[1]!, 'CERTIFICATE');
    const reasons: Array<[string, string, unknown]> = [];
    const check = async (label: string, attack: () => Promise<RawPeer | void>, code: string, reason?: string): Promise<void> => {
      const { event, raw } = await expectRefused(victim.network, attack);
      assert.ok(event.reason instanceof XinlianError, label);
      assert.equal(event.reason.code, code, `${label}: ${event.reason.message}`);
      if (reason !== undefined) assert.equal(event.reason.details?.['reason'], reason, label);
      assert.equal(event.direction, 'inbound');
      reasons.push([label, event.reason.code, event.reason.details?.['reason']]);
      if (raw !== undefined && code !== 'TIMEOUT') {
        // The refused side is told why in a goodbye frame after the listener's own hello.
        const frames = framesReceived(raw);
        assert.deepEqual(frames.map((f) => f.type), [P2P_FRAME_TYPE.hello, P2P_FRAME_TYPE.goodbye], label);
        assert.equal(decodeGoodbye(frames[1]!.payload).code, code, label);
      }
    };

    // A real node of a foreign chain dials the victim (and refuses the victim in turn).
    await check('foreign CA', async () => {
      const intruder = createPeerNetwork({
        genesis: foreign.genesis, suite, key: foreign.keys[0]!, cert: foreign.certsPem[0]!, listen: { host: '127.0.0.1', port: 0 },
        peers: [{ host: '127.0.0.1', port }], limits: { reconnectDelayMsMin: 60_000, reconnectDelayMsMax: 60_000 },
        logger: createLogger({ level: 'error', write: () => undefined, nowMs: Date.now }), nowMs: Date.now,
      });
      t.after(() => intruder.stop());
      await intruder.start();
    }, 'PEER_AUTH_FAILED', 'unknown-member');

    // Expired: issued by the right CA, role node, but its validity ended yesterday.
    const ca = orgIdentity(chain, 'org1', 'ca');
    const expired = await issueIdentity({
      suite, subject: { commonName: 'old.org1', organisation: 'org1', role: 'node' },
      issuer: { keyPem: '', certPem: '', certDer: ca.certDer, key: ca.key, name: { commonName: 'Organisation 1 CA', organisation: 'org1' } },
      notBeforeMs: Date.now() - 3 * DAY_MS, notAfterMs: Date.now() - DAY_MS,
    });
    await check('expired certificate', async () => {
      const raw = await connectRaw(port);
      raw.sendFrame(P2P_FRAME_TYPE.hello, helloFor(chain, expired.certDer, expired.key, raw.exporter));
      return raw;
    }, 'PEER_AUTH_FAILED', 'certificate-invalid');

    const client = orgIdentity(chain, 'org1', 'client');
    await check('client certificate', async () => {
      const raw = await connectRaw(port);
      raw.sendFrame(P2P_FRAME_TYPE.hello, helloFor(chain, client.certDer, client.key, raw.exporter));
      return raw;
    }, 'PEER_AUTH_FAILED', 'not-a-node');

    await check('stolen certificate, without its key', async () => {
      const raw = await connectRaw(port);
      raw.sendFrame(P2P_FRAME_TYPE.hello, helloFor(chain, node1Cert, client.key, raw.exporter));
      return raw;
    }, 'PEER_AUTH_FAILED', 'bad-signature');

    // Replay: a hello node1 really signed and used on an earlier session (accepted there), sent
    // again on a new one.
    const accepted = nextEvent(victim.network, (event) => event.kind === 'connected');
    const earlier = await connectRaw(port);
    const recorded = helloFor(chain, node1Cert, chain.keys[1]!, earlier.exporter);
    earlier.sendFrame(P2P_FRAME_TYPE.hello, recorded);
    assert.equal((await accepted).kind, 'connected');
    const gone = nextEvent(victim.network, (event) => event.kind === 'disconnected');
    earlier.socket.destroy();
    await gone;
    await check('replayed hello', async () => {
      const raw = await connectRaw(port);
      assert.notDeepEqual(raw.exporter, earlier.exporter);
      raw.sendFrame(P2P_FRAME_TYPE.hello, recorded);
      return raw;
    }, 'PEER_AUTH_FAILED', 'bad-signature');

    // Reflection: the listener's own hello sent back to it.
    await check('reflected hello', async () => {
      const raw = await connectRaw(port);
      await new Promise<void>((resolve) => raw.socket.once('data', () => resolve()));
      const [hello] = framesReceived(raw);
      raw.sendFrame(P2P_FRAME_TYPE.hello, hello!.payload);
      return raw;
    }, 'PEER_AUTH_FAILED', 'bad-signature');

    await check('another chain id', async () => {
      const raw = await connectRaw(port);
      raw.sendFrame(P2P_FRAME_TYPE.hello, helloFor(chain, node1Cert, chain.keys[1]!, raw.exporter, 'p2p-other'));
      return raw;
    }, 'PEER_AUTH_FAILED', 'wrong-chain');

    await check('application frame before the hello', async () => {
      const raw = await connectRaw(port);
      raw.sendFrame(16, utf8('let me in'));
      return raw;
    }, 'DECODE_ERROR');

    await check('silence', () => connectRaw(port), 'TIMEOUT');

    // The listener still serves members: node1 connects and talks.
    const member = makeNode(chain, 1, { peerPorts: [port] });
    const connected = nextEvent(victim.network, (event) => event.kind === 'connected');
    await member.network.start();
    t.after(() => member.network.stop());
    await connected;
    const got = collect(victim.network, 1);
    await waitUntil([member.network], () => member.network.peers().length === 1);
    member.network.send(victim.network.id, 16, utf8('hello'));
    assert.equal(Buffer.from((await got)[0]!.payload).toString(), 'hello');

    // Every refusal was logged as a structured warning with its code.
    const refusals = victim.logLines.map((line) => JSON.parse(line)).filter((record) => record.msg === 'peer refused');
    assert.deepEqual(refusals.map((r) => [r.level, r.code, r.reason]), reasons.map(([, code, reason]) => ['warn', code, reason]));
    assert.equal(reasons.length, 9);
  });

  test(`${suite}: a node refuses to start with a certificate that its peers would refuse`, async (t) => {
    const chain = await makeChain(suite, 2);
    t.after(() => chain.remove());
    const logger = createLogger({ level: 'error', write: () => undefined, nowMs: Date.now });
    const base = { genesis: chain.genesis, suite, listen: { host: '127.0.0.1', port: 0 }, peers: [], logger };
    const client = orgIdentity(chain, 'org1', 'client');
    assert.throws(() => createPeerNetwork({ ...base, key: client.key, cert: client.certDer, nowMs: Date.now }), (e: unknown) => e instanceof XinlianError && e.code === 'CERT_INVALID');
    assert.throws(() => createPeerNetwork({ ...base, key: chain.keys[1]!, cert: chain.certsPem[0]!, nowMs: Date.now }), (e: unknown) => e instanceof XinlianError && e.code === 'KEY_INVALID');
    const later = () => Date.now() + 3 * 365 * DAY_MS; // past the node certificate's two years
    assert.throws(() => createPeerNetwork({ ...base, key: chain.keys[0]!, cert: chain.certsPem[0]!, nowMs: later }), (e: unknown) => e instanceof XinlianError && e.code === 'CERT_INVALID');
  });
}

test('a peer whose certificate is revoked is dropped at once and refused when it dials again', async (t) => {
  const chain = await makeChain('intl', 2);
  t.after(() => chain.remove());
  const revoked = new Set<string>();
  const membership = new MembershipVerifier(chain.genesis, nodeSuite('intl'));
  membership.setRevocationCheck((hash) => revoked.has(toHex(hash)));
  const nodes = await startMesh(chain, 2, { membership });
  t.after(() => Promise.all(nodes.map((node) => node.network.stop())));
  const [a, b] = nodes as [TestNode, TestNode];
  const lost = nextEvent(a.network, (event) => event.kind === 'disconnected' && event.peer.id === b.network.id);
  revoked.add(b.network.id); // a peer id is the hash of its certificate
  assert.equal(a.network.recheckPeers(), 1);
  const event = await lost;
  assert.ok(event.kind === 'disconnected' && event.reason.code === 'PEER_AUTH_FAILED' && event.reason.details?.['reason'] === 'revoked');
  // b redials (or a does): every new hello of b's certificate is refused as revoked.
  const refused = await nextEvent(a.network, (e) => e.kind === 'refused' && e.reason.details?.['reason'] === 'revoked');
  assert.equal(refused.kind, 'refused');
  assert.equal(a.network.peers().length, 0);
});

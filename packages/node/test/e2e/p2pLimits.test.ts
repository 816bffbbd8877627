import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pemDecode, toHex, XinlianError } from '@xinlian/protocol';
import { nodeSuite } from '@xinlian/crypto-node';
import { buildHello } from '../../src/p2p/peerHello.js';
import type { PeerEvent } from '../../src/p2p/peerNetwork.js';
import { collect, connectRaw, fullyMeshed, makeChain, makeNode, nextEvent, P2P_FRAME_TYPE, startMesh, waitUntil } from './p2pTestKit.js';

const isDisconnect = (code: string) => (event: PeerEvent) => event.kind === 'disconnected' && event.reason.code === code;

test('receive rate limits: frames and bytes per second on the injected clock; a peer above them is dropped', async (t) => {
  const chain = await makeChain('intl', 2);
  t.after(() => chain.remove());
  let now = Date.now();
  const receiver = makeNode(chain, 0, { nowMs: () => now, limits: { receiveFramesPerSecond: 10, receiveFramesBurst: 5, frameBytesMax: 1024, helloFrameBytesMax: 1024, receiveBytesPerSecond: 1024, receiveBytesBurst: 1024 } });
  await receiver.network.start();
  t.after(() => receiver.network.stop());
  // The sender does not redial on its own during the test (one long backoff), so counts are exact.
  const sender = makeNode(chain, 1, { peerPorts: [receiver.network.port], limits: { reconnectDelayMsMin: 60_000, reconnectDelayMsMax: 60_000 } });
  await sender.network.start();
  t.after(() => sender.network.stop());
  await waitUntil([sender.network, receiver.network], () => receiver.network.peers().length === 1 && sender.network.peers().length === 1);
  const to = receiver.network.id;

  let batch = collect(receiver.network, 5);
  for (let i = 0; i < 5; i++) sender.network.send(to, 16, Uint8Array.of(i));
  assert.equal((await batch).length, 5); // the burst
  now += 500; // 10 frames a second: five more tokens
  batch = collect(receiver.network, 5);
  for (let i = 0; i < 5; i++) sender.network.send(to, 16, Uint8Array.of(i));
  assert.equal((await batch).length, 5);
  const dropped = nextEvent(receiver.network, isDisconnect('PEER_RATE_LIMITED'));
  const told = nextEvent(sender.network, isDisconnect('PEER_RATE_LIMITED')); // the goodbye says why
  let extra = 0;
  const off = receiver.network.onMessage(() => extra++);
  sender.network.send(to, 16, Uint8Array.of(99));
  await Promise.all([dropped, told]);
  off();
  assert.equal(extra, 0);
  assert.ok(receiver.logLines.some((line) => line.includes('"code":"PEER_RATE_LIMITED"')));
});

test('receive byte limit: frames within the frame limit but above the byte rate drop the peer', async (t) => {
  const chain = await makeChain('intl', 2);
  t.after(() => chain.remove());
  const now = Date.now();
  const receiver = makeNode(chain, 0, { nowMs: () => now, limits: { frameBytesMax: 1024, helloFrameBytesMax: 1024, receiveBytesPerSecond: 100, receiveBytesBurst: 1024 } });
  await receiver.network.start();
  t.after(() => receiver.network.stop());
  const sender = makeNode(chain, 1, { peerPorts: [receiver.network.port], limits: { reconnectDelayMsMin: 60_000, reconnectDelayMsMax: 60_000 } });
  await sender.network.start();
  t.after(() => sender.network.stop());
  await waitUntil([sender.network, receiver.network], () => receiver.network.peers().length === 1 && sender.network.peers().length === 1);
  const two = collect(receiver.network, 2);
  const dropped = nextEvent(receiver.network, isDisconnect('PEER_RATE_LIMITED'));
  for (let i = 0; i < 3; i++) sender.network.send(receiver.network.id, 16, new Uint8Array(400)); // 401 bytes each; burst 1024
  assert.equal((await two).length, 2);
  await dropped;
});

test('send queue: a burst beyond sendQueueFramesMax, or a peer that stops reading, is dropped with PEER_QUEUE_FULL', async (t) => {
  const chain = await makeChain('intl', 2);
  t.after(() => chain.remove());
  const sender = makeNode(chain, 0, { limits: { sendQueueFramesMax: 3, frameBytesMax: 64 * 1024, helloFrameBytesMax: 8192, sendQueueBytesMax: 1024 * 1024 } });
  await sender.network.start();
  t.after(() => sender.network.stop());

  // A raw peer that authenticates as node1, then never reads again.
  const suite = nodeSuite('intl');
  const cert = pemDecode(chain.certsPem[1]!, 'CERTIFICATE');
  const opened = nextEvent(sender.network, (event) => event.kind === 'connected');
  const raw = await connectRaw(sender.network.port);
  raw.sendFrame(P2P_FRAME_TYPE.hello, buildHello({ chainId: chain.genesis.chainId, suite, key: chain.keys[1]!, certDer: cert, id: toHex(suite.hash(cert)) }, 'dialer', raw.exporter));
  await opened;
  const peerId = toHex(suite.hash(cert));

  // Frames are queued until the kernel takes them, which is never synchronous: four in one turn overflow.
  const full = nextEvent(sender.network, isDisconnect('PEER_QUEUE_FULL'));
  assert.deepEqual([1, 2, 3, 4].map(() => sender.network.send(peerId, 16, Uint8Array.of(1))), [true, true, true, false]);
  await full;
  await raw.closed;

  // Bytes: the peer stops reading; one frame per turn until kernel buffers and our queue fill up.
  const second = nextEvent(sender.network, (event) => event.kind === 'connected');
  const stuck = await connectRaw(sender.network.port);
  stuck.sendFrame(P2P_FRAME_TYPE.hello, buildHello({ chainId: chain.genesis.chainId, suite, key: chain.keys[1]!, certDer: cert, id: toHex(suite.hash(cert)) }, 'dialer', stuck.exporter));
  await second;
  stuck.socket.pause();
  const dropped = nextEvent(sender.network, isDisconnect('PEER_QUEUE_FULL'));
  let sentBytes = 0;
  for (let i = 0; i < 10_000 && sender.network.send(peerId, 16, new Uint8Array(60 * 1024)); i++) {
    sentBytes += 60 * 1024;
    await new Promise((resolve) => setImmediate(resolve)); // let the socket flush what the kernel takes
  }
  const event = await dropped;
  assert.ok(event.kind === 'disconnected' && (event.reason.details?.['queuedBytes'] as number) > 0);
  t.diagnostic(`queue full after ${(sentBytes / 1024 / 1024).toFixed(1)} MiB to a peer that stopped reading`);
  stuck.socket.destroy();
});

test('a handler that throws a typed error disconnects that peer; oversized sends are refused locally', async (t) => {
  const chain = await makeChain('intl', 2);
  t.after(() => chain.remove());
  const a = makeNode(chain, 0, { limits: { frameBytesMax: 1024, helloFrameBytesMax: 1024, receiveBytesBurst: 1024 } });
  await a.network.start();
  t.after(() => a.network.stop());
  const b = makeNode(chain, 1, { peerPorts: [a.network.port], limits: { frameBytesMax: 1024, helloFrameBytesMax: 1024, receiveBytesBurst: 1024, reconnectDelayMsMin: 60_000, reconnectDelayMsMax: 60_000 } });
  await b.network.start();
  t.after(() => b.network.stop());
  await waitUntil([a.network, b.network], () => a.network.peers().length === 1 && b.network.peers().length === 1);
  a.network.onMessage((_, type) => {
    if (type === 66) throw new XinlianError('DECODE_ERROR', 'not a valid consensus message');
  });
  assert.throws(() => b.network.send(a.network.id, 16, new Uint8Array(2000)), (e: unknown) => e instanceof XinlianError && e.code === 'PAYLOAD_TOO_LARGE');
  const dropped = nextEvent(a.network, isDisconnect('DECODE_ERROR'));
  b.network.send(a.network.id, 66, Uint8Array.of(0));
  await dropped;
});

for (const suite of ['intl', 'gm'] as const) {
  test(`${suite}: a peer that stops is redialed with backoff and rejoins the mesh when it restarts`, async (t) => {
    const chain = await makeChain(suite, 3);
    t.after(() => chain.remove());
    const nodes = await startMesh(chain, 3);
    t.after(() => Promise.all(nodes.map((node) => node.network.stop())));
    const [a, b, c] = nodes as [typeof nodes[0], typeof nodes[0], typeof nodes[0]];
    const port = b.network.port;
    const peerPorts = [a.network.port, c.network.port];

    const lost = [a, c].map((node) => nextEvent(node.network, (event) => event.kind === 'disconnected' && event.peer.id === b.network.id));
    await b.network.stop();
    await Promise.all(lost);
    assert.equal(a.network.peers().length, 1);
    // a keeps dialing b's address; wait for one failed attempt before b comes back.
    const failed = await nextEvent(a.network, (event) => event.kind === 'refused' && event.direction === 'outbound');
    assert.equal(failed.kind === 'refused' && failed.reason.code, 'UNAVAILABLE');

    const restarted = makeNode(chain, 1, { port, peerPorts });
    t.after(() => restarted.network.stop());
    await restarted.network.start();
    const networks = [a.network, restarted.network, c.network];
    await waitUntil(networks, () => fullyMeshed(networks));
    assert.equal(restarted.network.id, b.network.id); // same certificate, same peer id

    const atB = collect(restarted.network, 2);
    a.network.broadcast(16, Uint8Array.of(1));
    c.network.broadcast(16, Uint8Array.of(3));
    const got = (await atB).map((m) => m.payload[0]).sort();
    assert.deepEqual(got, [1, 3]);
    // While b was down, a kept trying (logged at debug, not as a warning).
    assert.ok(a.logLines.some((line) => line.includes('"msg":"peer unreachable"')));
  });
}

test('liveness: idle peers keep each other alive with pings; a peer silent for peerSilenceMsMax is dropped with TIMEOUT', async (t) => {
  const chain = await makeChain('intl', 2);
  t.after(() => chain.remove());
  const limits = { pingIntervalMs: 20, peerSilenceMsMax: 200, reconnectDelayMsMin: 60_000, reconnectDelayMsMax: 60_000 };
  const receiver = makeNode(chain, 0, { limits });
  await receiver.network.start();
  t.after(() => receiver.network.stop());
  let senderFrozen = false;
  let frozenAtMs = 0;
  const sender = makeNode(chain, 1, { peerPorts: [receiver.network.port], limits, nowMs: () => (senderFrozen ? frozenAtMs : Date.now()) });
  await sender.network.start();
  t.after(() => sender.network.stop());
  await waitUntil([sender.network, receiver.network], () => receiver.network.peers().length === 1 && sender.network.peers().length === 1);

  // Idle for many silence limits: pings alone keep the connection (no application frame is sent).
  const lost: PeerEvent[] = [];
  receiver.network.onPeerEvent((event) => { if (event.kind === 'disconnected') lost.push(event); });
  await new Promise((r) => setTimeout(r, 1_000));
  assert.deepEqual(lost, [], 'an idle but healthy peer is not dropped');
  assert.equal(receiver.network.peers().length, 1);

  // The sender freezes (its clock stops, so it believes it has just written and sends no ping),
  // like a partitioned or stopped process: the receiver drops it once the silence is too long.
  frozenAtMs = Date.now();
  senderFrozen = true;
  const event = await nextEvent(receiver.network, isDisconnect('TIMEOUT'));
  assert.ok(event.kind === 'disconnected' && /nothing received from the peer/.test(event.reason.message));
  assert.ok(receiver.logLines.some((line) => line.includes('"code":"TIMEOUT"')));
});

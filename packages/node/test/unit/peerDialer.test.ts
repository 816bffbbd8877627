import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XinlianError } from '@xinlian/protocol';
import { PeerDialer } from '../../src/p2p/peerDialer.js';
import { resolvePeerLimits } from '../../src/p2p/peerLimits.js';

/** A dialer on mock timers: how many dials happened, and how long until the next one. */
function harness(t: import('node:test').TestContext) {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let dials = 0;
  const dialer = new PeerDialer({ host: '127.0.0.1', port: 1 }, resolvePeerLimits({ reconnectDelayMsMin: 100, reconnectDelayMsMax: 1600 }), {
    dial: () => { dials++; },
    isConnected: () => false,
  });
  /** The delay before the next dial, found by advancing the clock 1 ms at a time (bounded). */
  const nextDelay = (): number => {
    const before = dials;
    for (let ms = 1; ms <= 10_000; ms++) {
      t.mock.timers.tick(1);
      if (dials > before) return ms;
    }
    throw new Error('no dial within 10 s');
  };
  return { dialer, dials: () => dials, nextDelay };
}

const refused = new XinlianError('PEER_AUTH_FAILED', 'peer closed: peer certificate refused: revoked', { reason: 'revoked' });
const lost = new XinlianError('TIMEOUT', 'peer silent');

test('a peer that refuses us right after the handshake (revoked) is redialed with a growing delay, not in a loop', (t) => {
  const { dialer, dials, nextDelay } = harness(t);
  dialer.start();
  assert.equal(dials(), 1, 'the first dial is immediate');
  const delays: number[] = [];
  for (let i = 0; i < 6; i++) {
    // Our side accepted the peer's hello, then the peer closed: PEER_AUTH_FAILED on an open connection.
    dialer.opened('peer-a');
    dialer.closed(refused, true);
    delays.push(nextDelay());
  }
  assert.deepEqual(delays, [200, 400, 800, 1600, 1600, 1600]);
  dialer.stop();
});

test('an open connection lost for another reason resets the delay; failed attempts double it', (t) => {
  const { dialer, nextDelay } = harness(t);
  dialer.start();
  dialer.closed(new XinlianError('UNAVAILABLE', 'connect ECONNREFUSED'), false);
  assert.equal(nextDelay(), 200);
  dialer.closed(new XinlianError('UNAVAILABLE', 'connect ECONNREFUSED'), false);
  assert.equal(nextDelay(), 400);
  dialer.opened('peer-a');
  dialer.closed(lost, true);
  assert.equal(nextDelay(), 100, 'a connection that worked and was lost is redialed at the shortest delay');
  dialer.stop();
});

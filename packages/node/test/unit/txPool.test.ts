import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toHex, XinlianError } from '@xinlian/protocol';
import { TxPool } from '../../src/mempool/txPool.js';
import type { AdmittedTx } from '../../src/execution/application.js';

function tx(n: number, size = 10): AdmittedTx {
  const txId = new Uint8Array(32).fill(n);
  return { txId, body: {} as AdmittedTx['body'], sender: {} as AdmittedTx['sender'], encoded: new Uint8Array(size) };
}

test('pool deduplicates, keeps arrival order and respects block limits when reaping', () => {
  const pool = new TxPool({ txsMax: 10, bytesMax: 1000 });
  assert.equal(pool.add(tx(1)), true);
  assert.equal(pool.add(tx(1)), false);
  pool.add(tx(2, 50));
  pool.add(tx(3));
  assert.equal(pool.size, 3);
  assert.equal(pool.sizeBytes, 70);
  assert.deepEqual(pool.reap(2, 1000).map((t) => t.txId[0]), [1, 2]);
  assert.deepEqual(pool.reap(10, 59).map((t) => t.txId[0]), [1], 'stops at the first tx that does not fit');
  pool.remove([toHex(tx(1).txId), toHex(tx(9).txId)]);
  assert.equal(pool.size, 2);
  assert.equal(pool.sizeBytes, 60);
});

test('a full pool refuses with MEMPOOL_FULL, by count and by bytes', () => {
  const pool = new TxPool({ txsMax: 2, bytesMax: 100 });
  pool.add(tx(1));
  pool.add(tx(2));
  assert.throws(() => pool.add(tx(3)), (e: unknown) => e instanceof XinlianError && e.code === 'MEMPOOL_FULL');
  const small = new TxPool({ txsMax: 10, bytesMax: 15 });
  small.add(tx(1));
  assert.throws(() => small.add(tx(2)), (e: unknown) => e instanceof XinlianError && e.code === 'MEMPOOL_FULL');
});

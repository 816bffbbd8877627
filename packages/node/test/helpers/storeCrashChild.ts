// Child process for storeCrash.test: commits batches forever until killed. Every batch rewrites all
// KEY_COUNT keys of bucket `data` with its batch number and sets `meta/batch`; it also deletes and
// re-creates a rotating key so deletes are inside the atomic batch too. After each commit returns
// it prints the batch number, which must then survive SIGKILL.
import { Store, type StorageOp } from '../../src/storage/store.js';

const KEY_COUNT = 400;
const directory = process.argv[2];
if (directory === undefined) throw new Error('usage: storeCrashChild <directory>');

const store = Store.open(directory, { buckets: ['data', 'meta'] });
const batchKey = new Uint8Array([1]);
const stored = store.get('meta', batchKey);
let batch = stored === undefined ? 0 : new DataView(stored.buffer, stored.byteOffset).getUint32(0);

for (;;) {
  batch++;
  const value = new Uint8Array(200);
  new DataView(value.buffer).setUint32(0, batch);
  const ops: StorageOp[] = [];
  for (let i = 0; i < KEY_COUNT; i++) {
    const key = new Uint8Array([0, i >> 8, i & 255]);
    // The rotating key is deleted in this batch; it was written (with the old number) in the last.
    if (i === batch % KEY_COUNT) ops.push({ type: 'delete', bucket: 'data', key });
    else ops.push({ type: 'put', bucket: 'data', key, value });
  }
  ops.push({ type: 'put', bucket: 'meta', key: batchKey, value: value.slice(0, 4) });
  store.commit(ops);
  process.stdout.write(`${batch}\n`);
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src/storage/store.js';
import { STATE_BUCKET_NAMES } from '../../src/state/stateBuckets.js';

/** Runs `body` with a fresh store holding the state buckets, and removes it afterwards. */
export async function withStateStore<T>(body: (store: Store) => T | Promise<T>): Promise<T> {
  const directory = mkdtempSync(join(tmpdir(), 'xinlian-state-'));
  const store = Store.open(directory, { buckets: STATE_BUCKET_NAMES });
  try {
    return await body(store);
  } finally {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

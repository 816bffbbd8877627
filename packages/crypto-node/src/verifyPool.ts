import { Worker } from 'node:worker_threads';
import { assert, XinlianError, type SuiteName } from '@xinlian/protocol';

export interface VerifyItem {
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

export interface VerifyPool {
  /** Results in input order; false for anything malformed. Rejects only if the pool is closed. */
  verifyBatch(items: readonly VerifyItem[]): Promise<boolean[]>;
  close(): Promise<void>;
}

/** @internal wire format between the pool and verifyWorker.js */
export interface VerifyRequest { readonly id: number; readonly items: readonly VerifyItem[] }
/** @internal */
export interface VerifyResponse { readonly id: number; readonly results: Uint8Array }

// One message per chunk: large enough that postMessage costs little against the verifications,
// small enough that two threads share a batch evenly.
const MAX_CHUNK_ITEMS = 256;

interface Pending {
  readonly resolve: (results: Uint8Array) => void;
  readonly reject: (error: Error) => void;
  readonly worker: WorkerState;
  readonly size: number;
}

interface WorkerState {
  readonly worker: Worker;
  load: number;
}

/** Verification on worker threads, each with its own OpenSSL suite and key cache. */
export function createVerifyPool(options: { suite: SuiteName; threads: number }): VerifyPool {
  const { suite, threads } = options;
  assert(Number.isInteger(threads) && threads >= 1, 'createVerifyPool: threads must be a positive integer');
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let closed = false;

  const failAll = (state: WorkerState, error: Error) => {
    for (const [id, entry] of pending) {
      if (entry.worker === state) {
        pending.delete(id);
        entry.reject(error);
      }
    }
  };

  const workers: WorkerState[] = Array.from({ length: threads }, () => {
    const worker = new Worker(new URL('./verifyWorker.js', import.meta.url), { workerData: { suite } });
    const state: WorkerState = { worker, load: 0 };
    worker.on('message', (response: VerifyResponse) => {
      const entry = pending.get(response.id);
      if (entry === undefined) return;
      pending.delete(response.id);
      state.load -= entry.size;
      entry.resolve(response.results);
    });
    worker.on('error', (error) => failAll(state, new XinlianError('INTERNAL', `verify worker failed: ${error.message}`)));
    worker.on('exit', () => failAll(state, new XinlianError('UNAVAILABLE', 'verify worker exited')));
    return state;
  });

  function dispatch(items: readonly VerifyItem[]): Promise<Uint8Array> {
    const state = workers.reduce((best, candidate) => (candidate.load < best.load ? candidate : best));
    const id = nextId++;
    state.load += items.length;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, worker: state, size: items.length });
      const request: VerifyRequest = { id, items };
      state.worker.postMessage(request);
    });
  }

  return {
    async verifyBatch(items) {
      if (closed) throw new XinlianError('UNAVAILABLE', 'verify pool is closed');
      if (items.length === 0) return [];
      const chunkSize = Math.min(MAX_CHUNK_ITEMS, Math.ceil(items.length / threads));
      const chunks: Promise<Uint8Array>[] = [];
      for (let start = 0; start < items.length; start += chunkSize) chunks.push(dispatch(items.slice(start, start + chunkSize)));
      const out: boolean[] = [];
      for (const results of await Promise.all(chunks)) for (const flag of results) out.push(flag === 1);
      return out;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(workers.map((state) => state.worker.terminate()));
    },
  };
}

import { Worker } from 'node:worker_threads';
import { XinlianError } from '@xinlian/protocol';
import { STATE_BUCKET_NAMES } from '../state/stateBuckets.js';
import type { BlockExecutor, ExecutedBlock, ExecutionRequest } from './blockExecutor.js';
import type { ContractQueries, ContractQuery, ContractQueryAnswer } from './contractQuery.js';
import { unpackStorageOps } from './storageOpsWire.js';

export interface ExecutionWorkerData {
  /** The node's data directory (its LMDB environment), opened by the worker for reading. */
  dataDir: string;
  /** genesis.json as the node read it. */
  genesisJson: string;
}

export type WorkerRequest =
  | ({ type: 'execute'; id: number } & ExecutionRequest)
  | ({ type: 'query'; id: number } & ContractQuery)
  | { type: 'close'; id: number };

export type WorkerReply =
  | { id: number; ok: true; executed: Omit<ExecutedBlock, 'stateOps'>; ops: Uint8Array }
  | { id: number; ok: true; answer: ContractQueryAnswer }
  | { id: number; ok: false; message: string; stack: string };

type Waiting = { resolve: (reply: WorkerReply & { ok: true }) => void; reject: (error: Error) => void };

/**
 * Blocks executed, or contract queries run, on a worker thread (ADR 014): the main thread only
 * sends the txs and receives the results, the roots and the state writes (as one transferred
 * buffer). One worker, requests answered in order (a node runs one for blocks, one for queries). A failure inside the worker is a broken invariant there and rejects the
 * request with its stack; a worker that dies rejects everything and every later request.
 */
export class WorkerExecutor implements BlockExecutor, ContractQueries {
  private readonly pending = new Map<number, Waiting>();
  private nextId = 0;
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WorkerReply) => this.answer(reply));
    worker.on('error', (error) => this.failAll(new XinlianError('INTERNAL', `execution worker failed: ${error.message}`)));
    worker.on('exit', (code) => this.failAll(new XinlianError('UNAVAILABLE', `execution worker exited (${code})`)));
  }

  static async start(data: ExecutionWorkerData): Promise<WorkerExecutor> {
    const worker = new Worker(new URL('./executionWorker.js', import.meta.url), { workerData: data });
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(new XinlianError('INTERNAL', `execution worker did not start: ${error.message}`));
      worker.once('error', onError);
      worker.once('message', () => {
        worker.off('error', onError);
        resolve();
      });
    });
    return new WorkerExecutor(worker);
  }

  async execute(request: ExecutionRequest): Promise<ExecutedBlock> {
    const reply = await this.send({ type: 'execute', id: this.nextId++, ...request });
    if (!('executed' in reply)) throw new Error('execution worker: an execution answered as a query');
    return { ...reply.executed, stateOps: unpackStorageOps(reply.ops, STATE_BUCKET_NAMES) };
  }

  async query(query: ContractQuery): Promise<ContractQueryAnswer> {
    const reply = await this.send({ type: 'query', id: this.nextId++, ...query });
    if (!('answer' in reply)) throw new Error('execution worker: a query answered as an execution');
    return reply.answer;
  }

  private send(request: WorkerRequest): Promise<WorkerReply & { ok: true }> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject });
      this.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    if (this.failure !== undefined) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ type: 'close', id: this.nextId++ } satisfies WorkerRequest);
    await exited;
  }

  private answer(reply: WorkerReply): void {
    const entry = this.pending.get(reply.id);
    if (entry === undefined) return;
    this.pending.delete(reply.id);
    if (reply.ok) entry.resolve(reply);
    else entry.reject(Object.assign(new Error(`execution worker: ${reply.message}`), { stack: reply.stack }));
  }

  private failAll(error: Error): void {
    this.failure ??= error;
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
  }
}

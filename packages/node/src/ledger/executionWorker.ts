// The execution worker (ADR 014): a thread that executes blocks for the node's main thread, so
// that a block of contract calls never keeps the main thread from consensus, peers and the API.
// It opens the node's store for reading, runs the same InlineExecutor the main thread would, and
// sends back the results and the state tree's writes, which the main thread commits.
import { parentPort, workerData } from 'node:worker_threads';
import { parseGenesis } from '@xinlian/protocol';
import { nodeSuite } from '@xinlian/crypto-node';
import { ContractSandbox } from '@xinlian/contracts/sandbox';
import { ContractRunner } from '../execution/contracts/contractHandler.js';
import { builtInHandlers } from '../execution/handlers.js';
import { STATE_BUCKET_NAMES } from '../state/stateBuckets.js';
import { StateTree } from '../state/stateTree.js';
import { InlineExecutor } from './blockExecutor.js';
import { openChainStore } from './chainStore.js';
import { InlineQueries } from './contractQuery.js';
import { packStorageOps } from './storageOpsWire.js';
import type { ExecutionWorkerData, WorkerReply, WorkerRequest } from './workerExecutor.js';

const port = parentPort!;
const { dataDir, genesisJson } = workerData as ExecutionWorkerData;
const genesis = parseGenesis(JSON.parse(genesisJson));
const suite = nodeSuite(genesis.suite);
const store = openChainStore(dataDir);
const state = new StateTree(store.db, suite.hash);
const contracts = new ContractRunner(await ContractSandbox.create());
const refresh = (): void => store.db.refresh();
const executor = new InlineExecutor({ genesis, hash: suite.hash, state, handlers: builtInHandlers({ suite, contracts }), refresh });
const queries = new InlineQueries(state, contracts, suite.hash, () => performance.now(), refresh);

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'close') {
    void store.close().then(() => port.close());
    return;
  }
  let reply: WorkerReply;
  let transfer: ArrayBuffer[] = [];
  try {
    if (request.type === 'query') {
      reply = { id: request.id, ok: true, answer: queries.queryNow(request) };
    } else {
      const { stateOps, ...executed } = executor.executeNow(request);
      const ops = packStorageOps(stateOps, STATE_BUCKET_NAMES);
      reply = { id: request.id, ok: true, executed, ops };
      transfer = [ops.buffer as ArrayBuffer];
    }
  } catch (error) {
    reply = { id: request.id, ok: false, message: (error as Error).message, stack: (error as Error).stack ?? '' };
  }
  port.postMessage(reply, transfer);
});
port.postMessage({ ready: true });

// Worker-thread side of createVerifyPool: verifies batches with the OpenSSL suite.
import { parentPort, workerData } from 'node:worker_threads';
import { isSuiteName } from '@xinlian/protocol';
import { nodeSuite } from './nodeSuite.js';
import type { VerifyRequest, VerifyResponse } from './verifyPool.js';

const suiteName: unknown = (workerData as { suite?: unknown } | undefined)?.suite;
if (parentPort === null || !isSuiteName(suiteName)) throw new Error('verifyWorker: must run as a worker with workerData.suite');
const port = parentPort;
const suite = nodeSuite(suiteName);

port.on('message', (request: VerifyRequest) => {
  const results = new Uint8Array(request.items.length);
  request.items.forEach((item, i) => {
    results[i] = suite.verify(item.publicKey, item.message, item.signature) ? 1 : 0;
  });
  const response: VerifyResponse = { id: request.id, results };
  port.postMessage(response, [results.buffer]);
});

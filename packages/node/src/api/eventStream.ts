import type { ServerResponse } from 'node:http';
import { decodeBlock, blockHashOf, XinlianError, decodeTxResult } from '@xinlian/protocol';
import type { Request } from './httpServer.js';
import { sendError } from './httpServer.js';
import type { NodeServices } from './nodeServices.js';
import type { CommittedBlock } from '../ledger/ledger.js';
import { resultView } from './views.js';
import { hexKey } from '../hexKey.js';

/** A slow reader is dropped once this much is buffered, so one client cannot grow the node's memory. */
const BUFFERED_BYTES_MAX = 8 * 1024 * 1024;

function blockEvent(height: number, hash: Uint8Array, timeMs: number, results: ReturnType<typeof resultView>[]): string {
  const data = { height, hash: hexKey(hash), timeMs, txCount: results.length, txs: results };
  return `id: ${height}\nevent: block\ndata: ${JSON.stringify(data)}\n\n`;
}

function liveEvent(block: CommittedBlock): string {
  return blockEvent(block.header.height, block.hash, block.header.timeMs, block.results.map(resultView));
}

/**
 * Server-sent events: one `block` event per committed block (id = height) carrying every tx
 * result. A client resumes with Last-Event-ID (or ?fromHeight=): stored blocks are replayed first,
 * then live blocks follow, with no gap and no duplicate.
 */
export function streamEvents(node: NodeServices, req: Request, res: ServerResponse): void {
  if (node.feed.subscriberCount >= node.streamsMax) {
    sendError(res, new XinlianError('UNAVAILABLE', `too many event streams (${node.streamsMax})`));
    return;
  }
  const lastEventId = req.headers['last-event-id'];
  const fromQuery = req.query.get('fromHeight');
  let next = node.height() + 1;
  if (typeof lastEventId === 'string' && /^\d+$/.test(lastEventId)) next = Number(lastEventId) + 1;
  else if (fromQuery !== null) {
    if (!/^\d+$/.test(fromQuery)) {
      sendError(res, new XinlianError('BAD_REQUEST', 'fromHeight must be a non-negative integer'));
      return;
    }
    next = Math.max(1, Number(fromQuery));
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  res.write(': xinlian event stream\n\n');
  const queued: CommittedBlock[] = [];
  let replaying = true;
  const unsubscribe = node.feed.subscribe((block) => {
    if (replaying) {
      queued.push(block);
      return;
    }
    write(liveEvent(block), block.header.height);
  });
  const close = (): void => {
    unsubscribe();
    res.end();
  };
  res.on('close', unsubscribe);
  const write = (text: string, height: number): void => {
    if (height < next) return;
    next = height + 1;
    res.write(text);
    if (res.writableLength > BUFFERED_BYTES_MAX) close();
  };
  // Replay stored blocks in slices so a long replay never blocks the event loop for long.
  const replay = (): void => {
    const until = Math.min(node.height(), next + 99);
    for (let height = next; height <= until; height++) {
      const raw = node.store.block(height);
      if (raw === undefined) break;
      const { header } = decodeBlock(raw);
      const results = (node.store.results(height) ?? []).map((r) => resultView(decodeTxResult(r)));
      write(blockEvent(height, blockHashOf(node.suite.hash, header), header.timeMs, results), height);
    }
    if (res.destroyed) return;
    if (next <= node.height()) {
      if (res.writableLength > BUFFERED_BYTES_MAX / 2) res.once('drain', replay);
      else setImmediate(replay);
      return;
    }
    replaying = false;
    for (const block of queued.splice(0)) write(liveEvent(block), block.header.height);
  };
  replay();
}



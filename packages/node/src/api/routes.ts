import { decodeTxBatch, TX_BATCH_MAX, utf8, XinlianError, decodeBlock, decodeCommit, blockHashOf, decodeSignedTx, decodeTxBody, evidenceKey } from '@xinlian/protocol';
import type { Request } from './httpServer.js';
import { STREAMING } from './httpServer.js';
import type { RouteSpec } from './routeSpec.js';
import { commitView, headerView, resultViewFromBytes } from './views.js';
import type { NodeServices } from './nodeServices.js';
import { streamEvents } from './eventStream.js';
import { contractRoutes } from './contractRoutes.js';
import { hexKey } from '../hexKey.js';
import { isProposalStatusFilter, PROPOSAL_STATUS_FILTERS } from '@xinlian/protocol';

const WAIT_TIMEOUT_MS_MAX = 60_000;
const HISTORY_LIMIT_MAX = 1000;
const PROPOSALS_LIMIT_MAX = 1000;

/** Node's hex decoder stops at the first bad digit, so a full-length result proves the input clean. */
function fastHex(value: string): Uint8Array | undefined {
  if (value.length % 2 !== 0) return undefined;
  const bytes = Buffer.from(value, 'hex');
  return bytes.length * 2 === value.length ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) : undefined;
}

function hexParam(value: string | null | undefined, name: string, length?: number): Uint8Array {
  const bytes = value == null ? undefined : fastHex(value);
  if (bytes === undefined || (length !== undefined && bytes.length !== length)) {
    throw new XinlianError('BAD_REQUEST', `${name} must be ${length ? `${length * 2} hex digits` : 'hex'}`);
  }
  return bytes;
}

function intParam(value: string | null | undefined, name: string, fallback: number | undefined, min: number, max: number): number {
  if (value == null || value === '') {
    if (fallback === undefined) throw new XinlianError('BAD_REQUEST', `missing ${name}`);
    return fallback;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new XinlianError('BAD_REQUEST', `${name} must be an integer in [${min}, ${max}]`);
  return n;
}

/** The state key from ?key=<utf8> or ?keyHex=<hex>. */
function stateKey(req: Request): Uint8Array {
  const text = req.query.get('key');
  if (text !== null) return utf8(text);
  return hexParam(req.query.get('keyHex'), 'keyHex');
}

/** Tx bodies: JSON {tx: hex} / {txs: [hex]}, or application/octet-stream of one encoded SignedTx. */
function txsFromBody(req: Request, batch: boolean): Uint8Array[] {
  if ((req.headers['content-type'] ?? '').startsWith('application/octet-stream')) {
    const body = new Uint8Array(req.body.buffer, req.body.byteOffset, req.body.length);
    return batch ? decodeTxBatch(body) : [body];
  }
  const json = req.json() as { tx?: unknown; txs?: unknown };
  const list = batch ? json.txs : [json.tx];
  if (!Array.isArray(list) || list.length === 0 || list.length > TX_BATCH_MAX) {
    throw new XinlianError('BAD_REQUEST', batch ? `body must be {"txs": [hex, ...]} with 1 to ${TX_BATCH_MAX} txs` : 'body must be {"tx": hex}');
  }
  return list.map((item, i) => {
    if (typeof item !== 'string') throw new XinlianError('BAD_REQUEST', `tx ${i} must be a hex string`);
    return hexParam(item, `tx ${i}`);
  });
}

export function apiRoutes(node: NodeServices): RouteSpec[] {
  const blockAt = (height: number) => {
    const raw = node.store.block(height);
    const commit = node.store.commit(height);
    if (raw === undefined || commit === undefined) throw new XinlianError('NOT_FOUND', `no block at height ${height}`);
    const block = decodeBlock(raw);
    const results = node.store.results(height) ?? [];
    return {
      header: headerView(block.header, blockHashOf(node.suite.hash, block.header)),
      commit: commitView(decodeCommit(commit)),
      txs: results.map((r) => resultViewFromBytes(r)),
    };
  };
  const txStatus = (txIdHex: string) => {
    const txId = hexParam(txIdHex, 'txId', 32);
    const location = node.store.txLocation(txId);
    if (location === undefined) {
      if (node.pool.has(hexKey(txId))) return { txId: hexKey(txId), status: 'pending' };
      throw new XinlianError('NOT_FOUND', `tx ${hexKey(txId)} is unknown to this node`);
    }
    const block = decodeBlock(node.store.block(location.height)!);
    const result = node.store.results(location.height)![location.index]!;
    const body = decodeTxBody(decodeSignedTx(block.txs[location.index]!).bodyBytes);
    return {
      txId: hexKey(txId), status: 'committed', height: location.height, index: location.index,
      blockTimeMs: block.header.timeMs, type: body.type, result: resultViewFromBytes(result),
    };
  };
  const submit = async (req: Request, batch: boolean) => {
    // Parameters are checked before admission: a bad one must not leave an accepted tx behind.
    const wait = !batch && req.query.get('wait') === 'true';
    const timeoutMs = intParam(req.query.get('timeoutMs'), 'timeoutMs', 30_000, 1, WAIT_TIMEOUT_MS_MAX);
    const outcomes = await node.admission.admit(txsFromBody(req, batch));
    const views = outcomes.map((o) => (o.ok ? { txId: hexKey(o.txId), duplicate: o.duplicate } : { ...(o.txId ? { txId: hexKey(o.txId) } : {}), error: o.error.toJSON() }));
    if (batch) return { status: 202, body: { results: views } };
    const only = outcomes[0]!;
    if (!only.ok) throw only.error;
    if (wait) {
      await node.waitForTx(only.txId, timeoutMs);
      return txStatus(hexKey(only.txId));
    }
    return { status: 202, body: views[0] };
  };
  return [
    { method: 'GET', path: '/v1/status', tag: 'chain', summary: 'Chain and node status', success: [200, 'status'], handler: async () => node.status() },
    { method: 'GET', path: '/v1/genesis', tag: 'chain', summary: 'The genesis document', success: [200, 'genesis'], handler: async () => node.genesis },
    {
      method: 'GET', path: '/v1/members', tag: 'chain',
      summary: 'The consortium at the latest height: organisations (with CA certificates, joined and removed heights), validators in force, an announced validator set, revoked certificates',
      success: [200, 'members'], handler: async () => node.members(),
    },
    {
      method: 'GET', path: '/v1/governance/proposals', tag: 'governance', summary: 'Governance proposals, newest first',
      query: [
        { name: 'status', description: `${PROPOSAL_STATUS_FILTERS.join(' | ')} (default all)` },
        { name: 'limit', description: `at most this many (default 100, at most ${PROPOSALS_LIMIT_MAX})`, type: 'integer' },
      ],
      success: [200, 'proposals'],
      handler: async (req) => {
        const status = req.query.get('status') ?? 'all';
        if (!isProposalStatusFilter(status)) throw new XinlianError('BAD_REQUEST', `status must be one of ${PROPOSAL_STATUS_FILTERS.join(', ')}`);
        return { proposals: node.proposals(status, intParam(req.query.get('limit'), 'limit', 100, 1, PROPOSALS_LIMIT_MAX)) };
      },
    },
    {
      method: 'GET', path: '/v1/governance/proposals/:id', tag: 'governance', summary: 'One governance proposal with its votes (the id is the propose tx id)',
      success: [200, 'proposal'], handler: async (req) => node.proposal(hexParam(req.params.id, 'proposal id', 32)),
    },
    {
      method: 'POST', path: '/v1/txs', tag: 'txs', summary: 'Submit one signed tx (JSON {tx: hex} or octet-stream)',
      query: [{ name: 'wait', description: 'true: answer once committed', type: 'boolean' }, { name: 'timeoutMs', description: 'wait limit', type: 'integer' }],
      body: { type: 'object', properties: { tx: { type: 'string', description: 'hex of the canonical SignedTx' } } },
      success: [202, 'accepted (durably queued); 200 with the result when wait=true'], handler: (req) => submit(req, false),
    },
    {
      method: 'POST', path: '/v1/txs/batch', tag: 'txs', summary: 'Submit many signed txs; one outcome per tx',
      body: { type: 'object', properties: { txs: { type: 'array', items: { type: 'string' } } } },
      success: [202, 'per-tx outcomes'], handler: (req) => submit(req, true),
    },
    { method: 'GET', path: '/v1/txs/:txId', tag: 'txs', summary: 'Tx status and result', success: [200, 'tx status'], handler: async (req) => txStatus(req.params.txId!) },
    {
      method: 'GET', path: '/v1/txs/:txId/wait', tag: 'txs', summary: 'Wait until a tx is committed',
      query: [{ name: 'timeoutMs', description: 'wait limit (ms)', type: 'integer' }], success: [200, 'tx status once committed'],
      handler: async (req) => {
        const txId = hexParam(req.params.txId, 'txId', 32);
        if (node.store.txLocation(txId) === undefined) {
          await node.waitForTx(txId, intParam(req.query.get('timeoutMs'), 'timeoutMs', 30_000, 1, WAIT_TIMEOUT_MS_MAX));
        }
        return txStatus(hexKey(txId));
      },
    },
    { method: 'GET', path: '/v1/blocks/latest', tag: 'blocks', summary: 'The latest block', success: [200, 'block'], handler: async () => blockAt(node.height()) },
    { method: 'GET', path: '/v1/blocks/:height', tag: 'blocks', summary: 'Block by height', success: [200, 'block'], handler: async (req) => blockAt(intParam(req.params.height, 'height', undefined, 1, Number.MAX_SAFE_INTEGER)) },
    {
      method: 'GET', path: '/v1/blocks/hash/:hash', tag: 'blocks', summary: 'Block by hash', success: [200, 'block'],
      handler: async (req) => {
        const height = node.store.heightOfHash(hexParam(req.params.hash, 'hash', 32));
        if (height === undefined) throw new XinlianError('NOT_FOUND', `no block with hash ${req.params.hash}`);
        return blockAt(height);
      },
    },
    {
      method: 'GET', path: '/v1/state', tag: 'state', summary: 'Value of a state key at a height (default latest)',
      query: [{ name: 'key', description: 'key as UTF-8' }, { name: 'keyHex', description: 'key as hex' }, { name: 'height', description: 'height', type: 'integer' }],
      success: [200, 'value (null when absent)'],
      handler: async (req) => {
        const key = stateKey(req);
        node.authorizeRead(req, key);
        const height = intParam(req.query.get('height'), 'height', node.height(), 0, node.height());
        const value = node.state.get(key, height);
        return { key: hexKey(key), height, value: value === undefined ? null : hexKey(value) };
      },
    },
    {
      method: 'GET', path: '/v1/state/history', tag: 'state', summary: 'Changes of a key, newest first',
      query: [{ name: 'key', description: 'key as UTF-8' }, { name: 'keyHex', description: 'key as hex' }, { name: 'limit', description: 'at most this many', type: 'integer' }],
      success: [200, 'history'],
      handler: async (req) => {
        const key = stateKey(req);
        node.authorizeRead(req, key);
        const limit = intParam(req.query.get('limit'), 'limit', 100, 1, HISTORY_LIMIT_MAX);
        return { key: hexKey(key), changes: node.keyHistory(key, limit) };
      },
    },
    {
      method: 'GET', path: '/v1/proofs/tx/:txId', tag: 'proofs', summary: 'Proof bundle: tx inclusion with its result',
      success: [200, 'proof bundle'], handler: async (req) => node.proofs.txProof(hexParam(req.params.txId, 'txId', 32)),
    },
    {
      method: 'GET', path: '/v1/proofs/state', tag: 'proofs', summary: 'Proof bundle: value or absence of a key at a height',
      query: [{ name: 'key', description: 'key as UTF-8' }, { name: 'keyHex', description: 'key as hex' }, { name: 'height', description: 'height (default latest)', type: 'integer' }],
      success: [200, 'proof bundle'],
      handler: async (req) => {
        const key = stateKey(req);
        node.authorizeRead(req, key);
        return node.proofs.stateProof(key, intParam(req.query.get('height'), 'height', node.height(), 1, node.height()));
      },
    },
    {
      method: 'GET', path: '/v1/evidence/:hash', tag: 'evidence', summary: 'Evidence record of a document hash',
      success: [200, 'evidence record'], handler: async (req) => {
        const hash = hexParam(req.params.hash, 'hash', 32);
        node.authorizeRead(req, evidenceKey(hash));
        return node.evidence(hash);
      },
    },
    {
      method: 'GET', path: '/v1/events', tag: 'events', summary: 'Server-sent events: committed blocks with tx results; resumable',
      query: [{ name: 'fromHeight', description: 'first height to send (default: next block); Last-Event-ID resumes after that height', type: 'integer' }],
      success: [200, 'text/event-stream'], produces: 'text/event-stream',
      handler: async (req, res) => {
        streamEvents(node, req, res);
        return STREAMING;
      },
    },
    {
      method: 'GET', path: '/v1/peers', tag: 'consensus', summary: 'Connected peers: certificate id, name, organisation, address, direction, since when',
      success: [200, 'peer list'], handler: async () => ({ peers: node.peerList() }),
    },
    {
      method: 'GET', path: '/v1/misbehaviour', tag: 'consensus', summary: 'Equivocations (conflicting signed votes or proposals) seen by this node, newest first',
      query: [{ name: 'limit', description: 'at most this many', type: 'integer' }], success: [200, 'evidence list'],
      handler: async (req) => ({ misbehaviour: node.misbehaviour(intParam(req.query.get('limit'), 'limit', 100, 1, HISTORY_LIMIT_MAX)) }),
    },
    { method: 'GET', path: '/metrics', tag: 'operations', summary: 'Prometheus metrics', success: [200, 'metrics'], produces: 'text/plain', handler: async () => ({ status: 200, body: node.metrics.render(), contentType: 'text/plain; version=0.0.4' }) },
    { method: 'GET', path: '/healthz', tag: 'operations', summary: 'Liveness', success: [200, 'ok'], handler: async () => ({ ok: true }) },
    ...contractRoutes(node),
  ];
}

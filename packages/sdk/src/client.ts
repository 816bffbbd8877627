import {
  encodeTxBatch, errorFromJson, pureSuite, READ_HEADERS, readRequestDigest, toHex, utf8, XinlianError, type Genesis, type ProofBundle,
  type ContractCodeView, type ContractView, type EvaluateView, type TxResultView, type TxStatusView,
} from '@xinlian/protocol';
import type { Identity } from './identity.js';
import { proposalIdHex, type MembersView, type ProposalStatusFilter, type ProposalView } from './governanceViews.js';

/** A tx's status as the node reports it (the view type is shared with the API, in @xinlian/protocol). */
export type TxStatus = TxStatusView;
export type { TxResultView };

export interface ChainStatus {
  chainId: string;
  suite: 'gm' | 'intl';
  nodeName: string;
  height: number;
  latestBlockHash: string;
  latestBlockTimeMs: number;
  stateRoot: string;
  mempoolTxs: number;
  [key: string]: unknown;
}

export type SubmitOutcome = { txId: string; duplicate: boolean } | { txId?: string; error: { code: string; message: string } };

export interface ClientOptions {
  /** Per-request limit; waits get their own timeout on top. */
  requestTimeoutMs?: number;
  /**
   * Signs every GET as this member, so that keys under a read rule of the consortium are served
   * (ADR 008); without it such reads fail with READ_FORBIDDEN.
   */
  reader?: { identity: Identity; chainId: string };
}

/** A typed client for one node's HTTP API; every failure is a XinlianError with a stable code. */
/** Retries of a call the node asked to repeat (503 with retryAfterMs), and the longest wait taken. */
const RETRIES_MAX = 3;
const RETRY_WAIT_MS_MAX = 2_000;

export class XinlianClient {
  readonly url: string;
  private readonly requestTimeoutMs: number;
  private readonly reader: ClientOptions['reader'];

  constructor(url: string, options: ClientOptions = {}) {
    this.url = url.replace(/\/+$/, '');
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.reader = options.reader;
  }

  /** The signed-read headers for a request of `path` (path and query, as the node sees them). */
  private async readHeaders(method: 'GET' | 'POST', path: string): Promise<Record<string, string>> {
    if (this.reader === undefined) return {};
    const { identity, chainId } = this.reader;
    const timeMs = Date.now();
    const digest = readRequestDigest(pureSuite(identity.suite).hash, chainId, method, path, timeMs);
    return {
      [READ_HEADERS.cert]: Buffer.from(identity.certDer).toString('base64'),
      [READ_HEADERS.time]: String(timeMs),
      [READ_HEADERS.signature]: toHex(await identity.signer(digest)),
    };
  }

  /**
   * One API call. A node that is busy answers 503 with `retryAfterMs` (its query budget, ADR 010):
   * the call is repeated after that wait, up to RETRIES_MAX times, when the wait is short.
   */
  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown, extraTimeoutMs = 0): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.requestOnce<T>(method, path, body, extraTimeoutMs);
      } catch (error) {
        const retryAfterMs = error instanceof XinlianError && error.code === 'UNAVAILABLE' ? (error.details as { retryAfterMs?: unknown } | undefined)?.retryAfterMs : undefined;
        if (attempt >= RETRIES_MAX || typeof retryAfterMs !== 'number' || retryAfterMs > RETRY_WAIT_MS_MAX) throw error;
        await new Promise((resolve) => setTimeout(resolve, retryAfterMs));
      }
    }
  }

  private async requestOnce<T>(method: 'GET' | 'POST', path: string, body?: unknown, extraTimeoutMs = 0): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, {
        method,
        headers: {
          // Reads are signed, and so are contract queries, which run as their signer (ADR 010).
          ...(method === 'GET' || isContractQuery(path) ? await this.readHeaders(method, path) : {}),
          ...(body === undefined ? {} : { 'content-type': body instanceof Uint8Array ? 'application/octet-stream' : 'application/json' }),
        },
        body: body === undefined ? undefined : body instanceof Uint8Array ? (body as Uint8Array<ArrayBuffer>) : JSON.stringify(body),
        signal: AbortSignal.timeout(this.requestTimeoutMs + extraTimeoutMs),
      });
    } catch (error) {
      throw new XinlianError('UNAVAILABLE', `cannot reach ${this.url}: ${(error as Error).message}`);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new XinlianError('UNAVAILABLE', `node answered ${response.status} with a body that is not JSON`);
    }
    if (!response.ok) {
      throw errorFromJson(json) ?? new XinlianError('UNAVAILABLE', `node answered ${response.status}`);
    }
    return json as T;
  }

  status(): Promise<ChainStatus> {
    return this.request('GET', '/v1/status');
  }

  genesis(): Promise<Genesis> {
    return this.request('GET', '/v1/genesis');
  }

  /** The consortium at the node's latest height: organisations, validators, an announced set, revocations. */
  members(): Promise<MembersView> {
    return this.request('GET', '/v1/members');
  }

  /** Governance proposals, newest first (default: every status, at most 100). */
  async proposals(options: { status?: ProposalStatusFilter; limit?: number } = {}): Promise<ProposalView[]> {
    const query = new URLSearchParams();
    if (options.status !== undefined) query.set('status', options.status);
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    const text = query.toString();
    const out = await this.request<{ proposals: ProposalView[] }>('GET', `/v1/governance/proposals${text === '' ? '' : `?${text}`}`);
    return out.proposals;
  }

  /** One proposal (its id is the propose tx's id); NOT_FOUND when the node knows none. */
  async proposal(id: string | Uint8Array): Promise<ProposalView> {
    return this.request('GET', `/v1/governance/proposals/${proposalIdHex(id)}`);
  }

  /** Deployed contracts: name, version, code hash and the organisations that approved it. */
  async contracts(): Promise<ContractView[]> {
    return (await this.request<{ contracts: ContractView[] }>('GET', '/v1/contracts')).contracts;
  }

  /** One contract with all its versions; CONTRACT_NOT_FOUND when none is deployed under the name. */
  contractInfo(name: string): Promise<ContractView> {
    return this.request('GET', `/v1/contracts/${encodeURIComponent(name)}`);
  }

  /** The deployed code of a contract's current version. */
  contractCode(name: string): Promise<ContractCodeView> {
    return this.request('GET', `/v1/contracts/${encodeURIComponent(name)}/code`);
  }

  /** Runs op as a query on the latest state (signed as the reader, if the client has one). */
  evaluate(name: string, op: string, args: unknown = null): Promise<EvaluateView> {
    return this.request('POST', `/v1/contracts/${encodeURIComponent(name)}/evaluate`, { op, args: args ?? null });
  }

  /** Submits one signed tx; resolves once the node has durably accepted it. */
  async submit(encodedTx: Uint8Array): Promise<string> {
    const out = await this.request<{ txId: string }>('POST', '/v1/txs', { tx: toHex(encodedTx) });
    return out.txId;
  }

  /** One outcome per tx, in order; a bad tx does not fail the others. */
  async submitBatch(encodedTxs: Uint8Array[]): Promise<SubmitOutcome[]> {
    const out = await this.request<{ results: SubmitOutcome[] }>('POST', '/v1/txs/batch', encodeTxBatch(encodedTxs));
    return out.results;
  }

  waitForTx(txId: string, timeoutMs = 30_000): Promise<TxStatus> {
    return this.request('GET', `/v1/txs/${txId}/wait?timeoutMs=${timeoutMs}`, undefined, timeoutMs);
  }

  /** Submits and waits for the commit; the status carries the tx's result (OK or its failure code). */
  async submitAndWait(encodedTx: Uint8Array, timeoutMs = 30_000): Promise<TxStatus> {
    const status = await this.request<TxStatus>('POST', `/v1/txs?wait=true&timeoutMs=${timeoutMs}`, { tx: toHex(encodedTx) }, timeoutMs);
    return status;
  }

  tx(txId: string): Promise<TxStatus> {
    return this.request('GET', `/v1/txs/${txId}`);
  }

  block(height: number | 'latest'): Promise<Record<string, unknown>> {
    return this.request('GET', `/v1/blocks/${height}`);
  }

  blockByHash(hash: string): Promise<Record<string, unknown>> {
    return this.request('GET', `/v1/blocks/hash/${hash}`);
  }

  state(key: string | Uint8Array, height?: number): Promise<{ key: string; height: number; value: string | null }> {
    return this.request('GET', `/v1/state?${keyQuery(key)}${height === undefined ? '' : `&height=${height}`}`);
  }

  history(key: string | Uint8Array, limit = 100): Promise<{ key: string; changes: Array<{ height: number; txIndex: number; txId: string }> }> {
    return this.request('GET', `/v1/state/history?${keyQuery(key)}&limit=${limit}`);
  }

  txProof(txId: string): Promise<ProofBundle> {
    return this.request('GET', `/v1/proofs/tx/${txId}`);
  }

  stateProof(key: string | Uint8Array, height?: number): Promise<ProofBundle> {
    return this.request('GET', `/v1/proofs/state?${keyQuery(key)}${height === undefined ? '' : `&height=${height}`}`);
  }
}

function keyQuery(key: string | Uint8Array): string {
  return typeof key === 'string' ? `keyHex=${toHex(utf8(key))}` : `keyHex=${toHex(key)}`;
}

function isContractQuery(path: string): boolean {
  return /^\/v1\/contracts\/[^/]+\/evaluate$/.test(path);
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { XinlianError, type ErrorCode } from '@xinlian/protocol';
import type { Logger } from '../log/logger.js';

export interface Request {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  raw: IncomingMessage;
  /** Parses the body as JSON or throws BAD_REQUEST. */
  json(): unknown;
}

/** A handler returns a JSON-able value (200), a Reply, or takes over the response (streaming). */
export type Reply = { status: number; body: unknown; contentType?: string };
export type Handler = (req: Request, res: ServerResponse) => Promise<Reply | unknown | typeof STREAMING>;
export const STREAMING = Symbol('streaming');

export interface Route {
  /** HEAD is routed only where a route says so (static files): node:http then sends no body. */
  method: 'GET' | 'POST' | 'HEAD';
  /** Path with :params, e.g. /v1/blocks/:height; a last segment `*` takes the rest of the path. */
  path: string;
  handler: Handler;
}

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  TX_TOO_LARGE: 413,
  MEMPOOL_FULL: 503,
  UNAVAILABLE: 503,
  TIMEOUT: 504,
  TX_UNKNOWN_MEMBER: 403,
  TX_FORBIDDEN: 403,
  CERT_REVOKED: 403,
  READ_FORBIDDEN: 403,
  GOV_NOT_ADMIN: 403,
  TX_REPLAYED: 409,
  EVIDENCE_ALREADY_DEPOSITED: 409,
  CONTRACT_NOT_FOUND: 404,
  // A query the contract refused or could not finish: the request was understood, the answer is no.
  CONTRACT_REJECTED: 422,
  CONTRACT_FAILED: 422,
  CONTRACT_OUT_OF_STEPS: 422,
  CONTRACT_OUT_OF_MEMORY: 422,
  CONTRACT_INVALID: 422,
  INTERNAL: 500,
  STORAGE_ERROR: 500,
};

export function statusOf(code: ErrorCode): number {
  return STATUS_BY_CODE[code] ?? 400;
}

export interface HttpServerOptions {
  routes: Route[];
  bodyBytesMax: number;
  logger: Logger;
  /** Called for every finished request, for metrics. */
  onRequest?: (route: string, status: number) => void;
}

/** A minimal router on node:http: exact segments and :params, JSON errors with stable codes. */
export function createHttpServer(options: HttpServerOptions): Server {
  const compiled = options.routes.map((route) => ({ route, segments: route.path.split('/') }));
  return createServer((req, res) => {
    const url = requestUrl(req.url ?? '/');
    if (url === undefined) {
      sendError(res, new XinlianError('BAD_REQUEST', 'malformed request target'));
      return;
    }
    const segments = url.pathname.split('/');
    let matched: { route: Route; params: Record<string, string> } | undefined;
    let pathMatched = false;
    try {
      for (const { route, segments: pattern } of compiled) {
        const params = matchSegments(pattern, segments);
        if (params === undefined) continue;
        pathMatched = true;
        if (route.method === req.method) {
          matched = { route, params };
          break;
        }
      }
    } catch (error) {
      // A malformed %-escape in a :param: thrown here, outside any handler, it would end the process.
      sendError(res, error);
      return;
    }
    if (matched === undefined) {
      const code: ErrorCode = pathMatched ? 'METHOD_NOT_ALLOWED' : 'NOT_FOUND';
      sendError(res, new XinlianError(code, pathMatched ? `method ${req.method} not allowed` : `no route ${url.pathname}`));
      return;
    }
    const { route, params } = matched;
    readBody(req, options.bodyBytesMax)
      .then(async (body) => {
        const request: Request = {
          method: req.method ?? 'GET', path: url.pathname, params, query: url.searchParams, headers: req.headers, body, raw: req,
          json() {
            try {
              return JSON.parse(body.toString('utf8')) as unknown;
            } catch {
              throw new XinlianError('BAD_REQUEST', 'request body is not valid JSON');
            }
          },
        };
        const out = await route.handler(request, res);
        if (out === STREAMING) return;
        if (isReply(out)) send(res, out.status, out.body, out.contentType);
        else send(res, 200, out);
      })
      .catch((error: unknown) => {
        if (!(error instanceof XinlianError)) options.logger.error('request failed', { path: url.pathname, error });
        sendError(res, error);
      })
      .finally(() => options.onRequest?.(route.path, res.statusCode));
  });
}

/**
 * Exact segments and :params; a last segment `*` matches the rest of the path (zero or more
 * segments), given raw (still percent-encoded) as params['*'] for handlers that check it themselves.
 */
function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  const rest = pattern[pattern.length - 1] === '*';
  if (rest ? actual.length < pattern.length - 1 : pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  if (rest) params['*'] = actual.slice(pattern.length - 1).join('/');
  for (let i = 0; i < pattern.length - (rest ? 1 : 0); i++) {
    const p = pattern[i]!;
    const a = actual[i]!;
    if (p.startsWith(':')) {
      if (a === '') return undefined;
      params[p.slice(1)] = decodeSegment(a);
    } else if (p !== a) return undefined;
  }
  return params;
}

/**
 * The request target as a URL. A path is appended to a fixed origin rather than resolved against
 * it, so "//host/x" stays the path //host/x; a target that is no URL at all (once thrown from the
 * request listener, it ended the process) answers undefined.
 */
function requestUrl(target: string): URL | undefined {
  try {
    return new URL(target.startsWith('/') ? `http://localhost${target}` : target);
  } catch {
    return undefined;
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new XinlianError('BAD_REQUEST', 'malformed percent-encoding in the path');
  }
}

function isReply(value: unknown): value is Reply {
  return typeof value === 'object' && value !== null && 'status' in value && 'body' in value && Object.keys(value).length <= 3;
}

function readBody(req: IncomingMessage, bytesMax: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > bytesMax) {
      req.resume();
      reject(new XinlianError('PAYLOAD_TOO_LARGE', `body of ${declared} bytes exceeds ${bytesMax}`));
      return;
    }
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > bytesMax) {
        req.destroy();
        reject(new XinlianError('PAYLOAD_TOO_LARGE', `body exceeds ${bytesMax} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function send(res: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(payload);
}

export function sendError(res: ServerResponse, error: unknown): void {
  if (error instanceof XinlianError) {
    send(res, statusOf(error.code), { error: error.toJSON() });
  } else {
    send(res, 500, { error: { code: 'INTERNAL', message: 'internal error' } });
  }
}

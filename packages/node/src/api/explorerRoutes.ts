import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { digitalLinkId, XinlianError } from '@xinlian/protocol';
import { STREAMING, type Route } from './httpServer.js';
import { fileUnder, sendFile } from './staticFiles.js';

/**
 * The explorer's pages run only the bundled files of the node's own origin: no inline script or
 * style, no other origin for anything, and the API (connect-src) of this node alone.
 */
export const EXPLORER_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "font-src 'self'", "connect-src 'self'",
  "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': EXPLORER_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/** The built app (packages/explorer/dist/app) of the installed @xinlian/explorer, or undefined if it cannot be found. */
export function explorerDistDir(): string | undefined {
  try {
    return join(dirname(fileURLToPath(import.meta.resolve('@xinlian/explorer/package.json'))), 'dist', 'app');
  } catch {
    return undefined;
  }
}

function notBuilt(): XinlianError {
  return new XinlianError('NOT_FOUND', 'the explorer is not built: run `npm run build -w @xinlian/explorer` (npm ci does it)');
}

/**
 * GET /explorer and /explorer/* serve the explorer's static files (index.html for the app's root;
 * pages are hash routes, so no other path needs the app), HEAD the same headers without a body;
 * GET / redirects to it; GET /01/<gtin>/...
 * (a GS1 Digital Link whose QR code points at this node) redirects to the app's trace page for the
 * same link under https://id.gs1.org with the GTIN in 14 digits, the form in which the
 * traceability contract records it (400 for a GTIN of another length or with a wrong check digit).
 */
export function explorerRoutes(options: { distDir: string | undefined }): Route[] {
  const { distDir } = options;
  const serve = async (rawPath: string, res: Parameters<Route['handler']>[1], bodyless = false): Promise<typeof STREAMING> => {
    if (distDir === undefined || !existsSync(join(distDir, 'index.html'))) throw notBuilt();
    const path = rawPath === '' ? join(distDir, 'index.html') : fileUnder(distDir, rawPath);
    if (path === undefined) throw new XinlianError('NOT_FOUND', 'no such file in the explorer');
    // Hashed asset names change with their content: cache them for good; index.html never.
    const cache = rawPath.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    await sendFile(res, path, cache, SECURITY_HEADERS, bodyless);
    return STREAMING;
  };
  const sendRedirect = (res: Parameters<Route['handler']>[1], location: string): typeof STREAMING => {
    res.writeHead(302, { location, 'cache-control': 'no-store', 'content-type': 'text/plain; charset=utf-8' });
    res.end(`see ${location}\n`);
    return STREAMING;
  };
  return [
    { method: 'GET', path: '/', handler: async (_req, res) => sendRedirect(res, '/explorer/') },
    { method: 'GET', path: '/explorer', handler: async (_req, res) => serve('', res) },
    { method: 'GET', path: '/explorer/*', handler: async (req, res) => serve(req.params['*'] ?? '', res) },
    // HEAD as GET without the body: link checkers, caches and uptime probes ask before they fetch.
    { method: 'HEAD', path: '/', handler: async (_req, res) => sendRedirect(res, '/explorer/') },
    { method: 'HEAD', path: '/explorer', handler: async (_req, res) => serve('', res, true) },
    { method: 'HEAD', path: '/explorer/*', handler: async (req, res) => serve(req.params['*'] ?? '', res, true) },
    {
      method: 'GET', path: '/01/*',
      handler: async (req, res) => {
        const target = new URL(`http://localhost${req.raw.url ?? '/'}`);
        const link = digitalLinkId(target.pathname, target.search);
        if (!link.ok) throw new XinlianError('BAD_REQUEST', `not a GS1 Digital Link: ${link.problem}`);
        return sendRedirect(res, `/explorer/#/trace?id=${encodeURIComponent(link.id)}`);
      },
    },
  ];
}

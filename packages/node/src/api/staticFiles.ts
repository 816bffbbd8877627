import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { ServerResponse } from 'node:http';
import { XinlianError } from '@xinlian/protocol';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` that a raw (percent-encoded) relative URL path names, or undefined when
 * the path could leave `root`: every segment is decoded once and must be a plain name, with no
 * "." or "..", separator, backslash or NUL, and the resolved path must still be inside `root`.
 */
export function fileUnder(root: string, rawPath: string): string | undefined {
  const names: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '') continue;
    let name: string;
    try {
      name = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    if (name === '.' || name === '..' || /[/\\\0]/.test(name)) return undefined;
    names.push(name);
  }
  const base = resolve(root);
  const path = resolve(base, ...names);
  return path.startsWith(base + sep) ? path : undefined;
}

/** The headers a static response carries besides its type and caching. */
export type SecurityHeaders = Record<string, string>;

/**
 * Sends a regular file with its content type, or throws NOT_FOUND. For HEAD (`bodyless`) the
 * headers are those of GET, length included, and the file is not read.
 */
export async function sendFile(res: ServerResponse, path: string, cacheControl: string, headers: SecurityHeaders, bodyless = false): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isFile()) throw new XinlianError('NOT_FOUND', 'no such file');
  const type = { 'content-type': contentTypeOf(path), 'cache-control': cacheControl, ...headers };
  if (bodyless) {
    res.writeHead(200, { ...type, 'content-length': info.size });
    res.end();
    return;
  }
  const body = await readFile(path);
  res.writeHead(200, { ...type, 'content-length': body.length });
  res.end(body);
}

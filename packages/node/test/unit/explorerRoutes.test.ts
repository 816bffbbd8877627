import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpServer } from '../../src/api/httpServer.js';
import { EXPLORER_CSP, explorerDistDir, explorerRoutes } from '../../src/api/explorerRoutes.js';
import { fileUnder } from '../../src/api/staticFiles.js';
import { createLogger } from '../../src/log/logger.js';

// The node serves the explorer's built files: types, security headers, index.html at the app's
// root, no way out of the app's folder, a JSON 404 while the app is not built, and the GS1
// Digital Link redirect to the trace page.

const SECRET = 'the node key lives next door';
const root = mkdtempSync(join(tmpdir(), 'xinlian-explorer-routes-'));
const dist = join(root, 'dist', 'app');
const logger = createLogger({ level: 'error', write: () => {}, nowMs: () => 0 });

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** A GET (or another method) with the request target sent exactly as given (node's client does not normalise it). */
function get(server: Server, target: string, method = 'GET'): Promise<Answer> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: target, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

function listen(distDir: string | undefined): Promise<Server> {
  const server = createHttpServer({ routes: explorerRoutes({ distDir }), bodyBytesMax: 1024, logger });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let server: Server;
let unbuilt: Server;
before(async () => {
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>explorer</title>');
  writeFileSync(join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(dist, 'favicon.svg'), '<svg/>');
  writeFileSync(join(root, 'dist', 'secret.txt'), SECRET);
  writeFileSync(join(root, 'secret.txt'), SECRET);
  server = await listen(dist);
  unbuilt = await listen(join(root, 'missing'));
});
after(async () => {
  await new Promise((resolve) => server.close(resolve));
  await new Promise((resolve) => unbuilt.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

test('index.html at /explorer and /explorer/, with the strict CSP and nosniff', async () => {
  for (const target of ['/explorer', '/explorer/']) {
    const answer = await get(server, target);
    assert.equal(answer.status, 200, target);
    assert.equal(answer.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(answer.headers['content-security-policy'], EXPLORER_CSP);
    assert.equal(answer.headers['x-content-type-options'], 'nosniff');
    assert.equal(answer.headers['cache-control'], 'no-cache');
    assert.match(answer.body, /<title>explorer<\/title>/);
  }
  assert.match(EXPLORER_CSP, /default-src 'self'/);
  assert.match(EXPLORER_CSP, /connect-src 'self'/);
  assert.doesNotMatch(EXPLORER_CSP, /unsafe-inline|unsafe-eval|\*/);
  // A verified proof bundle is downloaded from a Blob URL made by the app. CSP does not govern
  // downloads or top-level navigation; only a sandbox (without allow-downloads) or navigate-to
  // could stop it, and the policy has neither. Scripts, styles and requests stay this origin's.
  assert.doesNotMatch(EXPLORER_CSP, /sandbox|navigate-to/);
  for (const directive of ['script-src', 'style-src', 'connect-src']) assert.match(EXPLORER_CSP, new RegExp(`${directive} 'self'(;|$)`), directive);
});

test('assets with their content types, cached for good', async () => {
  const js = await get(server, '/explorer/assets/index-abc.js');
  assert.equal(js.status, 200);
  assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(js.body, 'console.log(1)');
  assert.equal((await get(server, '/explorer/assets/index-abc.css')).headers['content-type'], 'text/css; charset=utf-8');
  assert.equal((await get(server, '/explorer/favicon.svg')).headers['content-type'], 'image/svg+xml');
});

test('HEAD answers like GET without a body: index.html, assets, the redirect, and the 404s', async () => {
  for (const target of ['/explorer', '/explorer/', '/explorer/assets/index-abc.js', '/explorer/favicon.svg']) {
    const got = await get(server, target);
    const head = await get(server, target, 'HEAD');
    assert.equal(head.status, 200, target);
    assert.equal(head.body, '', target);
    for (const name of ['content-type', 'content-length', 'cache-control', 'content-security-policy', 'x-content-type-options']) {
      assert.equal(head.headers[name], got.headers[name], `${target}: ${name}`);
    }
    assert.equal(Number(head.headers['content-length']), Buffer.byteLength(got.body), target);
  }
  const redirect = await get(server, '/', 'HEAD');
  assert.equal(redirect.status, 302);
  assert.equal(redirect.headers.location, '/explorer/');
  assert.equal(redirect.body, '');
  for (const [s, target] of [[server, '/explorer/assets/nothing.js'], [server, '/explorer/../secret.txt'], [unbuilt, '/explorer/']] as const) {
    const missing = await get(s, target, 'HEAD');
    assert.equal(missing.status, 404, target);
    assert.equal(missing.body, '', target);
  }
  // Only the static files take HEAD; other methods there are still refused.
  assert.equal((await get(server, '/explorer/', 'DELETE')).status, 405);
});

test('no path leaves the app folder', async () => {
  const attempts = [
    '/explorer/../secret.txt', '/explorer/%2e%2e/secret.txt', '/explorer/..%2fsecret.txt', '/explorer/%2e%2e%2fsecret.txt',
    '/explorer/assets/..%2f..%2fsecret.txt', '/explorer/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret.txt', '/explorer/..%5csecret.txt',
    '/explorer/%2fetc%2fpasswd', '/explorer/assets/%00', '/explorer/%', '/explorer//../../secret.txt', '/explorer/assets/../../secret.txt',
    `/explorer/${'..%2f'.repeat(12)}etc%2fpasswd`, '/explorer/assets',
  ];
  for (const target of attempts) {
    const answer = await get(server, target);
    assert.ok(answer.status >= 400 && answer.status < 500, `${target}: ${answer.status}`);
    assert.ok(!answer.body.includes(SECRET), `${target} leaked a file outside the app`);
    assert.doesNotMatch(answer.body, /root:/, target);
  }
  assert.equal(fileUnder(dist, 'assets/index-abc.js'), join(dist, 'assets', 'index-abc.js'));
  assert.equal(fileUnder(dist, 'assets/..%2f..%2fsecret.txt'), undefined);
  assert.equal(fileUnder(dist, '%2e%2e'), undefined);
  assert.equal(fileUnder(dist, 'a%5cb'), undefined);
});

test('a missing file or an app that is not built answers a JSON 404', async () => {
  const missing = await get(server, '/explorer/assets/nothing.js');
  assert.equal(missing.status, 404);
  assert.equal((JSON.parse(missing.body) as { error: { code: string } }).error.code, 'NOT_FOUND');
  for (const target of ['/explorer/', '/explorer/assets/index-abc.js']) {
    const answer = await get(unbuilt, target);
    assert.equal(answer.status, 404);
    assert.equal(answer.headers['content-type'], 'application/json');
    const { error } = JSON.parse(answer.body) as { error: { code: string; message: string } };
    assert.equal(error.code, 'NOT_FOUND');
    assert.match(error.message, /explorer is not built/);
  }
});

test('GET / redirects to the explorer', async () => {
  const answer = await get(server, '/');
  assert.equal(answer.status, 302);
  assert.equal(answer.headers.location, '/explorer/');
});

test('a GS1 Digital Link path redirects to the trace page of the same link under id.gs1.org', async () => {
  const answer = await get(server, '/01/09521234543213/21/4711?17=271231');
  assert.equal(answer.status, 302);
  const location = answer.headers.location as string;
  assert.ok(location.startsWith('/explorer/#/trace?id='), location);
  assert.equal(decodeURIComponent(location.slice('/explorer/#/trace?id='.length)), 'https://id.gs1.org/01/09521234543213/21/4711?17=271231');
  assert.equal((await get(server, '/01/notagtin')).status, 400);
  assert.equal((await get(server, '/01')).status, 400);
});

/** Where a Digital Link path redirects: the trace page's id, decoded. */
async function traced(target: string): Promise<string> {
  const answer = await get(server, target);
  assert.equal(answer.status, 302, `${target}: ${answer.body}`);
  const location = answer.headers.location as string;
  assert.ok(location.startsWith('/explorer/#/trace?id='), location);
  return decodeURIComponent(location.slice('/explorer/#/trace?id='.length));
}

test('a GTIN-8, -12 or -13 in a Digital Link is padded to 14 digits; other segments are kept as they are', async () => {
  assert.equal(await traced('/01/4006381333931'), 'https://id.gs1.org/01/04006381333931');
  assert.equal(await traced('/01/9521234543213/21/4711'), 'https://id.gs1.org/01/09521234543213/21/4711');
  assert.equal(await traced('/01/036000291452/10/LOT%2F7/21/0042'), 'https://id.gs1.org/01/00036000291452/10/LOT%2F7/21/0042');
  assert.equal(await traced('/01/96385074/21/x?linkType=all'), 'https://id.gs1.org/01/00000096385074/21/x?linkType=all');
});

test('a GTIN of another length or with a wrong check digit answers 400 saying why', async () => {
  for (const [target, why] of [
    ['/01/09521234543214/21/4711', /check digit is 4.*is 3/], ['/01/4006381333932', /check digit/],
    ['/01/1234567', /8, 12, 13 or 14 digits/], ['/01/12345678901', /8, 12, 13 or 14 digits/], ['/01/095212345432130', /8, 12, 13 or 14 digits/],
  ] as const) {
    const answer = await get(server, target);
    assert.equal(answer.status, 400, target);
    const { error } = JSON.parse(answer.body) as { error: { code: string; message: string } };
    assert.equal(error.code, 'BAD_REQUEST');
    assert.match(error.message, why, target);
  }
});

test('a malformed request target or %-escape is refused, and the server keeps answering', async () => {
  assert.equal((await get(server, '//')).status, 404);
  assert.equal((await get(server, '/explorer/%E0%A4%A')).status, 404);
  assert.equal((await get(server, '/explorer/')).status, 200);
});

test('the node finds the explorer package installed beside it', () => {
  const dir = explorerDistDir();
  assert.ok(dir !== undefined && dir.endsWith(join('explorer', 'dist', 'app')), dir);
});

test('a malformed %-escape in a :param answers 400 instead of ending the process', async () => {
  const plain = createHttpServer({ routes: [{ method: 'GET', path: '/v1/x/:id', handler: async (req) => ({ id: req.params.id }) }], bodyBytesMax: 1024, logger });
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', () => resolve()));
  try {
    const bad = await get(plain, '/v1/x/%ZZ');
    assert.equal(bad.status, 400);
    assert.equal((JSON.parse(bad.body) as { error: { code: string } }).error.code, 'BAD_REQUEST');
    assert.deepEqual(JSON.parse((await get(plain, '/v1/x/a%20b')).body), { id: 'a b' });
  } finally {
    await new Promise((resolve) => plain.close(resolve));
  }
});

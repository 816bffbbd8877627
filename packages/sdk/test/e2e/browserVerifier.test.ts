// The offline verifier (@xinlian/sdk/verify) runs in a browser: bundled by esbuild for the browser
// platform (which fails on any node: builtin on that path), then run in a node:vm realm that has only
// browser-like globals, against a real proof bundle from a real node started through the CLI. When
// Debian's Chromium is installed (/usr/bin/chromium), the same page also runs in headless Chromium.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { build, type BuildOptions } from 'esbuild';

// The CLI's process helpers. The CLI package depends on this one, so they are loaded from its build
// output at run time (a TypeScript import would make the project references circular).
interface CliResult { code: number; stdout: string; stderr: string }
interface NodeProcess { url: string; stop(signal?: NodeJS.Signals): Promise<number | null> }
interface ProcessHelpers {
  runCli(args: string[]): Promise<CliResult>;
  startNodeProcess(home: string, extraArgs?: string[]): Promise<NodeProcess>;
  tempDir(prefix: string): { path: string; remove(): void };
}
const helpers = (await import(new URL('../../../../cli/dist/test/helpers/processes.js', import.meta.url).href)) as ProcessHelpers;

const VERIFY_ENTRY = fileURLToPath(new URL('../../src/verify.js', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';

const BROWSER_BUILD: BuildOptions = {
  bundle: true, platform: 'browser', format: 'iife', globalName: 'XinlianVerify', write: false, logLevel: 'silent', metafile: true,
};

/**
 * The page's script, the same in node:vm and in Chromium: reads `__inputs` (strings only, as a page
 * would get them from file inputs), verifies each document against the bundle with the pure suite,
 * and leaves the outcome as JSON in `__result`.
 */
const PAGE_SCRIPT = `
(function () {
  var X = globalThis.XinlianVerify;
  var inputs = globalThis.__inputs;
  function fromHex(hex) {
    var out = new Uint8Array(hex.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
    return out;
  }
  var out = {
    globals: { require: typeof require, process: typeof process, Buffer: typeof Buffer, module: typeof module },
    results: [],
  };
  try {
    var genesis = X.parseGenesis(JSON.parse(inputs.genesis));
    var suite = X.pureSuite(genesis.suite);
    var bundle = X.parseProofBundle(JSON.parse(inputs.bundle));
    for (var name in inputs.documents) {
      try {
        var certificate = X.verifyEvidence(suite.hash(fromHex(inputs.documents[name])), bundle, genesis, suite);
        out.results.push({ name: name, valid: true, certificate: certificate });
      } catch (error) {
        if (!(error instanceof X.XinlianError)) throw error;
        out.results.push({ name: name, valid: false, code: error.code, message: error.message });
      }
    }
  } catch (error) {
    out.error = String(error && error.stack || error);
  }
  globalThis.__result = JSON.stringify(out);
  if (typeof document !== 'undefined') {
    var pre = document.createElement('pre');
    pre.id = 'result';
    pre.textContent = globalThis.__result;
    document.body.appendChild(pre);
  }
})();
`;

interface PageOutcome {
  globals: Record<string, string>;
  error?: string;
  results: Array<{ name: string; valid: boolean; code?: string; message?: string; certificate?: Record<string, unknown> }>;
}

interface PageInputs { genesis: string; bundle: string; documents: Record<string, string> }

/** A realm with only what a browser page has: ECMAScript built-ins plus TextEncoder/TextDecoder and crypto.getRandomValues. */
function runInBrowserLikeRealm(bundleJs: string, inputs: PageInputs): PageOutcome {
  const context = vm.createContext({});
  const RealmUint8Array = vm.runInContext('Uint8Array', context) as Uint8ArrayConstructor;
  const hostEncoder = new TextEncoder();
  // Host APIs, adapted so that the bytes they return belong to the page's realm, as in a browser.
  context.TextEncoder = class {
    readonly encoding = 'utf-8';
    encode(text = ''): Uint8Array { return new RealmUint8Array(hostEncoder.encode(text)); }
  };
  context.TextDecoder = class {
    readonly #decoder: TextDecoder;
    constructor(label?: string, options?: TextDecoderOptions) { this.#decoder = new TextDecoder(label, options); }
    decode(input?: AllowSharedBufferSource): string { return this.#decoder.decode(input); }
  };
  context.crypto = Object.freeze({
    getRandomValues<T extends ArrayBufferView>(array: T): T {
      const random = globalThis.crypto.getRandomValues(new Uint8Array(array.byteLength));
      new RealmUint8Array(array.buffer, array.byteOffset, array.byteLength).set(random);
      return array;
    },
  });
  context.console = console;
  context.__inputs = vm.runInContext(`(${JSON.stringify(inputs)})`, context);
  vm.runInContext(bundleJs, context, { filename: 'xinlian-verify.bundle.js' });
  vm.runInContext(PAGE_SCRIPT, context, { filename: 'page.js' });
  return JSON.parse(context.__result as string) as PageOutcome;
}

/** Bundles @xinlian/sdk/verify for the browser; fails if anything on its path needs Node. Built once. */
let bundled: Promise<string> | undefined;
function browserBundle(): Promise<string> {
  bundled ??= (async () => {
    const result = await build({ ...BROWSER_BUILD, entryPoints: [VERIFY_ENTRY] });
    assert.deepEqual(result.errors, []);
    const inputs = Object.keys(result.metafile!.inputs);
    assert.ok(inputs.some((p) => p.includes('protocol/dist/src/proof/verifyProofBundle.js')), 'the verifier is bundled, not external');
    assert.deepEqual(inputs.filter((p) => p.startsWith('node:') || /(^|\/)crypto-node\//.test(p)), [], 'no Node-only module on the path');
    return result.outputFiles![0]!.text;
  })();
  return bundled;
}

test('@xinlian/sdk/verify bundles for the browser platform, with no Node module on its path', async () => {
  const js = await browserBundle();
  assert.ok(js.length > 0);
});

test('the browser build refuses a node: builtin (the guard above is real)', async () => {
  for (const specifier of ['node:crypto', 'fs']) {
    await assert.rejects(
      build({ ...BROWSER_BUILD, stdin: { contents: `import * as m from '${specifier}'; export const x = m;`, resolveDir: process.cwd() } }),
      (error: { errors?: Array<{ text: string }> }) => error.errors?.some((e) => e.text.includes(`Could not resolve "${specifier}"`)) === true,
    );
  }
});

for (const suite of ['gm', 'intl'] as const) describe(`${suite} chain`, () => {
  const dir = helpers.tempDir(`browser-${suite}`);
  const chain = join(dir.path, 'chain');
  const document = join(dir.path, 'contract.txt');
  let node: NodeProcess | undefined;
  let inputs: PageInputs;
  let receipt: { txId: string; hash: string; height: number; proof: string };

  before(async () => {
    const init = await helpers.runCli(['init', chain, '--suite', suite]);
    assert.equal(init.code, 0, init.stderr);
    node = await helpers.startNodeProcess(join(chain, 'nodes', 'node0'));
    writeFileSync(document, `采购合同 (${suite}): the browser checks this file\n`);
    const deposit = await helpers.runCli([
      'evidence', 'deposit', document, '--title', 'Contract', '--node', node.url,
      '--key', join(chain, 'orgs', 'org1', 'client.key.pem'), '--json',
    ]);
    assert.equal(deposit.code, 0, deposit.stderr);
    receipt = JSON.parse(deposit.stdout) as typeof receipt;
    const bytes = readFileSync(document);
    const tampered = Buffer.from(bytes);
    tampered[0] = tampered[0]! ^ 1;
    inputs = {
      genesis: readFileSync(join(chain, 'genesis.json'), 'utf8'),
      bundle: readFileSync(receipt.proof, 'utf8'),
      documents: { genuine: bytes.toString('hex'), tampered: tampered.toString('hex') },
    };
  });

  after(async () => {
    await node?.stop();
    dir.remove();
  });

  const checkOutcome = (outcome: PageOutcome): void => {
    assert.equal(outcome.error, undefined, outcome.error);
    const [genuine, tampered] = outcome.results;
    assert.equal(genuine?.name, 'genuine');
    assert.equal(genuine.valid, true, genuine.message);
    assert.equal(genuine.certificate?.txId, receipt.txId);
    assert.equal(genuine.certificate?.documentHash, receipt.hash);
    assert.equal(genuine.certificate?.height, receipt.height);
    assert.equal(genuine.certificate?.hashAlgorithm, suite === 'gm' ? 'SM3' : 'SHA-256');
    assert.deepEqual((genuine.certificate?.depositor as { org: string }).org, 'org1');
    assert.equal(tampered?.name, 'tampered');
    assert.equal(tampered.valid, false);
    assert.equal(tampered.code, 'PROOF_INVALID');
    assert.match(tampered.message ?? '', /does not match the deposited hash/);
  };

  test(`${suite}: the bundled verifier checks a real proof in a realm with only browser globals`, async () => {
    const outcome = runInBrowserLikeRealm(await browserBundle(), inputs);
    assert.deepEqual(outcome.globals, { require: 'undefined', process: 'undefined', Buffer: 'undefined', module: 'undefined' });
    checkOutcome(outcome);
  });

  test(`${suite}: the same page in Debian's Chromium (headless)`, { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} not found: Chromium part skipped (install Debian's chromium package to run it)` }, async () => {
    const bundleJs = await browserBundle();
    const pageDir = mkdtempSync(join(tmpdir(), 'xinlian-page-'));
    try {
      const page = join(pageDir, 'verify.html');
      // "<" is escaped so no input can close the script element.
      const script = (js: string): string => `<script>${js.replace(/<\/script/gi, '<\\/script')}</script>`;
      writeFileSync(page, `<!doctype html><html><head><meta charset="utf-8"></head><body>${
        script(bundleJs)}${script(`globalThis.__inputs = ${JSON.stringify(inputs).replace(/</g, '\\u003c')};`)}${script(PAGE_SCRIPT)}</body></html>`);
      const run = spawnSync(CHROMIUM, [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', `--user-data-dir=${join(pageDir, 'profile')}`, '--dump-dom', pathToFileURL(page).href,
      ], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
      assert.equal(run.status, 0, run.stderr);
      const match = /<pre id="result">([\s\S]*?)<\/pre>/.exec(run.stdout);
      assert.ok(match, `no result in the page:\n${run.stdout.slice(-2000)}\n${run.stderr}`);
      const text = match[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
      const outcome = JSON.parse(text) as PageOutcome;
      assert.deepEqual(outcome.globals, { require: 'undefined', process: 'undefined', Buffer: 'undefined', module: 'undefined' });
      checkOutcome(outcome);
    } finally {
      rmSync(pageDir, { recursive: true, force: true });
    }
  });
});

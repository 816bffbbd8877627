import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { initChain } from '@xinlian/node';
import { identityFromFiles, XinlianSession } from '@xinlian/sdk';
import { parseGenesis, type Genesis } from '@xinlian/protocol';
import { freePortBases, networkDown, networkUp, traceabilityDemo, type TracedProduct } from '../../src/index.js';
import { tempDir } from '../helpers/processes.js';

// The explorer and the verification pages in Debian's Chromium (playwright-core, never a
// downloaded browser) against a real 4-validator network of separate processes: find a block,
// verify a genuine and a tampered document, a proof bundle, and follow a product's journey.
// XINLIAN_SCREENSHOTS=1 writes the main pages' screenshots to docs/screenshots/.

const CHROMIUM = '/usr/bin/chromium';
/** A QR code reader (Debian's zbar-tools): when present, the trace page's QR code must scan. */
const ZBARIMG = '/usr/bin/zbarimg';
const SCREENSHOTS = fileURLToPath(new URL('../../../../../docs/screenshots/', import.meta.url));
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} not found: install Debian's chromium package to run the explorer tests`;

const dir = tempDir('explorer');
const chain = join(dir.path, 'chain');
let browser: Browser;
let explorer: string;
let api: string;
let genesis: Genesis;
let product: TracedProduct;
let documentPath: string;
let proofJson: string;
let txId: string;
let depositHeight: number;

before(async () => {
  if (skip !== false) return;
  const ports = await freePortBases(4, { api: 0, p2p: 0 });
  await initChain({ dir: chain, suite: 'intl', orgs: 4, validators: 4, chainId: 'explorer-test', apiPortBase: ports.api, p2pPortBase: ports.p2p, genesisTimeMs: Date.now() });
  const nodes = await networkUp(chain, 60_000);
  api = nodes[0]!.url!;
  explorer = `${api}/explorer/`;
  genesis = parseGenesis(JSON.parse(readFileSync(join(chain, 'genesis.json'), 'utf8')));
  const session = await XinlianSession.connect(api, identityFromFiles(join(chain, 'orgs', 'org2', 'client.key.pem')), genesis);
  documentPath = join(dir.path, 'contract.txt');
  writeFileSync(documentPath, 'Supply contract between Organisation 1 and Organisation 2.\n');
  const receipt = await session.depositEvidence(readFileSync(documentPath), 'Supply contract');
  txId = receipt.txId;
  depositHeight = receipt.height;
  proofJson = JSON.stringify(receipt.proof, null, 2);
  product = await traceabilityDemo(api, chain, genesis, () => {});
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  if (skip === false) await networkDown(chain, 10_000);
  dir.remove();
});

async function page(path: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  // Content-Security-Policy violations are collected: a download or a QR code must need no exception.
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.effectiveDirective} ${event.blockedURI}`));
  });
  const p = await context.newPage();
  // Everything is bundled: any request that leaves the node is a failure.
  p.on('request', (request) => {
    if (!request.url().startsWith(api) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) throw new Error(`external request ${request.url()}`);
  });
  await p.goto(`${explorer}${path}`);
  return p;
}

async function cspViolations(p: Page): Promise<string[]> {
  return p.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

async function screenshot(p: Page, name: string): Promise<void> {
  if (process.env.XINLIAN_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await p.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

test('the overview shows the chain, its 4 validators and organisations, and new blocks as they commit', { skip, timeout: 120_000 }, async () => {
  const p = await page('');
  await p.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  const validators = p.getByRole('table', { name: 'Validators' });
  await validators.waitFor();
  assert.equal(await validators.locator('tbody tr').count(), 4);
  assert.equal(await p.getByRole('table', { name: 'Organisations' }).locator('tbody tr').count(), 4);
  const latest = p.getByRole('list', { name: 'Latest blocks' });
  await latest.locator('li').first().waitFor();
  const before = await latest.locator('li').first().innerText();
  // A new deposit makes a new block: the list updates without a reload.
  const session = await XinlianSession.connect(api, identityFromFiles(join(chain, 'orgs', 'org1', 'client.key.pem')), genesis);
  const fresh = await session.depositEvidence(new TextEncoder().encode(`live ${Date.now()}`), 'live');
  await p.waitForFunction((height) => document.querySelector('[aria-label="Latest blocks"]')?.textContent?.includes(String(height)), fresh.height, { timeout: 30_000 });
  assert.notEqual(await latest.locator('li').first().innerText(), before);
  await screenshot(p, 'overview');
  await p.context().close();
});

test('search finds a block by height and its tx; the tx page verifies its proof in the browser', { skip, timeout: 60_000 }, async () => {
  const p = await page('');
  await p.getByRole('searchbox', { name: 'Search' }).fill(String(depositHeight));
  await p.getByRole('button', { name: 'Search' }).click();
  await p.getByRole('heading', { level: 1, name: `Block ${depositHeight}` }).waitFor();
  await screenshot(p, 'block');
  await p.getByRole('link', { name: new RegExp(txId.slice(0, 12)) }).first().click();
  await p.getByRole('heading', { level: 1, name: 'Transaction' }).waitFor();
  await p.getByRole('button', { name: 'Verify in this browser' }).click();
  const result = p.getByRole('status', { name: 'Verification result' });
  await p.waitForFunction(() => /^(Verified|Not verified)/.test(document.querySelector('[aria-label="Verification result"]')?.textContent?.trim() ?? ''));
  assert.match((await result.innerText()).trim(), /^Verified/);
  const keep = p.getByRole('link', { name: 'Download proof bundle' });
  assert.equal(await keep.getAttribute('download'), `${txId}.proof.json`);
  assert.match(await keep.getAttribute('href') ?? '', /^blob:/);
  await p.context().close();
});

async function verifyDocument(p: Page, file: { name: string; mimeType: string; buffer: Buffer }): Promise<string> {
  await p.getByLabel('Document to check').setInputFiles(file);
  await p.waitForFunction(() => /^(Verified|Not verified)/.test(document.querySelector('[aria-label="Verification result"]')?.textContent?.trim() ?? ''), undefined, { timeout: 30_000 });
  return (await p.getByRole('status', { name: 'Verification result' }).innerText()).trim();
}

test('a genuine document verifies in the browser; a tampered copy does not, and the page says why', { skip, timeout: 60_000 }, async () => {
  const p = await page('#/verify/evidence');
  await p.getByRole('heading', { level: 1, name: 'Verify a document' }).waitFor();
  // The file never leaves the browser: only its hash may be sent.
  const bodies: string[] = [];
  p.on('request', (request) => { const body = request.postData(); if (body !== null) bodies.push(body); });
  const genuine = readFileSync(documentPath);
  const verified = await verifyDocument(p, { name: 'contract.txt', mimeType: 'text/plain', buffer: genuine });
  assert.match(verified, /^Verified/);
  const checks = await p.getByRole('list', { name: 'Checks' }).innerText();
  assert.match(checks, /signature/i);
  assert.match(checks, /Merkle|inclusion/i);
  // The verified deposit's proof bundle, kept: the download is the node's bundle, unchanged.
  const keep = p.getByRole('link', { name: 'Download proof bundle' });
  assert.match(await p.locator('.proof-keep').innerText(), /xinlian proof verify FILE --genesis genesis\.json/);
  const [download] = await Promise.all([p.waitForEvent('download'), keep.click()]);
  assert.equal(download.suggestedFilename(), `${txId}.proof.json`);
  const kept = JSON.parse(readFileSync(await download.path(), 'utf8')) as unknown;
  const served = await (await fetch(`${api}/v1/proofs/tx/${txId}`)).json() as unknown;
  assert.deepEqual(kept, served);
  assert.deepEqual(await cspViolations(p), []);
  await screenshot(p, 'verify-document');
  const tampered = Buffer.concat([genuine, Buffer.from(' ')]);
  const refused = await verifyDocument(p, { name: 'contract.txt', mimeType: 'text/plain', buffer: tampered });
  assert.match(refused, /^Not verified/);
  assert.equal(await p.getByRole('link', { name: 'Download proof bundle' }).count(), 0, 'nothing to keep from a failed check');
  assert.ok(!bodies.some((b) => b.includes('Supply contract between')), 'the document itself was never sent');
  await p.context().close();
});

test('a pasted proof bundle verifies; a forged one fails with the check that broke', { skip, timeout: 60_000 }, async () => {
  const p = await page('#/verify/proof');
  await p.getByRole('heading', { level: 1, name: 'Verify a proof bundle' }).waitFor();
  await p.getByLabel('Proof bundle JSON').fill(proofJson);
  await p.getByRole('button', { name: 'Verify' }).click();
  await p.waitForFunction(() => /^(Verified|Not verified)/.test(document.querySelector('[aria-label="Verification result"]')?.textContent?.trim() ?? ''));
  assert.match((await p.getByRole('status', { name: 'Verification result' }).innerText()).trim(), /^Verified/);
  await screenshot(p, 'verify-proof');
  // Forged: one bit of the tx flipped (the Merkle branch no longer reaches the signed txRoot).
  const forged = JSON.parse(proofJson) as { tx: { tx: string } };
  const last = forged.tx.tx.length - 1;
  forged.tx.tx = forged.tx.tx.slice(0, last) + (forged.tx.tx[last] === '0' ? '1' : '0');
  const text = JSON.stringify(forged);
  await p.getByLabel('Proof bundle JSON').fill(text);
  await p.getByRole('button', { name: 'Verify' }).click();
  await p.waitForFunction(() => /^Not verified/.test(document.querySelector('[aria-label="Verification result"]')?.textContent?.trim() ?? ''));
  const failed = await p.getByRole('list', { name: 'Checks' }).locator('[data-status="failed"]').allInnerTexts();
  assert.ok(failed.length >= 1, 'the check that broke is marked');
  await p.context().close();
});

test('a product code opens its journey, each step verified in the browser, with the recall shown', { skip, timeout: 90_000 }, async () => {
  const p = await page(`#/trace?id=${encodeURIComponent(product.boxes[0]!)}`);
  await p.getByRole('heading', { level: 1, name: 'Product journey' }).waitFor();
  const journey = p.getByRole('list', { name: 'Journey' });
  await journey.locator('li').nth(2).waitFor({ timeout: 60_000 });
  await p.waitForFunction(() => {
    const items = Array.from(document.querySelectorAll('[aria-label="Journey"] li'));
    return items.length > 0 && items.every((li) => /verified/.test(li.textContent ?? '') && !/checking/i.test(li.textContent ?? ''));
  }, undefined, { timeout: 60_000 });
  const steps = await journey.locator('li').allInnerTexts();
  assert.ok(steps.length >= 3, steps.join('\n'));
  assert.ok(steps.every((s) => /verified/.test(s) && !/not verified/.test(s)), steps.join('\n'));
  assert.ok(steps.some((s) => /TransformationEvent/.test(s)) && steps.some((s) => /AggregationEvent/.test(s)));
  // Every verified step offers the proof bundle of its event record.
  const keeps = journey.getByRole('link', { name: /^Download proof bundle of the / });
  assert.equal(await keeps.count(), steps.length);
  assert.match(await keeps.first().getAttribute('download') ?? '', /^c_traceability_e_[0-9a-f]+\.proof\.json$/);
  // An EPC means nothing to a phone: its QR code opens this trace page.
  const traceUrl = `${explorer}#/trace?${new URLSearchParams({ id: product.boxes[0]! }).toString()}`;
  const qr = p.getByRole('img', { name: `QR code for ${traceUrl}` });
  await qr.waitFor();
  if (existsSync(ZBARIMG)) {
    const png = join(dir.path, 'trace-qr.png');
    await qr.screenshot({ path: png });
    assert.equal(execFileSync(ZBARIMG, ['--raw', '-q', png], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).replace(/\n$/, ''), traceUrl);
  }
  assert.deepEqual(await cspViolations(p), []);
  assert.match(await p.getByRole('alert').first().innerText(), /recall/i);
  await screenshot(p, 'trace');
  // A Digital Link typed or scanned: a wrong GTIN is refused with the reason, a GTIN-13 padded to 14 digits.
  const code = p.getByLabel('Product code');
  await code.fill('https://id.gs1.org/01/09521234543214/21/4711');
  await p.getByRole('button', { name: 'Trace' }).click();
  assert.match(await p.getByRole('alert').first().innerText(), /cannot be traced.*check digit/);
  await code.fill(`${api}/01/9521234543213/21/4711`);
  await p.getByRole('button', { name: 'Trace' }).click();
  await p.waitForFunction(() => decodeURIComponent(location.hash).endsWith('id=https://id.gs1.org/01/09521234543213/21/4711'));
  // Nothing of the demo carries that link: the page looked up the canonical form.
  await p.getByText('No recorded event names https://id.gs1.org/01/09521234543213/21/4711').waitFor();
  await p.context().close();
});

test('the state page verifies a key’s value and offers its proof bundle under the key’s name', { skip, timeout: 60_000 }, async () => {
  const key = 'sys/contract/traceability';
  const p = await page(`#/state?key=${encodeURIComponent(key)}`);
  await p.getByRole('heading', { level: 1, name: 'State' }).waitFor();
  await p.getByRole('button', { name: 'Verify in this browser' }).click();
  await p.waitForFunction(() => /^(Verified|Not verified)/.test(document.querySelector('[aria-label="Verification result"]')?.textContent?.trim() ?? ''));
  assert.match((await p.getByRole('status', { name: 'Verification result' }).innerText()).trim(), /^Verified/);
  const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('link', { name: 'Download proof bundle' }).click()]);
  assert.equal(download.suggestedFilename(), 'sys_contract_traceability.proof.json');
  const kept = JSON.parse(readFileSync(await download.path(), 'utf8')) as { kind: string };
  assert.equal(kept.kind, 'state');
  assert.deepEqual(await cspViolations(p), []);
  await p.context().close();
});

test('governance and contracts: the traceability contract, its approvals and the proposal that deployed it', { skip, timeout: 60_000 }, async () => {
  const p = await page('#/contracts/traceability');
  await p.getByRole('heading', { level: 1, name: 'Contract traceability' }).waitFor();
  const versions = p.getByRole('table', { name: 'Versions' });
  await versions.waitFor();
  assert.match(await versions.innerText(), /org1.*org2.*org3/s);
  await screenshot(p, 'contract');
  await p.goto(`${explorer}#/governance`);
  const proposals = p.getByRole('table', { name: 'Proposals' });
  await proposals.waitFor();
  assert.match(await proposals.innerText(), /deployContract/);
  await screenshot(p, 'governance');
  await p.context().close();
});

test('on a phone-sized screen the pages fit and every input has a label', { skip, timeout: 60_000 }, async () => {
  const p = await page('', { width: 375, height: 667 });
  await p.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no horizontal page scroll at 375 px (overflow ${overflow} px)`);
  await screenshot(p, 'overview-phone');
  for (const route of ['', '#/verify/evidence', '#/verify/proof', `#/trace?id=${encodeURIComponent(product.pallet)}`]) {
    await p.goto(`${explorer}${route}`);
    await p.locator('h1').first().waitFor();
    const unlabelled = await p.evaluate(() => Array.from(document.querySelectorAll('input, textarea, select, button'))
      .filter((el) => {
        const e = el as HTMLInputElement;
        if (e.type === 'hidden') return false;
        const label = e.getAttribute('aria-label') ?? e.getAttribute('aria-labelledby') ?? (e.id ? document.querySelector(`label[for="${e.id}"]`)?.textContent : null) ?? e.closest('label')?.textContent ?? (e.tagName === 'BUTTON' ? e.textContent : null);
        return (label ?? '').trim() === '';
      }).map((el) => el.outerHTML.slice(0, 80)));
    assert.deepEqual(unlabelled, [], `${route || 'overview'}: inputs without a label`);
  }
  await p.context().close();
});

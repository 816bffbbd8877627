import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as natives from '@xinlian/contracts/natives';
import { VALUE_DEPTH_MAX } from '../../src/sandboxScripts.js';

// The package entry of the natives, and the facts their protocol version stands for.

test('@xinlian/contracts/natives exports the natives and their version', () => {
  assert.equal(natives.CONTRACT_NATIVES_VERSION, 1);
  for (const name of ['canonicalJson', 'hashJson', 'hashText', 'compileSchemas', 'nativeSteps'] as const) assert.equal(typeof natives[name], 'function', name);
  assert.ok(new natives.NativeRefusal('x') instanceof Error && new natives.SchemaLoadError('x') instanceof Error);
});

test('version 1 is ajv 8.20.0, pinned exactly, and that is the ajv installed', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
  assert.equal(manifest.dependencies.ajv, natives.NATIVES_AJV_VERSION);
  const require = createRequire(import.meta.url);
  const installed = JSON.parse(readFileSync(require.resolve('ajv/package.json'), 'utf8')) as { version: string };
  assert.equal(installed.version, natives.NATIVES_AJV_VERSION);
});

test('natives take values as deep as the sandbox lets through, no deeper', () => {
  assert.equal(natives.NATIVE_DEPTH_MAX, VALUE_DEPTH_MAX);
});

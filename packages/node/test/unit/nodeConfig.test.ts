import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XinlianError } from '@xinlian/protocol';
import { loadNodeConfig } from '../../src/nodeConfig.js';

const NAMES = { nodeName: 'node0', org: 'org1', keyFile: 'node.key.pem', certFile: 'node.cert.pem' };

function withConfig(config: Record<string, unknown>, check: (home: string) => void): void {
  const home = mkdtempSync(join(tmpdir(), 'xinlian-config-'));
  try {
    writeFileSync(join(home, 'config.json'), JSON.stringify(config));
    check(home);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

test('execution runs on a worker thread by default, and a proposal holds what executes in a second (ADR 014)', () => {
  withConfig(NAMES, (home) => {
    const config = loadNodeConfig(home);
    assert.equal(config.executionThreads, 1);
    assert.equal(config.proposalExecutionMsMax, 1000);
  });
  withConfig({ ...NAMES, executionThreads: 0, proposalExecutionMsMax: 250 }, (home) => {
    const config = loadNodeConfig(home);
    assert.equal(config.executionThreads, 0);
    assert.equal(config.proposalExecutionMsMax, 250);
  });
});

test('executionThreads above 1, or a negative or fractional budget, are refused with a clear error', () => {
  const refused = (config: Record<string, unknown>, message: RegExp) => withConfig({ ...NAMES, ...config }, (home) => {
    assert.throws(() => loadNodeConfig(home), (error: unknown) => error instanceof XinlianError && error.code === 'BAD_REQUEST' && message.test(error.message));
  });
  refused({ executionThreads: 2 }, /executionThreads must be 0 or 1/);
  refused({ executionThreads: -1 }, /executionThreads must be a non-negative integer/);
  refused({ proposalExecutionMsMax: 0.5 }, /proposalExecutionMsMax must be a non-negative integer/);
  refused({ proposalExecutionMsMax: -10 }, /proposalExecutionMsMax must be a non-negative integer/);
});

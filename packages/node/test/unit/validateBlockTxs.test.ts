import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeSignedTx, encodeEvidenceDeposit, encodeSignedTx, encodeTxBody, EVIDENCE_DEPOSIT_TYPE, MembershipVerifier,
  parseGenesis, TX_VERSION, txIdOf, XinlianError,
} from '@xinlian/protocol';
import { loadSigningKey, nodeSuite } from '@xinlian/crypto-node';
import { initChain } from '../../src/init/initChain.js';
import { openChainStore } from '../../src/ledger/chainStore.js';
import { builtInHandlers } from '../../src/execution/handlers.js';
import { validateBlockTxs } from '../../src/ledger/validateBlockTxs.js';

test('a proposed block is checked tx by tx at its own height and time, signatures included', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xinlian-validate-'));
  const store = openChainStore(join(dir, 'data'));
  try {
    const genesisTimeMs = 1_800_000_000_000;
    await initChain({ dir: join(dir, 'chain'), suite: 'intl', genesisTimeMs });
    const genesis = parseGenesis(JSON.parse(readFileSync(join(dir, 'chain', 'genesis.json'), 'utf8')));
    const suite = nodeSuite('intl');
    const key = loadSigningKey(readFileSync(join(dir, 'chain', 'orgs', 'org1', 'client.key.pem'), 'utf8'));
    const certDer = Buffer.from(readFileSync(join(dir, 'chain', 'orgs', 'org1', 'client.cert.pem'), 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const tx = (n: number, expiryHeight = 50) => {
      const bodyBytes = encodeTxBody({
        version: TX_VERSION, chainId: genesis.chainId, signerCert: certDer, nonce: new Uint8Array(16).fill(n), expiryHeight,
        type: EVIDENCE_DEPOSIT_TYPE, payload: encodeEvidenceDeposit({ hash: suite.hash(Uint8Array.of(n)), title: '' }),
      });
      return encodeSignedTx({ bodyBytes, signature: key.sign(txIdOf(suite.hash, genesis.chainId, bodyBytes)) });
    };
    const deps = {
      genesis, parameters: () => genesis.parameters, suite, membership: new MembershipVerifier(genesis, suite), handlers: builtInHandlers(), store,
      verifyBatch: async (items: Array<{ publicKey: Uint8Array; message: Uint8Array; signature: Uint8Array }>) =>
        items.map((i) => suite.verify(i.publicKey, i.message, i.signature)),
    };
    const context = { parentHeight: 9, blockTimeMs: genesisTimeMs + 1000, blockTxsMax: 3, blockBytesMax: 1 << 20 };
    const code = (promise: Promise<unknown>, expected: string, pattern?: RegExp) => assert.rejects(promise, (e: unknown) =>
      e instanceof XinlianError && e.code === expected && (pattern === undefined || pattern.test(e.message)));

    assert.equal((await validateBlockTxs([tx(1), tx(2)], deps, context)).length, 2);
    await code(validateBlockTxs([tx(1), tx(1)], deps, context), 'TX_REPLAYED', /block tx 1: .* twice/);
    await code(validateBlockTxs([tx(1), tx(2, 9)], deps, context), 'TX_EXPIRED', /block tx 1/);
    await code(validateBlockTxs([tx(1), tx(2), tx(3), tx(4)], deps, context), 'BAD_REQUEST', /blockTxsMax/);
    const forged = decodeSignedTx(tx(5));
    forged.signature[3]! ^= 1;
    await code(validateBlockTxs([tx(1), encodeSignedTx(forged)], deps, context), 'TX_INVALID_SIGNATURE', /block tx 1/);
    // A tx this node admitted is not verified again, but only in exactly the bytes it admitted:
    // the same body (same tx id) with another signature is verified, and refused.
    let verified = 0;
    const counting = { ...deps, verifyBatch: async (items: Parameters<typeof deps.verifyBatch>[0]) => { verified += items.length; return deps.verifyBatch(items); } };
    const pooled = new Map([tx(5)].map((raw) => [Buffer.from(txIdOf(suite.hash, genesis.chainId, decodeSignedTx(raw).bodyBytes)).toString('hex'), raw]));
    const withPool = { ...context, admittedBytes: (id: string) => pooled.get(id) };
    assert.equal((await validateBlockTxs([tx(1), tx(5)], counting, withPool)).length, 2);
    assert.equal(verified, 1, 'only the tx not admitted before is verified');
    await code(validateBlockTxs([tx(1), encodeSignedTx(forged)], counting, withPool), 'TX_INVALID_SIGNATURE', /block tx 1/);
    // Members' certificates last two years: a block time past that refuses the tx.
    await code(validateBlockTxs([tx(1)], deps, { ...context, blockTimeMs: genesisTimeMs + 3 * 365 * 86_400_000 }), 'CERT_INVALID');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

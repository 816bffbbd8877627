import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { contractLedger } from '@xinlian/contracts/testing';
import { compileSchemas } from '@xinlian/contracts/natives';
import { DOCUMENT_EVENT, SCHEMAS } from './epcisValidator.js';
import { mutated, mutationArbitrary, resolves } from './eventMutations.js';
import { epcisDocument, supplyChain } from './supplyChainScenario.js';
import { withNodeLimits } from './withNodeLimits.js';

const EXAMPLES = new URL('./vectors/examples/', import.meta.url);
const documents = readdirSync(EXAMPLES).filter((f) => f.endsWith('.jsonld')).sort().map((f) => JSON.parse(readFileSync(new URL(f, EXAMPLES), 'utf8')));
const events = [
  ...documents.flatMap((d) => d.epcisBody.eventList ?? d.epcisBody.queryResults.resultsBody.eventList),
  ...supplyChain().map((s) => s.event),
];

/** The contract's schema as the node compiles it (natives, ADR 012). */
const compiled = compileSchemas(SCHEMAS);
const epcisValidator = () => ({ validate: (value: unknown, ref?: string) => compiled.validate('epcis', value, ref) });
const mutation = mutationArbitrary(fc);


test('every event of the examples and of the scenario is valid, as are the documents', () => {
  const validator = epcisValidator();
  for (const event of events) assert.deepEqual(validator.validate(event, DOCUMENT_EVENT), [], JSON.stringify(event));
  for (const document of [...documents, epcisDocument(supplyChain().map((s) => s.event))]) assert.deepEqual(validator.validate(document), []);
});

test('property: the node\'s validator of the contract\'s schema never crashes on a mutated event or document; each error names a place in the value', () => {
  const validator = epcisValidator();
  fc.assert(fc.property(fc.constantFrom(...events, ...documents), mutation, (original, m) => {
    const value = mutated(original, m);
    const isDocument = (original as { type?: string }).type === 'EPCISDocument' || (original as { type?: string }).type === 'EPCISQueryDocument';
    const errors = isDocument ? validator.validate(value) : validator.validate(value, DOCUMENT_EVENT);
    assert.ok(Array.isArray(errors) && errors.length <= 20);
    for (const error of errors) {
      assert.ok(typeof error.message === 'string' && error.message.length > 0);
      assert.ok(resolves(value, error.path), `${error.path} in ${JSON.stringify(value)}`);
    }
  }), { numRuns: 3000 });
});

test('property: the contract records a mutated event or refuses it with its own code, never fails', async () => {
  const ledger = withNodeLimits(await contractLedger(new URL('./contract.ts', import.meta.url), { name: 'traceability' }));
  const codes = new Map<string, number>();
  await fc.assert(fc.asyncProperty(fc.constantFrom(...events), mutation, async (original, m) => {
    const outcome = await ledger.call('recordEvents', { events: [mutated(original, m)] }, { org: 'org1', role: 'client' });
    const code = outcome.ok ? 'recorded' : outcome.code === 'CONTRACT_REJECTED' ? outcome.reason! : outcome.code;
    codes.set(code, (codes.get(code) ?? 0) + 1);
    assert.ok(['recorded', 'SCHEMA_INVALID', 'EVENT_TYPE_UNSUPPORTED', 'EVENT_DUPLICATE', 'ARGS_INVALID', 'IDENTIFIER_TOO_LONG'].includes(code), JSON.stringify(outcome));
  }), { numRuns: 150 });
  assert.ok((codes.get('SCHEMA_INVALID') ?? 0) > 0 && (codes.get('recorded') ?? 0) > 0, JSON.stringify([...codes]));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { contractLedger } from '@xinlian/contracts/testing';
import { compileSchemas } from '@xinlian/contracts/natives';
import { DOCUMENT_EVENT, SCHEMAS } from './epcisValidator.js';
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

type Token = string | number;

/** Every place in a value: the paths to all its members and items, the root included. */
function paths(value: unknown, at: Token[] = []): Token[][] {
  const out = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

type Mutation = { kind: 'delete' | 'replace' | 'add' | 'wrap'; pick: number; json: unknown; key: string };

/** The value with one mutation applied at one of its places (a copy; the original is kept). */
function mutated(value: unknown, m: Mutation): unknown {
  const copy = structuredClone(value);
  const all = paths(copy);
  const path = all[m.pick % all.length]!;
  if (path.length === 0) return m.kind === 'wrap' ? [copy] : m.json;
  const parent = path.slice(0, -1).reduce((v: any, t) => v[t], copy) as any;
  const last = path[path.length - 1]!;
  if (m.kind === 'delete') Array.isArray(parent) ? parent.splice(last as number, 1) : delete parent[last];
  else if (m.kind === 'replace') parent[last] = m.json;
  else if (m.kind === 'wrap') parent[last] = [parent[last]];
  else if (typeof parent[last] === 'object' && parent[last] !== null && !Array.isArray(parent[last])) parent[last][m.key] = m.json;
  // A key added beside an array element would be no JSON (and `length` would throw): not a mutation.
  else if (!Array.isArray(parent)) parent[m.key] = m.json;
  // Through JSON text, as arguments reach the contract: a member set past an array's end leaves holes, which JSON makes null.
  return JSON.parse(JSON.stringify(copy));
}

const mutation = fc.record({
  kind: fc.constantFrom('delete', 'replace', 'add', 'wrap'),
  pick: fc.nat(),
  json: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('OBSERVE', 'urn:epc:id:sgtin:1.2.3', 'shipping', '2024-01-01T00:00:00Z', 'x:y', [], {})),
  key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('type', 'action', 'epcList', 'ilmd', 'eventTime', 'ex:field', 'parentID')),
}) as fc.Arbitrary<Mutation>;

/** A JSON pointer names a place in `value`, or a missing member of an object that is there. */
function resolves(value: unknown, pointer: string): boolean {
  if (pointer === '') return true;
  const tokens = pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  let at: unknown = value;
  for (const [i, token] of tokens.entries()) {
    if (typeof at !== 'object' || at === null) return false;
    if (!Object.prototype.hasOwnProperty.call(at, token)) return i === tokens.length - 1 && !Array.isArray(at);
    at = (at as Record<string, unknown>)[token];
  }
  return true;
}

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

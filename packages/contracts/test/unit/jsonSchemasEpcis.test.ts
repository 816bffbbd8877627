import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { compileSchemas, type SchemaError } from '../../src/natives/index.js';
import { TRACEABILITY, traceabilityModule } from '../helpers/traceabilityModule.js';

// Native validation against the EPCIS 2.0 schema, beside the traceability contract's own
// validator (the code it replaces): the same answer, valid or not, on the official examples, on
// the contract's test cases and on generated mutations of them.

interface ContractValidator { validate(value: unknown, ref?: string): Array<SchemaError & { keyword: string }> }
// The validator the contract carried before the natives (kept in contracts/traceability/reference/).
const { compileSchema } = await traceabilityModule<{ compileSchema(schema: unknown): ContractValidator }>('reference/jsonSchema.ts');
const { DOCUMENT_EVENT } = await traceabilityModule<{ DOCUMENT_EVENT: string }>('epcisValidator.ts');
// The mutations of contracts/traceability/schemaMutations.test.ts (contracts/traceability/eventMutations.ts).
type Mutation = { kind: 'delete' | 'replace' | 'add' | 'wrap'; pick: number; json: unknown; key: string };
const { mutated, mutationArbitrary, resolves } = await traceabilityModule<{
  mutated(value: unknown, m: Mutation): unknown;
  mutationArbitrary(fast: typeof fc): fc.Arbitrary<Mutation>;
  resolves(value: unknown, pointer: string): boolean;
}>('eventMutations.ts');
const mutation = mutationArbitrary(fc);
const { supplyChain, epcisDocument } = await traceabilityModule<{ supplyChain(): Array<{ event: unknown }>; epcisDocument(events: unknown[]): unknown }>('supplyChainScenario.ts');

const readJson = (url: URL) => JSON.parse(readFileSync(url, 'utf8')) as unknown;
const schema = readJson(new URL('schema/EPCIS-JSON-Schema.json', TRACEABILITY));
const natives = compileSchemas({ epcis: schema });
const contract = compileSchema(schema);
const examples = readdirSync(new URL('vectors/examples/', TRACEABILITY)).filter((f) => f.endsWith('.jsonld')).sort()
  .map((file) => ({ file, document: readJson(new URL(`vectors/examples/${file}`, TRACEABILITY)) as any }));
const eventsOf = (d: any): any[] => d.epcisBody.eventList ?? d.epcisBody.queryResults.resultsBody.eventList;
const events = [...examples.flatMap((e) => eventsOf(e.document)), ...supplyChain().map((s) => s.event)];
const documents = [...examples.map((e) => e.document), epcisDocument(supplyChain().map((s) => s.event))];

test('the ref the contract validates events at is the one used here', () => {
  assert.equal(DOCUMENT_EVENT, '#/definitions/EPCIS-Document-Event');
});

test('every official EPCIS 2.0 example validates: the document, at #/definitions/EPCIS-Document, each event at the contract\'s ref, each event alone with the document\'s @context', () => {
  assert.ok(examples.length >= 15, examples.map((e) => e.file).join(', '));
  for (const { file, document } of examples) {
    assert.deepEqual(natives.validate('epcis', document), [], file);
    assert.deepEqual(natives.validate('epcis', document, '#/definitions/EPCIS-Document'), [], file);
    for (const event of eventsOf(document)) {
      assert.deepEqual(natives.validate('epcis', event, DOCUMENT_EVENT), [], `${file}: ${event.type}`);
      assert.deepEqual(natives.validate('epcis', { ...event, '@context': document['@context'] }), [], `${file}: ${event.type} alone`);
    }
  }
  for (const event of events) assert.deepEqual(natives.validate('epcis', event, DOCUMENT_EVENT), []);
  assert.deepEqual(natives.validate('epcis', documents[documents.length - 1]), [], 'the scenario as one document');
});

/** Errors of both validators for the 9.6.1 example document after `change` to its second event. */
function bothAfter(change: (event: any) => void): { natives: SchemaError[]; contract: SchemaError[] } {
  const document = structuredClone(examples.find((e) => e.file === 'Example_9.6.1-ObjectEvent.jsonld')!.document);
  change(document.epcisBody.eventList[1]);
  return { natives: natives.validate('epcis', document), contract: contract.validate(document) };
}

test('the contract\'s invalid-event cases are refused by both, each naming the failing value and the keyword, and only the changed event', () => {
  const at = '/epcisBody/eventList/1';
  // What, change, the path and keyword both validators must name.
  const cases: Array<[string, (e: any) => void, string, string]> = [
    ['missing eventTime', (e) => delete e.eventTime, `${at}/eventTime`, 'required'],
    ['bad action', (e) => (e.action = 'SHIP'), `${at}/action`, 'enum'],
    ['epcList not a list', (e) => (e.epcList = 'urn:epc:id:sgtin:0614141.107346.2018'), `${at}/epcList`, 'type'],
    ['an EPC that is no URI', (e) => (e.epcList = ['0614141.107346.2018']), `${at}/epcList/0`, 'format'],
    ['duplicate EPCs', (e) => (e.epcList = ['urn:x:1', 'urn:x:1']), `${at}/epcList`, 'uniqueItems'],
    ['a bizStep neither CBV nor a URI', (e) => (e.bizStep = 'shiping'), `${at}/bizStep`, 'anyOf'],
    ['a CBV URN in place of a non-CBV URI', (e) => (e.bizStep = 'urn:epcglobal:cbv:bizstep:shipping'), `${at}/bizStep`, 'anyOf'],
    ['a day that does not exist', (e) => (e.eventTime = '2005-02-29T20:33:31.116-06:00'), `${at}/eventTime`, 'format'],
    ['a time zone offset past +14:00', (e) => (e.eventTimeZoneOffset = '+14:30'), `${at}/eventTimeZoneOffset`, 'pattern'],
    ['an extension without a namespace', (e) => (e.myField = 1), `${at}/myField`, 'propertyNames'],
    ['ilmd on an OBSERVE event', (e) => (e.ilmd = { 'ex:lot': '1' }), at, 'anyOf'],
    ['a source without its party', (e) => (e.sourceList = [{ type: 'owning_party' }]), `${at}/sourceList/0/source`, 'required'],
    ['an unknown member of a quantity element', (e) => (e.quantityList = [{ epcClass: 'urn:x:c', quantity: 1, lot: 'A' }]), `${at}/quantityList/0/lot`, 'additionalProperties'],
    ['a unit of measure in lower case', (e) => (e.quantityList = [{ epcClass: 'urn:x:c', quantity: 1, uom: 'kg' }]), `${at}/quantityList/0/uom`, 'pattern'],
    ['a quantity as text', (e) => (e.quantityList = [{ epcClass: 'urn:x:c', quantity: '1' }]), `${at}/quantityList/0/quantity`, 'type'],
    ['an empty persistentDisposition', (e) => (e.persistentDisposition = {}), `${at}/persistentDisposition`, 'anyOf'],
  ];
  for (const [what, change, path, keyword] of cases) {
    const errors = bothAfter(change);
    for (const [who, list] of [['natives', errors.natives], ['contract', errors.contract]] as const) {
      assert.ok(list.some((e) => e.path === path && e.keyword === keyword), `${what}: ${who} should name ${keyword} at ${path}, got ${JSON.stringify(list)}`);
      assert.ok(list.every((e) => e.path.startsWith(at)), `${what}: ${who} blames only the changed event: ${JSON.stringify(list)}`);
    }
  }
  const alone = { type: 'ObjectEvent', action: 'ADD', epcList: [], eventTime: '2020-01-01T00:00:00Z', eventTimeZoneOffset: '+00:00' };
  assert.deepEqual(natives.validate('epcis', alone).map((e) => e.path), ['/@context'], 'an event alone needs its @context');
  assert.deepEqual(contract.validate(alone).map((e) => e.path), ['/@context'], 'for the contract\'s validator too');
});

test('property: on mutated events and documents both validators agree on valid or not, and every native error names a place in the value', () => {
  const counts = { valid: 0, invalid: 0 };
  fc.assert(fc.property(fc.constantFrom(...events, ...documents), mutation, (original, m) => {
    const value = mutated(original, m);
    const type = (original as { type?: string }).type;
    const ref = type === 'EPCISDocument' || type === 'EPCISQueryDocument' ? '#' : DOCUMENT_EVENT;
    const ours = natives.validate('epcis', value, ref);
    const theirs = contract.validate(value, ref === '#' ? undefined : ref);
    assert.equal(ours.length === 0, theirs.length === 0, `${JSON.stringify(value)}\nnatives: ${JSON.stringify(ours)}\ncontract: ${JSON.stringify(theirs)}`);
    counts[ours.length === 0 ? 'valid' : 'invalid']++;
    assert.ok(ours.length <= 20);
    for (const error of ours) {
      assert.ok(error.message.length > 0 && resolves(value, error.path), `${error.path} in ${JSON.stringify(value)}`);
    }
  }), { numRuns: 10_000 });
  assert.ok(counts.valid > 500 && counts.invalid > 5000, JSON.stringify(counts));
});

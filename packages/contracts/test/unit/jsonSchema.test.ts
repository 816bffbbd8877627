import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

// The traceability contract's JSON schema validator (contracts/traceability/reference/jsonSchema.ts), bundled
// here with esbuild as the contract bundles it: it lives outside this package's sources, which tsc
// compiles on their own.
const REPO = new URL('../../../../../', import.meta.url); // from packages/contracts/dist/test/unit
const TRACEABILITY = new URL('contracts/traceability/', REPO);

interface SchemaError { path: string; keyword: string; message: string }
interface SchemaValidator { validate(value: unknown, ref?: string): SchemaError[] }
interface JsonSchemaModule {
  compileSchema(schema: unknown): SchemaValidator;
  SchemaLoadError: new (message: string) => Error;
}

async function loadValidator(): Promise<JsonSchemaModule> {
  const entry = fileURLToPath(new URL('contracts/traceability/reference/jsonSchema.ts', REPO));
  const dir = mkdtempSync(join(tmpdir(), 'xinlian-json-schema-'));
  try {
    const outfile = join(dir, 'jsonSchema.mjs');
    await build({ entryPoints: [entry], outfile, bundle: true, format: 'esm', platform: 'neutral', target: 'es2020', logLevel: 'silent' });
    return (await import(pathToFileURL(outfile).href)) as JsonSchemaModule;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const { compileSchema, SchemaLoadError } = await loadValidator();
const readJson = (url: URL) => JSON.parse(readFileSync(url, 'utf8'));
const epcis = compileSchema(readJson(new URL('schema/EPCIS-JSON-Schema.json', TRACEABILITY)));
const examples = readdirSync(new URL('vectors/examples/', TRACEABILITY)).filter((f) => f.endsWith('.jsonld')).sort()
  .map((file) => ({ file, document: readJson(new URL(`vectors/examples/${file}`, TRACEABILITY)) }));
const eventsOf = (d: any): any[] => d.epcisBody.eventList ?? d.epcisBody.queryResults.resultsBody.eventList;
const DOCUMENT_EVENT = '#/definitions/EPCIS-Document-Event';

test('every official EPCIS 2.0 example validates: the document, each event in it, and each event alone with the document\'s @context', () => {
  assert.ok(examples.length >= 15);
  for (const { file, document } of examples) {
    assert.deepEqual(epcis.validate(document), [], file);
    assert.deepEqual(epcis.validate(document, '#/definitions/EPCIS-Document'), [], file);
    for (const event of eventsOf(document)) {
      assert.deepEqual(epcis.validate(event, DOCUMENT_EVENT), [], `${file}: ${event.type}`);
      assert.deepEqual(epcis.validate({ ...event, '@context': document['@context'] }), [], `${file}: ${event.type} alone`);
    }
  }
});

// The invalid-event cases (a path and a keyword for each) are in jsonSchemasEpcis.test.ts, which
// requires this validator and the node's to name the same ones.

function outcome(schema: unknown, value: unknown): string[] {
  return compileSchema(schema).validate(value).map((e) => `${e.path} ${e.keyword}`);
}

test('each keyword, on its own', () => {
  const cases: Array<[unknown, unknown[], Array<[unknown, string[]]>]> = [
    [{ type: 'integer' }, [1, 1.0, -3], [[1.5, [' type']], ['1', [' type']]]],
    [{ type: ['string', 'null'] }, ['a', null], [[0, [' type']]]],
    [{ properties: { a: { type: 'string' } }, required: ['b'] }, [{ b: 1 }, { a: 'x', b: 1 }, 'not an object'], [[{ a: 1, b: 1 }, ['/a type']], [{}, ['/b required']]]],
    [{ additionalProperties: false, properties: { a: true }, patternProperties: { '^x-': true } }, [{ a: 1, 'x-y': 2 }], [[{ b: 1 }, ['/b additionalProperties']]]],
    [{ additionalProperties: { type: 'number' } }, [{ a: 1 }], [[{ a: 'x' }, ['/a type']]]],
    [{ patternProperties: { '^n': { type: 'number' } } }, [{ n1: 1, s: 's' }], [[{ n1: 's' }, ['/n1 type']]]],
    [{ propertyNames: { pattern: '^[a-z]+$' } }, [{ ab: 1 }], [[{ aB: 1 }, ['/aB propertyNames']]]],
    [{ minProperties: 1, maxProperties: 2 }, [{ a: 1 }], [[{}, [' minProperties']], [{ a: 1, b: 2, c: 3 }, [' maxProperties']]]],
    [{ items: { type: 'number' }, minItems: 1, maxItems: 2 }, [[1], [1, 2]], [[[], [' minItems']], [[1, 'x'], ['/1 type']], [[1, 2, 3], [' maxItems']]]],
    [{ items: [{ type: 'string' }], additionalItems: false }, [['a'], []], [[['a', 1], ['/1 false']], [[1], ['/0 type']]]],
    [{ uniqueItems: true }, [[1, '1', { a: 1 }, { a: 2 }]], [[[{ a: 1, b: 2 }, { b: 2, a: 1 }], [' uniqueItems']], [[1, 1.0], [' uniqueItems']]]],
    [{ enum: ['a', 1, null, { k: [1] }] }, ['a', 1, null, { k: [1] }], [['b', [' enum']], [{ k: [2] }, [' enum']]]],
    [{ const: { a: [1, 2] } }, [{ a: [1, 2] }], [[{ a: [2, 1] }, [' const']]]],
    [{ anyOf: [{ type: 'string' }, { minimum: 2 }] }, ['x', 3, { a: 1 }], [[1, [' anyOf']]]],
    [{ anyOf: [{ properties: { a: { type: 'string' } } }, { required: ['b'] }] }, [{ a: 'x' }], [[{ a: 1 }, [' anyOf', '/a type']]]],
    [{ oneOf: [{ type: 'number' }, { type: 'integer' }] }, [1.5], [[1, [' oneOf']], ['x', [' oneOf']]]],
    [{ allOf: [{ minimum: 1 }, { maximum: 3 }] }, [2], [[0, [' minimum']], [4, [' maximum']]]],
    [{ not: { type: 'string' } }, [1], [['x', [' not']]]],
    [{ if: { type: 'string' }, then: { minLength: 2 }, else: { type: 'number' } }, ['ab', 1], [['a', [' minLength']], [null, [' type']]]],
    [{ if: { required: ['a'] }, then: { required: ['b'] } }, [{}, { a: 1, b: 2 }], [[{ a: 1 }, ['/b required']]]],
    [{ minLength: 2, maxLength: 3 }, ['ab', '😀😀', 5], [['a', [' minLength']], ['😀😀😀😀', [' maxLength']]]],
    [{ pattern: '^\\p{Lu}' }, ['Äb', 7], [['äb', [' pattern']]]],
    [{ exclusiveMinimum: 0, exclusiveMaximum: 1 }, [0.5], [[0, [' exclusiveMinimum']], [1, [' exclusiveMaximum']]]],
    [{ properties: { a: false } }, [{}], [[{ a: 1 }, ['/a false']]]],
    [{ properties: { 'a/b': { properties: { 'c~d': { type: 'string' } } } } }, [{}], [[{ 'a/b': { 'c~d': 1 } }, ['/a~1b/c~0d type']]]],
    [true, [1, null, {}], []],
    [false, [], [[1, [' false']]]],
  ];
  const [anyOfError] = compileSchema({ anyOf: [{ type: 'string' }, { minimum: 2 }] }).validate(1);
  assert.equal(anyOfError!.message, 'must match a schema in anyOf: must be string, not number | must be >= 2', 'each branch says why it failed');
  for (const [schema, valid, invalid] of cases) {
    for (const value of valid) assert.deepEqual(outcome(schema, value), [], `${JSON.stringify(schema)} accepts ${JSON.stringify(value)}`);
    for (const [value, expected] of invalid) assert.deepEqual(outcome(schema, value), expected, `${JSON.stringify(schema)} refuses ${JSON.stringify(value)}`);
  }
});

test('$ref: local pointers, percent-encoded and escaped, recursive schemas', () => {
  const tree = { definitions: { 'node@x': { type: 'object', properties: { value: { type: 'number' }, children: { type: 'array', items: { $ref: '#/definitions/node%40x' } } } } }, $ref: '#/definitions/node%40x' };
  assert.deepEqual(outcome(tree, { value: 1, children: [{ value: 2, children: [{ value: 3 }] }] }), []);
  assert.deepEqual(outcome(tree, { children: [{ children: [{ value: 'x' }] }] }), ['/children/0/children/0/value type']);
  assert.deepEqual(outcome({ definitions: { 'a/b': { type: 'string' }, 'm~n': { $ref: '#/definitions/a~1b' } }, $ref: '#/definitions/m~0n' }, 1), [' type']);
  const root = { properties: { next: { $ref: '#' } }, required: ['id'] };
  assert.deepEqual(outcome(root, { id: 1, next: { id: 2, next: {} } }), ['/next/next/id required']);
  assert.deepEqual(compileSchema({ definitions: { a: { type: 'string' } } }).validate(1, '#/definitions/a').map((e) => e.keyword), ['type']);
});

test('a schema the validator cannot enforce fully is refused when loaded, never partly applied', () => {
  const refusals: Array<[unknown, RegExp]> = [
    [{ dependencies: { a: ['b'] } }, /unsupported keyword "dependencies"/],
    [{ properties: { a: { contains: { type: 'string' } } } }, /#\/properties\/a\/contains: unsupported keyword/],
    [{ definitions: { unused: { multipleOf: 2 } } }, /unsupported keyword "multipleOf"/],
    [{ typo: true }, /unsupported keyword "typo"/],
    [{ format: 'email' }, /unknown format "email"/],
    [{ $ref: 'https://example.com/schema.json' }, /only local \$ref/],
    [{ $ref: '#/definitions/missing' }, /does not resolve/],
    [{ $ref: '#foo' }, /not a JSON pointer/],
    [{ properties: { a: { $id: 'x' } } }, /only the root schema may have \$id/],
    [{ $schema: 'https://json-schema.org/draft/2020-12/schema' }, /only draft-07/],
    [{ pattern: '(' }, /invalid pattern/],
    [{ type: 'int' }, /must name JSON types/],
    [{ required: 'a' }, /must be an array of strings/],
    [{ minItems: -1 }, /non-negative integer/],
    [{ anyOf: [] }, /non-empty array of schemas/],
    [{ $ref: '#/definitions/a', type: 'string', definitions: { a: true } }, /\$ref with other keywords beside it/],
    [{ then: { uniqueItem: true } }, /#\/then\/uniqueItem: unsupported keyword/],
    [{ additionalItems: { format: 'hostname' } }, /unknown format "hostname"/],
    [{ items: 3 }, /must be an object or a boolean/],
    [[], /root schema must be an object or a boolean/],
  ];
  for (const [schema, message] of refusals) {
    assert.throws(() => compileSchema(schema), (e: Error) => e instanceof SchemaLoadError && message.test(e.message), JSON.stringify(schema));
  }
  assert.deepEqual(outcome({ $schema: 'http://json-schema.org/draft-07/schema#', $id: 'https://example.com/s', title: 't', description: 'd', $comment: 'c', default: 1, examples: [1] }, 'x'), []);
});

test('format date-time is RFC 3339 section 5.6 with real calendar days; uri is an absolute RFC 3986 URI', () => {
  const dateTime = compileSchema({ format: 'date-time' });
  const uri = compileSchema({ format: 'uri' });
  const iri = compileSchema({ format: 'iri' });
  const valid = (v: SchemaValidator, text: string) => v.validate(text).length === 0;
  for (const ok of ['2005-04-03T20:33:31.116000-06:00', '2013-06-08T14:58:56.591Z', '2024-02-29T00:00:00z', '2000-02-29t23:59:59+14:00', '2016-12-31T23:59:60Z', '2017-01-01T00:59:60+01:00']) assert.ok(valid(dateTime, ok), ok);
  for (const bad of ['2005-04-03', '2005-04-03T20:33:31', '2023-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2024-04-31T00:00:00Z', '2024-13-01T00:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01T12:60:00Z', '2024-01-01T12:00:60Z', '2024-01-01 12:00:00Z', '2024-01-01T12:00:00+0100', '2024-01-01T12:00:00.Z']) assert.ok(!valid(dateTime, bad), bad);
  for (const ok of ['urn:epc:id:sgtin:0614141.107346.2017', 'https://id.gs1.org/01/09506000134352/10/AB-123?x=1#f', 'ni:///sha-256;df7b?ver=CBV2.0', 'urn:epc:idpat:sgtin:4012345.066666.*', 'ex:myField', 'http://[2001:db8::1]:8080/p', 'mailto:a@b.c', 'file:///tmp/x', 'urn:x:%C3%A4']) assert.ok(valid(uri, ok), ok);
  for (const bad of ['', 'myField', '/relative/path', '//host/path', '1urn:x', 'urn:x y', 'urn:x|y', 'urn:x:%zz', 'http://a/b#c#d', 'urn:ä', 'http://[::1/x']) assert.ok(!valid(uri, bad), bad);
  assert.ok(valid(iri, 'urn:ä:😀') && valid(iri, 'https://例え.jp/パス?q=値') && !valid(iri, 'urn:ä b'));
  assert.deepEqual(uri.validate(42), [], 'formats apply to strings only');
});

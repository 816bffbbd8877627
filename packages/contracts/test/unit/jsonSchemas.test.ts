import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileSchemas, NativeRefusal, SCHEMA_FORMATS, SchemaLoadError, type SchemaError } from '../../src/natives/index.js';
import { traceabilityModule } from '../helpers/traceabilityModule.js';

// Native validation (api.validate) keyword by keyword, beside the traceability contract's
// validator: the same schemas load, the same values are valid, and the errors name the same places.

interface ContractModule {
  compileSchema(schema: unknown): { validate(value: unknown, ref?: string): SchemaError[] };
  SchemaLoadError: new (message: string) => Error;
}
const contract = await traceabilityModule<ContractModule>('reference/jsonSchema.ts');
const contractFormats = (await traceabilityModule<{ SCHEMA_FORMATS: Record<string, (text: string) => boolean> }>('reference/schemaFormats.ts')).SCHEMA_FORMATS;

const one = (schema: unknown) => compileSchemas({ s: schema });
const outcome = (schema: unknown, value: unknown) => one(schema).validate('s', value).map((e) => `${e.path} ${e.keyword}`);

test('each keyword on its own: the values the contract\'s validator accepts and refuses, and the places and keywords it names', () => {
  // The cases of jsonSchema.test.ts, where the contract's answers are written down.
  const cases: Array<[unknown, unknown[], Array<[unknown, string[]]>]> = [
    [{ type: 'integer' }, [1, 1.0, -3, 1e300], [[1.5, [' type']], ['1', [' type']]]],
    [{ type: ['string', 'null'] }, ['a', null], [[0, [' type']]]],
    [{ properties: { a: { type: 'string' } }, required: ['b'] }, [{ b: 1 }, { a: 'x', b: 1 }, 'not an object'], [[{ a: 1, b: 1 }, ['/a type']], [{}, ['/b required']]]],
    [{ additionalProperties: false, properties: { a: true }, patternProperties: { '^x-': true } }, [{ a: 1, 'x-y': 2 }], [[{ b: 1 }, ['/b additionalProperties']]]],
    [{ additionalProperties: { type: 'number' } }, [{ a: 1 }], [[{ a: 'x' }, ['/a type']]]],
    [{ patternProperties: { '^n': { type: 'number' } } }, [{ n1: 1, s: 's' }], [[{ n1: 's' }, ['/n1 type']]]],
    [{ propertyNames: { pattern: '^[a-z]+$' } }, [{ ab: 1 }], [[{ aB: 1 }, ['/aB propertyNames']]]],
    [{ minProperties: 1, maxProperties: 2 }, [{ a: 1 }], [[{}, [' minProperties']], [{ a: 1, b: 2, c: 3 }, [' maxProperties']]]],
    [{ items: { type: 'number' }, minItems: 1, maxItems: 2 }, [[1], [1, 2]], [[[], [' minItems']], [[1, 'x'], ['/1 type']], [[1, 2, 3], [' maxItems']]]],
    [{ items: [{ type: 'string' }], additionalItems: false }, [['a'], []], [[['a', 1], [' additionalItems']], [[1], ['/0 type']]]],
    [{ items: [{ type: 'string' }], additionalItems: { type: 'number' } }, [['a', 1, 2]], [[['a', 1, 'x'], ['/2 type']]]],
    [{ uniqueItems: true }, [[1, '1', { a: 1 }, { a: 2 }, [1], [1, 2]], ['\ud800', '\udc00']], [[[{ a: 1, b: 2 }, { b: 2, a: 1 }], [' uniqueItems']], [[1, 1.0], [' uniqueItems']], [[0, -0], [' uniqueItems']], [[[1, [2]], [1, [2]]], [' uniqueItems']]]],
    [{ enum: ['a', 1, null, { k: [1] }] }, ['a', 1, null, { k: [1] }], [['b', [' enum']], [{ k: [2] }, [' enum']]]],
    [{ const: { a: [1, 2] } }, [{ a: [1, 2] }], [[{ a: [2, 1] }, [' const']]]],
    [{ anyOf: [{ type: 'string' }, { minimum: 2 }] }, ['x', 3, { a: 1 }], [[1, [' type', ' minimum', ' anyOf']]]],
    [{ oneOf: [{ type: 'number' }, { type: 'integer' }] }, [1.5], [[1, [' oneOf']], ['x', [' type', ' type', ' oneOf']]]],
    [{ allOf: [{ minimum: 1 }, { maximum: 3 }] }, [2], [[0, [' minimum']], [4, [' maximum']]]],
    [{ not: { type: 'string' } }, [1], [['x', [' not']]]],
    [{ if: { type: 'string' }, then: { minLength: 2 }, else: { type: 'number' } }, ['ab', 1], [['a', [' minLength']], [null, [' type']]]],
    [{ if: { required: ['a'] }, then: { required: ['b'] } }, [{}, { a: 1, b: 2 }], [[{ a: 1 }, ['/b required']]]],
    [{ minLength: 2, maxLength: 3 }, ['ab', '😀😀', 5], [['a', [' minLength']], ['😀😀😀😀', [' maxLength']]]],
    [{ pattern: '^[A-Z]' }, ['Äb'.normalize('NFD'), 7], [['äb', [' pattern']]]],
    [{ exclusiveMinimum: 0, exclusiveMaximum: 1 }, [0.5], [[0, [' exclusiveMinimum']], [1, [' exclusiveMaximum']]]],
    [{ properties: { a: false } }, [{}], [[{ a: 1 }, ['/a false']]]],
    [{ properties: { 'a/b': { properties: { 'c~d': { type: 'string' } } } } }, [{}], [[{ 'a/b': { 'c~d': 1 } }, ['/a~1b/c~0d type']]]],
    [{ additionalProperties: false }, [{}], [[{ 'x/y~': 1 }, ['/x~1y~0 additionalProperties']]]],
    [true, [1, null, {}], []],
    [false, [], [[1, [' false']]]],
  ];
  for (const [schema, valid, invalid] of cases) {
    const theirs = contract.compileSchema(schema);
    for (const value of valid) {
      assert.deepEqual(outcome(schema, value), [], `${JSON.stringify(schema)} accepts ${JSON.stringify(value)}`);
      assert.deepEqual(theirs.validate(value), [], `the contract too: ${JSON.stringify(schema)} accepts ${JSON.stringify(value)}`);
    }
    for (const [value, expected] of invalid) {
      assert.deepEqual(outcome(schema, value), expected, `${JSON.stringify(schema)} refuses ${JSON.stringify(value)}`);
      const contractErrors = theirs.validate(value);
      assert.ok(contractErrors.length > 0, `the contract too: ${JSON.stringify(schema)} refuses ${JSON.stringify(value)}`);
      // The place the contract names first is among ours (its keywords are the same, but for a false additionalItems).
      assert.ok(one(schema).validate('s', value).some((e) => e.path === contractErrors[0]!.path || (e.keyword === 'additionalItems' && contractErrors[0]!.keyword === 'false')), JSON.stringify(schema));
    }
  }
});

test('messages are the natives\' own, from the keyword and its parameters', () => {
  const messages = (schema: unknown, value: unknown) => one(schema).validate('s', value).map((e) => `${e.path}: ${e.message}`);
  assert.deepEqual(messages({ type: ['string', 'null'] }, 1), [': must be string or null, not number']);
  assert.deepEqual(messages({ required: ['a b'] }, {}), ['/a b: is required (missing property "a b")']);
  assert.deepEqual(messages({ additionalProperties: false }, { x: 1 }), ['/x: property "x" is not allowed']);
  assert.deepEqual(messages({ propertyNames: { pattern: '^[a-z]+$' } }, { aB: 1 }), ['/aB: property name "aB" is not allowed: must match the pattern ^[a-z]+$']);
  assert.deepEqual(messages({ enum: [1, 2, 3, 4, 5, 6, 7] }, 0), [': must be one of the 7 allowed values']);
  assert.deepEqual(messages({ enum: ['a', null] }, 0), [': must be one of "a", null']);
  assert.deepEqual(messages({ const: { a: 1 } }, 0), [': must be {"a":1}']);
  assert.deepEqual(messages({ format: 'date-time' }, 'x'), [': must be a valid date-time']);
  assert.deepEqual(messages({ minLength: 2, maxItems: 0 }, 'x'), [': must have at least 2 characters']);
  assert.deepEqual(messages({ maxItems: 0 }, [1]), [': must have at most 0 items']);
  assert.deepEqual(messages({ minProperties: 1 }, {}), [': must have at least 1 properties']);
  assert.deepEqual(messages({ exclusiveMaximum: 1e21 }, 1e21), [': must be < 1e+21']);
  assert.deepEqual(messages({ uniqueItems: true }, [1, 2, 1]), [': must not have duplicate items (items 0 and 2 are equal)']);
  assert.deepEqual(messages({ oneOf: [true, true] }, 1), [': must match exactly one schema in oneOf, not 2']);
  assert.deepEqual(messages({ not: true }, 1), [': must not match the schema in "not"']);
  assert.deepEqual(messages({ properties: { a: false } }, { a: 1 }), ['/a: is not allowed here']);
});

test('validation stops at the first error; each failed branch of an anyOf gives its first; at most 20, each once, the same on every call', () => {
  assert.deepEqual(outcome({ items: { type: 'string' } }, [1, 2, 3]), ['/0 type']);
  assert.deepEqual(outcome({ required: ['a', 'b'] }, {}), ['/a required']);
  const branches = { anyOf: Array.from({ length: 30 }, (_, i) => ({ const: i })) };
  const errors = one(branches).validate('s', 'x');
  assert.equal(errors.length, 20);
  assert.ok(errors.every((e) => e.keyword === 'const'));
  assert.deepEqual(outcome({ definitions: { a: { type: 'string' } }, anyOf: [{ $ref: '#/definitions/a' }, { $ref: '#/definitions/a' }] }, 1), [' type', ' anyOf'], 'the same fault found twice is reported once');
  assert.deepEqual(one(branches).validate('s', 'x'), errors);
  assert.deepEqual(compileSchemas({ z: true, s: branches, a: false }).validate('s', 'x'), errors, 'other schemas beside it change nothing');
  const schema = { properties: { a: { type: 'string' } }, additionalProperties: { type: 'number' }, items: { enum: [1, 'x'] }, uniqueItems: true };
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 3 }), (v) => {
    assert.deepEqual(one(schema).validate('s', v), one(structuredClone(schema)).validate('s', v));
  }), { numRuns: 300 });
});

test('the work grows with the value, not with the square of its errors: 16,000 invalid items through a $ref', () => {
  const schema = { definitions: { item: { type: 'object', required: ['a'], properties: { a: { type: 'string' } } } }, properties: { list: { type: 'array', items: { $ref: '#/definitions/item' } } } };
  const value = { list: Array.from({ length: 16_000 }, () => ({})) };
  const compiled = one(schema);
  const started = process.hrtime.bigint();
  for (let i = 0; i < 10; i++) assert.deepEqual(compiled.validate('s', value).map((e) => e.path), ['/list/0/a']);
  assert.deepEqual(compiled.validate('s', { list: Array.from({ length: 16_000 }, () => ({ a: 'x' })) }), []);
  assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 1_000, 'collecting every error took ~90 ms a call');
});

test('own members only: names of Object.prototype are members like any other', () => {
  for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) assert.deepEqual(outcome({ required: [name] }, {}), [`/${name} required`]);
  assert.deepEqual(outcome({ properties: { constructor: { type: 'string' } } }, JSON.parse('{"constructor": 2}')), ['/constructor type']);
  assert.deepEqual(outcome({ properties: { constructor: { type: 'string' } } }, {}), [], 'an absent member is not Object.prototype\'s');
  assert.deepEqual(outcome({ definitions: JSON.parse('{"__proto__": {"type": "string"}}'), properties: { a: { $ref: '#/definitions/__proto__' } } }, { a: 1 }), ['/a type']);
  assert.deepEqual(outcome({ enum: [JSON.parse('{"__proto__": 1}')] }, {}), [' enum']);
  // ajv would ignore it, so it is refused: the contract's validator would apply it.
  for (const keyword of ['properties', 'patternProperties']) {
    assert.throws(() => one(JSON.parse(`{"${keyword}": {"__proto__": {"type": "string"}}}`)), /"__proto__" in .* is not supported/);
  }
  assert.deepEqual(outcome({ additionalProperties: false }, JSON.parse('{"__proto__": 1}')), ['/__proto__ additionalProperties']);
});

test('uniqueItems takes linear time: 20,000 empty objects in a value of the sandbox\'s size', () => {
  const items = Array.from({ length: 21_000 }, () => ({}));
  const compiled = one({ uniqueItems: true });
  const started = process.hrtime.bigint();
  assert.deepEqual(compiled.validate('s', items).map((e) => e.message), ['must not have duplicate items (items 0 and 1 are equal)']);
  assert.deepEqual(compiled.validate('s', items.map((_, i) => ({ i }))), []);
  assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 1_000, 'pairwise comparison would take seconds');
});

test('$ref: local pointers, percent-encoded and escaped, recursive schemas; validate at any subschema by ref', () => {
  const tree = { definitions: { 'node@x': { type: 'object', properties: { value: { type: 'number' }, children: { type: 'array', items: { $ref: '#/definitions/node%40x' } } } } }, $ref: '#/definitions/node%40x' };
  assert.deepEqual(outcome(tree, { value: 1, children: [{ value: 2, children: [{ value: 3 }] }] }), []);
  assert.deepEqual(outcome(tree, { children: [{ children: [{ value: 'x' }] }] }), ['/children/0/children/0/value type']);
  assert.deepEqual(outcome({ definitions: { 'a/b': { type: 'string' }, 'm~n': { $ref: '#/definitions/a~1b' } }, $ref: '#/definitions/m~0n' }, 1), [' type']);
  assert.deepEqual(outcome({ properties: { next: { $ref: '#' } }, required: ['id'] }, { id: 1, next: { id: 2, next: {} } }), ['/next/next/id required']);
  const names = ['a/b', 'm~n', 'p%q', 'sp ace', 'ü', '', '#?', 'x~1y'];
  const compiled = one({ definitions: Object.fromEntries(names.map((n, i) => [n, { const: i }])), properties: { p: { items: [true, { const: 'second' }] } } });
  names.forEach((name, i) => {
    const token = name.replace(/~/g, '~0').replace(/\//g, '~1');
    for (const ref of [`#/definitions/${encodeURIComponent(token)}`, ...(/^[^%#?]*$/.test(token) ? [`#/definitions/${token}`] : [])]) {
      assert.deepEqual(compiled.validate('s', i, ref), [], ref);
      assert.deepEqual(compiled.validate('s', 'x', ref).map((e) => e.keyword), ['const'], ref);
    }
  });
  assert.deepEqual(compiled.validate('s', 'x', '#/properties/p/items/1').map((e) => e.keyword), ['const']);
  assert.deepEqual(compiled.validate('s', 'second', '#/properties/p/items/1'), []);
});

test('validate refuses an unknown schema, a ref that names no subschema, and a value JSON.parse could not return', () => {
  const compiled = compileSchemas({ event: { definitions: { a: { type: 'string' } }, required: ['x'], enum: [{ type: 'string' }] } });
  const refused = (call: () => unknown, message: RegExp) => assert.throws(call, (e: Error) => e instanceof NativeRefusal && message.test(e.message), String(message));
  refused(() => compiled.validate('evnt', {}), /no schema named "evnt"; this contract has "event"/);
  refused(() => compileSchemas({}).validate('x', {}), /has none/);
  refused(() => compiled.validate('toString', {}), /no schema named "toString"/);
  for (const ref of ['#/definitions/b', '#/required', '#/required/0', '#/enum/0', '#/definitions', 'definitions/a', '#definitions/a', '#/definitions/%E0%A4%A', '#/definitions/a~2', '']) {
    refused(() => compiled.validate('event', {}, ref), /names no subschema/);
  }
  refused(() => compiled.validate('event', { a: Number.NaN }), /NaN is not one/);
  refused(() => compiled.validate('event', [undefined]), /type undefined/);
  refused(() => compiled.validate('event', new Date(0)), /plain objects only/);
  const deep = (levels: number): unknown => (levels === 0 ? 'x' : [deep(levels - 1)]);
  assert.equal(compiled.validate('event', deep(64)).length, 1);
  refused(() => compiled.validate('event', deep(65)), /nested at most 64 levels/);
  assert.deepEqual(compiled.validate('event', 'x', '#/definitions/a'), []);
  assert.deepEqual(compiled.names, ['event']);
});

test('a schema the validator cannot enforce fully is refused when compiled, never partly applied, as by the contract\'s validator', () => {
  // The contract's refusals (jsonSchema.test.ts), and what both refuse beyond them.
  const refusals: Array<[unknown, RegExp, boolean]> = [
    [{ dependencies: { a: ['b'] } }, /unsupported keyword "dependencies"/, true],
    [{ properties: { a: { contains: { type: 'string' } } } }, /#\/properties\/a\/contains: unsupported keyword/, true],
    [{ definitions: { unused: { multipleOf: 2 } } }, /unsupported keyword "multipleOf"/, true],
    [{ typo: true }, /unsupported keyword "typo"/, true],
    [{ format: 'email' }, /unknown format "email"/, true],
    [{ format: 'constructor' }, /unknown format "constructor"/, false],
    [{ $ref: 'https://example.com/schema.json' }, /only local references/, true],
    [{ $ref: '#/definitions/missing' }, /does not name a subschema/, true],
    [{ $ref: '#foo' }, /only local references/, true],
    [{ properties: { a: { $id: 'x' } } }, /only the root schema may have \$id/, true],
    [{ $schema: 'https://json-schema.org/draft/2020-12/schema' }, /only draft-07/, true],
    [{ pattern: '(' }, /invalid pattern/, true],
    [{ type: 'int' }, /not a valid draft-07 schema/, true],
    [{ required: 'a' }, /not a valid draft-07 schema/, true],
    [{ minItems: -1 }, /not a valid draft-07 schema/, true],
    [{ anyOf: [] }, /non-empty array of schemas/, true],
    [{ $ref: '#/definitions/a', type: 'string', definitions: { a: true } }, /\$ref with other keywords beside it/, true],
    [{ if: true, then: { uniqueItem: true } }, /#\/then\/uniqueItem: unsupported keyword/, true],
    [{ items: [true], additionalItems: { format: 'hostname' } }, /unknown format "hostname"/, true],
    [{ items: 3 }, /must be an object or a boolean/, true],
    [[], /root schema must be an object or a boolean/, true],
    // The natives refuse these too; the contract's validator accepts them.
    [{ pattern: '^\\p{Lu}' }, /Unicode property escape/, false],
    [{ patternProperties: { '[\\P{L}]': true } }, /Unicode property escape/, false],
    [{ then: { type: 'string' } }, /"then" or "else" without "if"/, false],
    [{ if: { type: 'string' } }, /"if" without "then" or "else"/, false],
    [{ additionalItems: false }, /"additionalItems" without an array of schemas in "items"/, false],
    [{ $async: true }, /unsupported keyword "\$async"/, true],
    [{ nullable: true }, /unsupported keyword "nullable"/, true],
    [{ contentEncoding: 'base64' }, /unsupported keyword "contentEncoding"/, true],
    [{ $ref: '#/required', definitions: {} }, /does not name a subschema/, false],
    [{ enum: [Number.POSITIVE_INFINITY] }, /has no form for the number/, false],
    [{ const: '\ud800' }, /lone surrogate/, false],
  ];
  for (const [schema, message, contractRefuses] of refusals) {
    assert.throws(() => compileSchemas({ named: schema }), (e: Error) => e instanceof SchemaLoadError && /^schema "named"/.test(e.message) && message.test(e.message), `${JSON.stringify(schema)}: ${String(message)}`);
    if (contractRefuses) assert.throws(() => contract.compileSchema(schema), contract.SchemaLoadError, `the contract refuses ${JSON.stringify(schema)} too`);
  }
  const deep = (levels: number): unknown => (levels === 0 ? true : { not: deep(levels - 1) });
  assert.deepEqual(compileSchemas({ s: deep(64) }).validate('s', 1), []);
  assert.throws(() => compileSchemas({ s: deep(65) }), (e: Error) => e instanceof SchemaLoadError && /nested at most 64 levels/.test(e.message));
  assert.throws(() => compileSchemas([] as unknown as Record<string, unknown>), SchemaLoadError);
  // Annotations are accepted and change nothing; $id and $schema (draft-07) at the root too, and two schemas may share an $id.
  const annotated = { $schema: 'http://json-schema.org/draft-07/schema#', $id: 'https://example.com/s', title: 't', description: 'd', $comment: 'c', default: 1, examples: [1], readOnly: true, writeOnly: false };
  assert.deepEqual(compileSchemas({ a: annotated, b: { ...annotated, $schema: 'https://json-schema.org/draft-07/schema' } }).validate('b', 'x'), []);
});

test('formats: date-time is RFC 3339 section 5.6 with real calendar days; uri an absolute RFC 3986 URI; iri its RFC 3987 form', () => {
  const valid = (format: string, text: string) => one({ format }).validate('s', text).length === 0;
  for (const ok of ['2005-04-03T20:33:31.116000-06:00', '2013-06-08T14:58:56.591Z', '2024-02-29T00:00:00z', '2000-02-29t23:59:59+14:00', '2016-12-31T23:59:60Z', '2017-01-01T00:59:60+01:00', '2016-12-31T17:59:60-06:00']) assert.ok(valid('date-time', ok), ok);
  for (const bad of ['2005-04-03', '2005-04-03T20:33:31', '2023-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2024-04-31T00:00:00Z', '2024-13-01T00:00:00Z', '2024-00-01T00:00:00Z', '2024-01-00T00:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01T12:60:00Z', '2024-01-01T12:00:60Z', '2024-01-01 12:00:00Z', '2024-01-01T12:00:00+0100', '2024-01-01T12:00:00.Z', '2024-01-01T12:00:00+24:00', '٢٠٢٤-01-01T12:00:00Z']) assert.ok(!valid('date-time', bad), bad);
  for (const ok of ['urn:epc:id:sgtin:0614141.107346.2017', 'https://id.gs1.org/01/09506000134352/10/AB-123?x=1#f', 'ni:///sha-256;df7b?ver=CBV2.0', 'urn:epc:idpat:sgtin:4012345.066666.*', 'ex:myField', 'http://[2001:db8::1]:8080/p', 'mailto:a@b.c', 'file:///tmp/x', 'urn:x:%C3%A4', 'a:', 'http://[v1.x]/']) assert.ok(valid('uri', ok), ok);
  for (const bad of ['', 'myField', '/relative/path', '//host/path', '1urn:x', 'urn:x y', 'urn:x|y', 'urn:x:%zz', 'http://a/b#c#d', 'urn:ä', 'http://[::1/x']) assert.ok(!valid('uri', bad), bad);
  assert.ok(valid('iri', 'urn:ä:😀') && valid('iri', 'https://例え.jp/パス?q=値') && valid('iri', 'x:?\ue000') && !valid('iri', 'x:\ue000') && !valid('iri', 'urn:ä b'));
  assert.deepEqual(one({ format: 'uri' }).validate('s', 42), [], 'formats apply to strings only');
  assert.deepEqual([...SCHEMA_FORMATS.keys()].sort(), Object.keys(contractFormats).sort(), 'the same formats as the contract');
});

test('property: each format accepts exactly the texts the contract\'s accepts', () => {
  const pieces = ['urn', 'http', ':', '//', '/', '?', '#', '@', '[', ']', '::1', 'v1.x', '%', '%4', '%41', 'a', 'Z', '9', '-', '.', '_', '~', '!', '$', "'", '(', '*', '+', ',', ';', '=', ' ', '|', 'ä', '😀', '\ue000', '\u{10fffd}', '\ufffe', '\u00a0', '\ud7ff', '\uf8ff'];
  const uriLike = fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((p) => p.join(''));
  const digits = (n: number, max: number) => fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, '0'));
  const often = (text: string, other: fc.Arbitrary<string>) => fc.oneof(fc.constant(text), other);
  const dateTime = fc.tuple(often('2016', digits(4, 2100)), often('12', digits(2, 13)), often('31', digits(2, 32)), fc.constantFrom('T', 't', ' '),
    often('23', digits(2, 24)), often('59', digits(2, 60)), often('60', digits(2, 61)),
    fc.constantFrom('', '.5', '.123456', '.'), fc.constantFrom('Z', 'z', '+00:00', '-06:00', '+14:00', '+23:59', '-24:00', '+01:60', '+0100', ''))
    .map(([y, mo, d, t, h, mi, s, f, z]) => `${y}-${mo}-${d}${t}${h}:${mi}:${s}${f}${z}`);
  fc.assert(fc.property(fc.oneof(uriLike, fc.string(), fc.string({ unit: 'grapheme' })), fc.constantFrom('uri', 'iri'), (text, format) => {
    assert.equal(SCHEMA_FORMATS.get(format)!(text), contractFormats[format]!(text), `${format} ${JSON.stringify(text)}`);
  }), { numRuns: 20_000 });
  let leap = 0;
  fc.assert(fc.property(fc.oneof(dateTime, fc.string()), (text) => {
    const ours = SCHEMA_FORMATS.get('date-time')!(text);
    assert.equal(ours, contractFormats['date-time']!(text), JSON.stringify(text));
    if (ours && text.includes(':60')) leap++;
  }), { numRuns: 20_000 });
  assert.ok(leap > 0, 'leap seconds were tried');
});

// api.validate: a contract's named JSON Schemas (draft-07), compiled once with ajv when the contract
// is compiled, and values checked against one of them or one of its subschemas. The schema
// language is the traceability contract's validator's (schemaSubschemas.ts), with its formats
// (schemaFormats.ts), so a value is valid here exactly when it is valid there (tested).
//
// Determinism: the answer depends only on the schemas, the value (its members' order included,
// which JSON text fixes) and the version of ajv, which is pinned and part of the protocol
// (CONTRACT_NATIVES_VERSION). No option reads the environment, the clock or a locale; messages
// are made here, not taken from ajv; ajv never changes the value (no defaults, coercion or
// removal); members are looked up as own properties only, so a value's "constructor" or
// "__proto__" is a member like any other and Object.prototype is never consulted.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { canonicalJson } from './canonicalJson.js';
import { NATIVE_DEPTH_MAX, NativeRefusal } from './nativeRefusal.js';
import { schemaErrors, type SchemaError } from './schemaErrors.js';
import { SCHEMA_FORMATS } from './schemaFormats.js';
import { SchemaLoadError } from './schemaLoadError.js';
import { fragmentTokens, jsonPointer, schemaSubschemas } from './schemaSubschemas.js';
import { uniqueItemsKeyword } from './uniqueItemsKeyword.js';

export { SCHEMA_ERRORS_MAX, type SchemaError } from './schemaErrors.js';
export { SchemaLoadError } from './schemaLoadError.js';

export interface CompiledSchemas {
  /** The schemas' names, sorted. */
  readonly names: readonly string[];
  /**
   * The errors of `value` against schema `name`, or against its subschema at `ref` ("#" or a
   * JSON pointer fragment such as "#/definitions/Event", percent-encoded as in a $ref); empty
   * when valid. ajv stops at the first error it meets, so there are few: that one, with the first
   * error of each branch of an enclosing anyOf or oneOf that no branch satisfied, then the anyOf
   * or oneOf itself; at most SCHEMA_ERRORS_MAX, in ajv's order of evaluation. Throws NativeRefusal
   * for an unknown name, a ref that names no subschema, or a value that is not JSON (nested
   * deeper than NATIVE_DEPTH_MAX, not finite, not plain).
   */
  validate(name: string, value: unknown, ref?: string): SchemaError[];
}

function newAjv(): Ajv {
  const ajv = new Ajv({
    // Refuse, never ignore: unknown keywords and formats throw; the lint-like checks do not.
    strictSchema: true, strictNumbers: true, strictTypes: false, strictTuples: false, strictRequired: false,
    allowMatchingProperties: true, validateFormats: true, validateSchema: true, unicodeRegExp: true,
    // Stop at the first error (each branch of an anyOf or oneOf still gives its own): with
    // allErrors, ajv joins the errors of each $ref it calls onto all before (Array.concat), so the
    // work grows with the square of the errors: 16,000 bad items of an array took 92 ms for 48 KB,
    // far past any charge per unit. verbose: each error carries the value it is about (messages);
    // the text is ours, never ajv's.
    allErrors: false, verbose: true, messages: false, logger: false,
    // Never change the value; own properties only.
    useDefaults: false, coerceTypes: false, removeAdditional: false, ownProperties: true, $data: false,
    // The draft-07 meta-schema is ajv's default; formats are ours alone.
    formats: {}, addUsedSchema: false,
  });
  for (const [name, test] of SCHEMA_FORMATS) ajv.addFormat(name, { type: 'string', validate: test });
  ajv.removeKeyword('uniqueItems');
  ajv.addKeyword(uniqueItemsKeyword);
  return ajv;
}

function describeMetaErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? []).slice(0, 3).map((e) => `#${e.instancePath}: ${e.keyword} ${JSON.stringify(e.params)}`).join('; ');
}

/** Compiles every schema now; throws SchemaLoadError naming the schema and the place of the fault. */
export function compileSchemas(schemas: Record<string, unknown>): CompiledSchemas {
  if (typeof schemas !== 'object' || schemas === null || Array.isArray(schemas)) throw new SchemaLoadError('schemas must be an object of named schemas');
  const names = Object.keys(schemas).sort();
  const ajv = newAjv();
  const compiled = new Map<string, { key: string; subschemas: Set<string>; validators: Map<string, ValidateFunction> }>();
  names.forEach((name, index) => {
    const schema = schemas[name];
    const key = `schema${index}`;
    try {
      canonicalJson(schema); // JSON alone, as a contract can export it: refuses what JSON cannot carry
    } catch (error) {
      throw new SchemaLoadError(`schema ${JSON.stringify(name)}: ${(error as Error).message}`);
    }
    let subschemas: Set<string>;
    try {
      subschemas = schemaSubschemas(schema);
    } catch (error) {
      throw new SchemaLoadError(`schema ${JSON.stringify(name)}: ${(error as Error).message}`);
    }
    // A copy of its own, without the root's $schema (checked to be draft-07) and $id: refs are
    // local, resolved against the key, so two schemas with the same $id do not collide.
    const copy = JSON.parse(JSON.stringify(schema)) as boolean | Record<string, unknown>;
    if (typeof copy === 'object') {
      delete copy.$schema;
      delete copy.$id;
    }
    if (!ajv.validateSchema(copy)) throw new SchemaLoadError(`schema ${JSON.stringify(name)} is not a valid draft-07 schema: ${describeMetaErrors(ajv.errors)}`);
    const validators = new Map<string, ValidateFunction>();
    try {
      ajv.addSchema(copy, key);
      validators.set('', ajv.getSchema(key)!);
    } catch (error) {
      throw new SchemaLoadError(`schema ${JSON.stringify(name)}: ${(error as Error).message}`);
    }
    compiled.set(name, { key, subschemas, validators });
  });

  return {
    names,
    validate(name, value, ref = '#') {
      const entry = compiled.get(name);
      if (entry === undefined) throw new NativeRefusal(`no schema named ${JSON.stringify(name)}; this contract has ${names.length === 0 ? 'none' : names.map((n) => JSON.stringify(n)).join(', ')}`);
      const tokens = typeof ref === 'string' ? fragmentTokens(ref) : undefined;
      const pointer = tokens === undefined ? undefined : jsonPointer(tokens);
      if (tokens === undefined || pointer === undefined || !entry.subschemas.has(pointer)) {
        throw new NativeRefusal(`ref ${JSON.stringify(ref)} names no subschema of schema ${JSON.stringify(name)} (give "#" or a JSON pointer fragment such as "#/definitions/x")`);
      }
      let validator = entry.validators.get(pointer);
      if (validator === undefined) {
        // The fragment in the form ajv resolves: each token escaped (RFC 6901), then percent-encoded.
        const fragment = tokens.map((t) => '/' + encodeURIComponent(t.replace(/~/g, '~0').replace(/\//g, '~1'))).join('');
        try {
          validator = ajv.getSchema(`${entry.key}#${fragment}`);
        } catch (error) {
          throw new NativeRefusal(`ref ${JSON.stringify(ref)} of schema ${JSON.stringify(name)} does not compile: ${(error as Error).message}`);
        }
        if (validator === undefined) throw new NativeRefusal(`ref ${JSON.stringify(ref)} names no subschema of schema ${JSON.stringify(name)}`);
        entry.validators.set(pointer, validator);
      }
      checkJsonValue(value, 0);
      return validator(value) ? [] : schemaErrors(validator.errors ?? [], value);
    },
  };
}

/** What validate takes: a value JSON.parse could return, nested at most NATIVE_DEPTH_MAX deep. */
function checkJsonValue(value: unknown, depth: number): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new NativeRefusal(`validate takes JSON values: ${value} is not one`);
      return;
    case 'object': {
      if (value === null) return;
      if (depth >= NATIVE_DEPTH_MAX) throw new NativeRefusal(`validate takes values nested at most ${NATIVE_DEPTH_MAX} levels deep`);
      if (Array.isArray(value)) {
        for (const item of value) checkJsonValue(item, depth + 1);
        return;
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) throw new NativeRefusal('validate takes plain objects only');
      for (const member of Object.values(value)) checkJsonValue(member, depth + 1);
      return;
    }
    default:
      throw new NativeRefusal(`validate takes JSON values, not a value of type ${typeof value}`);
  }
}

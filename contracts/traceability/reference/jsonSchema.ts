// A small JSON Schema draft-07 validator that interprets the schema instead of generating code
// (ajv's generated code is too big for a contract and `new Function` has no place in one). It
// knows the keywords below and refuses any other when the schema is loaded: a keyword silently
// ignored would let one validator accept what another refuses.
import { SCHEMA_FORMATS } from './schemaFormats.js';
import type { SchemaError } from './instancePath.js';
import { compileKeyword, ERRORS_MAX, validateNode, type Check, type SchemaNode } from './schemaKeywords.js';

export type { SchemaError } from './instancePath.js';

/** The schema itself is wrong or uses what this validator does not implement. */
export class SchemaLoadError extends Error {
  override readonly name = 'SchemaLoadError';
}

/** Keywords that only annotate: they never change whether a value is valid. */
const ANNOTATIONS = new Set(['title', 'description', 'default', 'examples', '$comment', 'readOnly', 'writeOnly']);
/** Subschemas that only their neighbours apply ("if", "items"), but that are checked all the same. */
const APPLIED_BY_NEIGHBOURS = new Set(['then', 'else', 'additionalItems']);
const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;

export interface SchemaValidator {
  /**
   * Errors of `value` against the schema, or against the subschema at `ref` ("#/definitions/x");
   * empty when valid. At most 20 errors, each naming the JSON pointer of the failing value.
   */
  validate(value: unknown, ref?: string): SchemaError[];
}

/** Loads a draft-07 schema: every keyword is checked and every $ref resolved now, not on use. */
export function compileSchema(root: unknown): SchemaValidator {
  if (typeof root !== 'boolean' && (typeof root !== 'object' || root === null || Array.isArray(root))) throw new SchemaLoadError('the root schema must be an object or a boolean');
  const rootObject = (typeof root === 'boolean' ? {} : root) as Record<string, unknown>;
  if (rootObject.$schema !== undefined && !(typeof rootObject.$schema === 'string' && DRAFT_07.test(rootObject.$schema))) {
    throw new SchemaLoadError(`only draft-07 schemas are supported, not ${String(rootObject.$schema)}`);
  }
  const compiled = new Map<object, SchemaNode>();
  const patterns = new Map<string, RegExp>();

  function resolve(ref: string, at: string): unknown {
    if (!ref.startsWith('#')) throw new SchemaLoadError(`${at}: only local $ref ("#/...") is supported, not "${ref}"`);
    let target: unknown = root;
    if (ref.length === 1) return target;
    if (ref[1] !== '/') throw new SchemaLoadError(`${at}: $ref "${ref}" is not a JSON pointer`);
    for (const raw of ref.slice(2).split('/')) {
      const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      const container = target as Record<string, unknown> | null;
      if (typeof container !== 'object' || container === null || !Object.prototype.hasOwnProperty.call(container, token)) {
        throw new SchemaLoadError(`${at}: $ref "${ref}" does not resolve`);
      }
      target = container[token];
    }
    return target;
  }

  function compile(schema: unknown, at: string): SchemaNode {
    if (typeof schema === 'boolean') return schema;
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new SchemaLoadError(`${at}: a schema must be an object or a boolean`);
    const known = compiled.get(schema);
    if (known !== undefined) return known;
    // Registered before its children are compiled, so that a $ref cycle ends here.
    const node: { at: string; checks: Check[] } = { at, checks: [] };
    compiled.set(schema, node);
    const object = schema as Record<string, unknown>;
    const keywords = Object.keys(object);
    if (keywords.includes('$ref') && keywords.some((k) => k !== '$ref' && k !== 'definitions' && !ANNOTATIONS.has(k))) {
      // Draft-07 ignores them, yet some validators apply them: either way another validator may differ.
      throw new SchemaLoadError(`${at}: $ref with other keywords beside it`);
    }
    for (const keyword of keywords) {
      const where = `${at}/${keyword}`;
      if (ANNOTATIONS.has(keyword) || keyword === 'definitions') continue;
      if (APPLIED_BY_NEIGHBOURS.has(keyword)) {
        compile(object[keyword], where);
        continue;
      }
      if (keyword === '$schema' || keyword === '$id') {
        if (schema !== root) throw new SchemaLoadError(`${where}: only the root schema may have ${keyword}`);
        continue;
      }
      const check = compileKeyword(keyword, object, where, {
        compile,
        resolve: (ref) => compile(resolve(ref, where), ref),
        pattern: (source) => regExp(source, where),
        format: (name) => {
          const format = SCHEMA_FORMATS[name];
          if (format === undefined) throw new SchemaLoadError(`${where}: unknown format "${name}"`);
          return format;
        },
        fail: (message) => new SchemaLoadError(`${where}: ${message}`),
      });
      if (check === undefined) throw new SchemaLoadError(`${where}: unsupported keyword "${keyword}"`);
      node.checks.push(check);
    }
    if (object.definitions !== undefined) {
      const definitions = object.definitions;
      if (typeof definitions !== 'object' || definitions === null || Array.isArray(definitions)) throw new SchemaLoadError(`${at}/definitions: must be an object`);
      for (const [name, definition] of Object.entries(definitions)) compile(definition, `${at}/definitions/${name}`);
    }
    return node;
  }

  function regExp(source: string, at: string): RegExp {
    let pattern = patterns.get(source);
    if (pattern === undefined) {
      try {
        // The "u" flag, as ajv does: the schema's patterns are ECMA-262 with Unicode semantics.
        pattern = new RegExp(source, 'u');
      } catch (error) {
        throw new SchemaLoadError(`${at}: invalid pattern "${source}": ${(error as Error).message}`);
      }
      patterns.set(source, pattern);
    }
    return pattern;
  }

  const top = compile(root, '#');
  return {
    validate(value, ref) {
      const node = ref === undefined ? top : compile(resolve(ref, 'validate'), ref);
      const errors: SchemaError[] = [];
      validateNode(node, value, null, errors);
      // Two routes through the schema (allOf and an anyOf's explanation) can find the same fault.
      const seen = new Set<string>();
      return errors.filter((e) => !seen.has(e.path + '\u0000' + e.message) && seen.add(e.path + '\u0000' + e.message)).slice(0, ERRORS_MAX);
    },
  };
}

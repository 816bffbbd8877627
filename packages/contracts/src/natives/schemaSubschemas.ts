// The rules a contract's schema must meet before ajv sees it, checked over the whole schema, used
// parts or not. ajv's own strict mode refuses unknown keywords only in the parts it compiles, and
// it knows keywords ajv adds to the standard ($async, nullable): an allow-list here fixes the
// language at what the traceability contract's validator implements, so the two accept the same
// schemas, and a keyword is never silently ignored by one validator and applied by another.
import { NATIVE_DEPTH_MAX } from './nativeRefusal.js';
import { SCHEMA_FORMATS } from './schemaFormats.js';
import { SchemaLoadError } from './schemaLoadError.js';

/** Draft-07 assertions implemented, each on the JSON types it is about. */
const ASSERTIONS = new Set([
  'type', 'required', 'enum', 'const', 'pattern', 'format', 'minLength', 'maxLength', 'minimum', 'maximum',
  'exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'uniqueItems',
]);
/** Keywords that only annotate. contentMediaType and contentEncoding are not among them: they read as checks that no validator would make. */
const ANNOTATIONS = new Set(['title', 'description', 'default', 'examples', '$comment', 'readOnly', 'writeOnly']);
/** Applicators by the shape of their value: one subschema, a list, a map of names to subschemas. */
const ONE = new Set(['additionalProperties', 'propertyNames', 'not', 'if', 'then', 'else', 'additionalItems']);
const LIST = new Set(['allOf', 'anyOf', 'oneOf']);
const MAP = new Set(['properties', 'patternProperties', 'definitions']);
const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;
/**
 * A \p{...} or \P{...} escape (not itself escaped): it matches by the Unicode tables of the host's
 * ICU, which change between Node versions, so one node could accept what another refuses.
 */
const PROPERTY_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\[pP]/;

/** A JSON pointer (RFC 6901) from its tokens: "~" as "~0", "/" as "~1". */
export function jsonPointer(tokens: readonly string[]): string {
  let out = '';
  for (const token of tokens) out += '/' + (token.includes('~') || token.includes('/') ? token.replace(/~/g, '~0').replace(/\//g, '~1') : token);
  return out;
}

/**
 * The tokens of a "#..." reference: a URI fragment holding a JSON pointer, percent-decoded
 * (RFC 6901 section 6). Undefined if it is not one.
 */
export function fragmentTokens(ref: string): string[] | undefined {
  if (ref === '#') return [];
  if (!ref.startsWith('#/')) return undefined;
  const tokens: string[] = [];
  for (const raw of ref.slice(2).split('/')) {
    if (/~(?![01])/.test(raw)) return undefined;
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    tokens.push(decoded.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  return tokens;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks `root` against the rules and returns the JSON pointers of all its subschemas (the root
 * is ""): the only places a $ref, or a ref given to validate, may name. Throws SchemaLoadError.
 */
export function schemaSubschemas(root: unknown): Set<string> {
  if (!isObject(root) && typeof root !== 'boolean') throw new SchemaLoadError('the root schema must be an object or a boolean');
  const subschemas = new Set<string>();
  const refs: Array<[string, string]> = [];
  const fail = (tokens: string[], message: string) => new SchemaLoadError(`#${jsonPointer(tokens)}: ${message}`);

  function pattern(source: unknown, at: string[]): void {
    if (typeof source !== 'string') throw fail(at, 'a pattern must be a string');
    try {
      // The "u" flag, as ajv compiles it (unicodeRegExp): ECMA-262 patterns with Unicode semantics.
      new RegExp(source, 'u');
    } catch (error) {
      throw fail(at, `invalid pattern ${JSON.stringify(source)}: ${(error as Error).message}`);
    }
    if (PROPERTY_ESCAPE.test(source)) throw fail(at, `pattern ${JSON.stringify(source)} uses a Unicode property escape (\\p or \\P), whose answer depends on the host's Unicode version`);
  }

  function walk(schema: unknown, at: string[]): void {
    if (at.length > NATIVE_DEPTH_MAX) throw fail(at, `schemas nest at most ${NATIVE_DEPTH_MAX} levels deep`);
    if (typeof schema === 'boolean') {
      subschemas.add(jsonPointer(at));
      return;
    }
    if (!isObject(schema)) throw fail(at, 'a schema must be an object or a boolean');
    subschemas.add(jsonPointer(at));
    const keywords = Object.keys(schema);
    if (keywords.includes('$ref') && keywords.some((k) => k !== '$ref' && k !== 'definitions' && !ANNOTATIONS.has(k))) {
      // Draft-07 ignores them and ajv applies them: either way one validator may differ from another.
      throw fail(at, '$ref with other keywords beside it');
    }
    // Keywords that mean nothing without a partner: ignored by draft-07, refused by ajv's strict mode.
    if ((keywords.includes('then') || keywords.includes('else')) && !keywords.includes('if')) throw fail(at, '"then" or "else" without "if"');
    if (keywords.includes('if') && !keywords.includes('then') && !keywords.includes('else')) throw fail(at, '"if" without "then" or "else"');
    if (keywords.includes('additionalItems') && !Array.isArray(schema.items)) throw fail(at, '"additionalItems" without an array of schemas in "items"');
    for (const keyword of keywords) {
      const value = schema[keyword];
      const where = [...at, keyword];
      if (ANNOTATIONS.has(keyword)) continue;
      if (keyword === '$schema' || keyword === '$id') {
        if (at.length > 0) throw fail(where, `only the root schema may have ${keyword}`);
        if (keyword === '$schema' && !(typeof value === 'string' && DRAFT_07.test(value))) throw fail(where, `only draft-07 schemas are supported, not ${JSON.stringify(value)}`);
        if (keyword === '$id' && typeof value !== 'string') throw fail(where, '$id must be a string');
      } else if (keyword === '$ref') {
        if (typeof value !== 'string') throw fail(where, '$ref must be a string');
        refs.push([value, jsonPointer(where)]);
      } else if (ONE.has(keyword)) {
        walk(value, where);
      } else if (keyword === 'items') {
        if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...where, String(i)]));
        else walk(value, where);
      } else if (LIST.has(keyword)) {
        if (!Array.isArray(value) || value.length === 0) throw fail(where, 'must be a non-empty array of schemas');
        value.forEach((item, i) => walk(item, [...where, String(i)]));
      } else if (MAP.has(keyword)) {
        if (!isObject(value)) throw fail(where, 'must be an object of schemas');
        // ajv 8.20 loses such a member (it reads the schema through plain property assignment,
        // where "__proto__" sets the prototype), so it would pass values the schema refuses.
        if (keyword !== 'definitions' && Object.prototype.hasOwnProperty.call(value, '__proto__')) throw fail([...where, '__proto__'], `"__proto__" in ${keyword} is not supported`);
        for (const name of Object.keys(value)) {
          if (keyword === 'patternProperties') pattern(name, [...where, name]);
          walk(value[name], [...where, name]);
        }
      } else if (keyword === 'pattern') {
        pattern(value, where);
      } else if (keyword === 'format') {
        if (typeof value !== 'string' || !SCHEMA_FORMATS.has(value)) throw fail(where, `unknown format ${JSON.stringify(value)}; known: ${[...SCHEMA_FORMATS.keys()].join(', ')}`);
      } else if (!ASSERTIONS.has(keyword)) {
        throw fail(where, `unsupported keyword ${JSON.stringify(keyword)}`);
      }
    }
  }

  walk(root, []);
  for (const [ref, at] of refs) {
    const tokens = fragmentTokens(ref);
    if (tokens === undefined) throw new SchemaLoadError(`#${at}: only local references to a subschema ("#" or "#/..."), not ${JSON.stringify(ref)}`);
    if (!subschemas.has(jsonPointer(tokens))) throw new SchemaLoadError(`#${at}: $ref ${JSON.stringify(ref)} does not name a subschema of this schema`);
  }
  return subschemas;
}

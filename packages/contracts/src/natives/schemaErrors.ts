// ajv's errors as natives report them: the JSON pointer of the failing value and a message made
// here from the keyword and its parameters (never ajv's own wording, which is no part of its
// interface), in ajv's order, without the errors that only wrap others, at most SCHEMA_ERRORS_MAX.
import type { ErrorObject } from 'ajv';
import { jsonPointer } from './schemaSubschemas.js';

export interface SchemaError {
  /** JSON pointer (RFC 6901) of the failing value, "" for the whole value; for a missing or unwanted member, that member's. */
  path: string;
  /** The draft-07 keyword that failed ("false" for a false schema). */
  keyword: string;
  message: string;
}

/** At most this many errors are reported, as by the traceability contract's validator. */
export const SCHEMA_ERRORS_MAX = 20;

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function allowed(values: unknown[]): string {
  return values.length <= 6 ? values.map((v) => JSON.stringify(v)).join(', ') : `the ${values.length} allowed values`;
}

const plural = (keyword: string): string => (keyword.endsWith('Length') ? 'characters' : keyword.endsWith('Items') ? 'items' : 'properties');

/** One ajv error as path, keyword and message; undefined for an error that only wraps others. */
function described(error: ErrorObject, reasons: Map<string, string>): SchemaError | undefined {
  const params = error.params as Record<string, unknown>;
  const at = error.instancePath;
  const member = (name: unknown) => at + jsonPointer([String(name)]);
  switch (error.keyword) {
    case 'if':
      return undefined; // the errors of "then" or "else" say what failed
    case 'type': {
      const types = Array.isArray(params.type) ? (params.type as string[]) : [String(params.type)];
      return { path: at, keyword: 'type', message: `must be ${types.join(' or ')}, not ${jsonType(error.data)}` };
    }
    case 'required':
      return { path: member(params.missingProperty), keyword: 'required', message: `is required (missing property ${JSON.stringify(params.missingProperty)})` };
    case 'additionalProperties':
      return { path: member(params.additionalProperty), keyword: 'additionalProperties', message: `property ${JSON.stringify(params.additionalProperty)} is not allowed` };
    case 'propertyNames': {
      const name = String(params.propertyName);
      return { path: member(name), keyword: 'propertyNames', message: `property name ${JSON.stringify(name)} is not allowed: ${reasons.get(`${at}\u0000${name}`) ?? 'invalid'}` };
    }
    case 'enum':
      return { path: at, keyword: 'enum', message: `must be one of ${allowed(params.allowedValues as unknown[])}` };
    case 'const':
      return { path: at, keyword: 'const', message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'pattern':
      return { path: at, keyword: 'pattern', message: `must match the pattern ${String(params.pattern)}` };
    case 'format':
      return { path: at, keyword: 'format', message: `must be a valid ${String(params.format)}` };
    case 'minLength': case 'minItems': case 'minProperties':
      return { path: at, keyword: error.keyword, message: `must have at least ${String(params.limit)} ${plural(error.keyword)}` };
    case 'maxLength': case 'maxItems': case 'maxProperties':
      return { path: at, keyword: error.keyword, message: `must have at most ${String(params.limit)} ${plural(error.keyword)}` };
    case 'additionalItems':
      return { path: at, keyword: 'additionalItems', message: `must have at most ${String(params.limit)} items` };
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return { path: at, keyword: error.keyword, message: `must be ${String(params.comparison)} ${String(params.limit)}` };
    case 'uniqueItems':
      return { path: at, keyword: 'uniqueItems', message: `must not have duplicate items (items ${String(params.i)} and ${String(params.j)} are equal)` };
    case 'false schema':
      return { path: at, keyword: 'false', message: 'is not allowed here' };
    case 'anyOf':
      return { path: at, keyword: 'anyOf', message: 'must match a schema in anyOf' };
    case 'oneOf': {
      const passing = params.passingSchemas;
      return { path: at, keyword: 'oneOf', message: `must match exactly one schema in oneOf${Array.isArray(passing) ? `, not ${passing.length}` : ''}` };
    }
    case 'not':
      return { path: at, keyword: 'not', message: 'must not match the schema in "not"' };
    default:
      return { path: at, keyword: error.keyword, message: `fails ${error.keyword}` };
  }
}

/** The member of `root` at a JSON pointer, or undefined if there is none. */
function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let at = root;
  for (const raw of pointer.slice(1).split('/')) {
    if (typeof at !== 'object' || at === null) return undefined;
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!Object.prototype.hasOwnProperty.call(at, token)) return undefined;
    at = (at as Record<string, unknown>)[token];
  }
  return at;
}

/**
 * Our errors from ajv's for `value` (collected with verbose, so each carries the value it is about). An error whose value is not the one at its path is about a property name
 * (propertyNames checks each name as a string, at its object's path): it becomes the reason of
 * that name's propertyNames error, which follows it. ajv marks such errors itself only where it
 * inlines the subschema, not through a $ref it compiled as a function of its own.
 */
export function schemaErrors(errors: readonly ErrorObject[], value: unknown): SchemaError[] {
  const reasons = new Map<string, string>();
  const seen = new Set<string>();
  const out: SchemaError[] = [];
  for (const error of errors) {
    if (error.keyword === 'if') continue; // the errors of "then" or "else" say what failed
    if (error.keyword !== 'propertyNames' && typeof error.data === 'string' && error.data !== valueAt(value, error.instancePath)) {
      const name = `${error.instancePath}\u0000${error.data}`;
      const reason = described(error, reasons);
      if (reason !== undefined && !reasons.has(name)) reasons.set(name, reason.message);
      continue;
    }
    const mine = described(error, reasons);
    if (mine === undefined) continue;
    // Two routes through a schema (allOf, a $ref used twice) can find the same fault.
    const id = `${mine.path}\u0000${mine.keyword}\u0000${mine.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(mine);
    if (out.length === SCHEMA_ERRORS_MAX) break;
  }
  return out;
}

// The draft-07 keywords that test a value itself (no subschemas). Each applies only to the JSON
// types it is about, as the specification says: "minLength" passes any non-string.
import { childPath, schemaFail as fail, type SchemaError } from './instancePath.js';
import type { Check, KeywordTools } from './schemaKeywords.js';

const TYPES = new Set(['null', 'boolean', 'object', 'array', 'number', 'integer', 'string']);

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  if (type === 'integer') return Number.isInteger(value);
  return jsonType(value) === type;
}

/** JSON equality: numbers by value, objects regardless of key order. Never throws. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((item, i) => jsonEqual(item, (b as unknown[])[i]));
  const aKeys = Object.keys(a);
  const bRecord = b as Record<string, unknown>;
  return aKeys.length === Object.keys(bRecord).length
    && aKeys.every((key) => Object.prototype.hasOwnProperty.call(bRecord, key) && jsonEqual((a as Record<string, unknown>)[key], bRecord[key]));
}

/** Length in Unicode code points, as draft-07 counts it (a surrogate pair is one character). */
function codePoints(text: string): number {
  const pairs = text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g);
  return text.length - (pairs === null ? 0 : pairs.length);
}

function describe(values: unknown[]): string {
  return values.length <= 6 ? values.map((v) => JSON.stringify(v)).join(', ') : `the ${values.length} allowed values`;
}

function count(spec: unknown, tools: KeywordTools): number {
  if (!Number.isInteger(spec) || (spec as number) < 0) throw tools.fail('must be a non-negative integer');
  return spec as number;
}

function bound(spec: unknown, tools: KeywordTools): number {
  if (typeof spec !== 'number') throw tools.fail('must be a number');
  return spec;
}

/** Primitive arrays (the usual case, e.g. lists of EPCs) are checked with a set, not pairwise. */
function hasDuplicate(items: unknown[]): boolean {
  if (items.every((item) => typeof item !== 'object' || item === null)) return new Set(items).size !== items.length;
  for (let i = 1; i < items.length; i++) for (let j = 0; j < i; j++) if (jsonEqual(items[i], items[j])) return true;
  return false;
}

/** The check for an assertion keyword, or undefined if it is not one this validator implements. */
export function compileAssertion(keyword: string, spec: unknown, tools: KeywordTools): Check | undefined {
  switch (keyword) {
    case 'type': {
      const types = typeof spec === 'string' ? [spec] : spec;
      if (!Array.isArray(types) || types.length === 0 || !types.every((t) => typeof t === 'string' && TYPES.has(t))) throw tools.fail('must name JSON types');
      return (value, path, errors) => types.some((t) => hasType(value, t as string)) || fail(errors, path, 'type', `must be ${types.join(' or ')}, not ${jsonType(value)}`);
    }
    case 'required': {
      if (!Array.isArray(spec) || !spec.every((name) => typeof name === 'string')) throw tools.fail('must be an array of strings');
      const names = spec as string[];
      return (value, path, errors) => {
        if (!isObject(value)) return true;
        let valid = true;
        for (const name of names) {
          if (Object.prototype.hasOwnProperty.call(value, name)) continue;
          valid = fail(errors, childPath(path, name), 'required', `is required (missing property ${JSON.stringify(name)})`);
          if (errors === null) return false;
        }
        return valid;
      };
    }
    case 'enum': {
      if (!Array.isArray(spec) || spec.length === 0) throw tools.fail('must be a non-empty array');
      const primitives = new Set(spec.filter((v) => typeof v !== 'object' || v === null));
      const structured = spec.filter((v) => typeof v === 'object' && v !== null);
      return (value, path, errors) => primitives.has(value) || structured.some((v) => jsonEqual(v, value))
        || fail(errors, path, 'enum', `must be one of ${describe(spec)}`);
    }
    case 'const':
      return (value, path, errors) => jsonEqual(spec, value) || fail(errors, path, 'const', `must be ${JSON.stringify(spec)}`);
    case 'pattern': {
      if (typeof spec !== 'string') throw tools.fail('must be a string');
      const pattern = tools.pattern(spec);
      return (value, path, errors) => typeof value !== 'string' || pattern.test(value) || fail(errors, path, 'pattern', `must match the pattern ${spec}`);
    }
    case 'format': {
      if (typeof spec !== 'string') throw tools.fail('must be a string');
      const test = tools.format(spec);
      return (value, path, errors) => typeof value !== 'string' || test(value) || fail(errors, path, 'format', `must be a valid ${spec}`);
    }
    case 'minLength':
    case 'maxLength': {
      const limit = count(spec, tools);
      const min = keyword === 'minLength';
      return (value, path, errors) => typeof value !== 'string' || (min ? codePoints(value) >= limit : codePoints(value) <= limit)
        || fail(errors, path, keyword, `must have ${min ? 'at least' : 'at most'} ${limit} characters`);
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return numberBound(keyword, bound(spec, tools));
    case 'minItems':
    case 'maxItems': {
      const limit = count(spec, tools);
      const min = keyword === 'minItems';
      return (value, path, errors) => !Array.isArray(value) || (min ? value.length >= limit : value.length <= limit)
        || fail(errors, path, keyword, `must have ${min ? 'at least' : 'at most'} ${limit} items`);
    }
    case 'minProperties':
    case 'maxProperties': {
      const limit = count(spec, tools);
      const min = keyword === 'minProperties';
      return (value, path, errors) => !isObject(value) || (min ? Object.keys(value).length >= limit : Object.keys(value).length <= limit)
        || fail(errors, path, keyword, `must have ${min ? 'at least' : 'at most'} ${limit} properties`);
    }
    case 'uniqueItems':
      if (typeof spec !== 'boolean') throw tools.fail('must be a boolean');
      return (value, path, errors) => !spec || !Array.isArray(value) || !hasDuplicate(value) || fail(errors, path, 'uniqueItems', 'must not have duplicate items');
    default:
      return undefined;
  }
}

function numberBound(keyword: string, limit: number): Check {
  const [test, words] = {
    minimum: [(n: number) => n >= limit, '>='],
    maximum: [(n: number) => n <= limit, '<='],
    exclusiveMinimum: [(n: number) => n > limit, '>'],
    exclusiveMaximum: [(n: number) => n < limit, '<'],
  }[keyword as 'minimum'] as [(n: number) => boolean, string];
  return (value, path, errors: SchemaError[] | null) => typeof value !== 'number' || test(value) || fail(errors, path, keyword, `must be ${words} ${limit}`);
}

// RFC 8785 (JSON Canonicalization Scheme, JCS): the one text of a JSON value, whatever the order of
// its keys or the spacing of the text it was parsed from, so that its hash is an identity.
//
// The input is a value as JSON.parse returns it. Anything else is refused, not guessed at:
// - a number that is not finite: JSON has no form for it (RFC 8785 section 3.2.2.3 says it MUST
//   cause an error);
// - a string or key with a lone surrogate (U+D800-U+DFFF not in a pair): RFC 8785 takes its input
//   as I-JSON (RFC 7493, section 2.1: strings MUST be valid Unicode) and section 3.2.2.2 requires
//   an implementation to stop with an error on such data, as it has no UTF-8 form to hash;
// - undefined, functions, symbols, bigints, and objects that are not plain (a Date, a Map):
//   JSON.parse never returns them, and JSON.stringify's rules for them (drop a member, call
//   toJSON) are no part of JCS. A member named "toJSON" is data like any other;
// - arrays and objects nested deeper than NATIVE_DEPTH_MAX, which also ends any cycle.
import { NATIVE_DEPTH_MAX, NativeRefusal } from './nativeRefusal.js';

// In a "u" regular expression a well-formed pair is one code point above U+FFFF, so only a lone
// surrogate falls in this range. No Unicode property tables are involved: the answer cannot
// depend on the host's ICU version.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** The RFC 8785 canonical JSON text of `value`; throws NativeRefusal for what JCS cannot represent. */
export function canonicalJson(value: unknown): string {
  return canonical(value, 0);
}

function canonical(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return canonicalString(value);
    case 'number':
      if (!Number.isFinite(value)) throw new NativeRefusal(`canonical JSON has no form for the number ${value}`);
      // RFC 8785 section 3.2.2.3 is ECMAScript's Number::toString, which String() is (-0 gives "0").
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (depth >= NATIVE_DEPTH_MAX) throw new NativeRefusal(`canonical JSON takes values nested at most ${NATIVE_DEPTH_MAX} levels deep`);
      return Array.isArray(value) ? canonicalArray(value, depth + 1) : canonicalObject(value, depth + 1);
    default:
      throw new NativeRefusal(`canonical JSON has no form for a value of type ${typeof value}`);
  }
}

function canonicalArray(items: unknown[], depth: number): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) out += (i === 0 ? '' : ',') + canonical(items[i], depth);
  return out + ']';
}

function canonicalObject(object: object, depth: number): string {
  const prototype = Object.getPrototypeOf(object) as unknown;
  if (prototype !== Object.prototype && prototype !== null) throw new NativeRefusal('canonical JSON takes plain objects only');
  const record = object as Record<string, unknown>;
  // RFC 8785 section 3.2.3 orders members by the UTF-16 code units of their names, which is
  // exactly what sort() without a comparator compares: no locale is consulted.
  const keys = Object.keys(record).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    out += (i === 0 ? '' : ',') + canonicalString(key) + ':' + canonical(record[key], depth);
  }
  return out + '}';
}

// Once lone surrogates are excluded, ECMAScript's QuoteJSONString (JSON.stringify of a string) is
// the escaping RFC 8785 section 3.2.2.2 prescribes: \" and \\, \b \f \n \r \t, \u00xx in lower
// case for the other controls below U+0020, every other character as itself (U+007F, U+2028 too).
function canonicalString(text: string): string {
  if (LONE_SURROGATE.test(text)) throw new NativeRefusal('canonical JSON has no form for a string with a lone surrogate (it is not Unicode text)');
  return JSON.stringify(text);
}

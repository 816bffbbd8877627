// RFC 8785 (JSON Canonicalization Scheme): one text per JSON value, so that an event's hash does not
// depend on how the submitter ordered its keys or spaced its text. The EPCIS event hash of the
// standard is not used: implementations disagree on it (the shared EPCIS test vectors' README).

// A UTF-16 surrogate without its partner: such strings have no UTF-8 form, and RFC 8785 (I-JSON,
// RFC 7493) refuses them instead of guessing.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The canonical JSON text of `value`. Throws on values JSON cannot carry. */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // ECMAScript Number::toString is what RFC 8785 specifies; String(-0) is already "0".
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no form for ${value}`);
      return String(value);
    case 'string':
      return canonicalString(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
        return out + ']';
      }
      const record = value as Record<string, unknown>;
      // Default sort compares UTF-16 code units, which is the order RFC 8785 prescribes.
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const member = record[key];
        if (member === undefined) continue; // as JSON.stringify: an absent member
        out += (first ? '' : ',') + canonicalString(key) + ':' + canonicalJson(member);
        first = false;
      }
      return out + '}';
    }
    default:
      throw new TypeError(`canonical JSON has no form for a ${typeof value}`);
  }
}

// JSON.stringify escapes exactly what RFC 8785 section 3.2.2.2 asks (", \, the C0 controls with
// the short forms \b \f \n \r \t, lower-case \u00xx otherwise) once lone surrogates are excluded.
function canonicalString(text: string): string {
  if (LONE_SURROGATE.test(text)) throw new TypeError('canonical JSON refuses a string with a lone surrogate');
  return JSON.stringify(text);
}

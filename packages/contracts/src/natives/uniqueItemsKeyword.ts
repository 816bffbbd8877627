// "uniqueItems" for ajv in linear time. ajv's own compares items pairwise when they may be arrays
// or objects, which makes the work grow with the square of the array's length while the step
// charge of validate grows with its size: 20,000 empty objects in a value's 65,536 characters
// would cost hundreds of millions of comparisons. Here each item gets a text that is equal for two
// items exactly when they are equal JSON values, and a Map finds the first repeat.
import type { FuncKeywordDefinition, SchemaValidateFunction } from 'ajv';

/**
 * A text for JSON equality as draft-07 defines it: members in code-unit order of their names,
 * numbers by value (String(-0) is "0", and 0 equals -0), strings escaped by JSON.stringify (which
 * also writes a lone surrogate as an escape, so distinct strings stay distinct).
 */
function equalityKey(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map(equalityKey).join(',') + ']';
  const record = value as Record<string, unknown>;
  return '{' + Object.keys(record).sort().map((key) => JSON.stringify(key) + ':' + equalityKey(record[key])).join(',') + '}';
}

const validate: SchemaValidateFunction = function uniqueItems(schema: unknown, data: unknown): boolean {
  if (schema !== true || !Array.isArray(data)) return true;
  const seen = new Map<string, number>();
  for (let i = 0; i < data.length; i++) {
    const key = equalityKey(data[i]);
    const first = seen.get(key);
    if (first !== undefined) {
      validate.errors = [{ keyword: 'uniqueItems', message: '', params: { i: first, j: i } }];
      return false;
    }
    seen.set(key, i);
  }
  return true;
};

/** Replaces ajv's uniqueItems (removeKeyword first): same meaning, linear work. */
export const uniqueItemsKeyword: FuncKeywordDefinition = {
  keyword: 'uniqueItems',
  type: 'array',
  schemaType: 'boolean',
  errors: true,
  validate,
};

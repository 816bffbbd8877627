// Mutations of EPCIS events and documents for property tests (not part of the contract: nothing
// in contract.ts imports it). One place of a value is deleted, replaced, given a member or
// wrapped in an array, then the value goes through JSON text, as arguments reach the contract.
// Used by schemaMutations.test.ts here and by the natives' tests in packages/contracts.
import type { Arbitrary } from 'fast-check';
import type fastCheck from 'fast-check';

type Token = string | number;

export type Mutation = { kind: 'delete' | 'replace' | 'add' | 'wrap'; pick: number; json: unknown; key: string };

/** Every place in a value: the paths to all its members and items, the root included. */
function paths(value: unknown, at: Token[] = []): Token[][] {
  const out = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

/** The value with one mutation applied at one of its places (a copy; the original is kept). */
export function mutated(value: unknown, m: Mutation): unknown {
  const copy = structuredClone(value);
  const all = paths(copy);
  const path = all[m.pick % all.length]!;
  if (path.length === 0) return m.kind === 'wrap' ? [copy] : m.json;
  const parent = path.slice(0, -1).reduce((v: any, t) => v[t], copy) as any;
  const last = path[path.length - 1]!;
  if (m.kind === 'delete') Array.isArray(parent) ? parent.splice(last as number, 1) : delete parent[last];
  else if (m.kind === 'replace') parent[last] = m.json;
  else if (m.kind === 'wrap') parent[last] = [parent[last]];
  else if (typeof parent[last] === 'object' && parent[last] !== null && !Array.isArray(parent[last])) parent[last][m.key] = m.json;
  // A key added beside an array element would be no JSON (and `length` would throw): not a mutation.
  else if (!Array.isArray(parent)) parent[m.key] = m.json;
  // Through JSON text, as arguments reach the contract: a member set past an array's end leaves holes, which JSON makes null.
  return JSON.parse(JSON.stringify(copy));
}

/** Mutations, built with the caller's fast-check (one instance per test process). */
export function mutationArbitrary(fc: typeof fastCheck): Arbitrary<Mutation> {
  return fc.record({
    kind: fc.constantFrom('delete', 'replace', 'add', 'wrap'),
    pick: fc.nat(),
    json: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('OBSERVE', 'urn:epc:id:sgtin:1.2.3', 'shipping', '2024-01-01T00:00:00Z', 'x:y', [], {})),
    key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('type', 'action', 'epcList', 'ilmd', 'eventTime', 'ex:field', 'parentID')),
  }) as Arbitrary<Mutation>;
}

/** A JSON pointer names a place in `value`, or a missing member of an object that is there. */
export function resolves(value: unknown, pointer: string): boolean {
  if (pointer === '') return true;
  const tokens = pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  let at: unknown = value;
  for (const [i, token] of tokens.entries()) {
    if (typeof at !== 'object' || at === null) return false;
    if (!Object.prototype.hasOwnProperty.call(at, token)) return i === tokens.length - 1 && !Array.isArray(at);
    at = (at as Record<string, unknown>)[token];
  }
  return true;
}

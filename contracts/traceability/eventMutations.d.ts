import type * as FastCheck from 'fast-check';
export type Mutation = {
    kind: 'delete' | 'replace' | 'add' | 'wrap';
    pick: number;
    json: unknown;
    key: string;
};
/** The value with one mutation applied at one of its places (a copy; the original is kept). */
export declare function mutated(value: unknown, m: Mutation): unknown;
/** Mutations, built with the caller's fast-check (one instance per test process). */
export declare function mutationArbitrary(fc: typeof FastCheck): FastCheck.Arbitrary<Mutation>;
/** A JSON pointer names a place in `value`, or a missing member of an object that is there. */
export declare function resolves(value: unknown, pointer: string): boolean;
//# sourceMappingURL=eventMutations.d.ts.map
// The EPCIS 2.0 JSON schema, declared as the contract's schema "epcis": the node compiles it once
// with the contract (ajv in the host, ADR 012) and api.validate checks events against it. The
// schema travels inside the packaged contract (an esbuild JSON import), so every validator checks
// events against the same bytes, and its hash is part of the contract's identity.
import type { ContractApi, Json, SchemaError } from '@xinlian/contracts/api';
import schema from './schema/EPCIS-JSON-Schema.json';

/** The contract's schemas, by name (exported by contract.ts as `schemas`). */
export const SCHEMAS = { epcis: schema as unknown as Json };

/** The definition one event inside a document must satisfy (no @context of its own needed). */
export const DOCUMENT_EVENT = '#/definitions/EPCIS-Document-Event';

/** A URI, as the schema requires of identifiers in events. */
export const URI = '#/definitions/uri';

/** Errors of `value` against the EPCIS schema or its subschema at `ref`; empty when valid. */
export function epcisErrors(api: ContractApi, value: unknown, ref?: string): SchemaError[] {
  return api.validate('epcis', value as Json, ref);
}

// The EPCIS 2.0 JSON schema, compiled when the contract's code is loaded. The schema travels inside
// the packaged contract (an esbuild JSON import), so every validator checks events against the same
// bytes; the sandbox compiles a contract once and starts every call from the loaded state
// (ADR 013), so the compiled form is built once per node, not per call.
import schema from './schema/EPCIS-JSON-Schema.json';
import { compileSchema, type SchemaValidator } from './jsonSchema.js';

/** The definition one event inside a document must satisfy (no @context of its own needed). */
export const DOCUMENT_EVENT = '#/definitions/EPCIS-Document-Event';

const validator: SchemaValidator = compileSchema(schema);

export function epcisValidator(): SchemaValidator {
  return validator;
}

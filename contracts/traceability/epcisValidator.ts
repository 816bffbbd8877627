// The EPCIS 2.0 JSON schema, compiled on first use in a call. The schema travels inside the
// packaged contract (an esbuild JSON import), so every validator checks events against the same
// bytes; a fresh sandbox runtime per call means the compiled form lasts one call.
import schema from './schema/EPCIS-JSON-Schema.json';
import { compileSchema, type SchemaValidator } from './jsonSchema.js';

/** The definition one event inside a document must satisfy (no @context of its own needed). */
export const DOCUMENT_EVENT = '#/definitions/EPCIS-Document-Event';

let validator: SchemaValidator | undefined;

export function epcisValidator(): SchemaValidator {
  return (validator ??= compileSchema(schema));
}

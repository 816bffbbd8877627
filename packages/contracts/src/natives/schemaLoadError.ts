// Why a contract's schemas do not compile: the contract is refused when it is compiled (deploy,
// upgrade, first load), never partly used, so every node refuses it alike.

/** A schema is not JSON Schema draft-07, or uses what native validation does not implement. */
export class SchemaLoadError extends Error {
  override readonly name = 'SchemaLoadError';
}

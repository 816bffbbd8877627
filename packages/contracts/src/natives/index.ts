// The native functions of the contract API ('@xinlian/contracts/natives'): heavy, common,
// deterministic work done by the host for contracts, at a fixed step charge (docs/adr/012,
// docs/spec/contracts.md "Native functions"). The sandbox exposes them as api.validate,
// api.canonicalJson and api.hashJson; api.hash is hashText.
export { CONTRACT_NATIVES_VERSION, NATIVES_AJV_VERSION } from './nativesVersion.js';
export { NATIVE_DEPTH_MAX, NativeRefusal } from './nativeRefusal.js';
export { canonicalJson } from './canonicalJson.js';
export { hashJson, hashText, type SuiteHash } from './hashJson.js';
export { compileSchemas, SCHEMA_ERRORS_MAX, SchemaLoadError, type CompiledSchemas, type SchemaError } from './jsonSchemas.js';
export { SCHEMA_FORMATS } from './schemaFormats.js';
export { NANOSECONDS_PER_STEP, NATIVE_STEPS, NATIVE_STEPS_MIN, nativeSteps, type NativeCharge, type NativeName } from './nativeSteps.js';

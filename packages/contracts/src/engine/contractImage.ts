import { compileSchemas, NativeRefusal, SchemaLoadError, type CompiledSchemas } from '../natives/index.js';
import { HOST_FUNCTIONS, PRELUDE, SCHEMAS_SCRIPT } from '../sandboxScripts.js';
import { StepMeter } from '../stepMeter.js';
import type { MemoryImage, QuickJSInstance } from './quickjsInstance.js';

/**
 * A contract compiled once (docs/adr/013-compiled-contracts.md): a QuickJS runtime and context in
 * which the prelude and the contract's code have run, kept as a copy of the instance's live memory.
 * Every call restores this image and runs the invoke function in it, so each call starts from the
 * same fresh state (globals, heap, QuickJS's interrupt counter) without parsing the bundle again.
 */
export interface ContractImage {
  readonly memory: MemoryImage;
  /** Pointers into the image: the context and the invoke function's box. */
  readonly ctx: number;
  readonly invoke: number;
  /** The contract's named JSON Schemas, compiled in the host (api.validate, ADR 012). */
  readonly schemas: CompiledSchemas | undefined;
}

export interface ImageLimits {
  memoryBytesMax: number;
  stackBytesMax: number;
  /** Steps the prelude and the contract's top-level code may take together. */
  stepsMax: number;
}

export type CompileOutcome =
  | { ok: true; image: ContractImage }
  | { ok: false; code: 'CONTRACT_INVALID' | 'CONTRACT_OUT_OF_STEPS' | 'CONTRACT_OUT_OF_MEMORY'; message: string };

/**
 * The language a contract gets (QuickJS intrinsics): base objects, eval (needed to run scripts),
 * JSON, RegExp with its compiler, Map/Set and String.prototype.normalize; no Date, Promise
 * (nothing would run its jobs), Proxy, typed arrays, BigInt or WeakRef.
 */
const CONTRACT_INTRINSICS = 1 | 4 | 8 | 16 | 32 | 64 | 256;

/**
 * Compiles `code` (a CommonJS bundle) on `instance`, starting from its pristine memory (then
 * `prepared`, for tests that scribble over its dead memory).
 */
export function compileImage(instance: QuickJSInstance, code: string, limits: ImageLimits, prepared?: () => void): CompileOutcome {
  const { ffi } = instance;
  instance.restore(instance.pristine);
  prepared?.();
  const meter = new StepMeter(limits.stepsMax);
  instance.session = {
    interrupt: () => meter.interrupt(),
    // The prelude asks depthOk while it runs; nothing else may reach the host before a call.
    hostCall: (id) => (HOST_FUNCTIONS[id] === 'depthOk' ? '1' : undefined),
  };
  try {
    const rt = ffi.QTS_NewRuntime();
    ffi.QTS_RuntimeSetMemoryLimit(rt, limits.memoryBytesMax);
    ffi.QTS_RuntimeSetMaxStackSize(rt, limits.stackBytesMax);
    ffi.QTS_RuntimeEnableInterruptHandler(rt);
    const ctx = ffi.QTS_NewContext(rt, CONTRACT_INTRINSICS);
    const global = ffi.QTS_GetGlobalObject(ctx);
    HOST_FUNCTIONS.forEach((name, id) => {
      const fn = ffi.QTS_NewFunction(ctx, name, 0, false, id);
      const key = instance.newString(ctx, `__host_${name}`);
      ffi.QTS_SetProp(ctx, global, key, fn);
      instance.free(ctx, key);
      instance.free(ctx, fn);
    });
    instance.free(ctx, global);
    const invoke = instance.evaluate(ctx, PRELUDE, 'prelude.js');
    const preludeError = instance.exception(ctx, invoke);
    if (preludeError !== 0) return failure(instance, ctx, preludeError, meter.exhausted);
    const evaluated = instance.evaluate(ctx, code, 'contract.js');
    const error = instance.exception(ctx, evaluated);
    if (error !== 0) return failure(instance, ctx, error, meter.exhausted);
    instance.free(ctx, evaluated);
    const declared = instance.evaluate(ctx, SCHEMAS_SCRIPT, 'schemas.js');
    const declaredError = instance.exception(ctx, declared);
    if (declaredError !== 0) return failure(instance, ctx, declaredError, meter.exhausted);
    const schemasJson = instance.string(ctx, declared);
    instance.free(ctx, declared);
    const schemas = schemasOf(schemasJson);
    if (typeof schemas === 'string') return { ok: false, code: 'CONTRACT_INVALID', message: schemas };
    return { ok: true, image: { memory: instance.capture(), ctx, invoke, schemas } };
  } catch (error) {
    // An exception out of the WebAssembly code (the host's stack ran out under a C recursion):
    // the instance is replaced by its owner; the contract cannot be compiled here.
    return { ok: false, code: 'CONTRACT_INVALID', message: `the contract's code could not be loaded: ${(error as Error).message}` };
  } finally {
    instance.session = undefined;
  }
}

/** The compiled schemas of a contract, or why they cannot be compiled. */
function schemasOf(json: string): CompiledSchemas | undefined | string {
  const declared = JSON.parse(json) as unknown;
  if (declared === null) return undefined;
  if (typeof declared !== 'object' || Array.isArray(declared)) return 'the contract\'s `schemas` export must be an object of named JSON Schemas';
  try {
    return compileSchemas(declared as Record<string, unknown>);
  } catch (error) {
    if (error instanceof SchemaLoadError || error instanceof NativeRefusal) return `the contract's schemas: ${error.message}`;
    throw error;
  }
}

function failure(instance: QuickJSInstance, ctx: number, error: number, outOfSteps: boolean): CompileOutcome {
  if (outOfSteps) return { ok: false, code: 'CONTRACT_OUT_OF_STEPS', message: 'the contract\'s top-level code ran out of steps' };
  const dumped = instance.dump(ctx, error) as { name?: string; message?: string } | string;
  const name = typeof dumped === 'object' && dumped !== null ? dumped.name ?? 'Error' : 'Error';
  const message = typeof dumped === 'object' && dumped !== null ? dumped.message ?? '' : String(dumped);
  if (/out of memory|stack overflow/i.test(message)) return { ok: false, code: 'CONTRACT_OUT_OF_MEMORY', message: `the contract's top-level code: ${message}` };
  return { ok: false, code: 'CONTRACT_INVALID', message: `${name}: ${message}` };
}

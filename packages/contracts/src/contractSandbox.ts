import type { ErrorCode } from '@xinlian/protocol';
import { newQuickJSWASMModuleFromVariant, type QuickJSContext, type QuickJSHandle, type QuickJSWASMModule } from 'quickjs-emscripten-core';

/**
 * Deterministic, bounded execution of contract code in QuickJS compiled to WebAssembly
 * (docs/adr/009-contract-sandbox.md). Each call gets a fresh runtime: QuickJS's interrupt counter
 * carries over within a runtime, so only a fresh one makes the step count of a call independent
 * of what ran before it.
 */

/** QuickJS calls the interrupt handler once per this many interpreter ticks. */
export const STEPS_PER_INTERRUPT = 10_000;

export interface ContractLimits {
  /** Interpreter steps, counted in units of STEPS_PER_INTERRUPT: the same bound on every node. */
  stepsMax: number;
  /** Heap bytes of the QuickJS runtime. */
  memoryBytesMax: number;
  /**
   * QuickJS stack bytes: deep recursion fails like a memory bomb. Kept well below what the host's
   * own stack allows for the WebAssembly frames (512 KB already hit V8's limit first here, which
   * would make the failure depend on the host), so QuickJS's own check decides, on every node.
   */
  stackBytesMax: number;
  /** Largest argument, result, key, value or event (JSON text, UTF-16 units). */
  valueCharsMax: number;
  /** State writes and events per call. */
  writesMax: number;
}

export const DEFAULT_CONTRACT_LIMITS: ContractLimits = {
  stepsMax: 50_000_000,
  memoryBytesMax: 32 * 1024 * 1024,
  stackBytesMax: 256 * 1024,
  valueCharsMax: 64 * 1024,
  writesMax: 1_000,
};

/** What a call may see and do outside the sandbox: reads of the state, and facts of its tx. */
export interface ContractHost {
  get(key: string): string | undefined;
  /** The caller, tx and block facts given to the contract as `ctx` (JSON-serialisable). */
  context: Record<string, unknown>;
}

export interface ContractEvent {
  type: string;
  attributes: Record<string, string>;
}

export type ContractOutcome =
  | { ok: true; result: unknown; writes: Array<{ key: string; value: string | null }>; events: ContractEvent[]; steps: number }
  | { ok: false; code: ContractFailureCode; message: string; steps: number };

export type ContractFailureCode = Extract<ErrorCode, 'CONTRACT_OUT_OF_STEPS' | 'CONTRACT_OUT_OF_MEMORY' | 'CONTRACT_FAILED' | 'CONTRACT_INVALID'>;

// Runs before the contract: removes what could differ between nodes or reach the host.
const PRELUDE = `
delete globalThis.Date;
Math.random = function () { throw new Error('Math.random is not available in contracts: derive values from ctx.txId'); };
delete globalThis.Atomics; delete globalThis.SharedArrayBuffer; delete globalThis.WeakRef; delete globalThis.FinalizationRegistry;
var exports = {}; var module = { exports: exports };
`;

// Runs the requested operation with the host API as the contract sees it.
const INVOKE = `
(function (op, argsJson, ctxJson) {
  var contract = module.exports && module.exports.default ? module.exports.default : module.exports;
  var fn = contract[op];
  if (typeof fn !== 'function' || !Object.prototype.hasOwnProperty.call(contract, op)) throw new Error('no operation "' + op + '"');
  var ctx = JSON.parse(ctxJson);
  var api = {
    get: function (key) { var v = __host_get(String(key)); return v === undefined ? undefined : JSON.parse(v); },
    put: function (key, value) { __host_put(String(key), JSON.stringify(value)); },
    del: function (key) { __host_put(String(key), undefined); },
    emit: function (type, attributes) { __host_emit(String(type), JSON.stringify(attributes || {})); },
  };
  var result = fn(api, JSON.parse(argsJson), ctx);
  return result === undefined ? 'null' : JSON.stringify(result);
})
`;

/** A new instance of the WebAssembly module (the .wasm ships inside the npm package). */
function quickjs(): Promise<QuickJSWASMModule> {
  return newQuickJSWASMModuleFromVariant(import('@jitl/quickjs-wasmfile-release-sync'));
}

export class ContractSandbox {
  /** Set when freeing a runtime aborted the module (QuickJS leaks objects after a stack overflow). */
  private poisoned = false;

  private constructor(private module: QuickJSWASMModule, readonly limits: ContractLimits) {}

  static async create(limits: Partial<ContractLimits> = {}): Promise<ContractSandbox> {
    return new ContractSandbox(await quickjs(), { ...DEFAULT_CONTRACT_LIMITS, ...limits });
  }

  /**
   * Runs `op(api, args, ctx)` of the contract `code` (a CommonJS bundle). Never throws for contract
   * faults. Async only because a module that a call left unusable is replaced before the next one;
   * the outcome itself never depends on timing.
   */
  async call(code: string, op: string, args: unknown, host: ContractHost): Promise<ContractOutcome> {
    if (this.poisoned) {
      this.module = await quickjs();
      this.poisoned = false;
    }
    return this.callIn(code, op, args, host);
  }

  private callIn(code: string, op: string, args: unknown, host: ContractHost): ContractOutcome {
    const { limits } = this;
    const runtime = this.module.newRuntime();
    let interrupts = 0;
    const interruptsMax = Math.ceil(limits.stepsMax / STEPS_PER_INTERRUPT);
    runtime.setInterruptHandler(() => ++interrupts > interruptsMax);
    runtime.setMemoryLimit(limits.memoryBytesMax);
    runtime.setMaxStackSize(limits.stackBytesMax);
    const context = runtime.newContext();
    const writes = new Map<string, string | null>();
    const events: ContractEvent[] = [];
    const steps = (): number => Math.min(interrupts, interruptsMax + 1) * STEPS_PER_INTERRUPT;
    try {
      const checked = (what: string, text: string): string => {
        if (text.length > limits.valueCharsMax) throw new Error(`${what} of ${text.length} characters exceeds ${limits.valueCharsMax}`);
        return text;
      };
      this.defineHost(context, 'get', (key) => {
        const written = writes.get(checked('key', key));
        return written === undefined ? host.get(key) : written ?? undefined;
      });
      this.defineHost(context, 'put', (key, value) => {
        if (writes.size >= limits.writesMax && !writes.has(key)) throw new Error(`more than ${limits.writesMax} writes`);
        writes.set(checked('key', key), value === undefined ? null : checked('value', value));
        return undefined;
      });
      this.defineHost(context, 'emit', (type, attributes) => {
        if (events.length >= limits.writesMax) throw new Error(`more than ${limits.writesMax} events`);
        const parsed = JSON.parse(checked('event', attributes ?? '{}')) as Record<string, unknown>;
        events.push({ type: checked('event type', type), attributes: Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)])) });
        return undefined;
      });
      const argsJson = JSON.stringify(args ?? null);
      checked('arguments', argsJson);
      const loaded = context.evalCode(`${PRELUDE}\n${code}`, 'contract.js');
      if (loaded.error !== undefined) return this.failure(context, loaded.error, steps(), 'CONTRACT_INVALID');
      loaded.value.dispose();
      const invoke = context.evalCode(INVOKE, 'invoke.js');
      if (invoke.error !== undefined) return this.failure(context, invoke.error, steps(), 'CONTRACT_INVALID');
      const handles = [context.newString(op), context.newString(argsJson), context.newString(JSON.stringify(host.context))];
      const called = context.callFunction(invoke.value, context.undefined, ...handles);
      for (const h of handles) h.dispose();
      invoke.value.dispose();
      if (called.error !== undefined) return this.failure(context, called.error, steps(), 'CONTRACT_FAILED');
      const resultJson = checked('result', context.getString(called.value));
      called.value.dispose();
      return { ok: true, result: JSON.parse(resultJson), writes: [...writes].map(([key, value]) => ({ key, value })), events, steps: steps() };
    } catch (error) {
      // The host side refused (a limit): the call fails like a contract error, with nothing written.
      return { ok: false, code: 'CONTRACT_FAILED', message: (error as Error).message, steps: steps() };
    } finally {
      try {
        context.dispose();
        runtime.dispose();
      } catch {
        // QuickJS asserts when a runtime is freed with objects left after a stack overflow, which
        // aborts the whole WebAssembly instance: this call's outcome stands, the next one gets a
        // fresh instance.
        this.poisoned = true;
      }
    }
  }

  private defineHost(context: QuickJSContext, name: string, fn: (a: string, b?: string) => string | undefined): void {
    const handle = context.newFunction(`__host_${name}`, (...args: QuickJSHandle[]) => {
      const [a, b] = args.map((h) => (context.typeof(h) === 'undefined' ? undefined : context.getString(h)));
      try {
        const out = fn(a ?? '', b);
        return out === undefined ? context.undefined : context.newString(out);
      } catch (error) {
        return { error: context.newError((error as Error).message) };
      }
    });
    context.setProp(context.global, `__host_${name}`, handle);
    handle.dispose();
  }

  private failure(context: QuickJSContext, errorHandle: QuickJSHandle, steps: number, fallback: ContractFailureCode): ContractOutcome {
    const dumped = context.dump(errorHandle) as { name?: string; message?: string } | string;
    errorHandle.dispose();
    const name = typeof dumped === 'object' && dumped !== null ? dumped.name ?? 'Error' : 'Error';
    const message = typeof dumped === 'object' && dumped !== null ? dumped.message ?? String(dumped) : String(dumped);
    if (name === 'InternalError' && /interrupted/.test(message)) {
      return { ok: false, code: 'CONTRACT_OUT_OF_STEPS', message: `stopped after ${steps} steps (limit ${this.limits.stepsMax})`, steps };
    }
    if ((name === 'InternalError' || name === 'RangeError') && /stack overflow/i.test(message)) {
      return { ok: false, code: 'CONTRACT_OUT_OF_MEMORY', message: `stack overflow (stack limit ${this.limits.stackBytesMax} bytes)`, steps };
    }
    if ((name === 'InternalError' || name === 'RangeError') && /out of memory/i.test(message)) {
      return { ok: false, code: 'CONTRACT_OUT_OF_MEMORY', message: `out of memory (memory limit ${this.limits.memoryBytesMax} bytes)`, steps };
    }
    return { ok: false, code: fallback, message: `${name}: ${message}`, steps };
  }
}

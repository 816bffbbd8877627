import type { ErrorCode } from '@xinlian/protocol';
import {
  newQuickJSWASMModuleFromVariant, type Intrinsics, type QuickJSContext, type QuickJSHandle, type QuickJSWASMModule,
} from 'quickjs-emscripten-core';
import { CallOverlay, compareKeys, type KeyRange, type OverlayBase } from './callOverlay.js';
import { INVOKE, PRELUDE, VALUE_DEPTH_MAX } from './sandboxScripts.js';

/**
 * Deterministic, bounded execution of contract code in QuickJS compiled to WebAssembly
 * (docs/adr/009-contract-sandbox.md, 010-contract-lifecycle.md). Each call, and each call it makes
 * to another contract, gets a fresh runtime: QuickJS's interrupt counter carries over within a
 * runtime, so only a fresh one makes the step count of a call independent of what ran before it.
 */

/** QuickJS calls the interrupt handler once per this many interpreter ticks. */
export const STEPS_PER_INTERRUPT = 10_000;

export interface ContractLimits {
  /** Interpreter steps of a tx (all its nested calls together), in units of STEPS_PER_INTERRUPT. */
  stepsMax: number;
  /** Heap bytes of each QuickJS runtime. */
  memoryBytesMax: number;
  /**
   * QuickJS stack bytes: deep recursion fails like a memory bomb. Kept well below what the host's
   * own stack allows for the WebAssembly frames (512 KB already hit V8's limit first here, which
   * would make the failure depend on the host), so QuickJS's own check decides, on every node.
   */
  stackBytesMax: number;
  /** Largest argument, result, key, value or event (JSON text, UTF-16 units). */
  valueCharsMax: number;
  /** State writes and events per tx. */
  writesMax: number;
  /** Entries one range scan or history read returns at most. */
  rangeEntriesMax: number;
  /** Contracts on the call stack at once (the tx's own call is 1). */
  callDepthMax: number;
}

export const DEFAULT_CONTRACT_LIMITS: ContractLimits = {
  stepsMax: 50_000_000,
  memoryBytesMax: 32 * 1024 * 1024,
  stackBytesMax: 256 * 1024,
  valueCharsMax: 64 * 1024,
  writesMax: 1_000,
  rangeEntriesMax: 1_000,
  callDepthMax: 8,
};

/** One committed change of a key, newest first; value: JSON text, or null for a deletion. */
export interface HostKeyChange {
  height: number;
  txId: string;
  value: string | null;
}

/** The facts of a tx a contract sees as `ctx` (plus its own name and its caller contract). */
export interface CallContext {
  caller: { org: string; name: string; role: string };
  txId: string;
  height: number;
  timeMs: number;
  submitted: boolean;
}

/** What a call may see outside the sandbox: reads of the state, deployed code and the tx's facts. */
export interface ContractHost extends OverlayBase {
  /** Committed changes of a key before this block, newest first. */
  history(contract: string, key: string, limit: number): HostKeyChange[];
  /** The code of a deployed contract, for calls between contracts; undefined if there is none. */
  code(contract: string): string | undefined;
  /**
   * Whether the tx's signer may run `op` of `contract` through another contract: the reason it may
   * not, or undefined. Absent: every call is allowed (tests of one contract).
   */
  authorize?(contract: string, op: string): string | undefined;
  /** Hex of the chain suite's hash of the UTF-8 bytes of `data`. */
  hash(data: string): string;
  context: CallContext;
}

export interface ContractEvent {
  /** The contract that emitted it. */
  contract: string;
  type: string;
  attributes: Record<string, string>;
}

export interface ContractWrite {
  contract: string;
  key: string;
  /** JSON text, or null to delete. */
  value: string | null;
}

export type ContractOutcome =
  | { ok: true; result: unknown; writes: ContractWrite[]; events: ContractEvent[]; steps: number }
  | { ok: false; code: ContractFailureCode; message: string; steps: number; reason?: string };

// CONTRACT_NOT_FOUND comes from the caller that looks the contract up, never from the sandbox.
export type ContractFailureCode = Extract<ErrorCode, 'CONTRACT_OUT_OF_STEPS' | 'CONTRACT_OUT_OF_MEMORY' | 'CONTRACT_FAILED' | 'CONTRACT_INVALID' | 'CONTRACT_REJECTED' | 'CONTRACT_NOT_FOUND'>;

type FrameResult =
  | { ok: true; resultJson: string }
  | { ok: false; code: ContractFailureCode; message: string; reason?: string };

/** The state of one tx's execution shared by its call frames. */
interface TxRun {
  host: ContractHost;
  interrupts: number;
  interruptsMax: number;
  events: ContractEvent[];
  writes: number;
  stack: string[];
}

/**
 * The language a contract gets: no Date, Promise (nothing would run its jobs), Proxy, typed arrays
 * or WeakRef at all, rather than deleted afterwards; a context without them is also a third
 * cheaper to create (about 100 µs instead of 160 µs here).
 */
const CONTRACT_INTRINSICS: Intrinsics = { BaseObjects: true, Eval: true, JSON: true, RegExp: true, RegExpCompiler: true, MapSet: true, StringNormalize: true };

const quickjs = (): Promise<QuickJSWASMModule> => newQuickJSWASMModuleFromVariant(import('@jitl/quickjs-wasmfile-release-sync'));

class HostRefusal extends Error {}

/** An error value made in the guest, to be thrown there by the host function that raises this. */
class GuestError extends Error {
  constructor(readonly handle: QuickJSHandle) {
    super('guest error');
  }
}

/** The prelude's JSON functions, as handles: plain parse of checked text, depth-checked stringify. */
class GuestJson {
  private readonly parseH: QuickJSHandle;
  private readonly stringifyH: QuickJSHandle;

  constructor(private readonly context: QuickJSContext) {
    const json = context.getProp(context.global, '__json');
    this.parseH = context.getProp(json, 'parseTrusted');
    this.stringifyH = context.getProp(json, 'stringify');
    json.dispose();
  }

  parse(text: string): QuickJSHandle {
    const input = this.context.newString(text);
    const out = this.context.callFunction(this.parseH, this.context.undefined, input);
    input.dispose();
    if (out.error !== undefined) throw new GuestError(out.error);
    return out.value;
  }

  /** JSON text of a guest value; a value too deep (or a cycle) throws its error into the guest. */
  stringify(value: QuickJSHandle): string {
    const out = this.context.callFunction(this.stringifyH, this.context.undefined, value);
    if (out.error !== undefined) throw new GuestError(out.error);
    const text = this.context.typeof(out.value) === 'string' ? this.context.getString(out.value) : 'null';
    out.value.dispose();
    return text;
  }

  /** A new handle to the checked stringify, for the invoke function (which must not find it as a global). */
  stringifyFunction(): QuickJSHandle {
    return this.stringifyH.dup();
  }

  dispose(): void {
    this.parseH.dispose();
    this.stringifyH.dispose();
  }
}

export class ContractSandbox {
  /** A second instance, ready to replace one that a call left unusable. */
  private spare: QuickJSWASMModule | undefined;
  private renewing: Promise<void> | undefined;

  private constructor(private module: QuickJSWASMModule, spare: QuickJSWASMModule, readonly limits: ContractLimits) {
    this.spare = spare;
  }

  static async create(limits: Partial<ContractLimits> = {}): Promise<ContractSandbox> {
    const [module, spare] = await Promise.all([quickjs(), quickjs()]);
    return new ContractSandbox(module, spare, { ...DEFAULT_CONTRACT_LIMITS, ...limits });
  }

  /** Resolves once a spare instance is ready again (after a call used it up). */
  async ready(): Promise<void> {
    await this.renewing;
  }

  /**
   * Runs `op(api, args, ctx)` of `contract`, whose code is `code` (a CommonJS bundle).
   * Synchronous and never throws for contract faults: the outcome depends only on the code, the
   * arguments and the host's answers. Writes and events come back only with a successful outcome.
   */
  call(contract: string, code: string, op: string, args: unknown, host: ContractHost, options: { stepsMax?: number } = {}): ContractOutcome {
    // A caller may grant fewer steps than the sandbox's limit (a query, the rest of a block's budget).
    const stepsMax = Math.min(options.stepsMax ?? this.limits.stepsMax, this.limits.stepsMax);
    const run: TxRun = { host, interrupts: 0, interruptsMax: Math.ceil(stepsMax / STEPS_PER_INTERRUPT), events: [], writes: 0, stack: [] };
    const steps = (): number => Math.min(run.interrupts, run.interruptsMax + 1) * STEPS_PER_INTERRUPT;
    const argsJson = JSON.stringify(args ?? null);
    const refused = this.checkValue('arguments', argsJson);
    if (refused !== undefined) return { ok: false, code: 'CONTRACT_FAILED', message: refused, steps: 0 };
    const overlay = new CallOverlay(host);
    const outcome = this.frame(run, overlay, contract, code, op, argsJson, null);
    if (!outcome.ok) return { ...outcome, steps: steps() };
    return { ok: true, result: JSON.parse(outcome.resultJson), writes: overlay.entries(), events: run.events, steps: steps() };
  }

  private checkValue(what: string, text: string): string | undefined {
    if (text.length > this.limits.valueCharsMax) return `${what} of ${text.length} characters exceeds ${this.limits.valueCharsMax}`;
    if (!jsonDepthWithin(text, VALUE_DEPTH_MAX)) return `${what} nested deeper than ${VALUE_DEPTH_MAX} levels`;
    return undefined;
  }

  /** One contract's call in its own runtime; its writes reach `below` only if it succeeds. */
  private frame(run: TxRun, below: CallOverlay, contract: string, code: string, op: string, argsJson: string, callerContract: string | null): FrameResult {
    const { limits } = this;
    const module = this.module;
    const runtime = module.newRuntime();
    runtime.setInterruptHandler(() => ++run.interrupts > run.interruptsMax);
    runtime.setMemoryLimit(limits.memoryBytesMax);
    runtime.setMaxStackSize(limits.stackBytesMax);
    const context = runtime.newContext({ intrinsics: CONTRACT_INTRINSICS });
    const overlay = new CallOverlay(below);
    const eventsBefore = run.events.length;
    const writesBefore = run.writes;
    run.stack.push(contract);
    let result: FrameResult;
    try {
      result = this.evaluate(run, context, overlay, contract, code, op, argsJson, callerContract);
    } catch (error) {
      // The host refused (a limit) or the host's own stack overflowed under a C recursion that
      // QuickJS does not count: the call fails like a contract error, with nothing written.
      const message = error instanceof HostRefusal ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
      result = { ok: false, code: 'CONTRACT_FAILED', message };
    } finally {
      run.stack.pop();
      // A callee that ran out of steps ends the tx: its caller may not catch its way past the limit.
      if (run.interrupts > run.interruptsMax) result = outOfSteps(run);
      try {
        context.dispose();
        runtime.dispose();
      } catch {
        // QuickJS asserts when a runtime is freed with objects left after a host stack overflow,
        // which aborts the whole WebAssembly instance: this call's outcome stands, the next one
        // runs in the spare instance.
        this.replaceModule(module);
      }
    }
    if (result.ok) {
      overlay.commitTo(below);
    } else {
      run.events.length = eventsBefore;
      run.writes = writesBefore;
    }
    return result;
  }

  private evaluate(
    run: TxRun, context: QuickJSContext, overlay: CallOverlay, contract: string, code: string, op: string, argsJson: string, callerContract: string | null,
  ): FrameResult {
    const { limits } = this;
    const checked = (what: string, text: string): string => {
      const refused = this.checkValue(what, text);
      if (refused !== undefined) throw new HostRefusal(refused);
      return text;
    };
    const countWrite = (): void => {
      if (++run.writes > limits.writesMax) throw new HostRefusal(`more than ${limits.writesMax} writes and events`);
    };
    // The prelude first, so that the host holds its JSON functions before any contract code runs;
    // then the contract, with the invoke function as the script's completion value.
    const depthOk = context.newFunction('__jsonDepthOk', (textH: QuickJSHandle) =>
      (context.typeof(textH) === 'string' && jsonDepthWithin(context.getString(textH), VALUE_DEPTH_MAX) ? context.true : context.false));
    context.setProp(context.global, '__jsonDepthOk', depthOk);
    depthOk.dispose();
    const prelude = context.evalCode(PRELUDE, 'prelude.js');
    if (prelude.error !== undefined) return this.failure(context, prelude.error, run, 'CONTRACT_INVALID');
    prelude.value.dispose();
    // The api object is built here rather than in script: host functions cost less than parsing
    // their JavaScript wrappers on every call. Values cross as JSON through the prelude's
    // depth-checked stringify (from the contract) and the plain parse (of checked text).
    const json = new GuestJson(context);
    const invoke = context.evalCode(`delete globalThis.__json;\n${code}\n;${INVOKE}`, 'contract.js');
    if (invoke.error !== undefined) {
      json.dispose();
      return this.failure(context, invoke.error, run, 'CONTRACT_INVALID');
    }
    const text = (h: QuickJSHandle): string => (context.typeof(h) === 'string' ? context.getString(h) : String(context.dump(h)));
    const api = context.newObject();
    const methods: Record<string, (...args: QuickJSHandle[]) => QuickJSHandle | undefined> = {
      get: (keyH) => {
        const value = overlay.get(contract, checked('key', text(keyH)));
        return value === undefined ? undefined : json.parse(value);
      },
      put: (keyH, valueH) => {
        const key = checked('key', text(keyH));
        if (valueH === undefined || context.typeof(valueH) === 'undefined') throw new GuestError(context.newError({ name: 'TypeError', message: 'put needs a value: use del to delete' }));
        const value = checked('value', json.stringify(valueH));
        if (!overlay.has(contract, key)) countWrite();
        overlay.set(contract, key, value);
        return undefined;
      },
      del: (keyH) => {
        const key = checked('key', text(keyH));
        if (!overlay.has(contract, key)) countWrite();
        overlay.set(contract, key, null);
        return undefined;
      },
      range: (queryH) => {
        const query = parseRangeQuery(queryH === undefined || context.typeof(queryH) === 'undefined' ? '{}' : json.stringify(queryH), limits.rangeEntriesMax);
        const entries = overlay.range(contract, query.range, query.limit);
        // Stored values are JSON text already: one parse builds the whole answer.
        return json.parse(`[${entries.map(([key, value]) => `{"key":${JSON.stringify(key)},"value":${value}}`).join(',')}]`);
      },
      history: (keyH, limitH) => {
        const limit = limitH === undefined || context.typeof(limitH) === 'undefined' ? 100 : Number(context.dump(limitH));
        if (!Number.isSafeInteger(limit) || limit < 1 || limit > limits.rangeEntriesMax) throw new HostRefusal(`history limit must be 1..${limits.rangeEntriesMax}`);
        const changes = run.host.history(contract, checked('key', text(keyH)), limit);
        return json.parse(`[${changes.map((c) => `{"height":${c.height},"txId":${JSON.stringify(c.txId)},"value":${c.value ?? 'null'}}`).join(',')}]`);
      },
      emit: (typeH, attributesH) => {
        countWrite();
        const attributesJson = attributesH === undefined || context.typeof(attributesH) === 'undefined' ? '{}' : json.stringify(attributesH);
        const parsed = JSON.parse(checked('event', attributesJson)) as unknown;
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new HostRefusal('event attributes must be an object');
        const attributes = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
        run.events.push({ contract, type: checked('event type', text(typeH)), attributes });
        return undefined;
      },
      call: (nameH, opH, argsH) => {
        const name = text(nameH);
        const callOp = opH === undefined ? '' : text(opH);
        if (run.stack.length >= limits.callDepthMax) throw new HostRefusal(`calls nested deeper than ${limits.callDepthMax}`);
        if (run.stack.includes(name)) throw new HostRefusal(`re-entrant call of ${name} (call stack ${run.stack.join(' → ')})`);
        const callee = run.host.code(name);
        if (callee === undefined) throw new HostRefusal(`no contract "${name}" is deployed`);
        // The operation's access rule holds however it is reached, so a contract cannot lend its
        // callers rights they do not have.
        const denied = run.host.authorize?.(name, callOp);
        if (denied !== undefined) throw new GuestError(context.newError({ name: 'TX_FORBIDDEN', message: denied }));
        const callArgs = argsH === undefined || context.typeof(argsH) === 'undefined' ? 'null' : json.stringify(argsH);
        const out = this.frame(run, overlay, name, callee, callOp, checked('arguments', callArgs), contract);
        if (out.ok) return json.parse(out.resultJson);
        if (out.code === 'CONTRACT_REJECTED') {
          const error = context.newError({ name: 'ContractError', message: out.message.slice((out.reason ?? '').length + 2) });
          const code = context.newString(out.reason ?? '');
          context.setProp(error, 'code', code);
          code.dispose();
          throw new GuestError(error);
        }
        throw new GuestError(context.newError({ name: out.code, message: out.message }));
      },
      hash: (dataH) => context.newString(run.host.hash(text(dataH))),
    };
    for (const [name, fn] of Object.entries(methods)) {
      const handle = context.newFunction(name, (...args: QuickJSHandle[]) => {
        try {
          return fn(...args);
        } catch (error) {
          if (error instanceof GuestError) return { error: error.handle };
          if (error instanceof HostRefusal) return { error: context.newError(error.message) };
          throw error;
        }
      });
      context.setProp(api, name, handle);
      handle.dispose();
    }
    const ctx = { ...run.host.context, contract, callerContract };
    const handles = [context.newString(op), api, json.parse(argsJson), json.parse(JSON.stringify(ctx)), json.stringifyFunction()];
    const called = context.callFunction(invoke.value, context.undefined, ...handles);
    for (const h of handles) h.dispose();
    invoke.value.dispose();
    json.dispose();
    if (called.error !== undefined) return this.failure(context, called.error, run, 'CONTRACT_FAILED');
    const reply = JSON.parse(context.getString(called.value)) as { result: string } | { rejected: { code: string; message: string } };
    called.value.dispose();
    if ('rejected' in reply) return { ok: false, code: 'CONTRACT_REJECTED', reason: reply.rejected.code, message: `${reply.rejected.code}: ${reply.rejected.message}` };
    return { ok: true, resultJson: checked('result', reply.result) };
  }

  private replaceModule(dead: QuickJSWASMModule): void {
    if (this.module !== dead) return;
    // Without a spare the next call would meet an aborted instance and fail where other nodes
    // succeed: stopping is the only safe answer (the block is re-executed after a restart).
    if (this.spare === undefined) throw new Error('contract sandbox: instance aborted with no spare ready');
    this.module = this.spare;
    this.spare = undefined;
    this.renewing = quickjs().then((module) => {
      this.spare = module;
      this.renewing = undefined;
    });
  }

  private failure(context: QuickJSContext, errorHandle: QuickJSHandle, run: TxRun, fallback: ContractFailureCode): FrameResult {
    const dumped = context.dump(errorHandle) as { name?: string; message?: string } | string;
    errorHandle.dispose();
    const name = typeof dumped === 'object' && dumped !== null ? dumped.name ?? 'Error' : 'Error';
    const message = typeof dumped === 'object' && dumped !== null ? dumped.message ?? String(dumped) : String(dumped);
    if ((name === 'InternalError' && /interrupted/.test(message)) || run.interrupts > run.interruptsMax) {
      return outOfSteps(run);
    }
    if ((name === 'InternalError' || name === 'RangeError') && /stack overflow/i.test(message)) {
      return { ok: false, code: 'CONTRACT_OUT_OF_MEMORY', message: `stack overflow (stack limit ${this.limits.stackBytesMax} bytes)` };
    }
    if ((name === 'InternalError' || name === 'RangeError') && /out of memory/i.test(message)) {
      return { ok: false, code: 'CONTRACT_OUT_OF_MEMORY', message: `out of memory (memory limit ${this.limits.memoryBytesMax} bytes)` };
    }
    // A failure of a called contract keeps its code as it travels up.
    if (name.startsWith('CONTRACT_')) return { ok: false, code: name as ContractFailureCode, message };
    return { ok: false, code: fallback, message: `${name}: ${message}` };
  }
}

function outOfSteps(run: TxRun): FrameResult {
  return { ok: false, code: 'CONTRACT_OUT_OF_STEPS', message: `stopped after ${run.interruptsMax * STEPS_PER_INTERRUPT} steps` };
}

/** Whether JSON text nests no deeper than `max` (checked before any recursive parser sees it). */
export function jsonDepthWithin(text: string, max: number): boolean {
  let level = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++level > max) return false;
    } else if (c === 93 || c === 125) level--;
  }
  return true;
}

function parseRangeQuery(json: string, entriesMax: number): { range: KeyRange; limit: number } {
  const query = JSON.parse(json) as { prefix?: unknown; start?: unknown; end?: unknown; limit?: unknown };
  const text = (what: string, value: unknown): string | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw new HostRefusal(`range ${what} must be a string`);
    return value;
  };
  const prefix = text('prefix', query.prefix) ?? '';
  const start = text('start', query.start);
  const end = text('end', query.end);
  const limit = query.limit ?? entriesMax;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1 || limit > entriesMax) throw new HostRefusal(`range limit must be 1..${entriesMax}`);
  let lower = prefix;
  if (start !== undefined && compareKeys(start, lower) > 0) lower = start;
  let upper = prefixEnd(prefix);
  if (end !== undefined && (upper === undefined || compareKeys(end, upper) < 0)) upper = end;
  return { range: { start: lower, end: upper }, limit };
}

/** The first string after every string starting with `prefix` (undefined: none; all keys qualify). */
function prefixEnd(prefix: string): string | undefined {
  const points = [...prefix];
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      // Skip the surrogate block, which no well-formed key contains.
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return points.join('') + String.fromCodePoint(next);
    }
  }
  return undefined;
}


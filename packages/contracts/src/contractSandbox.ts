import type { ErrorCode } from '@xinlian/protocol';
import { CallOverlay, type OverlayBase } from './callOverlay.js';
import { compileImage, type CompileOutcome, type ContractImage } from './engine/contractImage.js';
import { QuickJSInstance } from './engine/quickjsInstance.js';
import { frameHost, valueRefusal, type NestedOutcome, type TxRun } from './frameHost.js';
import { FRAME_STEPS, StepMeter } from './stepMeter.js';

/**
 * Deterministic, bounded execution of contract code in QuickJS compiled to WebAssembly
 * (docs/adr/009-contract-sandbox.md, 010-contract-lifecycle.md, 013-compiled-contracts.md). A
 * contract is compiled once into a memory image; each call, and each call it makes to another
 * contract, restores that image, so it starts from the same fresh state (QuickJS's interrupt
 * counter included: the step count of a call never depends on what ran before it).
 */

export { STEPS_PER_INTERRUPT } from './stepMeter.js';

export interface ContractLimits {
  /** Steps of a tx (all its nested calls together): interpreter ticks and host charges (StepMeter). */
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


export interface SandboxOptions {
  /**
   * For determinism tests: before every compilation and call, the instance's dead memory (above
   * the heap's break, below the stack) is filled with this function's byte. Outcomes and step
   * counts must not change.
   */
  deadMemoryByte?: () => number;
}

type FrameResult = NestedOutcome & ({ ok: true } | { ok: false; code: ContractFailureCode });

/** Compiled contracts a sandbox keeps, most recently used last (each image is tens to hundreds of KB). */
const IMAGES_MAX = 64;

export class ContractSandbox {
  /** Compiled contracts by their code (the node hands the same string for the same code). */
  private readonly images = new Map<string, CompileOutcome>();
  /** A spare instance, ready to replace one that a call left unusable. */
  private spare: QuickJSInstance | undefined;
  private renewing: Promise<void> | undefined;

  /** `instances[d]` runs the frames at call depth d (a frame's instance is busy until it returns). */
  private constructor(private readonly instances: QuickJSInstance[], spare: QuickJSInstance, readonly limits: ContractLimits, private readonly options: SandboxOptions) {
    this.spare = spare;
  }

  static async create(limits: Partial<ContractLimits> = {}, options: SandboxOptions = {}): Promise<ContractSandbox> {
    const full = { ...DEFAULT_CONTRACT_LIMITS, ...limits };
    const instances = await Promise.all(Array.from({ length: full.callDepthMax + 1 }, () => QuickJSInstance.create(instanceBytesMax(full))));
    const spare = instances.pop()!;
    return new ContractSandbox(instances, spare, full, options);
  }

  /** Resolves once a spare instance is ready again (after a call used it up). */
  async ready(): Promise<void> {
    await this.renewing;
  }

  /**
   * Runs `op(api, args, ctx)` of `contract`, whose code is `code` (a CommonJS bundle), compiling
   * the code on first use. Synchronous and never throws for contract faults: the outcome depends
   * only on the code, the arguments and the host's answers. Writes and events come back only with
   * a successful outcome.
   */
  call(contract: string, code: string, op: string, args: unknown, host: ContractHost, options: { stepsMax?: number } = {}): ContractOutcome {
    // A caller may grant fewer steps than the sandbox's limit (a query, the rest of a block's budget).
    const stepsMax = Math.min(options.stepsMax ?? this.limits.stepsMax, this.limits.stepsMax);
    const run: TxRun = { host, meter: new StepMeter(stepsMax), events: [], writes: 0, stack: [] };
    const argsJson = JSON.stringify(args ?? null);
    const refused = valueRefusal(this.limits, 'arguments', argsJson);
    if (refused !== undefined) return { ok: false, code: 'CONTRACT_FAILED', message: refused, steps: 0 };
    const overlay = new CallOverlay(host);
    const outcome = this.frame(run, overlay, contract, code, op, argsJson, null);
    if (!outcome.ok) return { ...outcome, steps: run.meter.reported() };
    return { ok: true, result: JSON.parse(outcome.resultJson), writes: overlay.entries(), events: run.events, steps: run.meter.reported() };
  }

  /** The compiled form of `code`, compiled now on the instance of call depth `depth` if need be. */
  private compiled(code: string, depth: number): CompileOutcome {
    const known = this.images.get(code);
    if (known !== undefined) {
      this.images.delete(code);
      this.images.set(code, known);
      return known;
    }
    const instance = this.instances[depth]!;
    const { memoryBytesMax, stackBytesMax, stepsMax } = this.limits;
    const outcome = compileImage(instance, code, { memoryBytesMax, stackBytesMax, stepsMax }, () => this.scribble(instance));
    // A failure because the host's stack ran out depends on the host: not kept, tried again.
    if (instance.broken) {
      this.replace(depth);
      return outcome;
    }
    this.images.set(code, outcome);
    if (this.images.size > IMAGES_MAX) this.images.delete(this.images.keys().next().value!);
    return outcome;
  }

  /** One contract's call on the instance of its depth; its writes reach `below` only if it succeeds. */
  private frame(run: TxRun, below: CallOverlay, contract: string, code: string, op: string, argsJson: string, callerContract: string | null): FrameResult {
    const depth = run.stack.length;
    const compiled = this.compiled(code, depth);
    if (!compiled.ok) return { ok: false, code: compiled.code, message: compiled.message };
    const instance = this.instances[depth]!;
    const overlay = new CallOverlay(below);
    const eventsBefore = run.events.length;
    const writesBefore = run.writes;
    run.stack.push(contract);
    run.meter.charge(FRAME_STEPS);
    let result: FrameResult;
    try {
      instance.restore(compiled.image.memory);
      this.scribble(instance);
      const hostCall = frameHost({
        run, overlay, contract, limits: this.limits, schemas: compiled.image.schemas,
        callNested: (callee, calleeCode, calleeOp, calleeArgs) => this.frame(run, overlay, callee, calleeCode, calleeOp, calleeArgs, contract),
      });
      instance.session = { hostCall, interrupt: () => run.meter.interrupt() };
      result = this.invoke(instance, compiled.image, run, op, argsJson, JSON.stringify({ ...run.host.context, contract, callerContract }));
    } catch (error) {
      // The host's own stack overflowed under a C recursion that QuickJS does not count: the call
      // fails like a contract error, with nothing written, and the instance is replaced below.
      result = { ok: false, code: 'CONTRACT_FAILED', message: `${(error as Error).name}: ${(error as Error).message}` };
    } finally {
      instance.session = undefined;
      run.stack.pop();
    }
    // A callee that ran out of steps ends the tx: its caller may not catch its way past the limit.
    if (run.meter.exhausted) result = outOfSteps(run);
    if (instance.broken) this.replace(depth);
    if (result.ok) {
      overlay.commitTo(below);
    } else {
      run.events.length = eventsBefore;
      run.writes = writesBefore;
    }
    return result;
  }

  /** Runs the image's invoke function; nothing needs freeing (the next call restores the image). */
  private invoke(instance: QuickJSInstance, image: ContractImage, run: TxRun, op: string, argsJson: string, ctxJson: string): FrameResult {
    const { ctx } = image;
    const reply = instance.call(ctx, image.invoke, [instance.newString(ctx, op), instance.newString(ctx, argsJson), instance.newString(ctx, ctxJson)]);
    const error = instance.exception(ctx, reply);
    if (error !== 0) return this.failure(instance, ctx, error, run);
    const answer = JSON.parse(instance.string(ctx, reply)) as { result: string } | { rejected: { code: string; message: string } };
    if ('rejected' in answer) return { ok: false, code: 'CONTRACT_REJECTED', reason: answer.rejected.code, message: `${answer.rejected.code}: ${answer.rejected.message}` };
    const refused = valueRefusal(this.limits, 'result', answer.result);
    if (refused !== undefined) return { ok: false, code: 'CONTRACT_FAILED', message: refused };
    return { ok: true, resultJson: answer.result };
  }

  private scribble(instance: QuickJSInstance): void {
    if (this.options.deadMemoryByte !== undefined) instance.scribble(this.options.deadMemoryByte());
  }

  private replace(depth: number): void {
    // Without a spare the next call would meet a broken instance and fail where other nodes
    // succeed: stopping is the only safe answer (the block is re-executed after a restart).
    if (this.spare === undefined) throw new Error('contract sandbox: instance aborted with no spare ready');
    this.instances[depth] = this.spare;
    this.spare = undefined;
    this.renewing = QuickJSInstance.create(instanceBytesMax(this.limits)).then((instance) => {
      this.spare = instance;
      this.renewing = undefined;
    });
  }

  private failure(instance: QuickJSInstance, ctx: number, error: number, run: TxRun): FrameResult {
    if (run.meter.exhausted) return outOfSteps(run);
    if (instance.memoryExhausted()) return { ok: false, code: 'CONTRACT_OUT_OF_MEMORY', message: `out of memory (the instance's ${instance.memoryBytesMax} bytes are in use)` };
    const dumped = instance.dump(ctx, error) as { name?: string; message?: string } | string;
    const name = typeof dumped === 'object' && dumped !== null ? dumped.name ?? 'Error' : 'Error';
    const message = typeof dumped === 'object' && dumped !== null ? dumped.message ?? String(dumped) : String(dumped);
    if (name === 'InternalError' && /interrupted/.test(message)) return outOfSteps(run);
    if ((name === 'InternalError' || name === 'RangeError') && /stack overflow/i.test(message)) {
      return { ok: false, code: 'CONTRACT_OUT_OF_MEMORY', message: `stack overflow (stack limit ${this.limits.stackBytesMax} bytes)` };
    }
    if ((name === 'InternalError' || name === 'RangeError') && /out of memory/i.test(message)) {
      return { ok: false, code: 'CONTRACT_OUT_OF_MEMORY', message: `out of memory (memory limit ${this.limits.memoryBytesMax} bytes)` };
    }
    // A failure of a called contract keeps its code as it travels up.
    if (name.startsWith('CONTRACT_')) return { ok: false, code: name as ContractFailureCode, message };
    return { ok: false, code: 'CONTRACT_FAILED', message: `${name}: ${message}` };
  }
}

/**
 * The WebAssembly memory of one instance: the static data and C stack (about 5 MiB), room for the
 * runtime and the compiled contract, and the contract's heap limit twice over (QuickJS counts
 * allocations, not bytes, so the real heap may exceed memoryBytesMax; this is the hard bound).
 */
function instanceBytesMax(limits: ContractLimits): number {
  return 32 * 1024 * 1024 + 2 * limits.memoryBytesMax;
}

function outOfSteps(run: TxRun): FrameResult {
  return { ok: false, code: 'CONTRACT_OUT_OF_STEPS', message: `stopped after ${run.meter.stepsMax} steps` };
}

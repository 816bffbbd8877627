import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import quickjsVariant from '@jitl/quickjs-wasmfile-release-sync';
import { readWasmLayout, type WasmLayout } from './wasmLayout.js';

/**
 * One WebAssembly instance of QuickJS, driven through the build's C interface (quickjs-emscripten's
 * `QTS_*` functions) with numbers for pointers: the high-level quickjs-emscripten classes keep
 * JavaScript-side lifetimes for every value, which cannot survive the memory images this engine
 * restores (docs/adr/013-compiled-contracts.md). Values are JSValue* boxes in the instance's memory.
 */

/** The parts of the emscripten module used here. */
interface EmscriptenModule {
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  UTF8ToString(pointer: number): string;
  stringToUTF8(text: string, pointer: number, bytesMax: number): number;
  lengthBytesUTF8(text: string): number;
  callbacks: unknown;
}

/** The build's C functions, pointers as numbers (quickjs-emscripten's FFI class, without its brands). */
export interface QuickJSFFI {
  QTS_NewRuntime(): number;
  QTS_RuntimeSetMemoryLimit(rt: number, bytes: number): void;
  QTS_RuntimeSetMaxStackSize(rt: number, bytes: number): void;
  QTS_RuntimeEnableInterruptHandler(rt: number): void;
  QTS_NewContext(rt: number, intrinsics: number): number;
  QTS_GetGlobalObject(ctx: number): number;
  QTS_NewFunction(ctx: number, name: string, length: number, isConstructor: boolean, hostRefId: number): number;
  QTS_NewString(ctx: number, cString: number): number;
  QTS_GetString(ctx: number, value: number): number;
  QTS_FreeCString(ctx: number, cString: number): void;
  QTS_SetProp(ctx: number, target: number, name: number, value: number): void;
  QTS_Eval(ctx: number, code: number, codeBytes: number, filename: string, detectModule: number, flags: number): number;
  QTS_Call(ctx: number, fn: number, thisValue: number, argc: number, argv: number): number;
  QTS_ResolveException(ctx: number, value: number): number;
  QTS_Dump(ctx: number, value: number): number;
  QTS_Typeof(ctx: number, value: number): number;
  QTS_GetUndefined(): number;
  QTS_ArgvGetJSValueConstPointer(argv: number, index: number): number;
  QTS_FreeValuePointer(ctx: number, value: number): void;
}

/**
 * The build as a quickjs-emscripten "variant": its module loader and FFI class. (Typed here: under
 * NodeNext the package's CommonJS typings describe its default export as the module object.)
 */
const variant = quickjsVariant as unknown as {
  importModuleLoader(): Promise<(options: object) => Promise<unknown>>;
  importFFI(): Promise<new (module: unknown) => unknown>;
};

/** A copy of the live parts of an instance's memory: static data and the heap up to its break. */
export interface MemoryImage {
  readonly low: Uint8Array;
  readonly heap: Uint8Array;
}

/**
 * Who answers the guest while a call runs on an instance: host functions receive and return
 * strings (undefined: JavaScript undefined), and the interrupt handler decides whether to stop.
 */
export interface GuestSession {
  hostCall(functionId: number, args: string[]): string | undefined;
  interrupt(): boolean;
}

/** Static data beyond the last data segment that is copied with it: bss lies within (it is about 3 KB). */
const BSS_BYTES_MAX = 64 * 1024;

/** End of the static data copied into every image: the data segments and room for bss, word-aligned. */
function staticEnd(layout: WasmLayout): number {
  return Math.ceil((layout.dataEnd + BSS_BYTES_MAX) / 16) * 16;
}

interface Build {
  compiled: WebAssembly.Module;
  layout: WasmLayout;
  /** Address of the C library's heap break (sbrk's variable), found once per build. */
  breakAddress: number;
}

let build: Promise<Build> | undefined;

function loadBuild(): Promise<Build> {
  build ??= (async () => {
    const bytes = readFileSync(createRequire(import.meta.url).resolve('@jitl/quickjs-wasmfile-release-sync/wasm'));
    const compiled = await WebAssembly.compile(bytes);
    const layout = readWasmLayout(bytes);
    return { compiled, layout, breakAddress: findBreakAddress(await instantiate(compiled, PROBE_MEMORY_BYTES_MAX), layout) };
  })();
  return build;
}

/** The probe allocates twice 8 MiB past the initial heap: 64 MiB leaves it room. */
const PROBE_MEMORY_BYTES_MAX = 64 * 1024 * 1024;
const PAGE_BYTES = 65_536;

async function instantiate(compiled: WebAssembly.Module, memoryBytesMax: number): Promise<EmscriptenModule> {
  const loader = await variant.importModuleLoader();
  const quiet = (): void => {};
  return (await loader({
    print: quiet,
    printErr: quiet,
    // The C library copies the program name into its environment on the heap: one name for every
    // node keeps the heap's layout the same everywhere.
    thisProgram: 'xinlian-contract',
    // A hard bound on the instance's memory (QuickJS's own limit counts allocations rather than
    // their bytes in this build, see ADR 013): growth past it fails malloc, which QuickJS reports
    // as out of memory.
    wasmMemory: new WebAssembly.Memory({ initial: 16 * 1024 * 1024 / PAGE_BYTES, maximum: Math.ceil(memoryBytesMax / PAGE_BYTES) }),
    instantiateWasm: (imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => {
      const instance = new WebAssembly.Instance(compiled, imports);
      receive(instance, compiled);
      return instance.exports;
    },
  })) as EmscriptenModule;
}

/**
 * The heap break is a static variable of the C library whose address only the build knows. On a
 * throwaway instance: allocate far past the heap's end and find the static words that moved up by
 * about that much (the allocator's top chunk and the break); the break is the highest of them,
 * since the top chunk lies below it. A second allocation must move it again by as much, or the
 * build is not what this engine expects (a broken invariant: the engine cannot run).
 */
function findBreakAddress(probe: EmscriptenModule, layout: WasmLayout): number {
  const words = (): Uint32Array => new Uint32Array(probe.HEAPU8.buffer.slice(0, staticEnd(layout)));
  const probeBytes = 8 * 1024 * 1024;
  const before = words();
  const first = probe._malloc(probeBytes);
  const after = words();
  let address = -1;
  for (let i = 1024 / 4; i < after.length; i++) {
    const value = after[i]!;
    // Moved by most of the allocation (the break moves by less when the top chunk had room).
    const moved = value - before[i]! >= probeBytes / 2 && value >= first + probeBytes && value <= probe.HEAPU8.length;
    if (moved && (address < 0 || value > after[address / 4]!)) address = i * 4;
  }
  const breakAfterFirst = address >= 0 ? after[address / 4]! : 0;
  const second = probe._malloc(probeBytes);
  const breakAfterSecond = address >= 0 ? new Uint32Array(probe.HEAPU8.buffer, address, 1)[0]! : 0;
  if (address < 0 || second < breakAfterFirst - probeBytes || breakAfterSecond < second + probeBytes || breakAfterSecond > probe.HEAPU8.length) {
    throw new Error('contract engine: cannot locate the heap break of this QuickJS build');
  }
  return address;
}

export class QuickJSInstance {
  /** Who answers host calls and interrupts; undefined between calls. */
  session: GuestSession | undefined;
  readonly undefinedValue: number;
  /** The instance as created, before any runtime: what every compilation starts from. */
  readonly pristine: MemoryImage;
  /** Set when an exception left the WebAssembly code: its stack pointer may be anywhere now. */
  broken = false;

  private constructor(private readonly module: EmscriptenModule, readonly ffi: QuickJSFFI, private readonly build: Build, readonly memoryBytesMax: number) {
    this.undefinedValue = ffi.QTS_GetUndefined();
    this.pristine = this.capture();
  }

  /** An instance whose WebAssembly memory never exceeds `memoryBytesMax` (at least 16 MiB). */
  static async create(memoryBytesMax: number): Promise<QuickJSInstance> {
    const shared = await loadBuild();
    const bytesMax = Math.max(memoryBytesMax, 16 * 1024 * 1024);
    const module = await instantiate(shared.compiled, bytesMax);
    const FFI = await variant.importFFI();
    let instance: QuickJSInstance | undefined;
    module.callbacks = {
      callFunction: (_asyncify: unknown, ctx: number, _this: number, argc: number, argv: number, functionId: number) => instance!.hostCall(ctx, argc, argv, functionId),
      shouldInterrupt: () => (instance!.session?.interrupt() === true ? 1 : 0),
      loadModuleSource: () => 0,
      normalizeModule: () => 0,
      // Host functions are a fixed table, never freed.
      freeHostRef: () => {},
    };
    instance = new QuickJSInstance(module, new FFI(module) as QuickJSFFI, shared, bytesMax);
    return instance;
  }

  private heapBreak(): number {
    return new Uint32Array(this.module.HEAPU8.buffer, this.build.breakAddress, 1)[0]!;
  }

  /**
   * Whether the heap has reached the instance's memory bound (within 1 MiB): then malloc fails,
   * and QuickJS may not even manage to build the error it throws.
   */
  memoryExhausted(): boolean {
    return this.heapBreak() > this.memoryBytesMax - 1024 * 1024;
  }

  /** The live memory now: static data (with bss) and the heap from the stack's top to the break. */
  capture(): MemoryImage {
    const heap = this.module.HEAPU8;
    return { low: heap.slice(0, staticEnd(this.build.layout)), heap: heap.slice(this.build.layout.stackTop, this.heapBreak()) };
  }

  /**
   * Makes the instance's live memory exactly the image. What lies above the image's break and below
   * the stack pointer is dead memory that correct C code writes before it reads (as after any free).
   */
  restore(image: MemoryImage): void {
    const { stackTop } = this.build.layout;
    const needed = stackTop + image.heap.length;
    // Grown through malloc, so that emscripten renews its views of the memory; the restore below
    // overwrites the allocator's state again.
    if (this.module.HEAPU8.length < needed) this.module._malloc(needed - this.module.HEAPU8.length + 1024 * 1024);
    const heap = this.module.HEAPU8;
    heap.set(image.low, 0);
    heap.set(image.heap, stackTop);
  }

  /** Fills the dead memory with `byte` (for tests: results must not depend on it). */
  scribble(byte: number): void {
    const heap = this.module.HEAPU8;
    heap.fill(byte, staticEnd(this.build.layout), this.build.layout.stackTop - 64 * 1024);
    heap.fill(byte, this.heapBreak(), heap.length);
  }

  /** A NUL-terminated UTF-8 copy of `text` in the instance's memory; the caller frees it. */
  cString(text: string): { pointer: number; bytes: number } {
    const bytes = this.module.lengthBytesUTF8(text);
    const pointer = this.module._malloc(bytes + 1);
    this.module.stringToUTF8(text, pointer, bytes + 1);
    return { pointer, bytes };
  }

  newString(ctx: number, text: string): number {
    const { pointer } = this.cString(text);
    const value = this.ffi.QTS_NewString(ctx, pointer);
    this.module._free(pointer);
    return value;
  }

  /** The string a value converts to (JSON text never holds the NUL that would end it early). */
  string(ctx: number, value: number): string {
    const pointer = this.ffi.QTS_GetString(ctx, value);
    const text = this.module.UTF8ToString(pointer);
    this.ffi.QTS_FreeCString(ctx, pointer);
    return text;
  }

  typeOf(ctx: number, value: number): string {
    const pointer = this.ffi.QTS_Typeof(ctx, value);
    const text = this.module.UTF8ToString(pointer);
    this.module._free(pointer);
    return text;
  }

  /** Evaluates a global script; the completion value's box (an exception if it threw). */
  evaluate(ctx: number, code: string, filename: string): number {
    const { pointer, bytes } = this.cString(code);
    try {
      return this.guard(() => this.ffi.QTS_Eval(ctx, pointer, bytes, filename, 0, 0));
    } finally {
      if (!this.broken) this.module._free(pointer);
    }
  }

  call(ctx: number, fn: number, args: readonly number[]): number {
    const argv = this.module._malloc(4 * Math.max(1, args.length));
    new Uint32Array(this.module.HEAPU8.buffer, argv, args.length).set(args);
    try {
      return this.guard(() => this.ffi.QTS_Call(ctx, fn, this.undefinedValue, args.length, argv));
    } finally {
      if (!this.broken) this.module._free(argv);
    }
  }

  /** The pending exception a result box stands for, as a box, or 0 when it is a value. */
  exception(ctx: number, value: number): number {
    return this.ffi.QTS_ResolveException(ctx, value);
  }

  /** The value's JSON with an error's name and message (QuickJS-emscripten's dump). */
  dump(ctx: number, value: number): unknown {
    const text = this.module.UTF8ToString(this.ffi.QTS_Dump(ctx, value));
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }

  free(ctx: number, value: number): void {
    this.ffi.QTS_FreeValuePointer(ctx, value);
  }

  /** Any exception out of the WebAssembly code leaves the instance unusable (see `broken`). */
  private guard<T>(run: () => T): T {
    try {
      return run();
    } catch (error) {
      this.broken = true;
      throw error;
    }
  }

  private hostCall(ctx: number, argc: number, argv: number, functionId: number): number {
    const session = this.session;
    if (session === undefined) throw new Error('contract engine: a host function was called outside a call');
    const args: string[] = [];
    for (let i = 0; i < argc; i++) args.push(this.string(ctx, this.ffi.QTS_ArgvGetJSValueConstPointer(argv, i)));
    const answer = session.hostCall(functionId, args);
    return answer === undefined ? 0 : this.newString(ctx, answer);
  }
}
